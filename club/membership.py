"""Joining the club and leaving it: applications, their review, and members' own records.

Every change goes through these functions, so the site, the admin and the tests behave alike:
each checks its rules, runs in one transaction, writes Wagtail's audit log and emails the owner
once the transaction commits.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from club import cards, points
from club.models import ClubPage, ImportantDate, Member, MembershipApplication, Tier
from owners import consent
from owners.models import OwnerRecord, OwnershipClaim
from portal.actions import Refused
from portal.notifications import site_link, tell

Status = MembershipApplication.Status


class MembershipError(Refused):
    """A step that cannot be taken; the message is shown to the person as it is."""


def why_not_eligible(user):
    """The reason `user` may not apply to join, or "" when they may."""
    member = Member.objects.filter(user=user).first()
    if member and not member.is_active:
        return _("Your membership is suspended; please contact the club.")
    if member:
        return _("You are already a member of the club.")
    pending = user.club_applications.filter(status=Status.PENDING).first()
    if pending:
        return _(
            "Your application of %(date)s is with the club staff; you will hear from them by email."
        ) % {"date": timezone.localtime(pending.created_at).strftime("%Y-%m-%d")}
    if not OwnershipClaim.objects.filter(
        owner=user, status=OwnershipClaim.Status.APPROVED
    ).exists():
        return _(
            "The club is for owners with a verified unit. Claim your unit first; "
            "once staff have verified it you can apply."
        )
    return ""


def apply(user, *, hobbies=(), dates=(), **preferences):
    """Send an application. `dates` are ImportantDate-like dicts; `preferences` the news choices
    and other hobbies."""
    problem = why_not_eligible(user)
    if problem:
        raise MembershipError(problem)
    try:
        with transaction.atomic():
            application = MembershipApplication.objects.create(
                user=user,
                important_dates=[_serialise(d) for d in dates],
                agreed_to_rules_at=timezone.now(),
                **preferences,
            )
            application.hobbies.set(hobbies)
            consent.record(user, consent.Document.CLUB_RULES, rules_version())
            log(application, "club.application.submit", user=user)
    except IntegrityError as error:
        # The same form sent twice at once: the database keeps one pending application.
        raise MembershipError(why_not_eligible(user)) from error
    return application


def rules_version():
    """The club rules an applicant agrees to, named by when the club page (which holds them) was
    last published: its revision history in the admin shows the exact text of that time."""
    page = ClubPage.objects.live().only("last_published_at").first()
    if page is None or page.last_published_at is None:
        return "—"
    return timezone.localtime(page.last_published_at).strftime("%Y-%m-%d %H:%M")


def _serialise(entry):
    return {
        "kind": entry["kind"],
        "label": entry.get("label", ""),
        "date": entry["date"].isoformat(),
    }


def _review(application, by):
    if not by.has_perm("club.review_membershipapplication"):
        raise PermissionDenied
    application = (
        MembershipApplication.objects.select_for_update()
        .select_related("user")
        .get(pk=application.pk)
    )
    if application.status != Status.PENDING:
        raise MembershipError(
            _("This application is already %(status)s.")
            % {"status": application.get_status_display()}
        )
    return application


def approve(application, by):
    """Make the applicant a member: number, lowest tier, joining points, a card, an email."""
    with transaction.atomic():
        application = _review(application, by)
        user = application.user
        verified = OwnershipClaim.objects.filter(owner=user, status=OwnershipClaim.Status.APPROVED)
        if not verified.exists():
            raise MembershipError(_("The applicant no longer has a verified unit."))
        if Member.objects.filter(user=user).exists():
            raise MembershipError(_("The applicant is already a member."))
        tier = Tier.objects.order_by("min_points").first()
        if tier is None:
            raise MembershipError(_("Set up the club's tiers before approving members."))
        member = Member.objects.create(
            user=user,
            # The desk's record of them, when their account is linked to one.
            record=OwnerRecord.objects.filter(user=user, member__isnull=True).first(),
            number=f"new-{application.pk}",
            tier=tier,
            **{field: getattr(application, field) for field in PREFERENCE_FIELDS},
        )
        # The number follows the row's id: unique without a counter to lock.
        member.number = f"JD{member.pk:08d}"
        member.save(update_fields=["number"])
        member.hobbies.set(application.hobbies.all())
        set_dates(member, [_parse(d) for d in application.important_dates])
        application.status, application.reviewed_by = Status.APPROVED, by
        application.reviewed_at = timezone.now()
        application.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        log(application, "club.application.approve", user=by)
        points.award(member, "joining", key=f"joining:{member.pk}", by=by)
        card = cards.new_card(member, by=by)
        tell(
            user,
            "account",
            reverse("club:home"),
            email=("club/email/welcome", {"member": member, "card": card}),
            short=_decision(application),
            key=f"membership:{application.pk}",
        )
    return member


def reject(application, by, reason):
    if not reason.strip():
        raise MembershipError(_("Give the applicant a reason for the rejection."))
    with transaction.atomic():
        application = _review(application, by)
        application.status, application.reason = Status.REJECTED, reason.strip()
        application.reviewed_by, application.reviewed_at = by, timezone.now()
        application.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        log(application, "club.application.reject", user=by, data={"reason": application.reason})
        tell(
            application.user,
            "account",
            reverse("club:join"),
            email=("club/email/rejected", {"application": application}),
            short=_decision(application),
            key=f"membership:{application.pk}",
        )
    return application


def why_not_enrol(record):
    """Why the desk may not enrol this person of the owner archive, or "" when it may: the same
    rule as online (an owner, co-owner or household member of a home now), once per person."""
    if Member.objects.filter(record=record).exists() or (
        record.user_id and Member.objects.filter(user_id=record.user_id).exists()
    ):
        return _("%(name)s is already a member of the club.") % {"name": record.name}
    homes = record.occupancies.filter(until__isnull=True, role__in=DESK_ROLES)
    if not homes.exists():
        return _(
            "The club is for owners and their households: %(name)s has no home as one in the "
            "owner archive."
        ) % {"name": record.name}
    return ""


#: The roles in a home that may join (the ownership claim's roles: tenants may not).
DESK_ROLES = ("owner", "co_owner", "family")


def enrol_at_desk(record, by, *, hobbies=(), dates=(), **preferences):
    """办理入会 at the desk for a person of the owner archive, account or not: a number, the
    lowest tier, the joining points and a card to print. Their account, when they have or make
    one, finds the membership through the record (club.signals)."""
    if not by.has_perm("club.review_membershipapplication"):
        raise PermissionDenied
    try:
        return _enrol(record, by, hobbies, dates, preferences)
    except IntegrityError as error:  # the same person approved online at the same moment
        raise MembershipError(why_not_enrol(record) or str(error)) from error


def _enrol(record, by, hobbies, dates, preferences):
    with transaction.atomic():
        record = OwnerRecord.objects.select_for_update().get(pk=record.pk)
        problem = why_not_enrol(record)
        if problem:
            raise MembershipError(problem)
        tier = Tier.objects.order_by("min_points").first()
        if tier is None:
            raise MembershipError(_("Set up the club's tiers before approving members."))
        member = Member.objects.create(
            user_id=record.user_id,
            record=record,
            number=f"desk-{record.pk}",
            tier=tier,
            **{field: preferences.get(field, True) for field in PREFERENCE_FIELDS[:3]},
        )
        member.number = f"JD{member.pk:08d}"
        member.save(update_fields=["number"])
        member.hobbies.set(hobbies)
        set_dates(member, dates)
        log(member, "club.member.enrol", user=by, data={"record": record.pk})
        points.award(member, "joining", key=f"joining:{member.pk}", by=by)
        card = cards.new_card(member, by=by)
        if record.user_id:
            tell(
                record.user,
                "account",
                reverse("club:home"),
                email=("club/email/welcome", {"member": member, "card": card}),
                key=f"membership:desk:{member.pk}",
            )
    return member


def attach_account(record):
    """A record has just found its account: a membership made at the desk becomes theirs on
    the site, and a membership made online knows its record. When both exist (they joined
    online meanwhile), both stay for staff to see."""
    if not record.user_id:
        return 0
    by_account = Member.objects.filter(user_id=record.user_id)
    by_record = Member.objects.filter(record=record)
    if not by_account.exists():
        return by_record.filter(user__isnull=True).update(user=record.user_id)
    if not by_record.exists():
        return by_account.filter(record__isnull=True).update(record=record)
    return 0


def _decision(application):
    """The short message of a decision on an application, in the providers' words."""
    with translation.override(settings.LANGUAGE_CODE):
        decision = str(application.get_status_display())
    url = reverse("club:home" if application.status == Status.APPROVED else "club:join")
    return "membership_reviewed", {"decision": decision, "url": site_link(url)}


PREFERENCE_FIELDS = ("publications", "event_news", "birthday_greeting", "other_hobbies")


def _parse(entry):
    return {**entry, "date": date.fromisoformat(entry["date"])}


def set_dates(member, dates):
    """Replace the member's important dates with `dates` (dicts of kind, label, date)."""
    member.dates.all().delete()
    for entry in dates:
        ImportantDate(
            member=member, kind=entry["kind"], label=entry.get("label", ""), date=entry["date"]
        ).save()


def update_record(member, *, hobbies, dates, **preferences):
    """The member's own edit of hobbies, important dates and news choices."""
    with transaction.atomic():
        for field, value in preferences.items():
            setattr(member, field, value)
        member.save(update_fields=list(preferences))
        member.hobbies.set(hobbies)
        set_dates(member, dates)


def suspend(member, by, reason):
    if not reason.strip():
        raise MembershipError(_("Give a reason for the suspension."))
    return _set_status(member, by, Member.Status.SUSPENDED, reason.strip())


def reinstate(member, by):
    return _set_status(member, by, Member.Status.ACTIVE, "")


def _set_status(member, by, status, reason):
    if not by.has_perm("club.change_member"):
        raise PermissionDenied
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.status == status:
            raise MembershipError(
                _("The member is already %(status)s.") % {"status": member.get_status_display()}
            )
        member.status, member.status_reason = status, reason
        member.save(update_fields=["status", "status_reason"])
        log(member, f"club.member.{status}", user=by, data={"reason": reason})
    return member
