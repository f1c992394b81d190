"""Notices (通知、函件、温馨提示) to owners: pages written and approved like the rest of the CMS,
aimed at an audience (the whole company, estates, buildings, units, club members, owners with
an open repair), delivered on each owner's channels once, and, when important, acknowledged by
a date. Each owner a notice reached has a receipt: delivered, read, acknowledged."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from home.blocks import BodyBlock
from owners.models import Unit


class NoticeIndexPage(Page):
    """Where notices live in the page tree; owners read theirs in 我的 → 通知."""

    subpage_types = ["notices.NoticePage"]
    max_count = 1
    #: Notices are for their audience: never in the site search nor the sitemap.
    search_public = False

    def get_sitemap_urls(self, request=None):
        return []

    class Meta:
        verbose_name = _("notices")

    def serve(self, request, *args, **kwargs):
        return redirect("notices:mine")


def audience_problems(estates, buildings, unit_labels):
    """{field: message} for an audience the site cannot find exactly: buildings or units with
    no estate, or a unit not in the estates chosen. A notice must never reach more owners than
    its writer named."""
    if (buildings or unit_labels) and not estates:
        return {"estates": _("Choose the estates the buildings or units are in.")}
    wrong = [
        label
        for label in split(unit_labels)
        if (found := unit_of(label)) is None
        or not Unit.objects.filter(estate__in=estates, building=found[0], number=found[1]).exists()
    ]
    if wrong:
        return {
            "unit_labels": _("No such unit in the estates chosen: %(units)s.")
            % {"units": "、".join(wrong)}
        }
    return {}


class NoticePageForm(WagtailAdminPageForm):
    """The page editor's form: the audience is checked with the estates ticked in it (they are
    saved with the page, after the model's own checks)."""

    def clean(self):
        data = super().clean()
        problems = audience_problems(
            list(data.get("estates") or []), data.get("buildings", ""), data.get("unit_labels", "")
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


class NoticePage(Page):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice")
        LETTER = "letter", _("Letter")
        TIP = "tip", _("Friendly reminder")
        OUTAGE = "outage", _("Water or power cut")
        URGENT = "urgent", _("Urgent")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    important = models.BooleanField(
        _("important"),
        default=False,
        help_text=_("Owners are asked to confirm they have read it, by the date below."),
    )
    acknowledge_by = models.DateField(_("confirm by"), null=True, blank=True)
    # The audience: nothing chosen is every verified owner of the company.
    estates = ParentalManyToManyField(
        "owners.Estate", blank=True, related_name="+", verbose_name=_("estates")
    )
    buildings = models.CharField(
        _("buildings"),
        max_length=200,
        blank=True,
        help_text=_("Within the estates chosen, separated by commas: 3栋, 5栋."),
    )
    unit_labels = models.CharField(
        _("units"),
        max_length=500,
        blank=True,
        help_text=_("Within the estates chosen, separated by commas: 3栋 1201, 5栋 0802."),
    )
    members_only = models.BooleanField(_("club members only"), default=False)
    open_repairs = models.BooleanField(_("owners with an open repair only"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("important"), FieldPanel("acknowledge_by")]),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("estates", widget=forms.CheckboxSelectMultiple),
                FieldPanel("buildings"),
                FieldPanel("unit_labels"),
                FieldRowPanel([FieldPanel("members_only"), FieldPanel("open_repairs")]),
            ],
            heading=_("Who receives it"),
        ),
    ]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []
    search_public = False
    base_form_class = NoticePageForm

    def get_sitemap_urls(self, request=None):
        return []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def get_url(self, request=None, current_site=None):
        """Owners read a notice in 我的 → 通知, where it knows who they are."""
        return reverse("notices:detail", args=[self.pk])

    def serve(self, request, *args, **kwargs):
        return redirect("notices:detail", pk=self.pk)

    def serve_preview(self, request, mode_name):
        return TemplateResponse(request, "notices/notice.html", {"notice": self, "preview": True})

    def clean(self):
        super().clean()
        if self.important and not self.acknowledge_by:
            raise ValidationError({"acknowledge_by": _("Give the date by which owners confirm.")})

    @property
    def building_list(self):
        return split(self.buildings)

    @property
    def unit_list(self):
        """[(building, number)] from "3栋 1201, 5栋0802"; a label that cannot be read is left
        out (and refused when the notice is saved: NoticePage.clean)."""
        return [found for found in map(unit_of, split(self.unit_labels)) if found]


def split(text):
    return [part.strip() for part in re.split(r"[,，、;；\n]", text or "") if part.strip()]


def unit_of(label):
    """("3栋", "1201") from "3栋 1201", "3栋1201" or "3栋　1201" (a full-width space); None for
    what is not a building and a unit number."""
    match = re.fullmatch(r"(.+?栋|\S+)\s*(\d[\w-]*)", label.replace("\u3000", " ").strip())
    return (match.group(1).strip(), match.group(2)) if match else None


class Receipt(models.Model):
    """One owner's copy of a notice: delivered (on the site and their channels), read, and for
    an important notice acknowledged (我已阅读并知悉)."""

    notice = models.ForeignKey(
        NoticePage, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("notice")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_receipts",
        verbose_name=_("owner"),
    )
    #: Where the owner lives, as the notice found them: its statistics are per building.
    building = models.CharField(_("building"), max_length=80, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    #: Confirmed to customer service on the phone (二次确认) rather than on the site.
    by_phone = models.BooleanField(_("confirmed by phone"), default=False)

    class Meta:
        ordering = ["-delivered_at", "-pk"]
        verbose_name = _("notice receipt")
        verbose_name_plural = _("notice receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notices_one_receipt_each")
        ]

    def __str__(self):
        return f"{self.notice} → {self.user}"


class Call(models.Model):
    """二次确认: customer service phoned an owner about an important notice they had not
    confirmed: who, when, and what came of it."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed by phone")
        REMINDED = "reminded", _("Reminded, will read it")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    receipt = models.ForeignKey(
        Receipt, on_delete=models.CASCADE, related_name="calls", verbose_name=_("notice receipt")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("called by"),
    )
    made_at = models.DateTimeField(_("called"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("confirmation call")
        verbose_name_plural = _("confirmation calls")

    def __str__(self):
        return f"{self.receipt} · {self.get_outcome_display()}"
