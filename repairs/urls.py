from django.urls import path

from repairs import views

app_name = "repairs"
urlpatterns = [
    path("new/", views.new_repair, name="new"),
    path("prices/", views.prices, name="prices"),
    path("jobs/", views.my_jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("services/", views.service_menu, name="services"),
    path("services/<slug:type>/", views.new_service, name="new_service"),
    path("pass/<str:token>/", views.gate_pass, name="pass"),
]
