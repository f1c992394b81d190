import uuid
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from club.models import Hobby, ImportantDate
from portal.validators import CONTROL_CHARACTERS, normalise_mobile, validate_mobile

Kind = ImportantDate.Kind
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OTHER_ROWS = 2


def _date_field(label):
    return forms.DateField(label=label, required=False, widget=DATE_INPUT)


class ClubRecordForm(forms.Form):
    """Hobbies, important dates and news choices: on the application and on "My club"."""

    hobbies = forms.ModelMultipleChoiceField(
        label=_("Hobbies"),
        queryset=Hobby.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_hobbies = forms.CharField(
        label=_("Other hobbies"),
        max_length=200,
        required=False,
        help_text=_("Anything not in the list, separated by commas."),
    )
    birthday = _date_field(_("Birthday"))
    wedding = _date_field(_("Wedding anniversary"))
    move_in = _date_field(_("Move-in date"))
    publications = forms.BooleanField(
        label=_("Send me the club magazine and club news"),
        help_text=_("By email or WeChat, as you choose in your notification settings."),
        required=False,
    )
    event_news = forms.BooleanField(label=_("Tell me about club events"), required=False)
    birthday_greeting = forms.BooleanField(label=_("Send me a birthday greeting"), required=False)

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, OTHER_ROWS + 1):
            self.fields[f"other{row}_label"] = forms.CharField(
                label=_("Another date to remember"),
                max_length=40,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("e.g. child's birthday")}),
            )
            self.fields[f"other{row}_date"] = _date_field(_("Date"))
        if member is not None and not self.is_bound:
            self.initial.update(self.initial_from(member))

    @staticmethod
    def initial_from(member):
        initial = {
            "hobbies": list(member.hobbies.all()),
            "other_hobbies": member.other_hobbies,
            "publications": member.publications,
            "event_news": member.event_news,
            "birthday_greeting": member.birthday_greeting,
        }
        others = []
        for entry in member.dates.all():
            if entry.kind == Kind.OTHER:
                others.append(entry)
            else:
                initial[entry.kind] = entry.date
        for row, entry in enumerate(others[:OTHER_ROWS], start=1):
            initial[f"other{row}_label"], initial[f"other{row}_date"] = entry.label, entry.date
        return initial

    def clean_other_hobbies(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["other_hobbies"]).strip()

    def clean(self):
        data = super().clean()
        today = date.today()
        for name in ("birthday", "wedding", "move_in"):
            if data.get(name) and data[name] > today and name != "move_in":
                self.add_error(name, _("This date is in the future."))
        for row in range(1, OTHER_ROWS + 1):
            label, when = data.get(f"other{row}_label"), data.get(f"other{row}_date")
            if label and not when:
                self.add_error(
                    f"other{row}_date", _("Enter the date for “%(label)s”.") % {"label": label}
                )
            if when and not label:
                self.add_error(f"other{row}_label", _("Say what this date is."))
        return data

    def other_fields(self):
        return [
            (self[f"other{row}_label"], self[f"other{row}_date"])
            for row in range(1, OTHER_ROWS + 1)
        ]

    def record(self):
        """What club.membership.apply / update_record take."""
        data = self.cleaned_data
        dates = [
            {"kind": kind, "date": data[kind]}
            for kind in ("birthday", "wedding", "move_in")
            if data.get(kind)
        ]
        for row in range(1, OTHER_ROWS + 1):
            if data.get(f"other{row}_date"):
                dates.append(
                    {
                        "kind": Kind.OTHER,
                        "label": data[f"other{row}_label"],
                        "date": data[f"other{row}_date"],
                    }
                )
        return {
            "hobbies": data["hobbies"],
            "dates": dates,
            **{
                name: data[name]
                for name in (
                    "other_hobbies",
                    "publications",
                    "event_news",
                    "birthday_greeting",
                )
            },
        }


class ApplicationForm(ClubRecordForm):
    agree = forms.BooleanField(
        label=_("I have read and agree to the club rules"),
        error_messages={"required": _("Please agree to the club rules to join.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("publications", "event_news", "birthday_greeting"):
            self.fields[name].initial = True


class RedeemForm(forms.Form):
    """Carries a fresh key with each page, so pressing twice redeems once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40, min_length=16)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = uuid.uuid4().hex


class ReferralForm(forms.Form):
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=50)
    buyer_mobile = forms.CharField(
        label=_("Buyer's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "13800138000"}),
    )
    development = forms.CharField(label=_("Development they are interested in"), max_length=100)
    note = forms.CharField(label=pgettext_lazy("remark", "Note"), max_length=200, required=False)

    def clean_buyer_name(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["buyer_name"]).strip()

    def clean_buyer_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["buyer_mobile"])
        validate_mobile(mobile)
        return mobile
