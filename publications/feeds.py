"""RSS and Atom feeds of project news and of the club magazine."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publications.models import MagazineIndexPage, MagazineIssuePage, NewsIndexPage, NewsPage


class NewsFeed(Feed):
    title = _("Jindu project news")
    description = _("News from Jindu's developments and estates.")

    def link(self):

        index = NewsIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return (
            NewsPage.objects.live().public().select_related("estate").order_by("-date", "-pk")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        return settings.WAGTAIL_SITE_NAME


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class MagazineFeed(NewsFeed):
    title = _("The club magazine")
    description = _("Issues of the Jindu club magazine.")

    def link(self):

        index = MagazineIndexPage.objects.live().first()
        return index.url if index else "/"

    def items(self):
        return (
            MagazineIssuePage.objects.live().public().order_by("-issue_date", "-issue_number")[:30]
        )


class MagazineAtomFeed(MagazineFeed):
    feed_type = Atom1Feed
    subtitle = MagazineFeed.description
