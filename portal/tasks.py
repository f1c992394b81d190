from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(*, subject, text, to, html=None, from_email=None, headers=None):
    message = EmailMultiAlternatives(subject, text, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task
def ping():
    """Answers 'pong': lets a health check (and the test suite) see a worker at work."""
    return "pong"
