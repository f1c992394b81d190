"""The club magazine (俱乐部杂志): issues with a cover, a PDF edition and articles."""

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from club.models import is_active_member
from home.blocks import BodyBlock
from home.caching import CachedPageMixin
from home.models import SiteImage
from home.models.pages import EnglishSummary, EnglishVersion


class ArticleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    author = blocks.CharBlock(label=_("Author"), required=False, max_length=60)
    summary = blocks.TextBlock(label=_("Summary"), required=False)
    body = BodyBlock(label=_("Text"))

    class Meta:
        icon = "doc-full"
        label = _("Article")


class MagazineIndexPage(CachedPageMixin, EnglishVersion, Page):
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "book"
    #: Its place among the publications the navigation's 资讯 leads to (home.models.pages.publication_sections).
    publication_rank = 1
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "magazine"

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishVersion.english_panels]
    subpage_types = ["publications.MagazineIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("magazine")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        # Covers come with their renditions in one query, not one per issue.
        covers = SiteImage.objects.prefetch_renditions()
        issues = (
            MagazineIssuePage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related(Prefetch("cover", queryset=covers))
            .order_by("-issue_date", "-issue_number")
        )
        years = {}
        for issue in issues:
            years.setdefault(issue.issue_date.year, []).append(issue)
        context["years"] = list(years.items())
        return context


class MagazineIssuePage(CachedPageMixin, EnglishSummary, Page):
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "magazine"

    issue_number = models.PositiveIntegerField(_("issue number"))
    issue_date = models.DateField(_("issue date"))
    cover = models.ForeignKey(
        "home.SiteImage",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("teaser"), blank=True, help_text=_("Shown to everyone."))
    articles = StreamField([("article", ArticleBlock())], verbose_name=_("articles"), blank=True)
    members_only = models.BooleanField(
        _("articles for members only"),
        default=True,
        help_text=_("Others see the cover, the teaser and the table of contents."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issue_number"), FieldPanel("issue_date")]),
                FieldPanel("cover"),
                FieldPanel("pdf"),
                FieldPanel("members_only"),
            ],
            heading=_("Issue"),
        ),
        FieldPanel("summary"),
        FieldPanel("articles"),
        *EnglishSummary.english_panels,
    ]
    # Not the articles: they are for members, and search results are for everyone.
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["publications.MagazineIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("magazine issue")
        verbose_name_plural = _("magazine issues")

    def reader_variant(self, request):
        # Club members read the full articles: they share one copy, other owners another.
        if self.members_only and is_active_member(request.user):
            return "member"
        return "owner"

    def table_of_contents(self):
        return [block.value for block in self.articles]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["full"] = not self.members_only or is_active_member(request.user)
        return context
