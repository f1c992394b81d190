"""催缴: the reminders sent for overdue bills, a stage at a time, and the desk's calls."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from owners.models import Unit


class Reminder(models.Model):
    """A stage of reminding reached for a bill: each is reached once."""

    class Stage(models.TextChoices):
        FRIENDLY = "friendly", _("Friendly reminder")
        NOTICE = "notice", _("Arrears notice")
        CALL = "call", _("Call from customer service")

    bill = models.ForeignKey(
        "fees.Bill", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("bill")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    at = models.DateTimeField(_("reached"), auto_now_add=True)
    #: How many accounts were told (0: nobody to tell on the site, or the call stage).
    told = models.PositiveSmallIntegerField(_("owners told"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["bill", "stage"], name="fees_reminder_once_a_stage")
        ]

    def __str__(self):
        return f"{self.bill} · {self.get_stage_display()}"


class CollectionCall(models.Model):
    """A call about a unit's arrears (催缴电话) and what came of it."""

    class Outcome(models.TextChoices):
        PROMISED = "promised", _("Promised to pay")
        DISPUTED = "disputed", _("Disputes the bill")
        REFUSED = "refused", _("Refuses to pay")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="collection_calls", verbose_name=_("unit")
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("called by"),
    )
    called_at = models.DateTimeField(_("called"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    promised_on = models.DateField(_("promised to pay by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-called_at"]
        verbose_name = _("collection call")
        verbose_name_plural = _("collection calls")
        permissions = [("record_collection_call", _("Can record calls about arrears"))]

    def __str__(self):
        return f"{self.unit} · {self.get_outcome_display()}"
