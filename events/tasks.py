from celery import shared_task

from events import notices


@shared_task
def send_event_reminders():
    """Daily at ten: everyone confirmed for tomorrow's events is reminded, once."""
    return notices.send_reminders()
