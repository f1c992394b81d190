"""Who a notice is for, and getting it to them: once per owner, in batches on the bulk queue,
in their messages on the site and on their channels (portal.channels: an important, urgent or
outage notice is must-deliver, and may go by SMS). A receipt is written with each owner's
message, in one transaction, so a retried job or a second publish tells nobody twice. Reading
the notice and confirming it (我已阅读并知悉) are recorded on the receipt. Views, signals and
tests call these functions alone."""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from cases.models import Case
from club.models import Member
from notices.models import Call, NoticePage, Receipt
from owners.models import OwnershipClaim, User
from portal import outbox
from portal.actions import Refused
from portal.models import Outgoing
from portal.notifications import tell

BATCH = 50
#: Notices that must reach every owner on at least one channel besides the site.
PRESSING = (NoticePage.Kind.URGENT, NoticePage.Kind.OUTAGE)


class NoticeError(Refused):
    """An action on a notice that cannot be taken; the message says why."""


def homes(notice):
    """The approved claims the notice's places cover (every one when it names no place)."""
    claims = OwnershipClaim.objects.filter(status=OwnershipClaim.Status.APPROVED)
    estates = [estate.pk for estate in notice.estates.all()]
    if (notice.buildings.strip() or notice.unit_labels.strip()) and not estates:
        return claims.none()  # places named without their estate: nobody, never everybody
    if estates:
        claims = claims.filter(unit__estate__in=estates)
    units = notice.unit_list
    if notice.unit_labels.strip() and not units:
        return claims.none()  # units named but none readable: nobody, never everybody
    if units:
        place = Q()
        for building, number in units:
            place |= Q(unit__building=building, unit__number=number)
        claims = claims.filter(place)
    elif notice.building_list:
        claims = claims.filter(unit__building__in=notice.building_list)
    return claims


def audience(notice):
    """The owners the notice is for: active accounts with a verified home in its places, club
    members only or owners with an open repair only where it says so."""
    owners = User.objects.filter(
        Exists(homes(notice).filter(owner=OuterRef("pk"))),
        is_active=True,
        closed_at__isnull=True,
    )
    if notice.members_only:
        owners = owners.filter(Exists(Member.objects.active().filter(user=OuterRef("pk"))))
    if notice.open_repairs:
        repairs = Case.objects.filter(
            owner=OuterRef("pk"), kind=Case.Kind.REPAIR, status__in=Case.OPEN_STATUSES
        )
        owners = owners.filter(Exists(repairs))
    return owners.order_by("pk")


def topic(notice):
    return "important_notice" if notice.important or notice.kind in PRESSING else "notice"


def start(notice):
    """Publishing a notice queues its delivery (again at a second publish: it finds the owners
    who have not had it yet, if any)."""
    outbox.add_task(deliver, queue=outbox.BULK, notice_id=notice.pk)


def send_batch(notice_id):
    """Tell the next batch of owners, with their receipts, in one transaction; returns how
    many owners are left."""
    notice = NoticePage.objects.get(pk=notice_id).specific
    if not notice.live:
        return 0  # unpublished (or only scheduled) since: nobody is told
    pending = audience(notice).exclude(
        Exists(Receipt.objects.filter(notice=notice, user=OuterRef("pk")))
    )
    group = f"notice:{notice.pk}"
    with transaction.atomic():
        batch = list(pending[:BATCH])
        where = building_of(notice, batch)
        Receipt.objects.bulk_create(
            [Receipt(notice=notice, user=user, building=where.get(user.pk, "")) for user in batch],
            ignore_conflicts=True,  # two runs at once: the database keeps one of each
        )
        for user in batch:
            tell(
                user,
                topic(notice),
                reverse("notices:detail", args=[notice.pk]),
                email=("notices/email/notice", {"notice": notice}),
                short="notice",
                key=f"{group}:{user.pk}",
                queue=outbox.BULK,
                group=group,
            )
    return pending.count()


def building_of(notice, users):
    """{user id: "金都·翠湖苑 3栋"}: the first of their homes the notice covers."""
    found = {}
    claims = (
        homes(notice)
        .filter(owner__in=users)
        .order_by("unit__estate__name", "unit__building", "unit__number")
        .values_list("owner_id", "unit__estate__name", "unit__building")
    )
    for owner, estate, building in claims:
        found.setdefault(owner, f"{estate} {building}")
    return found


@shared_task(verbose_name=gettext_lazy("Deliver a notice"))
def deliver(notice_id):
    """A notice's delivery job (through the outbox): every batch; taken up again after a
    worker dies, it tells only those still missing."""
    left = send_batch(notice_id)
    while left:
        left = send_batch(notice_id)
    return left


# -- The owner reads and confirms ----------------------------------------------------------------


def receipt_for(notice, user):
    return Receipt.objects.filter(notice=notice, user=user).first()


def mark_read(receipt):
    """The owner opened the notice: the first time counts."""
    if receipt.read_at is None:
        now = timezone.now()
        Receipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=now)
        receipt.read_at = now
    return receipt


def acknowledge(notice, user):
    """我已阅读并知悉: once, for an important notice the owner received."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().filter(notice=notice, user=user).first()
        if receipt is None:
            raise NoticeError(_("This notice was not sent to you."))
        if not notice.important:
            raise NoticeError(_("This notice asks for no confirmation."))
        if receipt.acknowledged_at is None:
            now = timezone.now()
            receipt.acknowledged_at, receipt.read_at = now, receipt.read_at or now
            receipt.save(update_fields=["acknowledged_at", "read_at"])
            log(notice, "notices.notice.acknowledge", user=user)
    return receipt


# -- 二次确认: customer service phone those who have not confirmed ----------------------------------


def record_call(receipt, by, *, outcome, note=""):
    """A confirmation call about an important notice: kept with who and when; an owner who
    confirms on the phone counts as confirmed (by phone)."""
    if not by.has_perm("notices.add_call"):
        raise PermissionDenied
    if outcome not in Call.Outcome.values:
        raise NoticeError(_("Say how the call went."))
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().select_related("notice").get(pk=receipt.pk)
        if not receipt.notice.important:
            raise NoticeError(_("This notice asks for no confirmation."))
        call = Call.objects.create(receipt=receipt, made_by=by, outcome=outcome, note=note.strip())
        if outcome == Call.Outcome.CONFIRMED and receipt.acknowledged_at is None:
            receipt.acknowledged_at, receipt.by_phone = call.made_at, True
            receipt.save(update_fields=["acknowledged_at", "by_phone"])
        log(receipt.notice, "notices.notice.call", user=by, data={"outcome": outcome})
    return call


def progress(notice):
    """How far its delivery has come: owners it is for and those told (on the site), and the
    messages beyond the site written and gone."""
    rows = Outgoing.objects.filter(group=f"notice:{notice.pk}")
    return {
        "owners": audience(notice).count(),
        "told": Receipt.objects.filter(notice=notice).count(),
        "messages": rows.count(),
        "sent": rows.filter(state=Outgoing.State.SENT).count(),
    }


def statistics(notice):
    """Per building (as the receipts found the owners): delivered, read and confirmed; with the
    totals first. One query."""
    rows = (
        Receipt.objects.filter(notice=notice)
        .values("building")
        .annotate(
            delivered=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            confirmed=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            by_phone=Count("pk", filter=Q(by_phone=True)),
        )
        .order_by("building")
    )
    rows = list(rows)
    total = {
        key: sum(row[key] for row in rows) for key in ("delivered", "read", "confirmed", "by_phone")
    }
    return {"total": total, "buildings": rows}
