from functools import partial

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, Site
from wagtail.search import index

from home.blocks import BodyBlock
from home.caching import PAGES, CachedPageMixin


def english_panels(*names):
    """The editor's folded group of a page's English fields."""
    return [
        MultiFieldPanel(
            [FieldPanel(name) for name in names],
            heading=_("For English readers"),
            classname="collapsed",
        )
    ]


class EnglishVersion(models.Model):
    """A page's words for English readers, beside the Chinese ones: a field per language rather
    than Wagtail's copy of the page tree per locale, which would put /en/ in front of every
    address and double every page staff keep. The pages people land on (home, the club, the
    publications' indexes, standard pages) say who they are in English; an English field left
    empty shows the Chinese one. `in_language` (and the template filter of that name) picks
    the reader's."""

    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = models.CharField(_("introduction in English"), max_length=250, blank=True)

    english_panels = english_panels("title_en", "intro_en")

    class Meta:
        abstract = True


class EnglishSummary(models.Model):
    """The English title and summary of an item in a list (a magazine issue): what an English
    reader needs to choose it."""

    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary in English"), max_length=1000, blank=True)

    english_panels = english_panels("title_en", "summary_en")

    class Meta:
        abstract = True


class EnglishArticle(EnglishSummary):
    """An article's words for English readers (news, events, listings): its title, summary and
    body. An empty body shows the Chinese one."""

    body_en = StreamField(BodyBlock(), verbose_name=_("body in English"), blank=True)

    english_panels = english_panels("title_en", "summary_en", "body_en")

    class Meta:
        abstract = True


def in_language(page, name, language=None):
    """The field `name` of `page` (a page, or a dict of its fields kept in the cache) in the
    reader's language: its English version (`name`_en) when the page is read in English and
    one was written, else the field itself."""
    field = page.get if isinstance(page, dict) else partial(getattr, page)
    if (language or get_language() or "").startswith("en"):
        english = field(f"{name}_en", "")
        if english:
            return english
    return field(name, "")


class SiteImage(AbstractImage):
    """The site's image model, swappable from the start so fields can be added without pain."""

    credit = models.CharField(_("credit"), max_length=100, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HomePage(CachedPageMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=80)
    hero_text = models.CharField(_("hero text"), max_length=200, blank=True)
    hero_title_en = models.CharField(_("hero title in English"), max_length=80, blank=True)
    hero_text_en = models.CharField(_("hero text in English"), max_length=200, blank=True)
    hero_image = models.ForeignKey(
        SiteImage,
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("hero_title_en"), FieldPanel("hero_text_en")],
            heading=_("For English readers"),
            classname="collapsed",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["menu_pages"] = self.menu_pages(request)
        return context

    def menu_pages(self, request):
        """The pages shown in the menu, as {"title", "url", "intro", "icon"}: kept under the pages'
        version, which every publication, move and deletion bumps, so the menu costs no query
        once built (building it loads each page type's rows once)."""
        site = Site.find_for_request(request)
        language = get_language()

        def build():
            return [
                {
                    "title": in_language(child, "title", language),
                    "url": child.get_url(request),
                    "intro": in_language(child, "intro", language)
                    if hasattr(child, "intro")
                    else "",
                    "icon": getattr(child, "menu_icon", "doc"),
                }
                for child in self.get_children().live().in_menu().specific()
            ]

        return PAGES.kept(f"home-menu:{self.pk}:{site.pk if site else 0}:{language}", build)


class StandardPage(CachedPageMixin, EnglishVersion, Page):  # noqa: DJ008 (Page names it)
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "info"
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *EnglishVersion.english_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


def publication_sections(request):
    """The publications under the site's home page (page types with a `publication_rank`: the
    news, the magazine, the listings), as [{"title", "url", "icon"}] by rank: the navigation's
    资讯 opens the first, and each of them links to the others. Kept under the pages' version."""
    if request is None:
        return []
    language = get_language()

    def build():
        site = Site.find_for_request(request)
        if site is None:
            return None
        pages = [
            page
            for page in site.root_page.get_children().live().specific()
            if getattr(page, "publication_rank", None) is not None
        ]
        return [
            {
                "title": in_language(page, "title", language),
                "url": page.get_url(request),
                "icon": page.menu_icon,
            }
            for page in sorted(pages, key=lambda page: page.publication_rank)
        ]

    # Kept by the address asked for, so a hit needs no lookup of the site.
    return PAGES.kept(f"publication-sections:{request.get_host()}:{language}", build) or []


def parent_link(page, request):
    """Where a page's breadcrumb leads: its parent's title in the reader's language and its
    link, {"title", "url"}, kept under the pages' version (a publication, a move or a new slug
    bumps it), so a page rendered afresh asks no query for it. Read from the parent's own kind
    of page: its English title is a field of that kind, not of Page."""
    language = get_language()

    def build():
        parent = page.get_parent().specific
        return {"title": in_language(parent, "title", language), "url": parent.get_url(request)}

    if not page.path:
        return build()
    # Keyed by the parent's place in the tree: a page being created (no pk yet) has one.
    parent_path = page.path[: -page.steplen]
    return PAGES.kept(f"parent-link:{request.get_host()}:{parent_path}:{language}", build)
