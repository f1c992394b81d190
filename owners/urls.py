from django.urls import path

from owners import privacy_views, views

app_name = "owners"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("password/new/", views.new_password, name="new_password"),
    path("units/claim/", views.claim_unit, name="claim_unit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.channels, name="channels"),
    path("privacy/", privacy_views.overview, name="privacy"),
    path("privacy/export/", privacy_views.request_export, name="request_export"),
    path("privacy/export/<int:pk>/", privacy_views.download_export, name="download_export"),
    path("privacy/close/", privacy_views.close_account, name="close_account"),
    path(
        "privacy/close/<int:pk>/withdraw/", privacy_views.withdraw_closure, name="withdraw_closure"
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
