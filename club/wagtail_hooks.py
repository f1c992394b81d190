from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from club.admin_panels import ClubDeskPanel
from club.models import SurveyPage
from club.viewsets import ClubViewSetGroup
from portal.exports import SafeSubmissionsListView

# Survey answers are owners' own words: their export is made safe like every admin list's.
# Wagtail asks the page for this class; the admin sets it here so the model imports no view.
SurveyPage.submissions_list_view_class = SafeSubmissionsListView


@hooks.register("register_admin_viewset")
def register_club_viewsets():
    return ClubViewSetGroup()


@hooks.register("filter_form_submissions_for_user")
def survey_answers_for_club_staff_only(user, editable_forms):
    """Survey answers name the members who gave them: club staff and managers see every
    survey's answers, whatever their page permissions; nobody else sees any, even those who
    may edit the survey page (editors)."""
    if user.has_perm("club.view_surveyanswer"):
        surveys = Page.objects.type(SurveyPage).values("pk")
        return Page.objects.filter(Q(pk__in=editable_forms.values("pk")) | Q(pk__in=surveys))
    return editable_forms.not_type(SurveyPage)


@hooks.register("construct_homepage_panels")
def add_club_panel(request, panels):
    if request.user.has_perm("club.view_membershipapplication"):
        panels.append(ClubDeskPanel())


@hooks.register("register_log_actions")
def register_club_log_actions(actions):
    for action, label, message in (
        ("club.application.submit", _("Apply to join the club"), _("Applied to join the club")),
        ("club.application.approve", _("Approve application"), _("Application approved")),
        ("club.application.reject", _("Reject application"), _("Application rejected")),
        ("club.card.issue", _("Issue card"), _("Card issued")),
        ("club.card.lost", _("Report card lost"), _("Card reported lost")),
        ("club.card.replaced", _("Replace card"), _("Card replaced")),
        ("club.card.revoked", _("Revoke card"), _("Card revoked")),
        ("club.member.suspended", _("Suspend member"), _("Member suspended")),
        ("club.member.active", _("Reinstate member"), _("Member reinstated")),
        ("club.member.enrol", _("Enrol at the desk"), _("Enrolled at the desk")),
        ("club.redemption.fulfil", _("Hand over reward"), _("Reward handed over")),
        ("club.redemption.cancel", _("Cancel redemption"), _("Redemption cancelled")),
        ("club.referral.confirmed", _("Confirm referral"), _("Referral confirmed")),
        ("club.referral.rejected", _("Reject referral"), _("Referral not confirmed")),
    ):
        actions.register_action(action, label, message)
