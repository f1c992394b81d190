"""The fee desk's screens beyond the plain listings: reading a building's meters, importing a
month's readings, a billing run's preview and confirmation, a bill with its money, a unit's
statement."""

import io
from decimal import Decimal

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from fees import access, arrears, bank, billing, paper, payments, readings, reminders, reports
from fees.admin_forms import (
    ArrearsFilterForm,
    BankExportForm,
    BankImportForm,
    BillActionForm,
    CallForm,
    CheckReadingForm,
    ImportReadingsForm,
    ReadingSheetForm,
    ReportForm,
    StartRunForm,
)
from fees.ledger import statement, with_late_fees
from fees.models import BankImport, Bill, BillingRun, Meter, Payment, Reading, Reminder
from fees.money import to_fen
from owners.models import Estate, Unit
from portal.actions import Refused
from portal.admin_actions import ActionsInspectView


class FeeDeskView(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    """An admin page of the fee desk, for those with `permission_required`."""

    #: The listing it belongs to: (URL name, label) in the breadcrumbs.
    parent = None

    def handle_no_permission(self):
        raise PermissionDenied

    def get_breadcrumbs_items(self):
        url_name, label = self.parent
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_name), "label": label},
            {"url": "", "label": self.get_page_title()},
        ]


class FeeDeskFormView(FeeDeskView, FormView):
    """A form of the fee desk on one template (fees/admin/form.html): `intro` above it, `submit`
    on its button; a form with a file field is sent as multipart by itself."""

    template_name = "fees/admin/form.html"
    intro = ""
    submit = gettext_lazy("Save")

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, submit=self.submit, **kwargs)


class StartRunView(FeeDeskFormView):
    permission_required = "fees.run_billing"
    form_class = StartRunForm
    page_title = gettext_lazy("Bill a month")
    parent = ("billing_runs:index", gettext_lazy("Billing runs"))
    header_icon = "doc-full"
    intro = gettext_lazy(
        "Works out every unit's bill from the rules and the month's readings as a "
        "preview. Nothing reaches an owner until you confirm it."
    )
    submit = gettext_lazy("Work out the bills")

    def form_valid(self, form):
        try:
            run = billing.start_run(
                form.cleaned_data["estate"], self.request.user, period=form.cleaned_data["period"]
            )
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect("billing_runs:inspect", run.pk)


class RunView(ActionsInspectView):
    """A run's preview (totals by fee and building, what held lines back, the readings waiting
    for a second look) and its two buttons; once confirmed, the bills by building to print."""

    template_name = "fees/admin/run.html"
    page_title = gettext_lazy("Billing run")
    action_form_class = CheckReadingForm  # no fields are needed: the buttons say it all
    actions = {
        "work_out": lambda view, data: (
            billing.work_out(view.object, view.request.user) and _("Worked out again.")
        ),
        "confirm": lambda view, data: (
            billing.confirm_run(view.object, view.request.user)
            and _("Bills issued: owners see them now.")
        ),
    }

    def get_object(self, queryset=None):
        return get_object_or_404(BillingRun.objects.select_related("estate"), pk=self.pk)

    def get_page_subtitle(self):
        return f"{self.object.estate} · {self.object.period:%Y-%m}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        waiting = (
            Reading.objects.select_related("meter__estate")
            .filter(
                meter__estate_id=run.estate_id,
                period=run.period,
                flag__gt="",
                checked_at__isnull=True,
            )
            .exclude(meter__role=Meter.Role.MAIN)
            .select_related("meter__unit")
        )
        context.update(
            run=run,
            figures=billing.figures(run),
            waiting=waiting,
            blockers=[] if run.is_confirmed else billing.blockers(run),
            may_run=billing.can_run(self.request.user),
            bills_url=reverse("bills:index"),
        )
        return context


class ReadingSheetView(FeeDeskView, TemplateView):
    """抄表: a building's meters for a month, one box each, the last reading beside it: made for
    the building staff's phone."""

    permission_required = "fees.add_reading"
    template_name = "fees/admin/reading_sheet.html"
    page_title = gettext_lazy("Read the meters")
    parent = ("readings:index", gettext_lazy("Meter readings"))
    header_icon = "edit"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ReadingSheetForm(
            self.request.GET or None,
            initial={"read_on": timezone.localdate()},
        )
        context = super().get_context_data(form=form, **kwargs)
        if form.is_valid():
            context["rows"] = self.rows(form.cleaned_data)
        return context

    def meters(self, data):
        meters = Meter.objects.filter(estate=data["estate"]).select_related("unit")
        return meters.filter(unit__building=data["building"]) | meters.filter(
            unit__isnull=True, building=data["building"]
        )

    def rows(self, data):
        meters = list(self.meters(data).order_by("role", "unit__number", "code"))
        now = {
            r.meter_id: r for r in Reading.objects.filter(meter__in=meters, period=data["period"])
        }
        before = readings.latest_before(meters, data["period"])
        return [(meter, before.get(meter.pk), now.get(meter.pk)) for meter in meters]

    def post(self, request, *args, **kwargs):
        form = ReadingSheetForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data, saved, problems = form.cleaned_data, [], []
        stored = dict(
            Reading.objects.filter(meter__in=self.meters(data), period=data["period"]).values_list(
                "meter_id", "value"
            )
        )
        for meter in self.meters(data):
            typed = (request.POST.get(f"meter-{meter.pk}") or "").strip()
            if not typed:
                continue
            try:
                value = Decimal(typed.replace(",", ""))
                if value == stored.get(meter.pk):
                    continue  # shown as it was saved: not entered again
                saved.append(
                    readings.enter_reading(
                        meter,
                        request.user,
                        period=data["period"],
                        value=value,
                        read_on=data["read_on"],
                    )
                )
            except (ArithmeticError, ValueError):
                problems.append(_("%(meter)s: not a number.") % {"meter": meter.code})
            except Refused as error:
                problems.append(f"{meter.code}: {error}")
        flagged = [r for r in saved if r.flag]
        if saved:
            messages.success(
                request,
                _("%(count)s readings saved; %(flagged)s flagged for a second look.")
                % {"count": len(saved), "flagged": len(flagged)},
            )
        for problem in problems:
            messages.error(request, problem)
        return redirect(request.get_full_path())


class ImportReadingsView(FeeDeskFormView):
    permission_required = "fees.add_reading"
    form_class = ImportReadingsForm
    page_title = gettext_lazy("Import meter readings")
    parent = ("readings:index", gettext_lazy("Meter readings"))
    header_icon = "upload"
    submit = gettext_lazy("Import")

    def get_initial(self):
        return {"read_on": timezone.localdate()}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            saved = readings.import_readings(
                data["estate"],
                self.request.user,
                period=data["period"],
                upload=data["sheet"],
                read_on=data["read_on"],
            )
        except Refused as error:
            form.add_error("sheet", str(error))
            return self.form_invalid(form)
        flagged = sum(1 for r in saved if r.flag)
        messages.success(
            self.request,
            _("%(count)s readings saved; %(flagged)s flagged for a second look.")
            % {"count": len(saved), "flagged": flagged},
        )
        return redirect(
            f"{reverse('readings:index')}?period={data['period'].isoformat()}&flag=waiting"
        )


class ReadingView(ActionsInspectView):
    template_name = "fees/admin/reading.html"
    page_title = gettext_lazy("Meter reading")
    action_form_class = CheckReadingForm
    actions = {
        "check": lambda view, data: (
            readings.check_reading(view.object, view.request.user, data["note"])
            and _("The reading stands; it is billed as it is.")
        ),
    }

    def get_object(self, queryset=None):
        return get_object_or_404(
            Reading.objects.select_related("meter__unit", "meter__estate", "entered_by"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reading = self.object
        history = list(
            Reading.objects.filter(meter=reading.meter, period__lte=reading.period).order_by(
                "-period"
            )[:13]
        )
        rows = [
            (r, readings.use_of(r, older))
            for r, older in zip(history, [*history[1:], None], strict=True)
        ]
        context.update(
            reading=reading,
            history=rows,
            may_check=reading.waiting and readings.can_check(self.request.user),
        )
        return context


class BillView(ActionsInspectView):
    """A bill: its lines, corrections and payments, the late fee today, and the desk's forms to
    take money or adjust it."""

    template_name = "fees/admin/bill.html"
    page_title = gettext_lazy("Bill")
    action_form_class = BillActionForm

    def pay(self, data):
        if data["amount"] is None:
            raise payments.PaymentError(_("Enter the amount received, such as 216.81."))
        payment = payments.record_payment(
            self.object,
            self.request.user,
            amount=data["amount"],
            method=data["method"] or "cash",
            paid_on=data["paid_on"],
            note=data["note"],
        )
        return _("Payment recorded: receipt %(number)s.") % {"number": payment.receipt_number}

    def adjust(self, data):
        if data["amount"] is None:
            raise billing.BillingError(_("Enter the amount, such as -22.20."))
        billing.adjust(self.object, self.request.user, amount=data["amount"], reason=data["reason"])
        return _("Adjustment made.")

    def credit(self, data):
        redemption = payments.credits_waiting(self.object.unit).filter(pk=data["redemption"])
        if not redemption:
            raise payments.PaymentError(_("This credit is not for a member of this unit."))
        payment = payments.credit_points(redemption.get(), self.object, self.request.user)
        return _("Club credit put on the bill: receipt %(number)s.") % {
            "number": payment.receipt_number
        }

    actions = {"pay": pay, "adjust": adjust, "credit": credit}

    def get_object(self, queryset=None):
        bills = Bill.objects.issued().filter(pk=self.pk)
        found = with_late_fees(bills)
        if not found:
            raise Http404
        return found[0]

    def get_page_subtitle(self):
        return f"{self.object.unit} · {self.object.period:%Y-%m}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bill, user = self.object, self.request.user
        context.update(
            bill=bill,
            lines=list(bill.lines.all()),
            asked=to_fen(bill.owed + bill.late_fee),
            may_pay=payments.can_take(user) and (bill.owed > 0 or bill.late_fee > 0),
            credits=(
                list(payments.credits_waiting(bill.unit))
                if payments.can_take(user) and bill.owed > 0
                else []
            ),
            may_adjust=billing.can_adjust(user),
            terms=billing.terms_for(bill.unit.estate),
            today=timezone.localdate(),
        )
        return context


class StatementView(FeeDeskView, TemplateView):
    """房屋对账单: every bill, correction and payment of a unit with the running balance, the
    reminders reached, the calls made and the form to record one."""

    permission_required = "fees.view_bill"
    template_name = "fees/admin/statement.html"
    page_title = gettext_lazy("Unit statement")
    parent = ("bills:index", gettext_lazy("Bills"))
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(Unit.objects.select_related("estate"), pk=kwargs["unit"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                reminders.record_call(self.unit, request.user, **form.cleaned_data)
            except Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Call recorded."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(call_form=form))

    def get_context_data(self, **kwargs):
        kwargs.pop("unit", None)
        unit = self.unit
        entries = statement(unit)
        bills = with_late_fees(Bill.objects.issued().filter(unit=unit).order_by("-period"))
        return super().get_context_data(
            unit=unit,
            entries=entries,
            bills=bills,
            balance=entries[-1].balance if entries else Decimal("0.00"),
            late_fees=sum((b.late_fee for b in bills), Decimal("0.00")),
            page_subtitle=str(unit),
            payers=access.payers([unit.pk]).get(unit.pk, []),
            contacts=self.request.user.has_perm("owners.view_contacts"),
            reached=Reminder.objects.filter(bill__unit=unit).select_related("bill"),
            calls=unit.collection_calls.select_related("called_by"),
            call_form=kwargs.pop("call_form", None) or CallForm(),
            may_call=reminders.can_call(self.request.user),
            **kwargs,
        )


def runs_with_totals():
    """Billing runs with their bill count and total (one query for the listing)."""
    return BillingRun.objects.select_related("estate", "confirmed_by").annotate(
        bill_count=Count("bills", distinct=True),
        total=Sum("bills__lines__amount"),
    )


def readings_listing():
    return Reading.objects.select_related("meter__unit", "meter__estate", "entered_by").annotate(
        billed=Exists(
            BillingRun.objects.filter(
                estate=OuterRef("meter__estate"), period=OuterRef("period"), status="confirmed"
            )
        )
    )


def run_requests(request, pk):
    """The payment requests of a confirmed run, a building at a time (?building=3栋), to print."""
    if not request.user.has_perm("fees.view_bill"):
        raise PermissionDenied
    run = get_object_or_404(BillingRun, pk=pk, status=BillingRun.Status.CONFIRMED)
    bills = Bill.objects.filter(run=run).order_by("unit__building", "unit__number")
    if building := request.GET.get("building"):
        bills = bills.filter(unit__building=building)
    found = with_late_fees(bills)
    if not found:
        raise Http404
    return paper.response(paper.payment_requests(found), f"payment-requests-{run.period:%Y%m}.pdf")


def bill_request(request, pk):
    if not request.user.has_perm("fees.view_bill"):
        raise PermissionDenied
    found = with_late_fees(Bill.objects.issued().filter(pk=pk))
    if not found:
        raise Http404
    return paper.response(paper.payment_requests(found), f"payment-request-{found[0].number}.pdf")


def receipt(request, pk):
    if not request.user.has_perm("fees.view_payment"):
        raise PermissionDenied
    payment = get_object_or_404(
        Payment.objects.select_related("bill__unit__estate", "taken_by"), pk=pk
    )
    return paper.response(paper.receipt(payment), f"receipt-{payment.receipt_number}.pdf")


class BankExportView(FeeDeskFormView):
    permission_required = "fees.collect_by_bank"
    form_class = BankExportForm
    page_title = gettext_lazy("Direct debits for the bank")
    parent = ("bank_imports:index", gettext_lazy("Bank collection"))
    header_icon = "download"
    intro = gettext_lazy(
        "Every issued bill that still owes something, for the units with a direct-debit "
        "agreement in force, with what it asks today (late fee included)."
    )
    submit = gettext_lazy("Download")

    def form_valid(self, form):
        name, content = bank.export_debits(form.cleaned_data["estate"], self.request.user)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class BankImportView(FeeDeskFormView):
    permission_required = "fees.collect_by_bank"
    form_class = BankImportForm
    page_title = gettext_lazy("Import the bank's results")
    parent = ("bank_imports:index", gettext_lazy("Bank collection"))
    header_icon = "upload"
    submit = gettext_lazy("Import")

    def form_valid(self, form):
        try:
            batch = bank.import_results(
                form.cleaned_data["estate"], self.request.user, upload=form.cleaned_data["results"]
            )
        except Refused as error:
            form.add_error("results", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(paid)s debits collected and paid; %(failed)s not collected.")
            % {"paid": batch.paid, "failed": len(batch.failures)},
        )
        return redirect("bank_imports:inspect", batch.pk)


class BankImportScreen(InspectView):
    template_name = "fees/admin/bank_import.html"
    page_title = gettext_lazy("Bank result file")

    def get_object(self, queryset=None):
        return get_object_or_404(
            BankImport.objects.select_related("estate", "imported_by"), pk=self.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.object
        return context


class ArrearsView(FeeDeskView, TemplateView):
    """欠费台账: the units with overdue bills, filtered by estate, building, months and stage,
    as a page or a spreadsheet."""

    permission_required = "fees.view_bill"
    template_name = "fees/admin/arrears.html"
    page_title = gettext_lazy("Arrears ledger")
    parent = ("bills:index", gettext_lazy("Bills"))
    header_icon = "warning"
    per_page = 50

    def get(self, request, *args, **kwargs):
        self.form = ArrearsFilterForm(request.GET or None)
        data = self.form.cleaned_data if self.form.is_valid() else {}
        self.rows = arrears.ledger(
            estate=data.get("estate"),
            building=data.get("building") or "",
            months=data.get("months") or 0,
            stage=data.get("stage") or "",
            at_least=data.get("at_least") or 0,
        )
        if request.GET.get("export") == "xlsx":
            return arrears_workbook(self.rows)
        if request.GET.get("export") == "notices":
            return paper.response(paper.arrears_notices(self.rows), "arrears-notices.pdf")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page = Paginator(self.rows, self.per_page).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("export", None)
        return super().get_context_data(
            form=self.form,
            page=page,
            totals=arrears.totals(self.rows),
            query=query.urlencode(),
            may_call=reminders.can_call(self.request.user),
            contacts=self.request.user.has_perm("owners.view_contacts"),
            **kwargs,
        )


def _text_row(sheet, values):
    """A spreadsheet row whose text never turns into a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def arrears_workbook(rows):
    # openpyxl is imported for the first spreadsheet, not with the admin: some 13 MiB that a
    # web worker otherwise never needs (make bench-http, "Workers").
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Arrears ledger")
    _text_row(
        sheet,
        [
            _("Estate"),
            _("Unit"),
            _("Owners"),
            _("Bills overdue"),
            _("Due since"),
            _("Months overdue"),
            _("Owed (元)"),
            _("Late fee (元)"),
            _("Reminder stage"),
            _("Last call"),
            _("Promised to pay by"),
        ],
    )
    for row in rows:
        _text_row(
            sheet,
            [
                row.unit.estate.name,
                row.unit.label,
                "、".join(p.display_name for p in row.payers),
                len(row.bills),
                row.oldest,
                row.months,
                row.owed,
                row.late_fee,
                row.stage_label,
                row.call.get_outcome_display() if row.call else "",
                row.call.promised_on if row.call else None,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = f"{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="arrears-{stamp}.xlsx"'
    return response


class ReportView(FeeDeskView, TemplateView):
    """收缴率 and 水电平衡 for an estate and month, with the collection rate's last twelve
    months as a chart."""

    permission_required = "fees.view_bill"
    template_name = "fees/admin/report.html"
    page_title = gettext_lazy("Collection and meter balance")
    parent = ("bills:index", gettext_lazy("Bills"))
    header_icon = "table"

    def get_context_data(self, **kwargs):
        last = readings.previous_month(timezone.localdate().replace(day=1))
        form = ReportForm(self.request.GET or None, initial={"period": last})
        data = form.cleaned_data if form.is_valid() else {}
        estate = data.get("estate") or Estate.objects.order_by("pk").first()
        period = data.get("period") or last
        context = super().get_context_data(form=form, estate=estate, period=period, **kwargs)
        if estate:
            points = reports.trend(estate, period)
            context.update(
                collection=reports.collection(estate, period),
                balance=reports.balance(estate, period),
                chart=chart(points),
            )
        return context


def chart(points, width=640, height=180):
    """The collection rate month by month as bars: [(x, y, w, h, label, value)] for an inline
    SVG drawn by the template (no chart library is needed for twelve bars)."""
    gap, top, bottom = 8, 18, 22
    slot = width / max(len(points), 1)
    bars = []
    for index, (day, value) in enumerate(points):
        share = float(value or 0) / 100
        tall = (height - top - bottom) * min(share, 1)
        bars.append(
            {
                "x": round(index * slot + gap / 2, 1),
                "y": round(height - bottom - tall, 1),
                "w": round(slot - gap, 1),
                "h": round(tall, 1),
                "label": f"{day:%m}",
                "value": "—" if value is None else f"{value}%",
                "text_x": round(index * slot + slot / 2, 1),
                "text_y": round(height - bottom - tall - 4, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "base": height - bottom,
        "label_y": height - 6,
    }
