from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cases import mailbox, rules
from cases.admin_panels import CasesPanel
from cases.admin_views import CasesViewSetGroup
from cases.models import Case
from portal import health

# Staff see at the top of every admin page when the complaint inbox has not been read for a while.
health.register_admin_warning(mailbox.admin_warning)


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return CasesViewSetGroup()


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    actions.register_action("cases.case.file", _("File case"), _("Case filed"))
    actions.register_action("cases.case.reply", _("Reply to the owner"), _("Replied to the owner"))
    actions.register_action(
        "cases.case.message", _("Add information"), _("The owner added information")
    )
    actions.register_action("cases.case.note", _("Add an internal note"), _("Internal note added"))
    actions.register_action(
        "cases.case.confirm", _("Confirm resolved"), _("The owner confirmed it is resolved")
    )
    actions.register_action("cases.case.transfer", _("Transfer case"), _("Case transferred"))
    actions.register_action(
        "cases.case.match", _("Match case to owner"), _("Case matched to owner")
    )
    actions.register_action(
        "cases.case.join", _("Add to the owner's case"), _("Added to the owner's case")
    )
    actions.register_action(
        "cases.quarantine.handled",
        _("Mark a quarantined email handled"),
        _("Quarantined email handled"),
    )
    for status, label in Case.Status.choices:
        actions.register_action(f"cases.case.{status}", label, label)


@hooks.register("construct_homepage_panels")
def add_cases_panel(request, panels):
    if rules.handles_cases(request.user):
        panels.append(CasesPanel())
