"""The days members told the club about: birthday greetings and the staff's weekly list."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from club import points
from club.models import ImportantDate, Member
from portal.notifications import EmailList, email_user, tell, unsubscribe_headers
from portal.outbox import BULK


def month_days_ahead(days, today=None):
    """The MMDD numbers of today and the next `days` days, in calendar order across New Year."""
    today = today or timezone.localdate()
    days_ahead = [today + timedelta(n) for n in range(days + 1)]
    month_days = [d.month * 100 + d.day for d in days_ahead]
    for d in days_ahead:  # 29 February birthdays are kept on the 28th in common years
        if (d.month, d.day) == (2, 28) and not _is_leap(d.year):
            month_days.insert(month_days.index(228) + 1, 229)
    return month_days


#: Birthday greetings, stopped from a link in one (club.views.stop_birthday_greetings).
BIRTHDAY_GREETINGS = EmailList("birthday", "club:stop_birthday_greetings")


def greet_birthdays(today=None):
    """Daily: members whose birthday is today get their birthday points, and a greeting if they
    asked for one. Once a year each: the points by their key, the email by a conditional update
    of the year last greeted, so a second run (or a retry) sends nothing twice."""
    today = today or timezone.localdate()
    month_days = [today.month * 100 + today.day]
    if (today.month, today.day) == (2, 28) and not _is_leap(today.year):
        month_days.append(229)  # born on 29 February: greeted on the 28th in common years
    birthdays = (
        Member.objects.active()
        .filter(
            dates__kind=ImportantDate.Kind.BIRTHDAY,
            dates__month_day__in=month_days,
        )
        .select_related("user", "tier")
    )
    greeted = 0
    for member in birthdays:
        points.award(member, "birthday", key=f"birthday:{member.pk}:{today.year}")
        with transaction.atomic():  # the year greeted and the greeting, together
            first_today = Member.objects.filter(pk=member.pk, greeted_year__lt=today.year).update(
                greeted_year=today.year
            )
            if first_today and member.birthday_greeting and member.user_id:
                stop = BIRTHDAY_GREETINGS.url(member.user)
                greeted += bool(
                    tell(
                        member.user,
                        "club",
                        reverse("club:home"),
                        email=("club/email/birthday", {"member": member, "unsubscribe_url": stop}),
                        short="club_news",
                        headers=unsubscribe_headers(stop),
                        key=f"birthday:{today.year}:{member.pk}",
                        queue=BULK,
                    )
                )
    return greeted


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def upcoming_dates(days=7, today=None):
    """Members' important dates in the coming `days` days, soonest first."""
    today = today or timezone.localdate()
    ahead = month_days_ahead(days, today)
    entries = ImportantDate.objects.filter(
        month_day__in=ahead, member__in=Member.objects.active()
    ).select_related("member__user", "member__record", "member__tier")
    # Sort by how far ahead the day is, so late December comes before early January.
    order = {month_day: position for position, month_day in enumerate(ahead)}
    return sorted(entries, key=lambda entry: order.get(entry.month_day, 0))


def club_staff():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename="view_member",
                groups__permissions__content_type__app_label="club",
            )
            | Q(is_superuser=True)
        )
        .distinct()
    )


def send_dates_digest(today=None):
    """Weekly: club staff get the coming week's birthdays and anniversaries to plan for; once a
    week each (the outbox key is the week and the person), and not at all in a week without
    any. Returns how many emails this run wrote."""
    today = today or timezone.localdate()
    entries = upcoming_dates(7, today)
    if not entries:
        return 0  # never an empty digest
    year, week, _day = today.isocalendar()
    written = 0
    for person in club_staff():
        written += bool(
            email_user(
                person,
                "club/email/dates_digest",
                {"entries": entries, "today": today},
                key=f"club-dates:{year}-W{week:02d}:{person.pk}",
                queue=BULK,
            )
        )
    return written
