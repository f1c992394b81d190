import secrets
import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import signin
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

    # -- Failed sign-ins (portal.signin) -----------------------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials):
        return signin.login_attempts_key(
            super()._get_login_attempts_cache_key(request, **credentials), request
        )

    def pre_authenticate(self, request, **credentials):
        # allauth's, with a message that says when to try again.
        key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=key
        )
        if not self._login_failed_rl_usage:
            raise signin.too_many_sign_ins(signin.retry_after(request, "login_failed", key))

    def is_reauthentication_required(self, *, app, **kwargs):
        # Staff sent to set up their first authenticator right after signing in are not asked
        # for the password again, to set it up or to see its recovery codes. Everything else sensitive (turning it off, new recovery codes,
        # closing an account) asks, however recent the sign-in.
        request = context.request
        records = get_authentication_records(request, request.user)
        if app == "allauth.mfa" and records:
            signed_in = records[-1]["at"]
            had_app = Authenticator.objects.filter(
                user=request.user, created_at__lt=datetime.fromtimestamp(signed_in, UTC)
            ).exists()
            if not had_app and time.time() - signed_in < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            # Wrong codes at the second step: allauth counts them per account; say the longest
            # the wait can be.
            return signin.too_many_sign_ins(signin.longest_window("login_failed"))
        return super().validation_error(code, *args)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Accounts that can open the admin must keep two-step verification on."
        ),
        "incorrect_code": _("That code is not right. Check the time on your phone and try again."),
        "unverified_email": _("Verify your email address before turning on two-step verification."),
        "cannot_generate_recovery_codes": _(
            "Turn on two-step verification before generating recovery codes."
        ),
        "add_email_blocked": _(
            "To add an email address, turn off two-step verification first "
            "(staff: ask an administrator)."
        ),
    }

    def build_totp_svg(self, url):
        # Drawn inline in the page, so without the XML declaration.
        svg = super().build_totp_svg(url)
        return svg[svg.index("<svg") :]

    def can_delete_authenticator(self, authenticator):
        return not signin.can_open_admin(authenticator.user)
