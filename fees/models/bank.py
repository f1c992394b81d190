"""Bank collection (银行代扣): the accounts owners signed up for direct debit, and the bank's
result files as they were imported."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from owners.models import Unit


class BankAccount(models.Model):
    """A unit's direct-debit agreement (代扣协议): the account the bank takes its bills from."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name=_("unit")
    )
    holder = models.CharField(_("account holder"), max_length=50)
    bank = models.CharField(_("bank"), max_length=50, help_text=_("For example 杭州银行西湖支行."))
    #: Encrypted at rest like the archive's ID numbers; shown masked.
    number = EncryptedCharField(_("account number"), max_length=32)
    signed_on = models.DateField(_("signed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["unit"]
        verbose_name = _("direct-debit account")
        verbose_name_plural = _("direct-debit accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(ended_on=None), name="fees_one_debit_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.holder} {self.masked_number}"

    @property
    def masked_number(self):
        digits = "".join(self.number.split())
        return f"{digits[:4]} **** {digits[-4:]}" if len(digits) > 8 else "****"


class BankImport(models.Model):
    """A result file from the bank, imported once: the same file again changes nothing."""

    estate = models.ForeignKey(
        "owners.Estate", on_delete=models.PROTECT, related_name="+", verbose_name=_("estate")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    filename = models.CharField(_("file"), max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    paid = models.PositiveIntegerField(_("collected"), default=0)
    #: The lines the bank could not collect: [{"bill", "unit", "amount", "reason"}, …].
    failures = models.JSONField(_("not collected"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("bank result file")
        verbose_name_plural = _("bank result files")
        permissions = [("collect_by_bank", _("Can export and import the bank's direct debits"))]

    def __str__(self):
        return self.filename
