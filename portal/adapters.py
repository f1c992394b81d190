import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from portal.notifications import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render allauth's emails now and hand them to a Celery task to deliver."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        queue_email(
            message.subject, message.body, message.to, html=html, from_email=message.from_email
        )

    def populate_username(self, request, user):
        """A random handle, not one made from the email address (often a phone number)."""
        if not user.username:
            user.username = f"owner-{secrets.token_hex(4)}"

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit)
