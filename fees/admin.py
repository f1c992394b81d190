"""收费管理 in the admin: the estates' fee rules (收费标准), kept by the fee desk (收费员)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from fees.models import FeeItem, clean_tiers
from portal.exports import SafeIndexView


def tiers_text(tiers):
    """[{"up_to": "180", "price": "0.538"}, …] as staff type them: "180 0.538", one a line,
    the last with its price alone."""
    return "\n".join(
        f"{t['up_to']} {t['price']}" if t["up_to"] is not None else t["price"] for t in tiers
    )


class FeeItemForm(WagtailAdminModelForm):
    tiers_text = forms.CharField(
        label=gettext_lazy("Tiered prices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "180 0.5380\n280 0.5880\n0.8380"}),
        help_text=gettext_lazy(
            "For a tiered metered price: one tier a line, its upper limit and its price; the "
            "last line the price above the last limit."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tiers_text"].initial = tiers_text(self.instance.tiers or [])
        if "use" in self.fields:
            self.fields["use"].choices = [("", _("All units")), *self.fields["use"].choices[1:]]

    def clean_tiers_text(self):
        tiers = []
        for line in (self.cleaned_data.get("tiers_text") or "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) > 2:
                raise forms.ValidationError(_("Each line: a limit and a price, or a price."))
            up_to, price = (None, parts[0]) if len(parts) == 1 else parts
            tiers.append({"up_to": up_to, "price": price})
        try:
            return clean_tiers(tiers)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        self.instance.tiers = cleaned.get("tiers_text") or []
        return cleaned


def price_text(item):
    if item.tiers:
        return " / ".join(
            f"≤{t['up_to']}：{t['price']}" if t["up_to"] is not None else f"＞：{t['price']}"
            for t in item.tiers
        )
    return f"{price(item.price)} 元" if item.price is not None else "—"


def price(value):
    """A unit price as written, to at most four decimals and at least two: 2.20, 0.568."""
    text = f"{Decimal(value):.4f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.split(".")[1]))


class FeeItemViewSet(ModelViewSet):
    model = FeeItem
    icon = "table"
    menu_label = gettext_lazy("Fee rules")
    name = "fee_items"
    url_prefix = "fees/rules"
    edit_handler = ObjectList(
        base_form_class=FeeItemForm,
        children=[
            FieldRowPanel([FieldPanel("estate"), FieldPanel("kind"), FieldPanel("use")]),
            FieldRowPanel([FieldPanel("name"), FieldPanel("basis"), FieldPanel("cycle")]),
            FieldPanel("price"),
            FieldPanel("tiers_text"),
            FieldRowPanel([FieldPanel("effective_from"), FieldPanel("effective_to")]),
            FieldPanel("note"),
        ],
    )
    list_display = [
        "name",
        "estate",
        Column("kind", label=gettext_lazy("Fee"), accessor="get_kind_display"),
        Column("basis", label=gettext_lazy("Charged"), accessor="get_basis_display"),
        Column("price", label=gettext_lazy("Price"), accessor=price_text),
        "effective_from",
        "effective_to",
    ]
    list_filter = ["estate", "kind"]
    list_export = ["estate", "kind", "name", "basis", "use", "price", "tiers", "cycle"]
    export_filename = "fee-rules"
    index_view_class = SafeIndexView  # the spreadsheet in the staff's words, safe from formulas
    copy_view_enabled = True


class FeesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Fees")
    menu_icon = "doc-full"
    menu_order = 260
    items = (FeeItemViewSet,)
