from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from repairs import requests, services, workorders
from repairs.dates import day_label
from repairs.forms import FinishForm, RepairForm, ServiceForm
from repairs.models import PriceItem, SpecialService
from repairs.requests import RepairError


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
            return submitted(
                request,
                repair.case,
                _("Repair %(reference)s is submitted. We will confirm a time by %(due)s."),
            )
    return render(
        request,
        "repairs/new.html",
        {"form": form, "has_home": bool(form.homes), "prices": price_list()},
    )


def submitted(request, case, words):
    """To the new case's page, saying its reference and when the first answer is due."""
    due = timezone.localtime(case.first_response_due).strftime("%m-%d %H:%M")
    messages.success(request, words % {"reference": case.reference, "due": due})
    return redirect(case)


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


# -- The technician's day (a staff page, made for a phone) -----------------------------------


def _technician(request):
    """Only people of a team (in-house technicians) have a day of jobs."""
    if not request.user.is_authenticated or not request.user.teams.exists():
        raise PermissionDenied
    return request.user


@login_required
def my_jobs(request):
    technician = _technician(request)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    return render(
        request,
        "repairs/jobs.html",
        {
            "jobs": list(workorders.jobs(technician, day)),
            "day": day,
            "day_name": day_label(day),
            "before": day - timedelta(days=1),
            "after": day + timedelta(days=1),
        },
    )


@login_required
def job(request, pk):
    technician = _technician(request)
    order = get_object_or_404(workorders.assigned(technician), pk=pk)
    repair = getattr(order.case, "repair", None)
    paid = bool(repair and repair.is_paid)
    form = FinishForm(paid=paid, price=repair.accepted_price if paid else None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "arrive":
                workorders.arrive(order, technician)
                messages.success(request, _("Marked as arrived; the owner is told."))
                return redirect("repairs:job", pk=order.pk)
            if action == "finish":
                form = FinishForm(request.POST, request.FILES, paid=paid)
                if form.is_valid():
                    data = form.cleaned_data
                    workorders.finish(
                        order,
                        technician,
                        notes=data["notes"],
                        files=data["attachments"],
                        materials=data["materials"],
                        amount=data.get("amount"),
                    )
                    messages.success(request, _("Done; the owner is asked to confirm."))
                    return redirect("repairs:jobs")
        except RepairError as error:
            messages.error(request, str(error))
            return redirect("repairs:job", pk=order.pk)
    return render(
        request,
        "repairs/job.html",
        {"order": order, "case": order.case, "repair": repair, "form": form},
    )


# -- 特约服务 -----------------------------------------------------------------------------------


@login_required
def service_menu(request):
    """特约服务: what the property can arrange, each with its form."""
    return render(
        request,
        "repairs/services.html",
        {"types": SpecialService.Type.choices, "has_home": requests.homes(request.user).exists()},
    )


@login_required
def new_service(request, type):
    if type not in SpecialService.Type.values:
        raise Http404
    form = ServiceForm(request.POST or None, owner=request.user, type=type)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.request_service(request.user, **form.request())
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            return submitted(
                request, service.case, _("%(reference)s is submitted. We will answer by %(due)s.")
            )
    return render(
        request,
        "repairs/new_service.html",
        {
            "form": form,
            "type": SpecialService.Type(type),
            "has_home": bool(form.homes),
            # 空调加时 is for shops and offices: a verified owner of a flat is told so.
            "homes_only": not form.homes and requests.homes(request.user).exists(),
        },
    )


@login_required
def gate_pass(request, token):
    """What the QR code of a 放行条 opens. The guard sees whether it is good for today and lets
    the goods out; its owner is taken to their case; anyone else finds nothing here."""
    service = services.find_pass(token)
    if service is None:
        raise Http404
    if service.case.owner_id == request.user.pk:
        return redirect(service.case)
    if not request.user.has_perm("repairs.check_gate_pass"):
        raise Http404
    if request.method == "POST":
        try:
            services.let_out(service, request.user)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Let out. The pass cannot be used again."))
        return redirect("repairs:pass", token=token)
    good, why = services.verdict(service)
    # The guard sees the surname (王**), enough to ask for; the goods and plate are the check.
    owner_name = service.case.owner.name_without_nickname(show_real_name=False)
    return render(
        request,
        "repairs/gate_pass.html",
        {"service": service, "good": good, "why": why, "owner_name": owner_name},
    )
