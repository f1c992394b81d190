import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from owners.public_names import NICKNAME_KEY_MAX, nickname_key
from portal.validators import validate_mobile


def avatar_path(user, filename):
    return f"avatars/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class User(AbstractUser):
    """Everyone who signs in: owners on the site, staff in the Wagtail admin.

    An owner's profile lives on the user itself, so a name with its badge never costs a join.
    """

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    #: What other owners see instead of the real name (PIPL: a name is personal information).
    nickname = models.CharField(_("nickname"), max_length=20, blank=True)
    #: What the nickname looks like (owners.public_names.nickname_key), kept in step by save():
    #: finds another owner's "LakeVіew" (Cyrillic і) when someone picks "LakeView".
    nickname_key = models.CharField(max_length=NICKNAME_KEY_MAX, blank=True, db_index=True)
    show_real_name = models.BooleanField(_("show my real name to other owners"), default=False)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    #: The owner proved the number is theirs with a code sent to it: they may sign in with it,
    #: and no other account may verify it (portal.adapters, allauth's phone flows).
    mobile_verified = models.BooleanField(_("mobile number verified"), default=False)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)

    class EmailNotifications(models.TextChoices):
        IMMEDIATELY = "immediately", _("At once")
        DAILY = "daily", _("In a daily digest")
        NEVER = "never", _("Never")

    email_notifications = models.CharField(
        _("email me about replies and mentions"),
        max_length=20,
        choices=EmailNotifications.choices,
        default=EmailNotifications.IMMEDIATELY,
    )
    #: The channels chosen per topic of message in 我的 → 通知设置: {"case": ["sms", "email"], …};
    #: a topic not in it goes by its default (portal.channels).
    notification_channels = models.JSONField(_("notification channels"), default=dict, blank=True)
    #: Kept in step with approved ownership claims by owners.claims, because the badge is shown
    #: beside the name on every page that lists people.
    is_verified_owner = models.BooleanField(_("verified owner"), default=False)
    #: Set when the account is closed at the owner's request and its personal data erased.
    closed_at = models.DateTimeField(_("account closed"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("nickname"),
                condition=~models.Q(nickname=""),
                name="user_nickname_unique",
                violation_error_message=_("Another owner uses this nickname."),
            ),
            models.UniqueConstraint(
                fields=["mobile"],
                condition=models.Q(mobile_verified=True),
                name="user_verified_mobile_unique",
                violation_error_message=_("Another account has verified this mobile number."),
            ),
        ]

    @property
    def display_name(self):
        """The name staff see: the real name. Never the email address or a name derived from
        it: many are phone numbers. A closed account has no name left: 已注销用户."""
        if self.closed_at:
            return str(_("Closed account"))
        return self.real_name or self.get_full_name() or _("Owner %(number)s") % {"number": self.pk}

    @property
    def public_name(self):
        """The name other owners and visitors see: the nickname, the real name only if the owner
        chose to show it, otherwise the surname with the rest masked (王**)."""
        if self.closed_at:
            return _("Closed account")
        return self.nickname or self.name_without_nickname(self.show_real_name)

    #: What replaces all but the first character of a name nobody chose to show.
    NAME_MASK = "**"

    def name_without_nickname(self, show_real_name):
        """What others would see without a nickname, showing the real name or not (the profile
        previews both)."""
        name = self.real_name or self.get_full_name()
        if name and show_real_name:
            return name
        if name:
            return name[0] + self.NAME_MASK
        return _("Owner %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        self.nickname_key = nickname_key(self.nickname)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "nickname" in update_fields:
            kwargs["update_fields"] = {*update_fields, "nickname_key"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.display_name
