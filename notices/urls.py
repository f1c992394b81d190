from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
]
