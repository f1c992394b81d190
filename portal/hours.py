"""Deadlines in service hours: `Calendar().due(start, hours)` is the moment `hours` of the
desk's open time (portal.models.ServiceHours, in the site's zone) have passed after `start`. A case filed
at 23:00 with two hours to a first answer is due at 10:30 the next morning, and one filed the
day before the Spring Festival closure is due after it.

Written here rather than taken from a library: the business-hours packages on PyPI count
weekdays and national holidays, while the desk opens every day and closes on the days its staff
list, which is a dozen lines."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from portal import memo, pagecache
from portal.models import ServiceHours

#: A calendar closed for longer than this has been set up wrongly: deadlines then count plain
#: hours rather than search for an opening that may never come.
LOOK_AHEAD_DAYS = 366


class Calendar:
    """The desk's hours and closed days, read once (two queries) for any number of deadlines."""

    def __init__(self):
        hours = ServiceHours.load()
        self.opens_at, self.closes_at = hours.opens_at, hours.closes_at
        self.closed = [(c.first_day, c.last_day) for c in hours.closures.all()]

    def is_closed(self, day):
        return any(first <= day <= last for first, last in self.closed)

    def due(self, start, hours):
        """`start` plus `hours` of open time, as an aware datetime in the site's zone."""
        left = timedelta(hours=hours)
        moment = timezone.localtime(start)
        zone = moment.tzinfo
        for _day in range(LOOK_AHEAD_DAYS):
            day = moment.date()
            opens = datetime.combine(day, self.opens_at, zone)
            closes = datetime.combine(day, self.closes_at, zone)
            if not self.is_closed(day) and moment < closes:
                moment = max(moment, opens)
                if moment + left <= closes:
                    return moment + left
                left -= closes - moment
            moment = datetime.combine(day + timedelta(days=1), self.opens_at, zone)
        return start + timedelta(hours=hours)


_OPEN_KEY = "portal:service-hours"
memo.read_ahead(lambda reader: _OPEN_KEY)  # every page's footer


def open_hours():
    """The desk's daily hours as every page's footer shows them (8:30–20:30): kept in the
    shared cache, so a page costs no query for them, and read with the page's first reads of it
    (portal.memo)."""
    found = memo.cached(_OPEN_KEY)
    if found is None:
        hours = ServiceHours.load()
        found = f"{_clock(hours.opens_at)}–{_clock(hours.closes_at)}"
        cache.set(_OPEN_KEY, found, None)
    return found


def _clock(moment):
    return f"{moment.hour}:{moment.minute:02d}"


@receiver(post_save, sender=ServiceHours)
def hours_changed(sender, created, **kwargs):
    """New hours show in every page's footer: the kept pages are refreshed. (The row made
    with the default hours when first read changes nothing.)"""
    if created:
        return
    cache.delete(_OPEN_KEY)
    memo.forget(_OPEN_KEY)
    for scope in pagecache.SCOPES.values():
        scope.bump()
