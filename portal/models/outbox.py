from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Outgoing(models.Model):
    """One side effect (an email, a text message, a background job), written in the transaction of the change
    that causes it and delivered by a worker afterwards (portal/outbox.py).

    The row is the durable record: the broker only carries a "deliver these rows" nudge, so a
    broker outage or a killed worker delays delivery and never loses it. `key` is unique: a
    second row for the same side effect (a retried task, a second beat) is never written.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        TEXT = "sms", pgettext_lazy("outbox", "Text message")
        WECHAT = "wechat", pgettext_lazy("outbox", "WeChat message")
        TASK = "task", _("Background job")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=200, unique=True)
    #: Rows delivered and counted together (a mailing's emails, one post's notifications).
    group = models.CharField(_("group"), max_length=100, blank=True, db_index=True)
    queue = models.CharField(_("queue"), max_length=30)
    #: An email's (first) address or a text's number: what an account's closure finds and
    #: deletes.
    recipient = models.CharField(_("recipient"), max_length=254, blank=True, db_index=True)
    #: An email as rendered (subject, text, html, to, from, headers, attachments in base64),
    #: a text (number, template, values; the provider's id for it once sent), or a job (its
    #: task name and keyword arguments).
    payload = models.JSONField(_("contents"))
    #: The notification on the site this row carries to another channel (portal.notifications
    #: .tell): staff see, per message, which channels delivered it and when. Without a
    #: constraint, so deleting notifications stays one DELETE (an account's closure deletes
    #: its rows here by their recipient).
    notification = models.ForeignKey(
        "portal.Notification",
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="deliveries",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: When the relay next hands the row to a worker if it is still pending.
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="pending"),
                name="portal_outgoing_due",
            ),
            models.Index(fields=["state", "-created_at"], name="portal_outgoing_state"),
        ]
        permissions = [("retry_outgoing", _("Can retry outgoing messages"))]

    def __str__(self):
        if self.kind == self.Kind.EMAIL:
            return f"{self.payload.get('subject', '')} → {', '.join(self.payload.get('to', []))}"
        if self.kind in (self.Kind.TEXT, self.Kind.WECHAT):
            return f"{self.payload.get('template', '')} → {self.recipient}"
        return self.payload.get("task", self.key)
