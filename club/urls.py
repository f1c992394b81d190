from django.urls import path

from club import event_views, views

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
    path("publications/stop/<str:token>/", views.stop_publications, name="stop_publications"),
    path("events/", event_views.my_events, name="events"),
    path("events/<int:event_id>/sign-up/", event_views.sign_up, name="sign_up"),
    path("events/registrations/<int:pk>/cancel/", event_views.cancel, name="cancel_registration"),
]
