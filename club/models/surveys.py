"""Club surveys (问卷): a Wagtail form page that members answer once, earning survey points."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.fields import RichTextField

from club.models.members import is_active_member
from club.models.settings import ClubSettings


class SurveyField(AbstractFormField):
    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")


class SurveyAnswer(AbstractFormSubmission):
    """One owner's answers; the unique pair keeps it to one per owner, even sent twice at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("by")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="club_one_answer_per_survey")
        ]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def get_data(self):
        return {**super().get_data(), "user": self.user.display_name}


class SurveyPage(AbstractForm):
    #: Signed-in owners only (serve): kept out of the site search.
    search_public = False

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        FieldPanel("closes_at"),
    ]
    parent_page_types = ["club.ClubPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("survey")

    # submissions_list_view_class: set by club.wagtail_hooks (the admin's safe exports).

    #: Keeps an answer and awards its points, once: `club.surveys.submit_answer`, set by
    #: `ClubConfig.ready` (club/surveys.py says why the model does not import it).
    submit_answer = None

    def get_submission_class(self):
        return SurveyAnswer

    def get_data_fields(self):
        return [("user", _("by")), *super().get_data_fields()]

    def is_open(self):
        return self.closes_at is None or timezone.now() < self.closes_at

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        answer = SurveyAnswer.objects.filter(page=self, user=request.user).first()
        if answer or not self.is_open():
            return self.render_landing_page(request, answer)
        return super().serve(request, *args, **kwargs)

    def process_form_submission(self, form):
        answer, _created = self.submit_answer(self, form.user, form.cleaned_data)
        return answer

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["survey_points"] = ClubSettings.load(request_or_site=request).points_for_survey
        context["is_active_member"] = is_active_member(request.user)
        return context
