"""What a repair request adds to an owner's case ("my data"): where, the times offered and the
price accepted. The request goes with its case: kept, then anonymised, as cases are
(cases/privacy.py); nothing here names the owner."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from owners import privacy
from repairs.models import RepairRequest


class RepairsPart(privacy.Part):
    def export(self, user, out):
        repairs = (
            RepairRequest.objects.filter(case__owner=user)
            .select_related("case__unit__estate", "category", "estate", "price_item")
            .order_by("case__created_at")
        )
        out.csv(
            "cases/repairs.csv",
            [_("Case"), _("What needs repair"), _("Where"), _("You can be there"), _("Cost")],
            [
                (
                    repair.case.reference,
                    repair.category.name,
                    str(repair.case.unit)
                    if repair.case.unit
                    else f"{repair.estate} {repair.get_common_area_display()}",
                    "; ".join(f"{s['day']} {s['window']}" for s in repair.slot_list),
                    f"{repair.price_item.name} ¥{repair.accepted_price}"
                    if repair.price_item
                    else _("Free"),
                )
                for repair in repairs
            ],
            gettext_lazy("Your repair requests: where, the times you offered and the price."),
        )


privacy.register(RepairsPart())
