"""Days as owners read them in a booking."""

from django.utils import formats, timezone
from django.utils.translation import gettext


def day_label(day, relative=True):
    """12月5日 周六 (Dec. 5 Sat), 今天 and 明天 for the nearest: how a delivery app names a day.
    Not `relative` in words that are kept (a timeline's text): always the weekday."""
    offset = (day - timezone.localdate()).days if relative else None
    if offset == 0:
        weekday = gettext("today")
    elif offset == 1:
        weekday = gettext("tomorrow")
    else:  # Chinese apps write 周六, Django's calendar 星期六
        weekday = formats.date_format(day, "D").replace("星期", "周")
    return f"{formats.date_format(day, 'MONTH_DAY_FORMAT')} {weekday}"
