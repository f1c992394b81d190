"""allauth's sign-in form and two-step verification forms, with the site's words for the code."""

from allauth.account import forms as account_forms
from allauth.account.app_settings import EmailVerificationMethod
from allauth.core import context
from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from allauth.socialaccount import forms as social_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import signin
from portal.weixin import linking


class LoginForm(account_forms.LoginForm):
    """allauth's, where an email address signs in only once confirmed: allauth's verification
    is optional because sign-up asks for a mobile number's code instead, so an address typed at
    sign-up may be anyone's. Signing in with an unconfirmed one sends its link again and opens
    nothing until it is followed, as before numbers (allauth's mandatory verification, per
    sign-in)."""

    def _clean_with_password(self, credentials):
        cleaned = super()._clean_with_password(credentials)
        if credentials.get("email"):
            self._login.email_verification = EmailVerificationMethod.MANDATORY
        return cleaned


class SignupForm(account_forms.SignupForm):
    """allauth's, with the mobile number required: allauth counts it optional so that staff and
    the accounts made before numbers still sign in (ACCOUNT_SIGNUP_FIELDS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True


class SocialSignupForm(social_forms.SignupForm):
    """The first sign-in with WeChat: the name, a mobile number (proved by a code next, as at
    any sign-up) and the privacy policy; WeChat gives no address to sign in with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True

    def try_save(self, request):
        # A number another account verified: its code links WeChat to that account.
        if self.account_already_exists and self.cleaned_data.get("phone"):
            phone = self.cleaned_data["phone"]
            return None, linking.link_after_code(request, self.sociallogin, phone)
        return super().try_save(request)

    def _get_signup_fields(self, kwargs):
        # allauth's social form says whether an address is required, as if the sign-up asked
        # for one; the site's sign-up asks for none (ACCOUNT_SIGNUP_FIELDS).
        kwargs.pop("email_required", None)
        return super()._get_signup_fields(kwargs)


class RequestLoginCodeForm(account_forms.RequestLoginCodeForm):
    """allauth's, the number first: owners are sent the code by SMS; an address works too.
    Past the limits (a code a minute per number, ten a day) it says when to ask again, rather
    than allauth's "too many failed sign-ins"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Or your email address")
        self.order_fields(["phone", "email"])

    def clean_phone(self):
        return self._waiting(super().clean_phone, "phone")

    def clean_email(self):
        return self._waiting(super().clean_email, "email")

    def _waiting(self, clean, name):
        try:
            return clean()
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            key = self.cleaned_data[name].lower()
            raise signin.ask_again_in(
                signin.retry_after(context.request, "request_login_code", key)
            ) from None


class VerifyPhoneForm(account_forms.VerifyPhoneForm):
    """allauth's, with the keypad of digits a phone shows for a code that came by SMS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self, _("Code"), _("The 6 digits in the text message."))


def _code_field(form, label, help_text="", autofocus=True):
    field = form.fields["code"]
    field.label = label
    field.help_text = help_text
    field.widget.attrs.update(placeholder="", inputmode="numeric", autocomplete="one-time-code")
    if autofocus:
        field.widget.attrs["autofocus"] = True


class AuthenticateForm(base_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self,
            pgettext_lazy("two-step verification", "Code"),
            _("The 6-digit code in your authenticator app, or one of your recovery codes."),
        )


class ReauthenticateForm(base_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self,
            pgettext_lazy("two-step verification", "Code"),
            _("The 6-digit code in your authenticator app."),
        )


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """allauth's set-up form. allauth draws a new key every time the page loads; this one keeps
    the key in the session until set-up succeeds (allauth then clears it), so that someone who
    scans it, switches apps and comes back, or is sent back to the page, still enters codes for
    the key their app has."""

    def __init__(self, *args, **kwargs):
        kept = context.request.session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if kept and self.secret != kept:
            self.secret = context.request.session[SECRET_SESSION_KEY] = kept
        _code_field(
            self,
            pgettext_lazy("two-step verification", "Code"),
            _("The 6-digit code the app shows after scanning."),
            autofocus=False,  # the steps and the QR code above it come first
        )

    def clean_code(self):
        try:
            code = super().clean_code()
        except ValidationError as error:
            if error.code != "incorrect_code":
                raise
            # Here no recovery code applies and no code has been used: a wrong key or clock.
            raise ValidationError(
                _(
                    "That code is not right. Enter the 6-digit code the app shows now for this "
                    "site; if it still fails, check that the time on your phone is correct."
                ),
                code="incorrect_code",
            ) from None
        signin.remember_first_app(context.request)
        return code
