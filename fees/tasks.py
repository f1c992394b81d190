"""The fee desk's jobs, so the worker registers them: the owners told of a month's bills
(`tell_issued`, through the outbox) and the morning's reminders (`remind_overdue`, scheduled in
portal/settings/base.py)."""

from fees.reminders import remind_overdue, tell_issued

__all__ = ["remind_overdue", "tell_issued"]
