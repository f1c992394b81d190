"""Club surveys (问卷): a Wagtail form page that members answer once, earning survey points."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.fields import RichTextField


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
        """Keep the answer and, for a member, award the survey points once."""
        from club import points
        from club.models import active_member

        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(
                    form_data=form.cleaned_data, page=self, user=form.user
                )
        except IntegrityError:
            return SurveyAnswer.objects.get(page=self, user=form.user)
        member = active_member(form.user)
        if member:
            points.award(
                member, "survey", key=f"survey:{self.pk}:{member.pk}", reason=self.title[:200]
            )
        return answer

    def get_context(self, request, *args, **kwargs):
        from club.models import ClubSettings, is_active_member

        context = super().get_context(request, *args, **kwargs)
        context["survey_points"] = ClubSettings.load(request_or_site=request).points_for_survey
        context["is_active_member"] = is_active_member(request.user)
        return context
