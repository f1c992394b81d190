"""The complaint mailbox's periodic work: overdue reminders, the inbox, the weekly summary and
the monthly report."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from cases import mailbox
from cases.casework import case_managers, escalate_overdue
from cases.privacy import anonymise_expired_cases as anonymise
from cases.report_files import PPTX, XLSX, Report, slides, workbook
from cases.reports import Period, figures
from portal.notifications import email_user
from portal.outbox import BULK


@shared_task
def escalate_overdue_cases():
    """Every quarter hour: overdue cases remind their first responder, then managers."""
    with transaction.atomic():
        return escalate_overdue()


@shared_task
def poll_case_inbox():
    """Every two minutes: new emails in the complaint inbox become cases or join theirs."""
    return mailbox.poll() if mailbox.configured() else 0


@shared_task
def send_monthly_case_report():
    """On the 1st: last month's report, by email, to everyone who manages cases, once. Returns
    how many emails this run wrote."""
    first = timezone.localdate().replace(day=1)
    last_month = first - timedelta(days=1)
    report = Report(last_month.year, last_month.month)
    period = f"{last_month.year}-{last_month.month:02d}"
    written, files = 0, {}
    for manager in case_managers():
        language = manager.language or settings.LANGUAGE_CODE
        if language not in files:  # the workbook and the deck in each reader's language
            with translation.override(language):
                files[language] = [
                    (report.filename("xlsx"), workbook(report), XLSX),
                    (report.filename("pptx"), slides(report), PPTX),
                ]
        # Once a month each, whatever runs this twice: the outbox key is the month and the person.
        written += bool(
            email_user(
                manager,
                "cases/email/case_report",
                {"f": report.figures},
                attachments=files[language],
                key=f"case-report:{period}:{manager.pk}",
                queue=BULK,
            )
        )
    return written


@shared_task
def send_weekly_case_summary():
    """Friday morning (每周五上午汇总项目数据并上报): the report week just ended, Friday to
    Thursday, by email to everyone who manages cases, with each first responder's figures, once
    each. Returns how many emails this run wrote."""
    week = Period(Period.WEEK, timezone.localdate() - timedelta(days=1))
    found = figures(week, by_agent=True)  # labels stay lazy: each email is in its reader's words
    written = 0
    for manager in case_managers():
        written += bool(
            email_user(
                manager,
                "cases/email/case_weekly",
                {"f": found},
                key=f"case-weekly:{week.first:%Y-%m-%d}:{manager.pk}",
                queue=BULK,
            )
        )
    return written


@shared_task
def anonymise_expired_cases():
    """Daily: closed accounts' cases older than CASE_RETENTION_DAYS after closure are
    anonymised, their files deleted."""
    return anonymise()
