"""Notifications are worked out by Celery, after the post is saved, not during the request."""

from celery import shared_task

from forum import notify


@shared_task
def notify_new_post(post_id, mentioned_usernames=()):
    notify.new_post(post_id, mentioned_usernames)


@shared_task
def notify_like(post_id, liker_id):
    notify.liked(post_id, liker_id)
