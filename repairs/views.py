from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from repairs import requests
from repairs.forms import RepairForm
from repairs.models import PriceItem


@login_required
def new_repair(request):
    """我要报修."""
    form = RepairForm(request.POST or None, request.FILES or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repair = requests.report_repair(
                request.user,
                category=data["category"],
                place=data["place"],
                unit=data["unit"],
                estate=data["estate"],
                common_area=data["common_area"],
                description=data["description"],
                files=data["attachments"],
                slots=data["slots"],
                price_item=data["price_item"],
                accept_price=data["accept_price"],
            )
        except requests.RepairError as error:
            form.add_error(None, str(error))
        else:
            case = repair.case
            messages.success(
                request,
                _("Repair %(reference)s is submitted. We will confirm a time by %(due)s.")
                % {
                    "reference": case.reference,
                    "due": timezone.localtime(case.first_response_due).strftime("%m-%d %H:%M"),
                },
            )
            return redirect(case)
    return render(
        request,
        "repairs/new.html",
        {"form": form, "has_home": bool(form.homes), "prices": price_list()},
    )


def price_list():
    """The paid services by repair category, for the page that shows them."""
    groups = {}
    for item in PriceItem.objects.filter(is_active=True, category__is_active=True).select_related(
        "category"
    ):
        groups.setdefault(item.category, []).append(item)
    return list(groups.items())


def prices(request):
    """有偿服务价目表: public, so owners can look before they ask."""
    return render(request, "repairs/prices.html", {"prices": price_list()})
