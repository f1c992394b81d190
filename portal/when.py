"""Times as owners read them on Chinese apps: 刚刚, 5分钟前, 3小时前, 4天前, then the date
(11月3日 this year, 2025年11月3日 before), always on the site's clock; and how long something
has waited, in its largest unit (4天, not Django's "4 日，22 小时").

Django's timesince and naturaltime say two units with a comma and 日 for days, which no Chinese
app writes; the rules here are few enough to keep in one place."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MINUTE, HOUR, DAY = 60, 3600, 86400
#: Beyond this many days a time is written as its date.
DAYS_AS_AGO = 30


#: How many of a unit ago, and how long in it: the largest unit a time has passed.
AGO = {
    DAY: lambda n: ngettext("%(n)d day ago", "%(n)d days ago", n),
    HOUR: lambda n: ngettext("%(n)d hour ago", "%(n)d hours ago", n),
    MINUTE: lambda n: ngettext("%(n)d minute ago", "%(n)d minutes ago", n),
}
LONG = {
    DAY: lambda n: ngettext("%(n)d day", "%(n)d days", n),
    HOUR: lambda n: ngettext("%(n)d hour", "%(n)d hours", n),
    MINUTE: lambda n: ngettext("%(n)d minute", "%(n)d minutes", n),
}


def _in_largest_unit(seconds, words):
    """`seconds` in the largest unit of `words` it fills once, or None under a minute."""
    for unit, word in words.items():
        if seconds >= unit:
            n = int(seconds // unit)
            return word(n) % {"n": n}
    return None


def ago(value, now=None):
    """How long ago `value` was, or its date when it is older than DAYS_AS_AGO days (or in
    the future)."""
    if not value:
        return ""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 0 or seconds >= DAYS_AS_AGO * DAY:
        local, today = timezone.localtime(value), timezone.localtime(now)
        return date_format(local, "MONTH_DAY_FORMAT" if local.year == today.year else "DATE_FORMAT")
    return _in_largest_unit(seconds, AGO) or _("just now")


def age(value, now=None):
    """How long since `value`, in its largest whole unit: 4天, 5小时, 12分钟."""
    if not value:
        return ""
    seconds = max(((now or timezone.now()) - value).total_seconds(), 0)
    return _in_largest_unit(seconds, LONG) or _("less than a minute")
