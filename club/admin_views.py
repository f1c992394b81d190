"""Club screens in the admin beyond plain listings: review, the member record with its
actions, the card check and the print sheet. Rules live in the club's rules modules."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from club import cards, membership, points, referrals
from club import rewards as reward_rules
from club.admin_forms import CardLookupForm, CardSheetForm, MemberActionForm, ReasonForm
from club.models import (
    Hobby,
    Member,
    MemberCard,
    MembershipApplication,
    Redemption,
    Referral,
    SurveyAnswer,
    SurveyPage,
)
from owners.archive_admin import RecordChooser
from owners.models import OwnerRecord, OwnershipClaim
from portal.actions import Refused
from portal.admin_actions import ActionsInspectView


class ApplicationReviewView(ActionsInspectView):
    page_title = gettext_lazy("Review")
    action_form_class = ReasonForm
    template_name = "club/admin/application_review.html"

    def approve(self, data):
        member = membership.approve(self.object, self.request.user)
        return _("%(name)s is member %(number)s; the card is issued and the owner emailed.") % {
            "name": member.user.display_name,
            "number": member.number,
        }

    def reject(self, data):
        membership.reject(self.object, self.request.user, data["reason"])
        return _("Application rejected; the owner has been emailed.")

    actions = {
        "approve": (lambda view, data: view.approve(data), membership.MembershipError),
        "reject": (lambda view, data: view.reject(data), membership.MembershipError),
    }

    def get_object(self, queryset=None):
        applications = MembershipApplication.objects.select_related("user", "reviewed_by")
        return get_object_or_404(applications, pk=self.pk)

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            application=application,
            hobbies=application.hobbies.all(),
            units=OwnershipClaim.objects.filter(
                owner=application.user, status=OwnershipClaim.Status.APPROVED
            ).select_related("unit__estate"),
            can_review=self.request.user.has_perm("club.review_membershipapplication"),
        )
        return context


def _adjust(view, data):
    if not data["points"]:
        raise points.PointsError(_("Enter the number of points to add or deduct."))
    entry, created = points.adjust(
        view.object,
        data["points"],
        reason=data["reason"],
        by=view.request.user,
        key=f"adjustment:{data['key']}",
    )
    if not created:
        return _("This adjustment was already recorded; nothing was added again.")
    return _("%(points)+d points for %(member)s.") % {
        "points": data["points"],
        "member": view.object,
    }


def _issue(view, data):
    card = cards.issue_card(view.object, by=view.request.user)
    return _("Card %(number)s issued.") % {"number": card.formatted_number}


def _replace(view, data):
    card = cards.replace_card(view.object, by=view.request.user, reason=data["reason"])
    return _("The old card is ended; card %(number)s issued.") % {"number": card.formatted_number}


def _revoke(view, data):
    card = view.object.cards.filter(status=MemberCard.Status.ACTIVE).first()
    if card is None:
        raise cards.CardError(_("The member has no active card."))
    cards.revoke_card(card, by=view.request.user, reason=data["reason"])
    return _("Card %(number)s revoked.") % {"number": card.formatted_number}


def _suspend(view, data):
    membership.suspend(view.object, view.request.user, data["reason"])
    return _("%(member)s is suspended.") % {"member": view.object}


def _reinstate(view, data):
    membership.reinstate(view.object, view.request.user)
    return _("%(member)s is active again.") % {"member": view.object}


MEMBER_ERRORS = Refused  # points, cards and membership refusals alike


class MemberScreen(ActionsInspectView):
    """Everything about a member, with the actions club staff take on the record."""

    page_title = gettext_lazy("Member")
    action_form_class = MemberActionForm
    template_name = "club/admin/member_screen.html"
    actions = {
        name: (function, MEMBER_ERRORS)
        for name, function in {
            "adjust": _adjust,
            "issue_card": _issue,
            "replace_card": _replace,
            "revoke_card": _revoke,
            "suspend": _suspend,
            "reinstate": _reinstate,
        }.items()
    }
    ledger_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            Member.objects.select_related("user", "tier", "record"), pk=self.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member, user = self.object, self.request.user
        context.update(
            member=member,
            cards=member.cards.select_related("issued_by"),
            entries=member.points.select_related("created_by")[:20],
            ledger_url=reverse(self.ledger_url_name) + f"?member={member.pk}",
            dates=member.dates.all(),
            hobbies=member.hobbies.all(),
            units=OwnershipClaim.objects.filter(
                owner=member.user, status=OwnershipClaim.Status.APPROVED
            ).select_related("unit__estate")
            if member.user_id
            else [],
            redemptions=member.redemptions.select_related("reward")[:10],
            # 维护会员活动纪录: every event they signed up for, newest first.
            registrations=member.user.event_registrations.select_related("event").order_by(
                "-event__starts_at"
            )[:50]
            if member.user_id
            else [],
            may_adjust=user.has_perm("club.adjust_points"),
            may_issue=cards.can_manage_cards(user),
            may_change=user.has_perm("club.change_member"),
        )
        context["has_active_card"] = any(card.is_active for card in context["cards"])
        return context


class RedemptionScreen(ActionsInspectView):
    page_title = gettext_lazy("Redemption")
    action_form_class = ReasonForm
    template_name = "club/admin/redemption_screen.html"
    actions = {
        "fulfil": (
            lambda view, data: (
                reward_rules.fulfil(view.object, view.request.user) and _("Marked as handed over.")
            ),
            reward_rules.RedemptionError,
        ),
        "cancel": (
            lambda view, data: (
                reward_rules.cancel(view.object, view.request.user, data["reason"])
                and _("Cancelled; the points are back with the member.")
            ),
            reward_rules.RedemptionError,
        ),
    }

    def get_object(self, queryset=None):
        redemptions = Redemption.objects.select_related("member__user", "reward", "handled_by")
        return get_object_or_404(redemptions, pk=self.pk)

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            redemption=self.object,
            may_handle=self.request.user.has_perm("club.handle_redemption"),
        )
        return context


class ReferralScreen(ActionsInspectView):
    page_title = gettext_lazy("Referral")
    action_form_class = ReasonForm
    template_name = "club/admin/referral_screen.html"
    actions = {
        "confirm": (
            lambda view, data: (
                referrals.confirm(view.object, view.request.user)
                and _("Confirmed; the referral points are awarded.")
            ),
            referrals.ReferralError,
        ),
        "reject": (
            lambda view, data: (
                referrals.reject(view.object, view.request.user, data["reason"])
                and _("Marked as not confirmed; the member has been emailed.")
            ),
            referrals.ReferralError,
        ),
    }

    def get_object(self, queryset=None):
        return get_object_or_404(Referral.objects.select_related("member__user"), pk=self.pk)

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            referral=self.object, may_review=self.request.user.has_perm("club.change_referral")
        )
        return context


class StaffFormView(WagtailAdminTemplateMixin, FormView):
    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class DeskEnrolForm(forms.Form):
    record = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=OwnerRecord.objects.all(),
        help_text=gettext_lazy("From the owner archive: an owner or a household member."),
    )
    hobbies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Hobbies"),
        queryset=Hobby.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    birthday = forms.DateField(
        label=gettext_lazy("Birthday"), required=False, widget=AdminDateInput
    )
    publications = forms.BooleanField(
        label=gettext_lazy("Send them the club magazine and news"), required=False, initial=True
    )
    event_news = forms.BooleanField(
        label=gettext_lazy("Tell them about club events"), required=False, initial=True
    )
    birthday_greeting = forms.BooleanField(
        label=gettext_lazy("Send a birthday greeting"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].widget = RecordChooser.widget_class()


class DeskEnrolView(StaffFormView):
    """办理入会 at the club desk for someone in the owner archive, with or without an account:
    the same eligibility as online, a card to print at once."""

    form_class = DeskEnrolForm
    template_name = "club/admin/desk_enrol.html"
    page_title = gettext_lazy("Enrol at the desk")
    header_icon = "group"
    permission = "club.review_membershipapplication"
    member_url_name = None

    def get_initial(self):
        return {"record": self.request.GET.get("record")}

    def form_valid(self, form):
        data = form.cleaned_data
        dates = [{"kind": "birthday", "label": "", "date": data["birthday"]}] * bool(
            data["birthday"]
        )
        try:
            member = membership.enrol_at_desk(
                data["record"],
                self.request.user,
                hobbies=data["hobbies"],
                dates=dates,
                publications=data["publications"],
                event_news=data["event_news"],
                birthday_greeting=data["birthday_greeting"],
            )
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is member %(number)s; print the card under Member cards → Print cards.")
            % {"name": member.holder_name, "number": member.number},
        )
        return redirect(reverse(self.member_url_name, args=[member.pk]))


class CardCheckView(StaffFormView):
    """At the club desk or an event: scan a card (or type its number) and see whose it is and
    whether it may be used. A handheld scanner types the code and presses Enter; on phones
    whose browser can read QR codes, the camera button does the same."""

    form_class = CardLookupForm
    template_name = "club/admin/card_check.html"
    page_title = gettext_lazy("Check a card")
    header_icon = "search"
    permission = "club.view_membercard"
    member_url_name = None

    def get_form_kwargs(self):
        # A GET with ?code= (a scanner's URL, a bookmark) checks at once, like a POST.
        kwargs = super().get_form_kwargs()
        if "code" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound:
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        card, problem = cards.find_card(form.cleaned_data["code"])
        context = {"form": CardLookupForm(), "card": card, "problem": problem}
        if card:
            context.update(
                warning=cards.card_problem(card),
                member_url=reverse(self.member_url_name, args=[card.member_id]),
                current=card.member.cards.filter(status=MemberCard.Status.ACTIVE).first()
                if not card.is_active
                else None,
            )
        return self.render_to_response(self.get_context_data(**context))


class CardSheetView(StaffFormView):
    """A4 sheets of the cards issued in a period, ten to a page, ready to print."""

    form_class = CardSheetForm
    template_name = "club/admin/card_sheet.html"
    page_title = gettext_lazy("Print cards")
    header_icon = "doc-full"
    permission = "club.issue_card"

    def form_valid(self, form):
        batch = form.cards()
        if not batch:
            form.add_error(None, _("No active cards were issued in these days."))
            return self.form_invalid(form)
        data = form.cleaned_data
        response = HttpResponse(cards.cards_pdf(batch), content_type="application/pdf")
        name = f"member-cards-{data['issued_from']:%Y%m%d}-{data['issued_to']:%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RewardDeleteView(DeleteView):
    """A reward members have redeemed stays, for their records: take it off the catalogue."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.redemptions.exists():
            messages.error(
                request,
                _(
                    "Members have redeemed %(reward)s, so it stays in their records. Untick "
                    "“shown to members” to take it off the catalogue."
                )
                % {"reward": self.object.name},
            )
            return redirect(reverse(self.index_url_name))
        return super().dispatch(request, *args, **kwargs)


class SurveyAnswersView(WagtailAdminTemplateMixin, TemplateView):
    """问卷答卷: the club's surveys with their answer counts, each opening Wagtail's submissions
    list (with its spreadsheet export). Answers name the members who gave them, so only club
    staff and managers see them (club.wagtail_hooks hides them everywhere else)."""

    template_name = "club/admin/survey_answers.html"
    page_title = gettext_lazy("Survey answers")
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("club.view_surveyanswer"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        answers = SurveyAnswer.objects.filter(page=OuterRef("pk")).order_by().values("page")
        surveys = SurveyPage.objects.annotate(
            answer_count=Coalesce(Subquery(answers.annotate(n=Count("pk")).values("n")), 0)
        ).order_by("-first_published_at", "title")
        return {**super().get_context_data(**kwargs), "surveys": surveys}
