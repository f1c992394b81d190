"""The fee desk's forms in the admin: a unit typed as staff say it, readings, runs, money."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from fees.models import CollectionCall, Meter, Reminder
from fees.payments import DESK
from fees.readings import previous_month
from owners.models import Estate, Unit


def find_unit(estate, text):
    """ "3栋 1201" (or "3栋-1201", "3栋1201" when the building ends in 栋) in `estate`."""
    text = " ".join(text.replace("-", " ").replace("/", " ").split())
    if " " not in text and "栋" in text:
        text = text.replace("栋", "栋 ", 1)
    building, _space, number = text.partition(" ")
    return Unit.objects.filter(estate=estate, building=building, number=number.strip()).first()


class UnitByLabelForm(WagtailAdminModelForm):
    """A unit chosen by typing its building and number, within the record's estate: thousands
    of units never go into a select."""

    unit_label = forms.CharField(
        label=gettext_lazy("Unit"),
        required=False,
        help_text=gettext_lazy("Building and number, such as 3栋 1201."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.unit_id:
            self.fields["unit_label"].initial = self.instance.unit.label

    def clean(self):
        cleaned = super().clean()
        label, estate = (cleaned.get("unit_label") or "").strip(), cleaned.get("estate")
        self.instance.unit = None
        if label and estate:
            unit = find_unit(estate, label)
            if unit is None:
                self.add_error("unit_label", _("No unit %s in this estate.") % label)
            else:
                self.instance.unit = unit
        return cleaned


class MeterForm(UnitByLabelForm):
    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Meter.Role.UNIT and not self.instance.unit and not self.errors:
            self.add_error("unit_label", _("A unit meter belongs to a unit: give it."))
        if role != Meter.Role.UNIT and self.instance.unit:
            self.add_error("unit_label", _("Only a unit meter belongs to a unit."))
        return cleaned


class BankAccountForm(UnitByLabelForm):
    """A direct-debit agreement: the estate picks where the unit is typed."""

    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.unit_id:
            self.fields["estate"].initial = self.instance.unit.estate_id
        if self.instance.pk:
            # The number is never shown again in full: typed anew to change it.
            self.initial["number"] = ""
            self.fields["number"].required = False
            self.fields["number"].widget.attrs["placeholder"] = self.instance.masked_number
            self.fields["number"].help_text = _("Leave empty to keep the number on file.")

    def clean_number(self):
        number = "".join((self.cleaned_data.get("number") or "").split())
        if not number and self.instance.pk:
            return type(self.instance).objects.get(pk=self.instance.pk).number
        if not number.isdigit() or not 8 <= len(number) <= 32:
            raise forms.ValidationError(_("An account number is 8 to 32 figures."))
        return number

    def clean(self):
        cleaned = super().clean()
        if not self.instance.unit and not self.errors:
            self.add_error("unit_label", _("Give the unit the bank collects for."))
        return cleaned


def months_back(count=12):
    """The last `count` months as choices, this month first."""
    day, choices = timezone.localdate().replace(day=1), []
    for _i in range(count):
        choices.append((day.isoformat(), f"{day:%Y-%m}"))
        day = previous_month(day)
    return choices


class MonthField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=months_back,
            coerce=datetime.date.fromisoformat,
            label=kwargs.pop("label", gettext_lazy("Month")),
            **kwargs,
        )


class StartRunForm(forms.Form):
    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))
    period = MonthField()


class ReadingSheetForm(forms.Form):
    """Which meters to read: an estate, a building (or the common ones), a month."""

    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))
    building = forms.CharField(label=gettext_lazy("Building"), max_length=30)
    period = MonthField()
    read_on = forms.DateField(
        label=gettext_lazy("Read on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportReadingsForm(forms.Form):
    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))
    period = MonthField()
    read_on = forms.DateField(
        label=gettext_lazy("Read on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("For the lines without a date of their own."),
    )
    sheet = forms.FileField(
        label=gettext_lazy("Readings (CSV)"),
        help_text=gettext_lazy(
            "First line 表号,读数,抄表日期; then one meter a line. UTF-8 or GB18030 (as Excel "
            "saves it). Nothing is saved unless every line is right."
        ),
    )


class CheckReadingForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the second look found"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example 换新表 or 漏水已报修."),
    )


class BillActionForm(forms.Form):
    """The bill screen's two forms in one: money received, or an adjustment."""

    amount = forms.DecimalField(
        label=gettext_lazy("Amount (元)"), max_digits=12, decimal_places=2, required=False
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Paid by"),
        choices=[(m.value, m.label) for m in DESK],
        required=False,
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)
    redemption = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BankExportForm(forms.Form):
    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))


class BankImportForm(forms.Form):
    estate = forms.ModelChoiceField(Estate.objects.all(), label=gettext_lazy("Estate"))
    results = forms.FileField(
        label=gettext_lazy("The bank's result file (CSV)"),
        help_text=gettext_lazy(
            "Columns 账单号,金额,结果,银行流水号,扣款日期,失败原因. Nothing is applied unless every "
            "line is right; the same file twice changes nothing."
        ),
    )


class ArrearsFilterForm(forms.Form):
    estate = forms.ModelChoiceField(
        Estate.objects.all(), label=gettext_lazy("Estate"), required=False
    )
    building = forms.CharField(label=gettext_lazy("Building"), max_length=30, required=False)
    months = forms.IntegerField(
        label=gettext_lazy("Overdue at least (months)"), min_value=0, max_value=600, required=False
    )
    at_least = forms.DecimalField(
        label=gettext_lazy("Owing at least (元)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Reminder stage"),
        required=False,
        choices=[("", gettext_lazy("Any")), *Reminder.Stage.choices],
    )


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=CollectionCall.Outcome.choices
    )
    promised_on = forms.DateField(
        label=gettext_lazy("Promised to pay by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class ReportForm(forms.Form):
    estate = forms.ModelChoiceField(
        Estate.objects.all(), label=gettext_lazy("Estate"), required=False
    )
    period = MonthField(required=False)
