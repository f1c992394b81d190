"""The events' Celery tasks. `tell_registrants` is defined beside the rule that queues it
(events.notices); importing it here registers it with the worker."""

from celery import shared_task

from events import notices
from events.notices import tell_registrants

__all__ = ["send_event_reminders", "tell_registrants"]


@shared_task
def send_event_reminders():
    """Daily at ten: everyone confirmed for tomorrow's events is reminded, once."""
    return notices.send_reminders()
