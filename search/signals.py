"""The index follows the folding (a migrate after it changed builds the index again) and the
synonyms staff keep. Each source keeps the index in step with its own documents."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from search import folding, synonyms
from search.index import is_current, rebuild
from search.models import Synonyms

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Synonyms)
@receiver(post_delete, sender=Synonyms)
def synonyms_changed(sender, **kwargs):
    """Forgotten now, and again once the change commits: a search meanwhile read the old list."""
    synonyms.forget()
    transaction.on_commit(synonyms.forget)


def rebuild_after_migrate(sender, plan=None, using="default", **kwargs):
    """After `migrate` (not `flush`, which sends the same signal with no plan), if the index was
    built with another folding than today's (search.folding.VERSION)."""
    if plan is None or using != "default" or is_current():
        return
    count = rebuild()
    logger.warning("Search index rebuilt with folding %s: %s documents.", folding.VERSION, count)
