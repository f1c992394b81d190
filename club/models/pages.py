"""The club's own page: benefits, rules and publicity, with the way in for owners."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from club.models.members import Member, Tier, membership_status
from club.models.surveys import SurveyPage
from home.blocks import BodyBlock
from home.caching import CachedPageMixin
from home.models.pages import EnglishVersion


class ClubPage(CachedPageMixin, EnglishVersion, Page):
    #: Its icon where the home page lists it (templates/includes/icons.svg).
    menu_icon = "card"
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    hero_image = models.ForeignKey(
        "home.SiteImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("benefits and publicity"), blank=True)
    rules = RichTextField(_("club rules"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("rules"),
        *EnglishVersion.english_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventIndexPage", "club.SurveyPage"]

    class Meta:
        verbose_name = _("club page")

    def reader_variant(self, request):
        # The page offers "My club" to active members and "Apply" to other owners; a suspended
        # member is told why, in words of their own, so theirs is rendered for them alone.
        status = membership_status(request.user)
        if status is None:
            return "owner"
        return "member" if status == Member.Status.ACTIVE else None

    def get_context(self, request, *args, **kwargs):
        user = request.user
        return {
            **super().get_context(request, *args, **kwargs),
            # Any status: the page offers "My club" to an active member and tells a suspended
            # one why it is closed to them.
            "member": Member.objects.filter(user=user).first() if user.is_authenticated else None,
            "tiers": Tier.objects.all(),
            "surveys": SurveyPage.objects.child_of(self).live().order_by("-first_published_at"),
            # The club's events section (the events app's page, found by its type's name).
            "events_page": self.get_children()
            .live()
            .filter(content_type__app_label="events", content_type__model="eventindexpage")
            .first(),
        }
