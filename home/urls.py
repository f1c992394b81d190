from django.urls import path

from home import privacy

app_name = "home"
urlpatterns = [
    path("consent/", privacy.consent_page, name="privacy_consent"),
]
