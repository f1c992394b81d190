from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something an owner should know about, shown in the site and maybe emailed."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        MENTION = "mention", _("Mention")
        OFFICIAL_REPLY = "official_reply", _("Official reply")
        LIKE = "like", _("Like")
        MODERATION = "moderation", _("Moderation")
        CASE = "case", _("Case")
        REPAIR = "repair", _("Repair")
        NOTICE = "notice", _("Notice")
        IMPORTANT_NOTICE = "important_notice", _("Important notice")
        ACCOUNT = "account", _("Review")
        EVENT = "event", _("Event")
        CLUB = "club", _("Member club")
        PUBLICATIONS = "publications", _("Club magazine and news")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Rendered when created, in the recipient's language.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    #: What makes the message once (portal.notifications.tell): a second with the same key is
    #: not written, nor sent on any channel.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("message to an owner")
        verbose_name_plural = _("messages to owners")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text
