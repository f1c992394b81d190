"""Email on the console (`make run` without an SMTP server): each message as a few readable
lines, its subject and the start of its text as written, its first link and its attachments'
names, instead of the raw MIME Django's console backend prints (encoded subjects, base64
bodies). Written for the site because a person reads these, not a mail client."""

import re
import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

LINK = re.compile(r"https?://\S+")
#: Lines of the text shown under the subject: enough to see what it says.
SHOWN_LINES = 3


def summary(message):
    lines = [line.strip() for line in message.body.splitlines() if line.strip()]
    text = [line for line in lines if not LINK.fullmatch(line)][:SHOWN_LINES]
    link = LINK.search(message.body)
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    out = [
        f"── Email {when} ─ to {', '.join(message.to)}",
        f"   {message.subject}",
        *(f"   │ {line}" for line in text),
    ]
    if link:
        out.append(f"   → {link.group(0)}")
    names = [
        attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
        for attachment in message.attachments
    ]
    if names:
        out.append(f"   + {', '.join(str(name) for name in names)}")
    return "\n".join(out) + "\n"


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        with self._lock:
            for message in email_messages:
                self.stream.write(summary(message))
            self.stream.flush()
        return len(email_messages)
