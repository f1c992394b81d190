from django.urls import path

from home import feeds

app_name = "home"
urlpatterns = [
    path("news/", feeds.NewsFeed(), name="news_feed"),
    path("news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
    path("magazine/", feeds.MagazineFeed(), name="magazine_feed"),
    path("magazine/atom/", feeds.MagazineAtomFeed(), name="magazine_atom"),
]
