from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from owners.admin_panels import PendingClaimsPanel
from owners.archive_admin import RecordChooser, UnitChooser
from owners.models import UnitEvent
from owners.privacy_admin import PendingClosuresPanel
from owners.viewsets import OwnersViewSetGroup


@hooks.register("register_admin_viewset")
def register_owner_viewsets():
    return [OwnersViewSetGroup(), RecordChooser, UnitChooser]


@hooks.register("register_log_actions")
def register_owner_log_actions(actions):
    actions.register_action("owners.claim.submit", _("Claim unit"), _("Unit claimed"))
    actions.register_action("owners.claim.approve", _("Approve claim"), _("Claim approved"))
    actions.register_action("owners.claim.reject", _("Reject claim"), _("Claim rejected"))
    actions.register_action("owners.claim.revoke", _("Revoke claim"), _("Verification revoked"))
    actions.register_action("owners.units.import", _("Import units"), _("Units imported"))
    actions.register_action("owners.data.export", _("Ask for my data"), _("Data export requested"))
    actions.register_action(
        "owners.account.close_request", _("Ask to close account"), _("Account closure requested")
    )
    actions.register_action(
        "owners.account.close_withdraw", _("Withdraw closure request"), _("Closure withdrawn")
    )
    actions.register_action("owners.account.close", _("Close account"), _("Account closed"))
    actions.register_action("owners.consent.give", _("Give consent"), _("Consent given"))
    actions.register_action("owners.record.link", _("Link account"), _("Account linked"))
    actions.register_action("owners.record.visit", _("Record visit"), _("Visit recorded"))
    actions.register_action("owners.unit.slip", _("Upload signed slip"), _("Signed slip kept"))
    for kind, label in UnitEvent.Kind.choices:
        actions.register_action(f"owners.unit.{kind}", label, label)


@hooks.register("construct_homepage_panels")
def add_owner_panels(request, panels):
    if request.user.has_perm("owners.review_ownershipclaim"):
        panels.append(PendingClaimsPanel())
    if request.user.has_perm("owners.close_account"):
        panels.append(PendingClosuresPanel())
