import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from owners.models import Estate, OwnershipClaim, Unit, User
from owners.public_names import NICKNAME_MAX, clean_nickname
from portal.images import clean_image
from portal.validators import CONTROL_CHARACTERS, normalise_mobile, validate_mobile


class ProfileForm(forms.ModelForm):
    # Wider than the stored 11 digits: owners type "+86 138-0013-8000" and we normalise it.
    mobile = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
    )

    class Meta:
        model = User
        fields = [
            "real_name",
            "mobile",
            "nickname",
            "show_real_name",
            "language",
            "email_notifications",
            "avatar",
        ]
        widgets = {
            "real_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "nickname": forms.TextInput(
                attrs={"autocomplete": "nickname", "maxlength": NICKNAME_MAX}
            ),
            "avatar": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
        labels = {"show_real_name": _("Show my real name to other owners")}
        help_texts = {
            "real_name": _("Only you and the company's staff see it, unless you choose below."),
            "nickname": _(
                "2 to 20 characters, shown in the forum instead of your name. Leave it empty "
                "to show your surname only, e.g. 王**."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True

    def clean_real_name(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["real_name"]).strip()

    def clean_nickname(self):
        return clean_nickname(self.cleaned_data["nickname"], user=self.instance)

    def clean_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["mobile"])
        validate_mobile(mobile)
        return mobile

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):  # a new upload, not the stored file
            return clean_image(
                avatar,
                max_bytes=settings.AVATAR_MAX_BYTES,
                max_side=settings.AVATAR_SIZE,
                square=True,
            )
        return avatar


def natural_key(text):
    """Sort "2栋" before "10栋"."""
    parts = re.split(r"([0-9]+)", text)
    return [
        (0, int(part), "") if part.isdigit() and part.isascii() else (1, 0, part) for part in parts
    ]


class ClaimForm(forms.Form):
    """Estate → building → unit number, and a proof staff can check."""

    estate = forms.ModelChoiceField(
        label=_("Estate"), queryset=Estate.objects.all(), empty_label=_("Choose your estate")
    )
    building = forms.ChoiceField(label=_("Building"), choices=[])
    number = forms.CharField(
        label=_("Unit number"),
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "1201", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("You are the unit's"),
        choices=OwnershipClaim.Role.choices,
        initial=OwnershipClaim.Role.OWNER,
    )
    proof = forms.CharField(
        label=_("Purchase contract or property certificate number"),
        max_length=100,
        help_text=_("Staff check it against the company's records; it is never shown to others."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        estate = self._chosen_estate()
        if estate:
            self.fields["estate"].initial = estate.pk
            buildings = sorted(
                Unit.objects.filter(estate=estate)
                .order_by()
                .values_list("building", flat=True)
                .distinct(),
                key=natural_key,
            )
            self.fields["building"].choices = [("", _("Choose the building"))] + [
                (b, b) for b in buildings
            ]

    def _chosen_estate(self):
        pk = self.data.get("estate") if self.is_bound else self.initial.get("estate")
        if pk and str(pk).isascii() and str(pk).isdigit():
            return Estate.objects.filter(pk=pk).first()
        if not self.is_bound:
            # With a single estate there is nothing to choose.
            estates = list(Estate.objects.all()[:2])
            return estates[0] if len(estates) == 1 else None
        return None

    def clean(self):
        data = super().clean()
        estate, building, number = data.get("estate"), data.get("building"), data.get("number")
        if estate and building and number:
            unit = Unit.objects.filter(
                estate=estate, building=building, number__iexact=number.strip()
            ).first()
            if unit is None:
                self.add_error(
                    "number",
                    _("There is no unit %(number)s in %(building)s of %(estate)s.")
                    % {"number": number, "building": building, "estate": estate},
                )
            data["unit"] = unit
        return data
