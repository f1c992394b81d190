"""What the club holds about an owner: membership, cards, points, rewards, referrals, events and
surveys. Put into their "my data" export, and erased or kept when the account is closed
(owners.privacy): the points ledger and redemptions stay as the accounting record."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from club import cards
from club.models import (
    Member,
    MemberCard,
    MembershipApplication,
    PointsEntry,
    Redemption,
    Referral,
    SurveyAnswer,
    SurveyPage,
)
from owners import privacy
from portal.phones import masked


def mask_name(name):
    """王** : enough for the member to recognise the buyer, nothing more."""
    return f"{name[:1]}**" if name else ""


class ClubPart(privacy.Part):
    labels = {
        "cards_revoked": gettext_lazy("member cards revoked"),
        "important_dates": gettext_lazy("important dates erased"),
        "hobbies": gettext_lazy("hobbies erased"),
        "applications": gettext_lazy("membership applications erased"),
        "survey_answers": gettext_lazy("survey answers deleted"),
        "referrals": gettext_lazy("referrals kept with the buyer's name and number masked"),
        "points_entries_kept": gettext_lazy("points ledger entries kept (accounting record)"),
        "redemptions_kept": gettext_lazy("redemptions kept (accounting record)"),
    }

    # -- export

    def export(self, user, out):
        member = (
            Member.objects.filter(user=user)
            .select_related("tier")
            .prefetch_related("hobbies", "dates")
            .first()
        )
        applications = (
            MembershipApplication.objects.filter(user=user)
            .prefetch_related("hobbies")
            .order_by("created_at")
        )
        out.json(
            "club/membership.json",
            {
                "member": _member(member) if member else None,
                "applications": [
                    {
                        "submitted": a.created_at,
                        "status": a.get_status_display(),
                        "reason": a.reason,
                        "hobbies": [h.name for h in a.hobbies.all()],
                        "other_hobbies": a.other_hobbies,
                        "important_dates": a.important_dates,
                        "agreed_to_the_club_rules": a.agreed_to_rules_at,
                    }
                    for a in applications
                ],
            },
            gettext_lazy(
                "Your club membership: number, tier, points balance, hobbies, important dates, "
                "the news you asked for, and your applications to join."
            ),
        )
        if member:
            self._export_member(member, out)
        answers = list(SurveyAnswer.objects.filter(user=user).order_by("submit_time"))
        surveys = {
            page.pk: page
            for page in SurveyPage.objects.filter(
                pk__in=[a.page_id for a in answers]
            ).prefetch_related("form_fields")
        }
        records = []
        for answer in answers:
            survey = surveys.get(answer.page_id)
            labels = {f.clean_name: f.label for f in survey.form_fields.all()} if survey else {}
            records.append(
                {
                    "survey": survey.title if survey else "",
                    "answered": answer.submit_time,
                    "answers": {labels.get(k, k): v for k, v in answer.form_data.items()},
                }
            )
        out.json(
            "club/survey_answers.json",
            records,
            gettext_lazy("Your answers to club surveys."),
        )

    def _export_member(self, member, out):
        out.csv(
            "club/cards.csv",
            [_("Card number"), _("Status"), _("Issued"), _("Ended"), _("Reason")],
            MemberCard.objects.filter(member=member)
            .order_by("issued_at")
            .values_list("number", "status", "issued_at", "ended_at", "end_reason"),
            gettext_lazy("Your member cards."),
        )
        out.csv(
            "club/points.csv",
            [_("When"), _("Points"), _("Balance after"), _("Kind"), _("Reason"), _("Expires")],
            [
                (
                    e.created_at,
                    e.delta,
                    e.balance_after,
                    e.get_kind_display(),
                    mask_name(e.reason) if e.kind == PointsEntry.Kind.REFERRAL else e.reason,
                    e.expires_at,
                )
                for e in PointsEntry.objects.filter(member=member).order_by("created_at", "pk")
            ],
            gettext_lazy("Your points ledger: every point earned, spent and expired."),
        )
        out.csv(
            "club/redemptions.csv",
            [_("Reward"), _("Points"), _("Status"), _("Reason"), _("Redeemed"), _("Handled")],
            [
                (
                    r.reward.name,
                    r.points,
                    r.get_status_display(),
                    r.reason,
                    r.created_at,
                    r.handled_at,
                )
                for r in Redemption.objects.filter(member=member)
                .select_related("reward")
                .order_by("created_at")
            ],
            gettext_lazy("Rewards you redeemed."),
        )
        out.csv(
            "club/referrals.csv",
            [
                _("Buyer"),
                _("Buyer's mobile number"),
                _("Development of interest"),
                _("Status"),
                _("Reason"),
                _("Submitted"),
            ],
            [
                # The buyer is someone else: masked, as anywhere else they are shown.
                (
                    mask_name(r.buyer_name),
                    masked(r.buyer_mobile),
                    r.development,
                    r.get_status_display(),
                    r.reason,
                    r.created_at,
                )
                for r in Referral.objects.filter(member=member).order_by("created_at")
            ],
            gettext_lazy("Buyers you introduced (their names and numbers masked)."),
        )

    # -- closure

    def summary(self, user):
        member = Member.objects.filter(user=user).first()
        rows = []
        if member:
            rows += [
                (_("Points balance"), member.points_balance),
                (
                    _("Redemptions waiting to be handed over"),
                    member.redemptions.filter(status=Redemption.Status.REQUESTED).count(),
                ),
            ]
        return rows

    def erase(self, user, closure, by):
        now = timezone.now()
        reason = _("The account was closed.")
        counts = {
            "survey_answers": SurveyAnswer.objects.filter(user=user).delete()[0],
        }

        applications = MembershipApplication.objects.filter(user=user)
        applications.filter(status=MembershipApplication.Status.PENDING).update(
            status=MembershipApplication.Status.REJECTED,
            reason=reason,
            reviewed_at=now,
            reviewed_by=by,
        )
        MembershipApplication.hobbies.through.objects.filter(
            membershipapplication__user=user
        ).delete()
        counts["applications"] = applications.update(important_dates=[], other_hobbies="")

        member = Member.objects.filter(user=user).first()
        if member:
            card = member.cards.filter(status=MemberCard.Status.ACTIVE).first()
            if card:
                try:
                    cards.end_card(card, by=by, reason=reason)
                except cards.CardError as error:
                    raise privacy.PrivacyError(str(error)) from error
            counts["cards_revoked"] = 1 if card else 0
            counts["important_dates"] = member.dates.all().delete()[0]
            counts["hobbies"] = Member.hobbies.through.objects.filter(member=member).delete()[0]
            # The member row stays: the points ledger and redemptions point to it.
            Member.objects.filter(pk=member.pk).update(
                status=Member.Status.SUSPENDED,
                status_reason=reason,
                # The desk's record of the person is not the closed account's: unlinked, it
                # may join again at the desk.
                record=None,
                publications=False,
                event_news=False,
                birthday_greeting=False,
                other_hobbies="",
            )
            counts["referrals"] = _mask_referrals(member, reason, by, now)
            counts["points_entries_kept"] = member.points.count()
            counts["redemptions_kept"] = member.redemptions.count()
        return counts

    def named_in_log(self, user):
        return [
            *MembershipApplication.objects.filter(user=user).select_related("user"),
            *Member.objects.filter(user=user).select_related("user"),
            *Referral.objects.filter(member__user=user).select_related("member"),
            # "保温杯 · 0001 王建国": staff's fulfil and cancel entries carry the member's name.
            *Redemption.objects.filter(member__user=user).select_related("reward", "member__user"),
        ]


def _member(member):
    return {
        "number": member.number,
        "tier": member.tier.name,
        "status": member.get_status_display(),
        "joined": member.joined_at,
        "points_balance": member.points_balance,
        "points_earned_in_tier_period": member.tier_points,
        "hobbies": [h.name for h in member.hobbies.all()],
        "other_hobbies": member.other_hobbies,
        "important_dates": [
            {"kind": d.get_kind_display(), "label": d.label, "date": d.date}
            for d in member.dates.all()
        ],
        "club_publications": member.publications,
        "event_news": member.event_news,
        "birthday_greeting": member.birthday_greeting,
    }


def _mask_referrals(member, reason, by, now):
    """The referral rows stay (points were paid on them), with the buyer masked. Pending ones
    are closed first: nobody will confirm them now."""
    member.referrals.filter(status=Referral.Status.PENDING).update(
        status=Referral.Status.REJECTED, reason=reason, reviewed_by=by, reviewed_at=now
    )
    taken = set()
    referrals = list(member.referrals.all())
    for referral in referrals:
        mobile = masked(referral.buyer_mobile)
        if referral.status != Referral.Status.REJECTED:
            # Live referrals are unique per masked number too (a database constraint).
            if mobile in taken:
                mobile = f"#{referral.pk}"[:11]
            taken.add(mobile)
        referral.buyer_name, referral.buyer_mobile, referral.note = (
            mask_name(referral.buyer_name),
            mobile,
            "",
        )
    Referral.objects.bulk_update(referrals, ["buyer_name", "buyer_mobile", "note"])
    return len(referrals)


privacy.register(ClubPart())
