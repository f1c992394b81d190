from django.urls import path

from publications import feeds, views

app_name = "publications"
urlpatterns = [
    path("feeds/news/", feeds.NewsFeed(), name="news_feed"),
    path("feeds/news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("feeds/magazine/", feeds.MagazineFeed(), name="magazine_feed"),
    path("feeds/magazine/atom/", feeds.MagazineAtomFeed(), name="magazine_atom"),
    path(
        "me/club/publications/stop/<str:token>/",
        views.stop_publications,
        name="stop_publications",
    ),
]
