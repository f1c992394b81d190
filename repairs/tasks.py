"""The repairs' periodic jobs (schedules in portal/settings/base.py)."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from cases.casework import case_managers
from portal.notifications import email_user
from portal.outbox import BULK
from repairs import reports
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


@shared_task
def send_monthly_repair_report():
    """On the 1st: last month's repairs figures, by email, to everyone who manages cases, once
    each (the outbox key is the month and the person). Returns how many emails were written."""
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    figures = reports.monthly_figures(last_month.year, last_month.month)
    context = {"f": figures, "rows": reports.summary_rows(figures)}
    period = f"{last_month:%Y-%m}"
    return sum(
        bool(
            email_user(
                manager,
                "repairs/email/repair_report",
                context,
                key=f"repair-report:{period}:{manager.pk}",
                queue=BULK,
            )
        )
        for manager in case_managers()
    )
