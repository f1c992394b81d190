from django.urls import path

from forum import feeds, views
from forum.caching import shared_with_anonymous

app_name = "forum"
urlpatterns = [
    path("", shared_with_anonymous(views.index, says_ago=True), name="index"),
    path("search/", views.search, name="search"),
    path("people/", views.people, name="people"),
    path("b/<slug:slug>/", shared_with_anonymous(views.board, says_ago=True), name="board"),
    path("b/<slug:slug>/new/", views.new_topic, name="new_topic"),
    path("b/<slug:slug>/follow/", views.follow_board, name="follow_board"),
    path("b/<slug:slug>/feed/", feeds.BoardFeed(), name="board_feed"),
    path("t/<int:pk>/", shared_with_anonymous(views.topic), name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.follow_topic, name="follow_topic"),
    path("p/<int:pk>/edit/", views.edit, name="edit"),
    path("p/<int:pk>/delete/", views.delete, name="delete"),
    path("p/<int:pk>/like/", views.like, name="like"),
    path("p/<int:pk>/report/", views.report, name="report"),
    path("pictures/<int:pk>/", views.picture, name="picture"),
]
