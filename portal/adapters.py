import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal import outbox, phones, signin
from portal.notifications import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render allauth's emails now and put them in the outbox (mail queue) to deliver."""
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

    # -- Mobile numbers: kept as 11 digits on the account, +86… in allauth and the texts ------

    def phone_form_field(self, **kwargs):
        kwargs.pop("label", None)  # allauth's "Phone": the site says 手机号
        return phones.MobileField(**kwargs)

    def get_phone(self, user):
        return (phones.international(user.mobile), user.mobile_verified) if user.mobile else None

    def set_phone(self, user, phone, verified):
        user.mobile, user.mobile_verified = phones.national(phone), verified
        user.save(update_fields=["mobile", "mobile_verified"])

    def set_phone_verified(self, user, phone):
        """The number proved by its code becomes the account's: at sign-up it is the one given,
        on 我的 → 手机号 the new one replaces the old only now."""
        if self._verified_elsewhere(user, phone):
            return
        user.mobile, user.mobile_verified = phones.national(phone), True
        user.save(update_fields=["mobile", "mobile_verified"])

    def get_user_by_phone(self, phone):
        """Only a number proved by a code signs in or counts as taken: a number typed on a
        profile and never verified may be anyone's."""
        try:
            mobile = phones.national(phones.e164(phone))
        except ValidationError:
            return None
        accounts = get_user_model().objects.filter(mobile=mobile, mobile_verified=True)
        return accounts.filter(is_active=True).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        if self._verified_elsewhere(user, phone):
            # allauth's number change would send a code to a number another account verified,
            # and the code would move the number here: its holder is told instead, as at
            # sign-up, and the page says the same as ever.
            self.send_account_already_exists_sms(phone)
            return
        minutes = settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT // 60
        outbox.add_text(phone, "verification_code", {"code": code, "minutes": minutes}, urgent=True)

    def _verified_elsewhere(self, user, phone):
        other = self.get_user_by_phone(phone)
        return other is not None and other.pk != user.pk

    def send_account_already_exists_sms(self, phone):
        # Someone signed up with a number that has an account: its owner learns how to get in;
        # the page said the same as for a new number (no enumeration).
        outbox.add_text(phone, "account_exists", {}, urgent=True)

    def populate_username(self, request, user):
        """A random handle, not one made from the email address (often a phone number)."""
        if not user.username:
            user.username = f"owner-{secrets.token_hex(4)}"

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit)

    # -- Failed sign-ins (portal.signin) -----------------------------------------------------

    def pre_authenticate(self, request, **credentials):
        # allauth's, with a limit per account besides, and a message that says when to try again.
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = signin.count_sign_in_attempt(request, account_key)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # After a password reset: the account's counts (allauth's would clear only its one key).
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        signin.clear_sign_in_attempts(request, account_key)

    def is_reauthentication_required(self, *, app, **kwargs):
        if app == "allauth.mfa" and signin.may_skip_reauthentication(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_redirect_url(self, request):
        # Without a `next`: staff to the admin, owners to their dashboard.
        if signin.can_open_admin(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

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
        # A wrong code, a code already used (each works once), or a used recovery code.
        "incorrect_code": _(
            "That code is not right or has already been used. Enter the latest code your "
            "authenticator app shows, or a recovery code you have not used."
        ),
        "unverified_email": _("Verify your email address before turning on two-step verification."),
        "cannot_generate_recovery_codes": _(
            "Turn on two-step verification before generating recovery codes."
        ),
    }

    def build_totp_svg(self, url):
        # Drawn inline in the page, so without the XML declaration.
        svg = super().build_totp_svg(url)
        return svg[svg.index("<svg") :]

    def can_delete_authenticator(self, authenticator):
        return not signin.can_open_admin(authenticator.user)
