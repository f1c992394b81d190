import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from club.models import MemberCard


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when rejecting, cancelling, suspending or revoking; the member sees it."
        ),
    )


class MemberActionForm(ReasonForm):
    points = forms.IntegerField(
        label=_("Points to add (negative to deduct)"),
        required=False,
        min_value=-1_000_000,
        max_value=1_000_000,
    )
    # A fresh key with each form: a double click posts one adjustment.
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = uuid.uuid4().hex


class CardLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Scan the QR code or type the card number"),
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "inputmode": "text",
                "enterkeyhint": "go",
            }
        ),
    )


class CardSheetForm(forms.Form):
    issued_from = forms.DateField(
        label=_("Issued from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_("Issued to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["issued_from"].initial = self.fields["issued_to"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day comes after the last."))
        return data

    def cards(self):
        start, end = self.cleaned_data["issued_from"], self.cleaned_data["issued_to"]
        return list(
            MemberCard.objects.filter(
                status=MemberCard.Status.ACTIVE,
                issued_at__date__gte=start,
                issued_at__date__lte=end,
            )
            .select_related("member__user", "member__tier")
            .order_by("issued_at", "pk")[:500]
        )
