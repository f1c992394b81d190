import uuid

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from club.models import MemberCard, Reward


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
            .select_related("member__user", "member__record", "member__tier")
            .order_by("issued_at", "pk")[:500]
        )


class RewardEditForm(WagtailAdminModelForm):
    """Editing a reward never writes the stock back: members may have redeemed some while the
    form was open. Deliveries are added (or breakage taken off) by a change, not a total."""

    restock = forms.IntegerField(
        label=_("Add to stock"),
        required=False,
        min_value=-100_000,
        max_value=100_000,
        help_text=_("Items received, or with a minus sign, items removed."),
    )

    class Meta:
        model = Reward
        fields = [
            "name",
            "description",
            "image",
            "kind",
            "credit",
            "points",
            "limit_per_member",
            "min_tier",
            "available_from",
            "available_until",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["restock"].help_text = _(
            "Now in stock: %(stock)s. Items received, or with a minus sign, items removed."
        ) % {"stock": self.instance.stock}

    def clean_restock(self):
        change = self.cleaned_data["restock"] or 0
        if change < 0 and Reward.objects.get(pk=self.instance.pk).stock + change < 0:
            raise forms.ValidationError(_("There are fewer items in stock than that."))
        return change

    def save(self, commit=True):
        reward = super().save(commit=False)
        reward.save(update_fields=self._meta.fields)
        self.save_m2m()
        change = self.cleaned_data["restock"]
        if change:
            Reward.objects.filter(pk=reward.pk, stock__gte=-change).update(
                stock=F("stock") + change
            )
            reward.refresh_from_db(fields=["stock"])
        return reward
