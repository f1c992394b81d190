"""The index follows the content: a saved post or topic, a published or withdrawn page; and
the folding: a migrate after it changed builds the index again."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from search import folding, synonyms
from search.index import Kind, index_document, is_current, page_text, rebuild, remove_document
from search.models import Synonyms

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Synonyms)
@receiver(post_delete, sender=Synonyms)
def synonyms_changed(sender, **kwargs):
    synonyms.forget()


@receiver(page_published)
def index_page(sender, instance, **kwargs):
    index_document(Kind.PAGE, instance.pk, page_text(instance.specific))


@receiver(page_unpublished)
def forget_page(sender, instance, **kwargs):
    remove_document(Kind.PAGE, instance.pk)


def rebuild_after_migrate(sender, plan=None, using="default", **kwargs):
    """After `migrate` (not `flush`, which sends the same signal with no plan), if the index was
    built with another folding than today's (search.folding.VERSION)."""
    if plan is None or using != "default" or is_current():
        return
    count = rebuild()
    logger.warning("Search index rebuilt with folding %s: %s documents.", folding.VERSION, count)
