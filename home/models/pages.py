from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, Site
from wagtail.search import index

from home.blocks import BodyBlock
from home.caching import TIMEOUT, CachedPageMixin, pages_version


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
        key = f"home-menu:{pages_version()}:{self.pk}:{site.pk if site else 0}"
        menu = cache.get(key)
        if menu is None:
            menu = [
                {
                    "title": child.title,
                    "url": child.get_url(request),
                    "intro": getattr(child, "intro", ""),
                    "icon": getattr(child, "menu_icon", "doc"),
                }
                for child in self.get_children().live().in_menu().specific()
            ]
            cache.set(key, menu, TIMEOUT)
        return menu


class StandardPage(CachedPageMixin, Page):
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "info"
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


def publication_sections(request):
    """The publications under the site's home page (page types with a `publication_rank`: the
    news, the magazine, the listings), as [{"title", "url", "icon"}] by rank: the navigation's
    资讯 opens the first, and each of them links to the others. Kept under the pages' version."""
    if request is None:
        return []
    # Kept by the address asked for, so a hit needs no lookup of the site.
    key = f"publication-sections:{pages_version()}:{request.get_host()}"
    sections = cache.get(key)
    if sections is None:
        site = Site.find_for_request(request)
        if site is None:
            return []
        pages = [
            page
            for page in site.root_page.get_children().live().specific()
            if getattr(page, "publication_rank", None) is not None
        ]
        sections = [
            {"title": page.title, "url": page.get_url(request), "icon": page.menu_icon}
            for page in sorted(pages, key=lambda page: page.publication_rank)
        ]
        cache.set(key, sections, TIMEOUT)
    return sections
