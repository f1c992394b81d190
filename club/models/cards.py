"""Member cards (会员卡): numbered with a Luhn check digit, one active card per member."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberCard(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Reported lost")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", pgettext_lazy("member card", "Revoked")

    member = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="cards", verbose_name=_("member")
    )
    number = models.CharField(_("card number"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("member card")
        verbose_name_plural = _("member cards")
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="active"), name="club_one_active_card"
            )
        ]

    def __str__(self):
        return self.formatted_number

    @property
    def formatted_number(self):
        """8866 0123 4567 8903: groups of four, as printed on the card."""
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE
