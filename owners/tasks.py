"""Owners' periodic work: "my data" ZIPs expire, closure requests are carried out. The export
itself is a task defined beside the rule that queues it (owners.privacy.build_data_export)."""

from celery import shared_task

from owners.privacy import build_data_export, carry_out_due_closures, expire_exports

__all__ = ["build_data_export", "expire_data_exports", "carry_out_closures"]


@shared_task
def expire_data_exports():
    """Hourly: "my data" ZIPs past their DATA_EXPORT_DAYS are deleted."""
    return expire_exports()


@shared_task
def carry_out_closures():
    """Daily: closure requests waiting ACCOUNT_CLOSURE_DAYS are carried out."""
    return carry_out_due_closures()
