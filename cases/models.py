"""The complaint mailbox (投诉信箱): cases, their timeline and attachments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.storage import private_storage


class Category(models.Model):
    """Staff-managed: repairs, property service, sales, … with their own deadlines."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    first_response_hours = models.PositiveIntegerField(
        _("first response within (service hours)"),
        default=12,
        help_text=_("Counted in the desk's service hours (Settings): a day open 8:30–20:30 is 12."),
    )
    resolution_hours = models.PositiveIntegerField(
        _("resolution within (service hours)"), default=36
    )
    #: Where cases nobody has sorted go: emails to the complaint inbox and forum topics.
    is_default = models.BooleanField(
        _("for email and forum cases"),
        default=False,
        help_text=_(
            "Cases from the complaint inbox and from forum topics are filed here. One category "
            "at most; when none is ticked, the first in the list is used."
        ),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="cases_one_default_category",
                violation_error_message=_(
                    "Another category is already for email and forum cases: untick it there first."
                ),
            )
        ]

    def __str__(self):
        return self.name


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Case.OPEN_STATUSES)

    def overdue(self, now=None):
        """Open cases past their first-response or resolution deadline."""
        now = now or timezone.now()
        late = models.Q(first_responded_at__isnull=True, first_response_due__lt=now) | models.Q(
            resolution_due__lt=now
        )
        return self.open().filter(late)


class Case(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        OPINION = "opinion", _("Opinion")
        ENQUIRY = "enquiry", _("Enquiry")
        LEGAL = "legal", _("Legal consultation")
        PRAISE = "praise", _("Praise")
        #: Filed through 我要报修 (the repairs app keeps its repair's facts beside it).
        REPAIR = "repair", _("Repair")
        #: Filed through 特约服务 (the repairs app keeps the service's facts beside it).
        SERVICE = "service", _("Special service")

    #: Kinds filed through a form of their own (我要报修, 特约服务), not the complaint form.
    OWN_FORMS = (Kind.REPAIR, Kind.SERVICE)

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        EMAIL = "email", pgettext_lazy("channel", "Email")
        PHONE = "phone", _("Hotline")
        FORUM = "forum", _("Forum")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        verbose_name=pgettext_lazy("property", "owner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("category"))
    unit = models.ForeignKey(
        "owners.Unit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("unit")
    )
    #: The forum topic this case was opened from; the topic shows the case in return. One case
    #: per topic (casework.case_from_topic).
    forum_topic = models.ForeignKey(
        "forum.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("forum topic"),
    )
    #: For cases by email from an address no verified owner has: staff match it to an owner.
    contact_email = models.EmailField(_("sender's email"), blank=True)
    subject = models.CharField(_("subject"), max_length=120)
    description = models.TextField(pgettext_lazy("case", "description"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    #: 首问负责人: set when a staff member accepts the case, changed only by a recorded transfer.
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_responsible",
        null=True,
        blank=True,
        verbose_name=_("first responder"),
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now, db_index=True)
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the owner"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    #: 0: on time; 1: the first responder was reminded; 2: managers were told.
    escalation_level = models.PositiveSmallIntegerField(default=0, editable=False)
    #: An email whose sender the receiving mail server did not authenticate and that carried no
    #: reply link of ours: it may be forged, so it belongs to nobody until staff match it
    #: (casework.match_owner, casework.join_case).
    sender_unverified = models.BooleanField(_("unverified sender"), default=False)
    #: Some of its email text declared no character set, or one that is wrong or unknown: it
    #: was read with a guess (cases.mailbox.decode_text), and staff check the original.
    decoded_with_fallback = models.BooleanField(_("decoded with fallback"), default=False)

    #: Still waiting on the company: the deadlines count for these.
    OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("handle_case", _("Can accept and handle cases")),
            ("manage_cases", _("Can handle any case and transfer cases")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["forum_topic"],
                condition=models.Q(forum_topic__isnull=False),
                name="cases_one_case_per_topic",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.reference])

    @property
    def is_confirmed(self):
        """The owner has confirmed this resolution (a reopened and resolved again case asks
        again)."""
        return bool(
            self.confirmed_at and self.resolved_at and self.confirmed_at >= self.resolved_at
        )

    @property
    def is_first_response_late(self):
        """Still open, unanswered, and past the first-response deadline."""
        return (
            self.status in self.OPEN_STATUSES
            and self.first_responded_at is None
            and self.first_response_due < timezone.now()
        )

    @property
    def is_resolution_late(self):
        """Still open and past the resolution deadline."""
        return self.status in self.OPEN_STATUSES and self.resolution_due < timezone.now()

    @property
    def is_overdue(self):
        """The same rule as CaseQuerySet.overdue, for one case already in hand."""
        return self.is_first_response_late or self.is_resolution_late


class CaseEvent(models.Model):
    """One line of a case's timeline. Append-only."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Filed")
        REPLY = "reply", _("Reply from customer service")
        OWNER_MESSAGE = "owner_message", _("Message from the owner")
        NOTE = "note", _("Internal note")
        STATUS = "status", _("Status change")
        TRANSFER = "transfer", _("Transfer")
        FOLLOW_UP = "follow_up", _("Follow-up visit")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    visible_to_owner = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case.reference} · {self.get_kind_display()}"


def attachment_path(attachment, filename):
    return f"cases/{attachment.case.reference}/{filename}"


def thumbnail_path(attachment, filename):
    return f"cases/{attachment.case.reference}/thumbnails/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    name = models.CharField(max_length=200)
    # Decided by the server from the content (portal.files), never the uploader's word.
    verified_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    #: A photo's small square copy for the timelines (portal.images.thumbnail); empty for others.
    thumbnail = models.FileField(
        upload_to=thumbnail_path, storage=private_storage, blank=True, editable=False
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cases:attachment", args=[self.case.reference, self.pk])

    def stored_names(self):
        return [name for name in (self.file.name, self.thumbnail.name) if name]

    #: Pictures shown as thumbnails of themselves; any other file is a link to download.
    THUMBNAIL_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")

    @property
    def is_image(self):
        return self.verified_type in self.THUMBNAIL_TYPES


class ReferenceCounter(models.Model):
    """The last case number given out in a month: TS-202611-0042 is the 42nd of November 2026."""

    month = models.CharField(max_length=6, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.month}: {self.last}"


class QuarantinedEmail(models.Model):
    """A message the inbox could not handle: moved to the quarantine folder, shown to staff.

    The poller never tries it again while this record is unhandled; once staff mark it handled,
    a copy moved back into the inbox folder is read again like a new message."""

    #: The Message-ID, or a hash of the whole message when it has none.
    fingerprint = models.CharField(max_length=255, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(_("from"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    folder = models.CharField(_("kept in folder"), max_length=100)
    reason = models.CharField(_("reason"), max_length=255)
    #: The end of the error's traceback, for whoever fixes the cause.
    details = models.TextField(_("details"), blank=True)
    quarantined_at = models.DateTimeField(_("quarantined"), default=timezone.now, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_note = models.TextField(_("how it was handled"), blank=True)

    class Meta:
        ordering = ["-quarantined_at", "-pk"]
        verbose_name = _("quarantined email")
        verbose_name_plural = _("quarantined emails")

    def __str__(self):
        return self.subject or self.message_id or self.fingerprint[:20]

    @property
    def is_handled(self):
        return self.handled_at is not None


class InboxHealth(models.Model):
    """How the polls of the complaint inbox went: one row, updated by every poll."""

    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    #: Polls failed since the last one that succeeded, and when the first of them ran.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    #: A poll is running until then (renewed after each message): one poller at a time.
    polling_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox health")
        verbose_name_plural = _("inbox health")

    def __str__(self):
        return f"{self.failures_in_a_row} failed polls"


class InboundEmail(models.Model):
    """A message read from the complaint inbox, by its Message-ID: each is handled once."""

    message_id = models.CharField(max_length=255, unique=True)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, related_name="emails")
    sender = models.EmailField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")

    def __str__(self):
        return self.message_id
