from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """An owner's agreement to a document in one version, at one time (PIPL art. 14).

    Append-only: agreeing again adds a row, so the history stays as proof. Written by
    owners.consent.record only.
    """

    class Document(models.TextChoices):
        PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
        CLUB_RULES = "club_rules", _("Club rules")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("user"),
    )
    document = models.CharField(_("document"), max_length=30, choices=Document.choices)
    #: The document's own version label, e.g. "2026-12" for the privacy policy.
    version = models.CharField(_("version"), max_length=40)
    given_at = models.DateTimeField(_("agreed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "document", "-given_at"])]

    def __str__(self):
        return f"{self.get_document_display()} {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consent records are never changed; record a new one.")
        super().save(*args, **kwargs)
