from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.my_events, name="mine"),
    path("<int:event_id>/sign-up/", views.sign_up, name="sign_up"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel_registration"),
]
