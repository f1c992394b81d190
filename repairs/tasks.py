"""The repairs' periodic jobs (schedules in portal/settings/base.py)."""

from celery import shared_task
from django.db import transaction

from repairs.services import close_past_days
from repairs.workorders import chase_late_jobs


@shared_task
def chase_late_work_orders():
    """Every quarter hour: late jobs remind their technician and first responder, then
    managers."""
    with transaction.atomic():
        return chase_late_jobs()


@shared_task
def close_past_special_services():
    """After midnight: yesterday's special services are over, their unused passes void."""
    return close_past_days()
