from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.admin_panels import CasesPanel, PendingClaimsPanel
from portal.case_admin import CasesViewSetGroup
from portal.models import Case
from portal.privacy_admin import PendingClosuresPanel
from portal.signin_views import SignInSettingsPanel
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
    actions.register_action("portal.data.export", _("Ask for my data"), _("Data export requested"))
    actions.register_action(
        "portal.account.close_request", _("Ask to close account"), _("Account closure requested")
    )
    actions.register_action(
        "portal.account.close_withdraw", _("Withdraw closure request"), _("Closure withdrawn")
    )
    actions.register_action("portal.account.close", _("Close account"), _("Account closed"))
    actions.register_action("portal.consent.give", _("Give consent"), _("Consent given"))
    for status, label in Case.Status.choices:
        actions.register_action(f"portal.case.{status}", label, label)
    actions.register_action(
        "portal.two_step.on", _("Turn on two-step verification"), _("Two-step verification on")
    )
    actions.register_action(
        "portal.two_step.off", _("Turn off two-step verification"), _("Two-step verification off")
    )
    actions.register_action(
        "portal.two_step.codes", _("Generate new recovery codes"), _("New recovery codes")
    )


@hooks.register("construct_homepage_panels")
def add_owner_panels(request, panels):
    if request.user.has_perm("portal.handle_case"):
        panels.append(CasesPanel())
    if request.user.has_perm("portal.review_ownershipclaim"):
        panels.append(PendingClaimsPanel())
    if request.user.has_perm("portal.close_account"):
        panels.append(PendingClosuresPanel())


@hooks.register("register_account_settings_panel")
def add_sign_in_settings_panel(request, user, profile):
    return SignInSettingsPanel(request, user, profile)
