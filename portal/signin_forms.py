"""allauth's two-step verification forms, with the site's words for the code."""

from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(
            self,
            pgettext_lazy("two-step verification", "Code"),
            _("The 6-digit code the app shows after scanning."),
            autofocus=False,  # the steps and the QR code above it come first
        )
