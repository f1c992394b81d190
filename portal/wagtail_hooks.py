from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.admin_panels import CasesPanel, PendingClaimsPanel
from portal.case_admin import CasesViewSetGroup
from portal.models import Case
from portal.viewsets import OwnersViewSetGroup


@hooks.register("register_admin_viewset")
def register_owner_viewsets():
    return OwnersViewSetGroup()


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CasesViewSetGroup()


@hooks.register("register_log_actions")
def register_owner_log_actions(actions):
    actions.register_action("portal.claim.submit", _("Claim unit"), _("Unit claimed"))
    actions.register_action("portal.claim.approve", _("Approve claim"), _("Claim approved"))
    actions.register_action("portal.claim.reject", _("Reject claim"), _("Claim rejected"))
    actions.register_action("portal.claim.revoke", _("Revoke claim"), _("Verification revoked"))
    actions.register_action("portal.units.import", _("Import units"), _("Units imported"))
    actions.register_action("portal.case.file", _("File case"), _("Case filed"))
    actions.register_action("portal.case.reply", _("Reply to the owner"), _("Replied to the owner"))
    actions.register_action("portal.case.transfer", _("Transfer case"), _("Case transferred"))
    actions.register_action(
        "portal.case.match", _("Match case to owner"), _("Case matched to owner")
    )
    actions.register_action("portal.consent.give", _("Give consent"), _("Consent given"))
    for status, label in Case.Status.choices:
        actions.register_action(f"portal.case.{status}", label, label)


@hooks.register("construct_homepage_panels")
def add_owner_panels(request, panels):
    if request.user.has_perm("portal.handle_case"):
        panels.append(CasesPanel())
    if request.user.has_perm("portal.review_ownershipclaim"):
        panels.append(PendingClaimsPanel())
