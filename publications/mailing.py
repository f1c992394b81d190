"""Publications sent to members: a magazine issue always, a listing or news item when the
editor ticks "send to members". Each member who wants the club's publications gets each page
at most once, in their notifications on the site and on the channels they chose for the topic
"publications" (email by default, WeChat by choice: portal.channels). The delivery is recorded
(unique per page and member) with the message, whose key is the mailing and the member, so a
retried job, a worker killed mid-way or a second publish sends nothing twice. Written in batches
on the bulk queue; the admin counts a member as reached once every channel's message to them
has gone (at once for a member with none beyond the site).
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from club.models import Member
from owners.models import User
from portal import outbox
from portal.models import Outgoing
from portal.notifications import EmailList, tell, unsubscribe_headers
from publications.models import ListingPage, MagazineIssuePage, Mailing, MailingDelivery, NewsPage

BATCH = 50
#: The club's publications by email: the link in one takes email off the member's channels.
PUBLICATIONS = EmailList("publications", "publications:stop_publications")


def wants_mailing(page):
    if isinstance(page, MagazineIssuePage):
        return True
    return isinstance(page, ListingPage | NewsPage) and page.email_members


def start(page):
    """Called when a page is published: create its mailing once and, with the publication,
    the job that writes its emails (again at a second publish: it finds the members who have
    not had it yet, if any)."""
    mailing, _ = Mailing.objects.get_or_create(page_id=page.pk)
    outbox.add_task(send_mailing, queue=outbox.BULK, mailing_id=mailing.pk)
    return mailing


def recipients(mailing):
    """Active members who want the club's publications and have not had this one."""
    delivered = MailingDelivery.objects.filter(mailing=mailing, user=OuterRef("pk"))
    members = Member.objects.active().filter(user=OuterRef("pk"), publications=True)
    return (
        User.objects.filter(Exists(members), is_active=True, closed_at__isnull=True)
        .exclude(Exists(delivered))
        .order_by("pk")
    )


def send_batch(mailing_id):
    """Write the next batch of messages, with their deliveries, in one transaction (delivered
    after it commits, the emails over one SMTP connection); returns how many members are left."""
    mailing = Mailing.objects.select_related("page").get(pk=mailing_id)
    page = mailing.page.specific
    pending = recipients(mailing)
    if mailing.total == 0:
        Mailing.objects.filter(pk=mailing.pk).update(total=pending.count())
    context = publication_context(page)
    group = group_of(mailing.pk)
    with transaction.atomic():
        batch = list(pending[:BATCH])
        # Two runs at once write the same rows: the database keeps one of each.
        MailingDelivery.objects.bulk_create(
            [MailingDelivery(mailing=mailing, user=user) for user in batch], ignore_conflicts=True
        )
        for user in batch:
            stop = PUBLICATIONS.url(user)
            tell(
                user,
                "publications",
                page.url,
                email=("publications/email/publication", {**context, "unsubscribe_url": stop}),
                short="club_news",
                headers=unsubscribe_headers(stop),
                key=f"{group}:{user.pk}",
                queue=outbox.BULK,
                group=group,
            )
    written = MailingDelivery.objects.filter(mailing=mailing).count()
    left = pending.count()
    Mailing.objects.filter(pk=mailing.pk).update(total=written + left)
    record_progress(group)
    return left


@shared_task(verbose_name=gettext_lazy("Send a member mailing"))
def send_mailing(mailing_id):
    """A publication mailing's job (run through the outbox): tells every batch. Killed
    mid-way, the job is taken up again and writes only what is missing."""
    left = send_batch(mailing_id)
    while left:
        left = send_batch(mailing_id)
    return left


def group_of(mailing_id):
    return f"mailing:{mailing_id}"


def record_progress(group):
    """After a delivery: the mailing counts the members reached (every channel's message to
    them gone, or none to go beyond the site), and is finished when all are."""
    mailing_id = int(group.rsplit(":", 1)[1])
    told = MailingDelivery.objects.filter(mailing_id=mailing_id).count()
    waiting = (
        Outgoing.objects.filter(group=group)
        .exclude(state=Outgoing.State.SENT)
        .values("notification")
        .distinct()
        .count()
    )
    sent = told - waiting
    Mailing.objects.filter(pk=mailing_id).update(sent=sent)
    Mailing.objects.filter(pk=mailing_id, total__lte=sent, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )


outbox.when_delivered("mailing:", record_progress)


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
