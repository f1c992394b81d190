"""Answering a club survey (问卷): the answer and its points are kept together, once.

`SurveyPage` (club.models.surveys) is a Wagtail form page: it shows the questions, validates
the form and renders the thanks. Keeping an answer also awards points, which is the ledger's
business, and a model imports no services; so the page hands every valid form to
`SurveyPage.submit_answer`, which `ClubConfig.ready` (club/apps.py) sets to `submit_answer`
below. The page's own serve() and the sign-in, "already answered" and "closed" checks stay where
Wagtail expects them, in the model, and the admin's page preview works as for any form page.

(Wagtail's `before_serve_page` hook was the other way to reach this code without the model
importing it; it runs before the page's view restrictions are checked, so a survey kept for
a group would take answers from anyone.)
"""

from django.db import IntegrityError, transaction

from club import points
from club.models import Member, SurveyAnswer


def submit_answer(page, user, data):
    """Keep `user`'s answers `data` to the survey `page` and award an active member the survey
    points: both or neither, once however often the form is sent.

    The member's row is locked first (the lock every points change takes), so sends that arrive
    together queue up and the later ones find the answer kept; for owners who are not members the
    one-answer-per-survey constraint does the same. Returns (answer, created), or (None, False)
    when the survey has closed.
    """
    if not page.is_open():
        return None, False
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(user=user).first()
        earlier = SurveyAnswer.objects.filter(page=page, user=user).first()
        if earlier:
            return earlier, False
        try:
            with transaction.atomic():
                answer = SurveyAnswer.objects.create(page=page, user=user, form_data=data)
        except IntegrityError:  # an owner without a member row, sending twice at once
            return SurveyAnswer.objects.get(page=page, user=user), False
        if member and member.is_active:
            points.award(
                member, "survey", key=f"survey:{page.pk}:{member.pk}", reason=page.title[:200]
            )
    return answer, True
