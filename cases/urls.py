from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("new/", views.new_case, name="new"),
    path("from-topic/<int:pk>/", views.from_topic, name="from_topic"),
    path("rate/<str:token>/", views.rate_by_link, name="rate"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/files/<int:pk>/", views.attachment, name="attachment"),
    path(
        "<str:reference>/files/<int:pk>/thumbnail/",
        views.attachment,
        {"thumbnail": True},
        name="attachment_thumbnail",
    ),
]
