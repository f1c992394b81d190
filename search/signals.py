"""The index follows the content: a saved post or topic, a published or withdrawn page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from search.index import Kind, index_document, page_text, post_text, remove_document


@receiver(post_save, sender="forum.Post")
def index_post(sender, instance, **kwargs):
    index_document(Kind.POST, instance.pk, post_text(instance))


@receiver(post_save, sender="forum.Topic")
def index_topic_title(sender, instance, created, **kwargs):
    # The title is searched with the topic's first post.
    first = None if created else instance.posts.filter(position=1).first()
    if first:
        index_document(Kind.POST, first.pk, post_text(first))


@receiver(post_delete, sender="forum.Post")
def forget_post(sender, instance, **kwargs):
    remove_document(Kind.POST, instance.pk)


@receiver(page_published)
def index_page(sender, instance, **kwargs):
    index_document(Kind.PAGE, instance.pk, page_text(instance.specific))


@receiver(page_unpublished)
def forget_page(sender, instance, **kwargs):
    remove_document(Kind.PAGE, instance.pk)
