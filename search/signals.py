"""The index follows the content: a saved post or topic, a published or withdrawn page."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from search.index import Kind, index_document, page_text, remove_document


@receiver(page_published)
def index_page(sender, instance, **kwargs):
    index_document(Kind.PAGE, instance.pk, page_text(instance.specific))


@receiver(page_unpublished)
def forget_page(sender, instance, **kwargs):
    remove_document(Kind.PAGE, instance.pk)
