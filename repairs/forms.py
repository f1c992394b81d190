import base64
import binascii
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import AttachmentsField
from owners.models import Visit
from portal.files import clean_attachment
from portal.widgets import QuickSelect
from repairs import requests, services
from repairs.dates import day_label
from repairs.models import Material, PriceItem, RepairCategory, RepairRequest, SpecialService

Place = RepairRequest.Place


class PriceSelect(QuickSelect):
    """Each service carries its repair category, so the page can offer only those that fit."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-category"] = str(value.instance.category_id)
        return option


class PriceChoiceField(forms.ModelChoiceField):
    widget = PriceSelect

    def label_from_instance(self, item):
        return f"{item.name} · ¥{item.price}/{item.unit}"


class RepairForm(forms.Form):
    """我要报修, for one owner: their homes, their estates, the next two weeks."""

    place = forms.ChoiceField(
        label=_("Where"), choices=Place.choices, widget=forms.RadioSelect, initial=Place.HOME
    )
    unit = forms.ChoiceField(label=_("Which home"), required=False, widget=QuickSelect)
    estate = forms.ChoiceField(label=_("Which estate"), required=False, widget=QuickSelect)
    common_area = forms.ChoiceField(
        label=_("Which common area"),
        choices=[("", "—"), *RepairRequest.CommonArea.choices],
        required=False,
        widget=QuickSelect,
    )
    category = forms.ModelChoiceField(
        label=_("What needs repair"),
        queryset=RepairCategory.objects.filter(is_active=True),
        empty_label=_("Choose one"),
        widget=QuickSelect,
    )
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where exactly, since when, what you have seen."),
    )
    attachments = AttachmentsField(label=_("Photos"))
    price_item = PriceChoiceField(
        label=_("The service you need"),
        queryset=PriceItem.objects.filter(is_active=True).select_related("category"),
        required=False,
        empty_label=_("Not a paid repair"),
    )
    accept_price = forms.BooleanField(
        label=_("I accept this price for a paid repair"), required=False
    )

    def __init__(self, *args, owner=None, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        if record is not None:  # at the desk, for a person of the owner archive
            self.homes = {str(u.pk): u for u in requests.record_homes(record)}
            self.estates = {str(e.pk): e for e in requests.record_estates(record).distinct()}
        else:
            self.homes = {str(c.unit_id): c.unit for c in requests.homes(owner)}
            self.estates = {str(e.pk): e for e in requests.estates(owner).distinct()}
        self.fields["unit"].choices = [(pk, unit.label) for pk, unit in self.homes.items()]
        self.fields["estate"].choices = [(pk, e.name) for pk, e in self.estates.items()]
        days = requests.slot_days()
        day_choices = [("", _("Choose a day"))] + [
            (day.isoformat(), day_label(day)) for day in days
        ]
        window_choices = [("", _("Choose a time")), *RepairRequest.Window.choices]
        for n in range(1, requests.MAX_SLOTS + 1):
            self.fields[f"day{n}"] = forms.ChoiceField(
                label=_("Day"), choices=day_choices, required=n == 1, widget=QuickSelect
            )
            self.fields[f"window{n}"] = forms.ChoiceField(
                label=_("Time"), choices=window_choices, required=n == 1, widget=QuickSelect
            )

    def slot_fields(self):
        return [(self[f"day{n}"], self[f"window{n}"]) for n in range(1, requests.MAX_SLOTS + 1)]

    def clean(self):
        data = super().clean()
        data["unit"] = self.homes.get(data.get("unit") or "")
        data["estate"] = self.estates.get(data.get("estate") or "")
        slots = []
        for n in range(1, requests.MAX_SLOTS + 1):
            day, window = data.get(f"day{n}"), data.get(f"window{n}")
            if bool(day) != bool(window):
                self.add_error(f"window{n}", _("Choose both a day and a time."))
            elif day:
                slots.append((forms.DateField().to_python(day), window))
        data["slots"] = slots
        return data


class DeskRepairForm(RepairForm):
    """报修 taken at the desk: the same form, and whether they came in or called."""

    came = forms.ChoiceField(label=_("They"), choices=Visit.Kind.choices, initial=Visit.Kind.CALL)
    field_order = ["came"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_price"].label = _("They accept this price for a paid repair")


class FinishForm(forms.Form):
    """完工 on the technician's phone: what was done, photos, materials, the amount."""

    notes = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The owner reads it on their case."),
    )
    attachments = AttachmentsField(label=_("Photos"))
    amount = forms.DecimalField(
        label=_("Amount the owner pays (yuan)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )

    #: The owner's signature drawn on the screen (optional), as the canvas's PNG data URL.
    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400_000)

    ROWS = 4

    def __init__(self, *args, paid, price=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paid = paid
        if not paid:
            del self.fields["amount"]
        else:
            self.fields["amount"].initial = price
        materials = Material.objects.filter(is_active=True)
        for n in range(1, self.ROWS + 1):
            self.fields[f"material{n}"] = forms.ModelChoiceField(
                label=_("Material"),
                queryset=materials,
                required=False,
                empty_label=_("Choose a material"),
                widget=QuickSelect,
            )
            self.fields[f"quantity{n}"] = forms.DecimalField(
                label=_("Quantity"),
                required=False,
                min_value=Decimal("0.01"),
                max_digits=7,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"inputmode": "decimal", "step": "0.01", "placeholder": _("How many")}
                ),
            )

    def material_fields(self):
        return [(self[f"material{n}"], self[f"quantity{n}"]) for n in range(1, self.ROWS + 1)]

    def clean_signature(self):
        """The drawing as a picture among the job's photos (checked and re-encoded like any)."""
        drawn = self.cleaned_data["signature"]
        if not drawn:
            return None
        prefix = "data:image/png;base64,"
        try:
            if not drawn.startswith(prefix):
                raise ValueError
            data = base64.b64decode(drawn[len(prefix) :], validate=True)
            return clean_attachment(ContentFile(data, name="signature.png"))
        except (ValueError, binascii.Error, forms.ValidationError):
            raise forms.ValidationError(_("The signature could not be read: sign again.")) from None

    def clean(self):
        data = super().clean()
        used = []
        for n in range(1, self.ROWS + 1):
            material, quantity = data.get(f"material{n}"), data.get(f"quantity{n}")
            if bool(material) != bool(quantity):
                self.add_error(f"quantity{n}", _("Choose the material and say how much."))
            elif material:
                used.append((material, quantity))
        data["materials"] = used
        if data.get("signature"):
            data["attachments"] = [*data.get("attachments", []), data["signature"]]
        return data


class ServiceForm(forms.Form):
    """特约服务 of one type, for one owner: their homes, a day in the next month, and what that
    service needs (the hours and the lift or the area; the goods and the vehicle)."""

    unit = forms.ChoiceField(label=_("Which home"), widget=QuickSelect)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800})
    )
    ends = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800})
    )
    lift = forms.CharField(
        label=_("Which lift"),
        max_length=30,
        required=False,
        help_text=_("If you know it, such as 2号梯; otherwise we choose the one nearest you."),
    )
    area = forms.CharField(
        label=_("Which area"),
        max_length=60,
        help_text=_("The floor and rooms, such as 3楼东区办公室."),
    )
    items = forms.CharField(
        label=_("Goods going out"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _("Sofa, 1\nBoxes, 12")}),
        help_text=_("One thing a line, with how many. The guard checks them against this list."),
    )
    plate = forms.CharField(
        label=_("Vehicle plate"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "placeholder": "粤B12345"}),
    )
    description = forms.CharField(
        label=_("Anything else we should know"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    #: The fields each service asks for, besides the home, the day and the note.
    FIELDS = {
        SpecialService.Type.LIFT: ("starts", "ends", "lift"),
        SpecialService.Type.AIRCON: ("starts", "ends", "area"),
        SpecialService.Type.RELEASE: ("items", "plate"),
    }

    def __init__(self, *args, owner, type, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = type
        own = {"unit", "day", "description", *self.FIELDS[type]}
        for name in [n for n in self.fields if n not in own]:
            del self.fields[name]
        self.homes = {
            str(c.unit_id): c.unit
            for c in requests.homes(owner)
            if type != SpecialService.Type.AIRCON or c.unit.use != c.unit.Use.RESIDENTIAL
        }
        self.fields["unit"].choices = [(pk, unit.label) for pk, unit in self.homes.items()]
        today = timezone.localdate()
        self.fields["day"].widget.attrs.update(
            min=today.isoformat(),
            max=(today + timedelta(days=services.DAYS_AHEAD)).isoformat(),
        )

    def clean_unit(self):
        return self.homes.get(self.cleaned_data["unit"])

    def request(self):
        """What services.request_service takes."""
        return {"type": self.type, **self.cleaned_data}
