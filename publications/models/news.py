"""Project news (项目新闻): dated items about an estate, tagged; construction updates show on
the estate's listing."""

import re

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.caching import CachedPageMixin
from home.models import SiteImage
from home.models.pages import EnglishArticle, EnglishVersion
from owners.models import Estate


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "publications.NewsPage", on_delete=models.CASCADE, related_name="tagged"
    )


class NewsIndexPage(CachedPageMixin, EnglishVersion, Page):
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "news"
    #: Its place among the publications the navigation's 资讯 leads to (home.models.pages.publication_sections).
    publication_rank = 0
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "news"

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishVersion.english_panels]
    subpage_types = ["publications.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)

        pictures = SiteImage.objects.prefetch_renditions()
        items = (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .select_related("estate")
            .prefetch_related(Prefetch("lead_image", queryset=pictures))
            .order_by("-date", "-pk")
        )
        estate, tag = request.GET.get("estate", ""), request.GET.get("tag", "")
        if re.fullmatch(r"[0-9]{1,9}", estate):
            items = items.filter(estate_id=int(estate))
        if tag:
            items = items.filter(tags__name=tag)
        context.update(
            page_obj=Paginator(items, 12).get_page(request.GET.get("page")),
            estates=Estate.objects.filter(news__live=True).distinct().order_by("name"),
            tags=NewsPageTag.tags_for(NewsPage).order_by("name"),
            chosen_estate=estate,
            chosen_tag=tag,
        )
        return context


class NewsPage(CachedPageMixin, EnglishArticle, Page):
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "news"

    date = models.DateField(_("date"), default=timezone.localdate)
    estate = models.ForeignKey(
        "owners.Estate",
        verbose_name=_("estate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )
    is_construction_update = models.BooleanField(
        _("construction progress update"),
        default=False,
        help_text=_("Shown on the estate's listing as its latest progress."),
    )
    lead_image = models.ForeignKey(
        "home.SiteImage",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    email_members = models.BooleanField(
        _("email to members"),
        default=False,
        help_text=_("Send this news to members who asked for club news, once, when published."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("estate")]),
                FieldPanel("is_construction_update"),
                FieldPanel("tags"),
            ],
            heading=_("About"),
        ),
        FieldPanel("lead_image"),
        FieldPanel("summary"),
        FieldPanel("body"),
        *EnglishArticle.english_panels,
        FieldPanel("email_members"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["publications.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
