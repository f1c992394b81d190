"""`make run` prints each email as a few readable lines, and a refused request as one line."""

import io
import logging
import sys

from django.core.mail import EmailMultiAlternatives

from portal.console_mail import EmailBackend
from portal.logs import QuietRefusals


def test_an_email_on_the_console_is_its_subject_its_words_its_link_and_its_files():
    message = EmailMultiAlternatives(
        subject="[金都客服] 报名成功：亲子烘焙课",
        body="尊敬的刘先生/女士：\n\n您的报名已确认。\n\nhttp://127.0.0.1:8001/club/events/e1/\n",
        to=["liuyang@jindu.example"],
    )
    message.attach_alternative("<p>您的报名已确认。</p>", "text/html")
    message.attach("event-38.ics", "BEGIN:VCALENDAR", "text/calendar")
    out = io.StringIO()
    assert EmailBackend(stream=out).send_messages([message]) == 1
    printed = out.getvalue()
    assert "to liuyang@jindu.example" in printed
    assert "[金都客服] 报名成功：亲子烘焙课" in printed  # as written, not =?utf-8?b?…
    assert "│ 尊敬的刘先生/女士：" in printed and "│ 您的报名已确认。" in printed
    assert "→ http://127.0.0.1:8001/club/events/e1/" in printed
    assert "+ event-38.ics" in printed
    assert "base64" not in printed and "Content-Type" not in printed and "<p>" not in printed


def test_a_refused_request_is_logged_without_its_traceback():
    try:
        raise PermissionError("not yours")
    except PermissionError:
        exc_info = sys.exc_info()
    refused = logging.LogRecord("django.request", logging.WARNING, "", 0, "Forbidden", (), exc_info)
    refused.status_code = 403
    failed = logging.LogRecord("django.request", logging.ERROR, "", 0, "Error", (), exc_info)
    failed.status_code = 500
    quiet = QuietRefusals()
    assert quiet.filter(refused) and refused.exc_info is None
    assert quiet.filter(failed) and failed.exc_info is not None
