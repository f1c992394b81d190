"""Owners' rights over their data (PIPL): "my data" exports and account closure requests.

State changes go through owners.privacy, so the site, the admin and the tasks behave alike.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.storage import private_storage


def export_path(export, filename):
    # A random name: an export is found by its row, never by a guessable path.
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """A ZIP of everything the site holds about one owner, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=pgettext_lazy("property", "owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        constraints = [
            # One export in the making per owner, even when the button is pressed twice at once.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="export_one_pending_per_user"
            )
        ]

    def __str__(self):
        return f"{_('Data export')} #{self.pk}"

    @property
    def is_ready(self):
        return self.status == self.Status.READY


class AccountClosure(models.Model):
    """An owner's request to close their account, and once carried out, the record of what was
    erased and kept (counts per kind), by whom and when. Kept after the closure: the account it
    points to no longer holds personal data."""

    class Posts(models.TextChoices):
        KEEP = "keep", _("Keep my forum posts, shown as by a closed account")
        REMOVE = "remove", _("Remove my forum posts and pictures")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be carried out")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DONE = "done", _("Account closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="closures",
        verbose_name=pgettext_lazy("property", "owner"),
    )
    posts = models.CharField(_("forum posts"), max_length=10, choices=Posts.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    done_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    #: Empty on a closure done: the daily task carried it out when its deadline came.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carried out by"),
    )
    #: {"kind": number}: what was erased, removed, cancelled or kept.
    counts = models.JSONField(_("what was done"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="closure_one_pending_per_user"
            )
        ]
        permissions = [("close_account", _("Can carry out account closures"))]

    def __str__(self):
        # Never the owner's name: this label is copied into the audit log.
        return f"{_('Closure request')} #{self.pk}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
