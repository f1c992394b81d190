"""Publications emailed to members: a magazine issue always, a listing or news item when the
editor ticks "email to members". Each member gets each page at most once: the delivery is
recorded (unique per page and member) before the email is queued, so a retried task or a
second publish sends nothing twice. Sent in batches; the mailing keeps count for the admin."""

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from club.models import Member
from owners.models import User
from portal.notifications import EmailList, email_user, unsubscribe_headers
from publications.models import ListingPage, MagazineIssuePage, Mailing, MailingDelivery, NewsPage

BATCH = 50
#: The club's publications by email: each member's "magazine by email" choice.
PUBLICATIONS = EmailList("publications", "publications:stop_publications")


def wants_mailing(page):
    if isinstance(page, MagazineIssuePage):
        return True
    return isinstance(page, ListingPage | NewsPage) and page.email_members


def start(page):
    """Called when a page is published: create its mailing once and send it after commit."""
    mailing, _ = Mailing.objects.get_or_create(page_id=page.pk)
    transaction.on_commit(lambda: send_mailing.delay(mailing.pk))
    return mailing


def recipients(mailing):
    """Active members who want the club's publications by email and have not had this one."""
    delivered = MailingDelivery.objects.filter(mailing=mailing, user=OuterRef("pk"))
    members = Member.objects.active().filter(user=OuterRef("pk"), magazine_by_email=True)
    return (
        User.objects.filter(Exists(members), is_active=True)
        .exclude(email="")
        .exclude(Exists(delivered))
        .order_by("pk")
    )


def send_batch(mailing_id):
    """Send the next batch; returns how many are left (the task queues itself again if any)."""
    mailing = Mailing.objects.select_related("page").get(pk=mailing_id)
    page = mailing.page.specific
    pending = recipients(mailing)
    if mailing.total == 0:
        Mailing.objects.filter(pk=mailing.pk).update(total=pending.count())
    context = publication_context(page)
    for user in pending[:BATCH]:
        try:
            with transaction.atomic():
                MailingDelivery.objects.create(mailing=mailing, user=user)
                stop = PUBLICATIONS.url(user)
                email_user(
                    user,
                    "publications/email/publication",
                    {**context, "unsubscribe_url": stop},
                    headers=unsubscribe_headers(stop),
                )
        except IntegrityError:
            continue  # another run got there first
    sent = MailingDelivery.objects.filter(mailing=mailing).count()
    left = pending.count()
    Mailing.objects.filter(pk=mailing.pk).update(
        sent=sent, total=max(sent + left, sent), finished_at=None if left else timezone.now()
    )
    return left


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_mailing(self, mailing_id):
    """One batch of a publication mailing; queues the next batch until everyone has it."""
    try:
        left = send_batch(mailing_id)
    except Exception as error:  # delivered members are recorded: a retry sends only the rest
        raise self.retry(exc=error) from error
    if left:
        send_mailing.delay(mailing_id)
    return left


def absolute(url):
    """Page and image addresses are relative on a single site; emails need the whole URL."""
    return url if url.startswith("http") else settings.WAGTAILADMIN_BASE_URL + url


def publication_context(page):
    image = getattr(page, "cover", None) or getattr(page, "lead_image", None)
    picture = None
    if image:
        url = image.get_rendition("max-600x800|format-jpeg").url
        picture = absolute(url)
    context = {
        "page": page,
        "page_url": absolute(page.url),
        "picture": picture,
        "contents": [],
        "summary": getattr(page, "summary", ""),
    }
    if isinstance(page, MagazineIssuePage):
        context["contents"] = page.table_of_contents()
    return context
