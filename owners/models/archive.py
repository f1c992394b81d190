"""The owner archive (客户档案): the people the desk serves, with or without an account.

A record is one person: an owner, a co-owner, a family member or a tenant. Which homes they
belong to, in which role and from when to when, is an `Occupancy`; each change of who lives in
or owns a unit (交房, 入住, 出租, 退租, 更名, 退场) is a `UnitEvent` made by `owners.archive`, which
starts and ends the occupancies, so a unit's history is never edited, only added to.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from encrypted_fields.fields import EncryptedCharField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal import phones
from portal.storage import private_storage
from portal.validators import is_plate, normalise_plate, validate_mobile


def id_digest(number):
    """A keyed digest of an ID number, the same for the same number: finds a record typed twice
    without keeping the number readable."""
    number = (number or "").strip().upper()
    if not number:
        return ""
    key = f"owner-archive-id:{settings.SECRET_KEY}".encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def mask_id(number):
    """ "440301199003071234" -> "4403**********1234": enough to tell two people apart."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


class OwnerRecord(ClusterableModel):
    """One person in the archive (客户档案)."""

    class IdType(models.TextChoices):
        RESIDENT = "resident", _("Resident ID card")
        HK_MACAU = "hk_macau", _("Mainland travel permit for Hong Kong and Macao residents")
        TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other document")

    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, db_index=True, validators=[validate_mobile]
    )
    email = models.EmailField(_("email address"), blank=True, db_index=True)
    id_type = models.CharField(_("ID document"), max_length=12, choices=IdType.choices, blank=True)
    #: Encrypted at rest; shown in full only to those with owners.view_id_number (managers).
    id_number = EncryptedCharField(_("ID number"), max_length=30, null=True, blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    emergency_contact = models.CharField(
        _("emergency contact"), max_length=50, blank=True, help_text=_("Name and relation.")
    )
    emergency_phone = models.CharField(_("emergency contact's phone"), max_length=20, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    printed_mail = models.BooleanField(
        _("wants printed mail"),
        default=True,
        help_text=_("The club's printed magazine and brochures are posted to this address."),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    #: The owner's account once they have one (owners.archive.link_account).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("owner record")
        verbose_name_plural = _("owner archive")
        constraints = [
            # One record per person: the same ID number typed twice is refused, even at once.
            models.UniqueConstraint(
                fields=["id_digest"],
                condition=~Q(id_digest=""),
                name="ownerrecord_one_per_id_number",
            )
        ]
        permissions = [
            ("view_contacts", _("Can see owners' phone numbers and addresses")),
            ("view_id_number", _("Can see owners' ID numbers in full")),
            ("record_unit_change", _("Can record handovers, lettings, transfers and move-outs")),
            ("link_account", _("Can link an owner record to an account")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id_digest = id_digest(self.id_number)
        if kwargs.get("update_fields") is not None and "id_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_digest"}
        super().save(*args, **kwargs)

    @property
    def masked_id(self):
        return mask_id(self.id_number)

    @property
    def masked_mobile(self):
        return phones.masked(self.mobile)


class Vehicle(models.Model):
    record = ParentalKey(OwnerRecord, on_delete=models.CASCADE, related_name="vehicles")
    plate = models.CharField(_("plate"), max_length=10)
    description = models.CharField(
        _("make and colour"), max_length=50, blank=True, help_text=_("For example 白色 大众朗逸.")
    )
    parking_space = models.CharField(
        _("parking space"), max_length=30, blank=True, help_text=_("For example B2-118.")
    )

    class Meta:
        ordering = ["plate"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles and parking")

    def __str__(self):
        return self.plate

    def clean(self):
        self.plate = normalise_plate(self.plate)
        if self.plate and not is_plate(self.plate):
            raise ValidationError({"plate": _("Enter the vehicle's plate, such as 粤B12345.")})


class Occupancy(models.Model):
    """A person's place in a unit: role, and the dates it began and (once over) ended."""

    class Role(models.TextChoices):
        OWNER = "owner", pgettext_lazy("archive", "Owner of record")
        CO_OWNER = "co_owner", _("Co-owner")
        FAMILY = "family", _("Household member")
        TENANT = "tenant", _("Tenant")

    record = models.ForeignKey(
        OwnerRecord, on_delete=models.CASCADE, related_name="occupancies", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "owners.Unit", on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    relation = models.CharField(
        _("relation to the owner"), max_length=20, blank=True, help_text=_("配偶, 子女, 父母…")
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "until", "role", "since"]
        verbose_name = _("unit and role")
        verbose_name_plural = _("units and roles")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "unit"],
                condition=Q(until__isnull=True),
                name="occupancy_one_current_per_record_unit",
            )
        ]

    def __str__(self):
        return f"{self.record} · {self.unit} · {self.get_role_display()}"


def slip_path(event, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return f"archive/slips/{event.unit_id}/{uuid.uuid4().hex}.{extension}"


class UnitEvent(models.Model):
    """One change in a unit's history, with who recorded it; never edited afterwards, except
    that the signed confirmation slip is attached to it."""

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("Handover")
        MOVE_IN = "move_in", _("Move-in")
        LET = "let", _("Letting")
        TENANCY_END = "tenancy_end", _("Tenancy ended")
        TRANSFER = "transfer", _("Change of owner")
        MOVE_OUT = "move_out", _("Move-out")

    #: The four procedures that end with a confirmation slip signed at the desk (客户确认单),
    #: and what the slip is called.
    SLIPS = {
        Kind.HANDOVER: _("New handover confirmation slip"),
        Kind.TRANSFER: _("Change of owner confirmation slip"),
        Kind.LET: _("Letting confirmation slip"),
        Kind.MOVE_OUT: _("Move-out confirmation slip"),
    }

    unit = models.ForeignKey(
        "owners.Unit", on_delete=models.PROTECT, related_name="events", verbose_name=_("unit")
    )
    kind = models.CharField(_("procedure"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    #: Those whose place in the unit began with this event (the new owners, the tenant…)…
    people = models.ManyToManyField(
        OwnerRecord, related_name="events", blank=True, verbose_name=_("people")
    )
    #: …and those whose place ended with it (the previous owners, the tenant leaving…).
    previous = models.ManyToManyField(
        OwnerRecord, related_name="+", blank=True, verbose_name=_("before")
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    signed_slip = models.FileField(
        _("signed slip"), upload_to=slip_path, storage=private_storage, blank=True
    )
    slip_uploaded_at = models.DateTimeField(null=True, blank=True)
    slip_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("unit history")
        verbose_name_plural = _("unit history")

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()} · {self.happened_on:%Y-%m-%d}"

    @property
    def slip_title(self):
        return self.SLIPS.get(self.kind)


class Visit(models.Model):
    """A walk-in or a phone call the desk served (来访 / 来电)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Walk-in")
        CALL = "call", _("Phone call")

    record = models.ForeignKey(
        OwnerRecord, on_delete=models.CASCADE, related_name="visits", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VISIT)
    at = models.DateTimeField(_("time"))
    subject = models.CharField(_("what about"), max_length=100)
    outcome = models.TextField(_("what was done"), blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("served by"),
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("visit or call")
        verbose_name_plural = _("visits and calls")

    def __str__(self):
        return f"{self.record} · {self.get_kind_display()} · {self.subject}"
