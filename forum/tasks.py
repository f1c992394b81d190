"""Notifications are worked out by Celery, after the post is saved, not during the request."""

from celery import shared_task
from django.utils.translation import gettext_lazy

from forum import notify


@shared_task(verbose_name=gettext_lazy("Tell followers and mentioned owners of a new post"))
def notify_new_post(post_id, mentioned_usernames=()):
    # `mentioned_usernames`: from jobs written before posts kept their mentions; the post's own
    # list (Post.mentions) is what counts.
    notify.new_post(post_id)


@shared_task(verbose_name=gettext_lazy("Tell an author of a like"))
def notify_like(post_id, liker_id):
    notify.liked(post_id, liker_id)
