"""Repairs and service requests (报修与特约服务): the staff-managed lists they draw on (teams,
repair categories with their deadlines and warranty periods, the price list of paid services,
materials) and each owner's request, which is a case (cases.Case, kind "repair") with the
repair's own facts beside it."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from repairs.dates import day_label


class Team(models.Model):
    """Who does the work: one of the company's departments (工程部, 物业服务中心…) or an outside
    contractor (维保单位: the lift company, the builder for warranty work)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        CONTRACTOR = "contractor", _("Contractor")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    #: In-house technicians and staff who take its jobs (staff accounts).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    #: A contractor's people, who have no account: who to call.
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("team")
        verbose_name_plural = _("departments and contractors")

    def __str__(self):
        return self.name


class RepairCategory(models.Model):
    """What is wrong (给排水, 电气, 门窗, 墙面, 电梯…), with its deadlines, the team that usually
    does it and how long the builder's warranty covers it after the unit's handover."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    help_text = models.CharField(_("examples for owners"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("usually done by"),
    )
    #: The case category requests of it are filed under: its deadline for the first answer.
    case_category = models.ForeignKey(
        "cases.Category",
        on_delete=models.PROTECT,
        verbose_name=_("filed as cases of"),
        help_text=_(
            "Requests are cases of this category: the first answer is due within its time."
        ),
    )
    arrival_hours = models.PositiveIntegerField(_("arrive within (hours)"), default=24)
    completion_hours = models.PositiveIntegerField(_("complete within (hours)"), default=72)
    #: The statutory minimum periods (《建设工程质量管理条例》第四十条) are the defaults staff
    #: start from: 2 years for plumbing, wiring and fittings, 5 years for waterproofing.
    warranty_months = models.PositiveIntegerField(
        _("warranty after handover (months)"),
        default=24,
        help_text=_("0: never under warranty. Waterproofing is 60 months by law, most else 24."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("repair category")
        verbose_name_plural = _("repair categories")

    def __str__(self):
        return self.name

    def covers(self, handed_over_on, day):
        """Whether a unit handed over on `handed_over_on` is still under this warranty on
        `day`."""
        if not handed_over_on or not self.warranty_months:
            return False
        months = handed_over_on.month - 1 + self.warranty_months
        year, month = handed_over_on.year + months // 12, months % 12 + 1
        # The same day of the month, or the month's last day (31 Jan + 1 month: 28/29 Feb).
        for last in (31, 30, 29, 28):
            try:
                end = date(year, month, min(handed_over_on.day, last))
                break
            except ValueError:
                continue
        return day < end


class PriceItem(models.Model):
    """One line of the price list of paid services (有偿服务价目表)."""

    category = models.ForeignKey(
        RepairCategory,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("repair category"),
    )
    name = models.CharField(_("service"), max_length=80)
    unit = models.CharField(pgettext_lazy("price", "per"), max_length=10, default="次")
    price = models.DecimalField(
        _("price (yuan)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category__sort_order", "category", "sort_order", "pk"]
        verbose_name = _("price list item")
        verbose_name_plural = _("price list")

    def __str__(self):
        return f"{self.name} ¥{self.price}/{self.unit}"


class Material(models.Model):
    """Materials technicians use, with their unit prices (the stock's 进销存 comes later)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    unit = models.CharField(pgettext_lazy("price", "per"), max_length=10, default="个")
    unit_price = models.DecimalField(
        _("unit price (yuan)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return f"{self.name}（¥{self.unit_price}/{self.unit}）"


class RepairRequest(models.Model):
    """An owner's repair request: the case it is (its reference, first responder, timeline,
    deadlines, follow-up and rating) and what only a repair has."""

    class Place(models.TextChoices):
        HOME = "home", _("In my home")
        COMMON = "common", _("A common area")

    class CommonArea(models.TextChoices):
        LIFT = "lift", _("Lift")
        CORRIDOR = "corridor", _("Corridor or stairs")
        GARAGE = "garage", _("Garage")
        GARDEN = "garden", _("Garden or paths")
        ENTRANCE = "entrance", _("Entrance or lobby")
        OTHER = "other", _("Elsewhere")

    class Window(models.TextChoices):
        MORNING = "morning", _("09:00–12:00")
        AFTERNOON = "afternoon", _("13:30–17:30")
        EVENING = "evening", _("18:00–20:00")

    #: When each window closes (Beijing time): a technician not there by then is late.
    WINDOW_ENDS = {"morning": time(12, 0), "afternoon": time(17, 30), "evening": time(20, 0)}

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="repair", verbose_name=_("case")
    )
    category = models.ForeignKey(
        RepairCategory, on_delete=models.PROTECT, verbose_name=_("repair category")
    )
    place = models.CharField(_("where"), max_length=10, choices=Place.choices)
    #: The estate of a common area (a home's is its unit's).
    estate = models.ForeignKey("owners.Estate", on_delete=models.PROTECT, verbose_name=_("estate"))
    common_area = models.CharField(
        _("common area"), max_length=10, choices=CommonArea.choices, blank=True
    )
    #: Up to three times the owner can be there: [{"date": "2026-12-05", "window": "morning"}].
    slots = models.JSONField(_("preferred times"), default=list)
    #: Decided when it was filed: within the category's warranty after the unit's handover.
    under_warranty = models.BooleanField(_("under warranty"), default=False)
    #: A paid job: the service from the price list, and its price as the owner accepted it.
    price_item = models.ForeignKey(
        PriceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("paid service"),
    )
    accepted_price = models.DecimalField(
        _("price accepted (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_accepted_at = models.DateTimeField(_("price accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")

    def __str__(self):
        return str(self.case)

    @property
    def is_paid(self):
        return self.price_item_id is not None

    @property
    def where(self):
        """金都·翠湖苑 3栋 1201, or 金都·翠湖苑 电梯 for a common area (the case's unit loaded)."""
        if self.case.unit_id:
            return f"{self.estate.name} {self.case.unit.label}"
        return f"{self.estate.name} {self.get_common_area_display()}"

    @property
    def slot_list(self):
        """The preferred times as dates and the window as owners read it."""
        windows = dict(self.Window.choices)
        return [
            {
                "day": day_label(date.fromisoformat(s["date"])),
                "window": windows.get(s["window"], ""),
            }
            for s in self.slots
        ]


class WorkOrder(models.Model):
    """维修单: a job dispatched to a team, with its technician and appointment. A case has at
    most one open at a time; reassigning cancels the open one with who, when and why."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ARRIVED = "arrived", _("Arrived")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Reassigned")

    #: The states in which a job holds its technician's time.
    OPEN = (State.BOOKED, State.ARRIVED)

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="work_orders", verbose_name=_("case")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, verbose_name=_("team"))
    #: An in-house technician; a contractor's job has none (the contractor sends someone).
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("technician"),
    )
    day = models.DateField(_("day"))
    window = models.CharField(_("time"), max_length=10, choices=RepairRequest.Window.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.BOOKED, db_index=True
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    created_at = models.DateTimeField(_("dispatched"), auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reassigned by"),
    )
    cancelled_at = models.DateTimeField(_("reassigned"), null=True, blank=True)
    cancel_reason = models.CharField(_("why reassigned"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    notes = models.TextField(_("what was done"), blank=True)
    #: What the owner pays for a paid job (the service, and materials where charged).
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    #: 0: on time; 1: the technician and the case's first responder were reminded; 2: managers.
    escalation_level = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["day", "window", "pk"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            # A technician is in one place at a time: the database refuses a second booking of
            # the same slot, however many dispatchers press at once.
            models.UniqueConstraint(
                fields=["technician", "day", "window"],
                condition=models.Q(state__in=["booked", "arrived"], technician__isnull=False),
                name="repairs_technician_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state__in=["booked", "arrived"]),
                name="repairs_one_open_work_order_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} · {self.team}"

    @property
    def arrival_due(self):
        """The end of the booked window."""
        end = RepairRequest.WINDOW_ENDS[self.window]
        return timezone.make_aware(datetime.combine(self.day, end))

    def completion_due(self, completion_hours):
        """`completion_hours` after the technician arrived (or was due to)."""
        return (self.arrived_at or self.arrival_due) + timedelta(hours=completion_hours)


class MaterialUse(models.Model):
    """Materials a job used, at the price of the day (the month's 进销存 counts these)."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="materials", verbose_name=_("work order")
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, verbose_name=_("material"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("material used")
        verbose_name_plural = _("materials used")

    def __str__(self):
        return f"{self.material.name} × {self.quantity}"


class SpecialService(models.Model):
    """特约服务: something an owner asks the property to arrange for one day (the lift kept for
    a move, air conditioning after hours, goods let out through the gate). It is a case (kind
    "service") like a repair; staff approve or decline it, and an approved 物资放行 is a pass
    (放行条) the gate guard scans once, on its day."""

    class Type(models.TextChoices):
        LIFT = "lift", _("Lift reserved for a move")
        AIRCON = "aircon", _("Air conditioning after hours")
        RELEASE = "release", _("Goods out through the gate")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        #: 物资放行: the guard let the goods out (the pass is spent).
        USED = "used", _("Let out")
        #: The day passed: done (lift, air conditioning) or the pass unused and void.
        PAST = "past", _("Day passed")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="service", verbose_name=_("case")
    )
    type = models.CharField(_("service"), max_length=10, choices=Type.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED, db_index=True
    )
    day = models.DateField(_("day"))
    #: The hours the lift is kept or the air conditioning runs (物资放行: none).
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("until"), null=True, blank=True)
    lift = models.CharField(_("which lift"), max_length=30, blank=True)
    area = models.CharField(_("which area"), max_length=60, blank=True)
    #: 物资放行: what goes out, one thing a line, and the vehicle that carries it.
    items = models.TextField(_("goods"), blank=True)
    plate = models.CharField(_("vehicle plate"), max_length=10, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    #: The 放行条's secret: the QR code opens /repairs/pass/<token>/ for the guard.
    pass_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("let out by"),
    )
    used_at = models.DateTimeField(_("let out"), null=True, blank=True)

    class Meta:
        ordering = ["day", "starts", "pk"]
        verbose_name = _("special service")
        verbose_name_plural = _("special services")
        permissions = [("check_gate_pass", _("Can check and use gate passes"))]

    def __str__(self):
        return str(self.case)

    @property
    def when(self):
        """12月5日 周六 09:00–11:00 (a pass: the day alone)."""
        return f"{day_label(self.day, relative=False)} {self.hours}".strip()

    @property
    def hours(self):
        """09:00–11:00, or "" for a pass."""
        if self.starts and self.ends:
            return f"{self.starts:%H:%M}–{self.ends:%H:%M}"
        return ""

    @property
    def item_list(self):
        return [line for line in self.items.splitlines() if line.strip()]
