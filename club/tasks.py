from celery import shared_task


@shared_task
def expire_points():
    """Daily, after midnight: points past their expiry leave the balances, oldest first."""
    from club.points import expire_points

    return expire_points()


@shared_task
def recalculate_tiers():
    """Daily, after expiry: tiers follow the points earned in the last 12 months."""
    from club.points import recalculate_tiers

    return recalculate_tiers()


@shared_task
def greet_birthdays():
    """Daily at nine: birthday points and, for those who want one, a greeting."""
    from club.reminders import greet_birthdays

    return greet_birthdays()


@shared_task
def send_dates_digest():
    """Mondays: the coming week's members' birthdays and anniversaries, to club staff."""
    from club.reminders import send_dates_digest

    return send_dates_digest()


@shared_task
def send_event_reminders():
    """Daily at ten: everyone confirmed for tomorrow's events is reminded, once."""
    from club.events import send_reminders

    return send_reminders()
