from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from fees.admin import FeesViewSetGroup


@hooks.register("register_admin_viewset")
def register_fees_admin():
    return FeesViewSetGroup()


@hooks.register("register_log_actions")
def register_fees_log_actions(actions):
    for action, label, message in (
        ("fees.reading", _("Enter a meter reading"), _("Meter reading entered")),
        ("fees.reading_checked", _("Let a flagged reading stand"), _("Meter reading checked")),
        ("fees.readings_imported", _("Import meter readings"), _("Meter readings imported")),
        ("fees.run_started", _("Start a billing run"), _("Billing run started")),
        ("fees.run_confirmed", _("Confirm a billing run"), _("Bills issued")),
        ("fees.bill_adjusted", _("Adjust a bill"), _("Bill adjusted")),
        ("fees.payment", _("Record a payment"), _("Payment recorded")),
    ):
        actions.register_action(action, label, message)
