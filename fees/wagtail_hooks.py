from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from fees.admin import FeesViewSetGroup
from fees.admin_views import (
    BankExportView,
    BankImportView,
    ImportReadingsView,
    ReadingSheetView,
    StartRunView,
)


@hooks.register("register_admin_urls")
def register_fees_urls():
    return [
        path("fees/read/", ReadingSheetView.as_view(), name="fees_read"),
        path("fees/read/import/", ImportReadingsView.as_view(), name="fees_import_readings"),
        path("fees/runs/new/", StartRunView.as_view(), name="fees_start_run"),
        path("fees/bank/export/", BankExportView.as_view(), name="fees_bank_export"),
        path("fees/bank/import/", BankImportView.as_view(), name="fees_bank_import"),
    ]


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
        ("fees.collection_call", _("Record a call about arrears"), _("Arrears call recorded")),
        ("fees.bank_exported", _("Export the direct debits"), _("Direct debits exported")),
        ("fees.bank_imported", _("Import the bank's results"), _("Bank results imported")),
    ):
        actions.register_action(action, label, message)
