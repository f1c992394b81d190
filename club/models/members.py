"""Who belongs to the club: applications, members, their hobbies and important dates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.statements import Statement


class Hobby(models.Model):
    """Staff-managed list the application form offers (photography, golf, tea, …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("hobby")
        verbose_name_plural = _("hobbies")

    def __str__(self):
        return self.name


class Tier(models.Model):
    """普卡, 银卡, 金卡, 钻石卡: a member's tier follows the points earned in the tier period
    (ClubSettings.tier_period_months, 12 by default)."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    min_points = models.PositiveIntegerField(
        _("points earned in the tier period"),
        unique=True,
        help_text=_(
            "Members who earned at least this many points in the tier period (set in the club "
            "points rules) reach this tier."
        ),
    )
    colour = models.CharField(
        _("card colour"),
        max_length=7,
        default="#2f5d50",
        help_text=_("Background of the member card, as #RRGGBB."),
    )

    class Meta:
        ordering = ["min_points"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self):
        return self.name


class Preferences(models.Model):
    """What a member tells the club and wants from it: on the application, then the member."""

    publications = models.BooleanField(_("the club magazine and news"), default=True)
    event_news = models.BooleanField(_("news of club events"), default=True)
    birthday_greeting = models.BooleanField(_("a birthday greeting"), default=True)
    other_hobbies = models.CharField(_("other hobbies"), max_length=200, blank=True)

    class Meta:
        abstract = True


class MembershipApplication(Preferences):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="club_applications",
        verbose_name=_("applicant"),
    )
    hobbies = models.ManyToManyField(Hobby, blank=True, verbose_name=_("hobbies"))
    #: [{"kind": "birthday", "label": "", "date": "1980-05-17"}, …], copied to the member.
    important_dates = models.JSONField(_("important dates"), default=list, blank=True)
    agreed_to_rules_at = models.DateTimeField(_("agreed to the club rules"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            # The same form sent twice at once still leaves one application to review.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="club_one_pending_application"
            )
        ]
        permissions = [("review_membershipapplication", _("Can approve or reject applications"))]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    def date_rows(self):
        """(title, "YYYY-MM-DD") for each important date given, for the review screen."""
        kinds = dict(ImportantDate.Kind.choices)
        return [
            (d.get("label") or kinds.get(d["kind"], d["kind"]), d["date"])
            for d in self.important_dates
        ]


class MemberQuerySet(models.QuerySet):
    def active(self):
        """Members in good standing, for queries (mailings, greetings, digests, sign-ups)."""
        return self.filter(status=Member.Status.ACTIVE)


class Member(Preferences):
    """ "Is an active member" is decided here, three ways that say the same thing: `is_active` for
    a member in hand, `Member.objects.active()` for queries, and `active_member(user)` below for
    a person. Every page, template, hook and action in every app asks one of them: a suspended
    member keeps the record and the points, and loses everything the club gives its members
    ("My club", members-only magazine content, members' events, survey points, the card)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    #: The owner's account; None for an owner enrolled at the desk who has none yet (their
    #: record in the owner archive holds them until they sign up: club.signals).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=pgettext_lazy("property", "owner"),
    )
    record = models.OneToOneField(
        "owners.OwnerRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("owner record"),
    )
    number = models.CharField(_("member number"), max_length=12, unique=True, editable=False)
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, related_name="members", verbose_name=_("tier")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    hobbies = models.ManyToManyField(
        Hobby, blank=True, related_name="members", verbose_name=_("hobbies")
    )
    #: Changed only by club.points.post_entry, with a new ledger entry, in one transaction.
    points_balance = models.PositiveIntegerField(_("points balance"), default=0, editable=False)
    #: Points earned in the tier period, kept by the daily tier task; decides the tier.
    tier_points = models.PositiveIntegerField(
        _("points earned in the tier period"), default=0, editable=False
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    #: The last year a birthday greeting went out, so the daily task greets once a year.
    greeted_year = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_at"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            # The database itself refuses a negative balance, whatever the code does.
            models.CheckConstraint(
                condition=Q(points_balance__gte=0), name="club_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(record__isnull=False),
                name="club_member_has_account_or_record",
            ),
        ]
        permissions = [
            ("adjust_points", _("Can adjust members' points")),
            ("issue_card", _("Can issue and replace member cards")),
        ]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self):
        return reverse("club:home")

    @property
    def holder_name(self):
        """The name on the card: the account's, or the record's for a member without one."""
        return self.user.display_name if self.user_id else self.record.name

    @property
    def mobile(self):
        """Where to reach them: the account's number, or the desk's record's."""
        if self.user_id and self.user.mobile:
            return self.user.mobile
        return self.record.mobile if self.record_id else ""

    @property
    def email(self):
        return self.user.email if self.user_id else (self.record.email if self.record_id else "")

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


def active_member(user):
    """`user`'s membership when it is in good standing, else None (visitors, owners who are not
    members, suspended members)."""
    if not user.is_authenticated:
        return None
    return Member.objects.active().select_related("tier", "user").filter(user=user).first()


def membership_status(user):
    """The status of `user`'s membership (a `Member.Status`), or None for visitors and owners
    who never joined. Asked by every page that reads differently to members: its query is
    built once (portal.statements)."""
    if not user.is_authenticated:
        return None
    rows = _STATUS.rows(user=user.pk)
    return rows[0][0] if rows else None


_STATUS = Statement(
    lambda user: Member.objects.filter(user_id=user).order_by().values_list("status")
)


def is_active_member(user):
    return membership_status(user) == Member.Status.ACTIVE


class ImportantDate(models.Model):
    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        WEDDING = "wedding", _("Wedding anniversary")
        MOVE_IN = "move_in", _("Move-in date")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dates", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=40, blank=True)
    date = models.DateField(_("date"))
    # Month and day on their own, so "in the coming week" is an indexed range, any year.
    month_day = models.PositiveSmallIntegerField(editable=False, db_index=True)

    class Meta:
        ordering = ["month_day"]
        verbose_name = _("important date")
        verbose_name_plural = _("important dates")

    def __str__(self):
        return f"{self.title} {self.date:%m-%d}"

    def save(self, *args, **kwargs):
        self.month_day = self.date.month * 100 + self.date.day
        super().save(*args, **kwargs)

    @property
    def title(self):
        return (
            self.label if self.kind == self.Kind.OTHER and self.label else self.get_kind_display()
        )


class Referral(models.Model):
    """老带新: a member introduces a buyer; staff confirm the purchase, then points are awarded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Purchase confirmed")
        REJECTED = "rejected", _("Not confirmed")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("member")
    )
    buyer_name = models.CharField(_("buyer's name"), max_length=50)
    buyer_mobile = models.CharField(_("buyer's mobile number"), max_length=11)
    development = models.CharField(_("development of interest"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            # A buyer introduced once by a member, even when the form is sent twice at once.
            models.UniqueConstraint(
                fields=["member", "buyer_mobile"],
                condition=~Q(status="rejected"),
                name="club_one_live_referral_per_buyer",
            )
        ]

    def __str__(self):
        return f"{self.member.number} → {self.buyer_name}"
