"""The club's daily work, run by Celery beat (schedules in portal/settings/base.py)."""

from celery import shared_task

from club import points, reminders


@shared_task
def expire_points():
    """Daily, after midnight: points past their expiry leave the balances, oldest first."""
    return points.expire_points()


@shared_task
def recalculate_tiers():
    """Daily, after expiry: tiers follow the points earned in the tier period."""
    return points.recalculate_tiers()


@shared_task
def greet_birthdays():
    """Daily at nine: birthday points and, for those who want one, a greeting."""
    return reminders.greet_birthdays()


@shared_task
def send_dates_digest():
    """Mondays: the coming week's members' birthdays and anniversaries, to club staff."""
    return reminders.send_dates_digest()
