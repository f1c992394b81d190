"""Property listings (楼盘): the company's developments with their unit types and gallery."""

from urllib.parse import quote

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.caching import CachedPageMixin
from home.models import SiteImage
from home.models.pages import EnglishArticle, EnglishVersion
from publications.listings import filter_listings
from publications.models.news import NewsPage


class ListingIndexPage(CachedPageMixin, EnglishVersion, Page):
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "building"
    #: Its place among the publications the navigation's 资讯 leads to (home.models.pages.publication_sections).
    publication_rank = 2
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "listings"

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishVersion.english_panels]
    subpage_types = ["publications.ListingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("property listings")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)

        pictures = SiteImage.objects.prefetch_renditions()
        listings = (
            ListingPage.objects.live()
            .public()
            .child_of(self)
            .prefetch_related(Prefetch("lead_image", queryset=pictures))
        )
        context.update(filter_listings(listings, request.GET))
        return context


class ListingPage(CachedPageMixin, EnglishArticle, Page):
    #: The site search lists it under this section (search.engine.SECTIONS).
    search_section = "listings"

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Coming soon")
        ON_SALE = "on_sale", _("On sale")
        SOLD_OUT = "sold_out", _("Sold out")
        DELIVERED = "delivered", _("Delivered")

    city = models.CharField(_("city"), max_length=30, db_index=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ON_SALE, db_index=True
    )
    price_min = models.PositiveIntegerField(_("lowest price (yuan/m²)"), null=True, blank=True)
    price_max = models.PositiveIntegerField(_("highest price (yuan/m²)"), null=True, blank=True)
    hotline = models.CharField(_("sales hotline"), max_length=30, blank=True)
    estate = models.ForeignKey(
        "owners.Estate",
        verbose_name=_("estate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        help_text=_("The estate once owners live there: its construction news shows here."),
    )
    lead_image = models.ForeignKey(
        "home.SiteImage",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brochure = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("brochure (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    email_members = models.BooleanField(
        _("email to members"),
        default=False,
        help_text=_("Send this listing to members who asked for club news, once, when published."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("city"), FieldPanel("district")]),
                FieldPanel("address"),
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("price_min"), FieldPanel("price_max")]),
                FieldPanel("hotline"),
                FieldPanel("estate"),
            ],
            heading=_("The development"),
        ),
        FieldPanel("lead_image"),
        FieldPanel("summary"),
        InlinePanel("unit_types", label=_("Unit types")),
        InlinePanel("gallery", label=_("Gallery")),
        FieldPanel("brochure"),
        FieldPanel("body"),
        *EnglishArticle.english_panels,
        FieldPanel("email_members"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["publications.ListingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("property listing")
        verbose_name_plural = _("property listings")

    @property
    def map_url(self):

        return "https://uri.amap.com/search?keyword=" + quote(f"{self.city}{self.address}")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        context["unit_types"] = self.unit_types.all()
        pictures = SiteImage.objects.prefetch_renditions()
        context["gallery"] = self.gallery.prefetch_related(Prefetch("image", queryset=pictures))
        context["progress"] = (
            NewsPage.objects.live()
            .public()
            .filter(estate_id=self.estate_id, is_construction_update=True)
            .order_by("-date")[:3]
            if self.estate_id
            else []
        )
        return context


class UnitType(Orderable):
    page = ParentalKey(ListingPage, on_delete=models.CASCADE, related_name="unit_types")
    layout = models.CharField(_("layout"), max_length=40, help_text=_("e.g. 三室两厅两卫"))
    area = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=2)
    price = models.PositiveIntegerField(_("total price from (10,000 yuan)"), null=True, blank=True)

    panels = [FieldPanel("layout"), FieldPanel("area"), FieldPanel("price")]


class ListingGalleryImage(Orderable):
    page = ParentalKey(ListingPage, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey("home.SiteImage", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=120, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
