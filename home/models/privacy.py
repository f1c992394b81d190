"""The privacy policy (隐私政策): one page whose version owners agree to (home.privacy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.caching import CachedPageMixin
from home.models.pages import EnglishArticle


class PrivacyPolicyPage(CachedPageMixin, EnglishArticle, Page):
    """Publishing a new `version` asks every signed-in owner to agree again; publishing with
    the same version (a typo fixed) does not."""

    version = models.CharField(
        _("version"),
        max_length=40,
        help_text=_(
            "E.g. 2026-12. Change it when the policy changes in substance: every owner is then "
            "asked to agree again."
        ),
    )
    effective_date = models.DateField(_("effective date"))
    summary = models.TextField(
        _("summary"),
        max_length=1000,
        help_text=_(
            "What the policy says in a few lines, and what changed: shown when owners are asked "
            "to agree again."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("version"), FieldPanel("effective_date"), FieldPanel("summary")],
            heading=_("Version"),
        ),
        FieldPanel("body"),
        *EnglishArticle.english_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("privacy policy")
