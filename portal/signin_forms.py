"""allauth's two-step verification forms, with the site's words for the code."""

from allauth.core import context
from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import signin


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
