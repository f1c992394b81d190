"""The events' Celery tasks. `tell_registrants` and `email_registrant` are defined beside the
rules that queue them (events.notices, events.signup); importing them here registers them with
the worker."""

from celery import shared_task

from events import notices
from events.notices import tell_registrants
from events.signup import email_registrant

__all__ = ["email_registrant", "send_event_reminders", "tell_registrants"]


@shared_task
def send_event_reminders():
    """Daily at ten: everyone confirmed for tomorrow's events is reminded, once."""
    return notices.send_reminders()
