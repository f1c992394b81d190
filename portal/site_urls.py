from django.urls import path

from portal import case_views, views

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
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
