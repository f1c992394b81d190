from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = _("Member club")

    def ready(self):
        # Importable only once the models are loaded, hence here.
        from club import signals, surveys  # noqa: F401
        from club.models import SurveyPage

        # A survey page hands each valid form to the action that keeps the answer and awards
        # its points in one transaction; models import no services (see club/surveys.py).
        SurveyPage.submit_answer = staticmethod(surveys.submit_answer)
