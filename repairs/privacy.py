"""What a repair request or a special service adds to an owner's case ("my data"): where, the
times offered and the price accepted; the service's day, the goods and the vehicle. Each goes
with its case: kept, then anonymised, as cases are (cases/privacy.py). Nothing here names the
owner but a special service's vehicle plate and list of goods, which a closure erases."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from owners import privacy
from repairs.models import RepairRequest, SpecialService


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

        services = (
            SpecialService.objects.filter(case__owner=user)
            .select_related("case__unit__estate")
            .order_by("case__created_at")
        )
        out.csv(
            "cases/special_services.csv",
            [_("Case"), _("Service"), _("Unit"), _("When"), _("State"), _("Details")],
            [
                (
                    service.case.reference,
                    service.get_type_display(),
                    str(service.case.unit),
                    service.when,
                    service.get_state_display(),
                    "; ".join(
                        filter(
                            None, [service.lift, service.area, *service.item_list, service.plate]
                        )
                    ),
                )
                for service in services
            ],
            gettext_lazy("Your special services: the day, and what each was for."),
        )

    labels = {"special_services": gettext_lazy("special services' goods and vehicle erased")}

    def erase(self, user, closure, by):
        services = SpecialService.objects.filter(case__owner=user)
        # A pass still to be used goes with the account: no guard lets goods out on it.
        services.filter(
            state__in=[SpecialService.State.REQUESTED, SpecialService.State.APPROVED]
        ).update(state=SpecialService.State.PAST, pass_token=None)
        erased = services.exclude(items="", plate="").update(items="", plate="")
        return {"special_services": erased}


privacy.register(RepairsPart())
