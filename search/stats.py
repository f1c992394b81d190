"""What the search could not answer, counted for staff (search.models.UnansweredQuery)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from search.folding import terms
from search.models import UnansweredQuery


def record_unanswered(query):
    """Count one more search for `query` that found nothing with every term: one UPDATE, or an
    INSERT the first time (two at once: the loser counts with the UPDATE)."""
    words = " ".join(terms(query))[: UnansweredQuery._meta.get_field("query").max_length]
    if not words:
        return
    asked = UnansweredQuery.objects.filter(query=words)
    if asked.update(count=F("count") + 1, last_asked_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            UnansweredQuery.objects.create(query=words)
    except IntegrityError:
        asked.update(count=F("count") + 1, last_asked_at=timezone.now())
