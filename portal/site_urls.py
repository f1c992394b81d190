from django.urls import path

from portal import case_views, privacy_views, views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("units/claim/", views.claim_unit, name="claim_unit"),
    path("notifications/", views.notifications, name="notifications"),
    path("cases/", case_views.my_cases, name="cases"),
    path("cases/new/", case_views.new_case, name="new_case"),
    path("cases/rate/<str:token>/", case_views.rate_by_link, name="rate_case"),
    path("cases/<str:reference>/", case_views.case_detail, name="case"),
    path("cases/<str:reference>/files/<int:pk>/", case_views.attachment, name="case_attachment"),
    path("privacy/", privacy_views.overview, name="privacy"),
    path("privacy/export/", privacy_views.request_export, name="request_export"),
    path("privacy/export/<int:pk>/", privacy_views.download_export, name="download_export"),
    path("privacy/close/", privacy_views.close_account, name="close_account"),
    path(
        "privacy/close/<int:pk>/withdraw/", privacy_views.withdraw_closure, name="withdraw_closure"
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
