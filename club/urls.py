from django.urls import path

from club import views

app_name = "club"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("apply/", views.apply, name="apply"),
    path("edit/", views.edit, name="edit"),
    path("points/", views.history, name="points"),
    path("card.png", views.card_png, name="card_png"),
    path("card/lost/", views.report_lost, name="report_lost"),
    path("rewards/", views.reward_list, name="rewards"),
    path("rewards/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("refer/", views.refer, name="refer"),
    path(
        "birthday/stop/<str:token>/",
        views.stop_birthday_greetings,
        name="stop_birthday_greetings",
    ),
]
