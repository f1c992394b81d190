"""Pages emailed to members: one mailing per page, one delivery per member and page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mailing(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="mailing", verbose_name=_("page")
    )
    total = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self):
        return self.page.title

    @property
    def progress(self):
        return f"{self.sent} / {self.total}"


class MailingDelivery(models.Model):
    """Recorded before the email is queued: a retried task or a second publish skips it."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailing", "user"], name="home_one_delivery_per_page")
        ]

    def __str__(self):
        return f"{self.mailing} → {self.user}"
