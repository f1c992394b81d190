"""The shared core's Celery tasks: the outbox's delivery and relay, the health ping, the daily
digest, and the pages whose publication was scheduled."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from portal.models import Notification
from portal.notifications import NOTIFICATIONS, email_user, unsubscribe_headers
from portal.outbox import BULK, deliver, purge, relay

__all__ = ["deliver", "relay", "purge", "ping", "send_notification_digests", "publish_scheduled"]


@shared_task
def ping():
    """Answers 'pong': lets a health check (and the test suite) see a worker at work."""
    return "pong"


@shared_task
def publish_scheduled():
    """Every minute: pages and notices an editor scheduled ("go live at") go live, and those
    due to expire come down (Wagtail's own command, which the publishing signals follow: a
    notice is delivered as it goes live)."""
    call_command("publish_scheduled")


@shared_task
def send_notification_digests():
    """Once a day: each owner who asked for a digest gets their unread, unsent notifications.

    Once a day whatever runs it twice: the email's outbox key is the day and the person, and
    the notifications are marked only when this run wrote the email. Never an empty digest."""
    User = get_user_model()
    today = timezone.localdate().isoformat()
    pending = Notification.objects.unread().filter(emailed_at__isnull=True).exclude(kind="like")
    people = User.objects.filter(
        email_notifications=User.EmailNotifications.DAILY, notifications__in=pending
    ).distinct()
    for user in people:
        with transaction.atomic():
            # The person is locked, not their rows one by one: another run at the same moment
            # holding them sends all of their notifications, and this one skips them. Rows
            # skipped one at a time could be split between two runs, and the second half wait
            # a day behind the first run's email.
            if not User.objects.select_for_update(skip_locked=True).filter(pk=user.pk).exists():
                continue
            items = list(pending.filter(recipient=user).order_by("created_at")[:50])
            if not items:
                continue
            stop = NOTIFICATIONS.url(user)
            written = email_user(
                user,
                "portal/email/digest",
                {"notifications": items, "unsubscribe_url": stop},
                headers=unsubscribe_headers(stop),
                key=f"digest:{today}:{user.pk}",
                queue=BULK,
            )
            if written is None:
                continue  # today's digest is written already: these wait for tomorrow's
            # Marked with the email, in its transaction: a retry the same day sends nothing twice.
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=timezone.now()
            )
