"""iCalendar (RFC 5545) files for club events: one event, or the whole plan as a feed."""

import re
from datetime import UTC

from django.conf import settings
from django.utils import timezone


def _escape(text):
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = re.sub(r"\r\n|\r|\n", "\\\\n", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)  # no other control characters


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start = [], 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(event):
    url = settings.WAGTAILADMIN_BASE_URL + event.url if event.url else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:club-event-{event.pk}@{settings.WAGTAILADMIN_BASE_URL.split('//')[-1]}",
        f"DTSTAMP:{_utc(event.last_published_at or timezone.now())}",
        # Grows with each publication, so calendars replace their copy after a change.
        f"SEQUENCE:{int((event.last_published_at or timezone.now()).timestamp()) // 60}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"LOCATION:{_escape(', '.join(filter(None, [event.place, event.address])))}",
    ]
    if event.summary:
        lines.append(f"DESCRIPTION:{_escape(event.summary)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, name):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Jindu//Club events//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for event in events:
        lines += vevent(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
