"""The fee desk's jobs, so the worker registers them: the owners told of a month's bills
(`tell_issued`) and of money received (`tell_paid`), through the outbox, the morning's reminders (`remind_overdue`) and the
managers' report on the 1st (`send_monthly_fee_report`), scheduled in portal/settings/base.py."""

from fees.reminders import remind_overdue, tell_issued, tell_paid
from fees.reports import send_monthly_fee_report

__all__ = ["remind_overdue", "send_monthly_fee_report", "tell_issued", "tell_paid"]
