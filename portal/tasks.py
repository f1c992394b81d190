"""portal's Celery tasks. The services queue them (portal.notifications, portal.privacy import
this module), so the tasks import the services inside their bodies, never at the top."""

import base64
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(*, subject, text, to, html=None, from_email=None, headers=None, attachments=None):
    message = EmailMultiAlternatives(subject, text, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    for name, data, mime in attachments or ():
        message.attach(name, base64.b64decode(data), mime)
    message.send()


@shared_task
def ping():
    """Answers 'pong': lets a health check (and the test suite) see a worker at work."""
    return "pong"


@shared_task
def send_notification_digests():
    """Once a day: each owner who asked for a digest gets their unread, unsent notifications."""
    from portal.models import Notification, User
    from portal.notifications import email_user, unsubscribe_headers, unsubscribe_url

    pending = Notification.objects.unread().filter(emailed_at__isnull=True).exclude(kind="like")
    people = User.objects.filter(
        email_notifications=User.EmailNotifications.DAILY, notifications__in=pending
    ).distinct()
    for user in people:
        with transaction.atomic():
            # Another run at the same moment holds these rows: it sends them, this one skips.
            items = list(
                pending.filter(recipient=user)
                .select_for_update(skip_locked=True)
                .order_by("created_at")[:50]
            )
            if not items:
                continue
            stop = unsubscribe_url(user)
            email_user(
                user,
                "portal/email/digest",
                {"notifications": items, "unsubscribe_url": stop},
                headers=unsubscribe_headers(stop),
            )
            # Marked with the email queued on commit: a retry the same day sends nothing twice.
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                emailed_at=timezone.now()
            )


@shared_task
def escalate_overdue_cases():
    """Every quarter hour: overdue cases remind their first responder, then managers."""

    from portal.casework import escalate_overdue

    with transaction.atomic():
        return escalate_overdue()


@shared_task
def poll_case_inbox():
    """Every two minutes: new emails in the complaint inbox become cases or join theirs."""
    from portal import mailbox

    return mailbox.poll() if mailbox.configured() else 0


@shared_task
def send_monthly_case_report():
    """On the 1st: last month's report, by email, to everyone who manages cases."""

    from portal.case_reports import monthly_figures
    from portal.casework import case_managers
    from portal.notifications import email_user

    first = timezone.localdate().replace(day=1)
    last_month = first - timedelta(days=1)
    figures = monthly_figures(last_month.year, last_month.month)
    managers = case_managers()
    for manager in managers:
        email_user(manager, "portal/email/case_report", {"f": figures})
    return managers.count()


@shared_task
def build_data_export(export_id):
    """An owner's "my data" ZIP, then an email with the link."""
    from portal.privacy import build_export

    export = build_export(export_id)
    return export.pk if export else None


@shared_task
def expire_data_exports():
    """Hourly: "my data" ZIPs past their DATA_EXPORT_DAYS are deleted."""
    from portal.privacy import expire_exports

    return expire_exports()


@shared_task
def carry_out_due_closures():
    """Daily: closure requests waiting ACCOUNT_CLOSURE_DAYS are carried out."""
    from portal.privacy import carry_out_due_closures as carry_out

    return carry_out()


@shared_task
def anonymise_expired_cases():
    """Daily: closed accounts' cases older than CASE_RETENTION_DAYS after closure are
    anonymised, their files deleted."""
    from portal.privacy import anonymise_expired_cases as anonymise

    return anonymise()
