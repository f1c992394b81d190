from django.urls import path

from home import feeds, privacy

app_name = "home"
urlpatterns = [
    path("consent/", privacy.consent_page, name="privacy_consent"),
    path("feeds/news/", feeds.NewsFeed(), name="news_feed"),
    path("feeds/news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("feeds/magazine/", feeds.MagazineFeed(), name="magazine_feed"),
    path("feeds/magazine/atom/", feeds.MagazineAtomFeed(), name="magazine_atom"),
]
