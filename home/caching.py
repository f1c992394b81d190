"""Whole-page caching of CMS pages for anonymous visitors.

Anonymous visitors all see the same HTML for a page in a language, so it is rendered once and
served from the cache. Any publish, unpublish, move or delete bumps one version number that is
part of every key, so a change shows at once everywhere (menus included) without hunting keys.

The receivers listen to pages only (and home.signals to the images and documents pages show):
a `post_delete` receiver for every model would make Django load each row before deleting it,
turning off its fast delete everywhere.
"""

import time

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

VERSION_KEY = "pages:version"
TIMEOUT = 60 * 60


def pages_version():
    return cache.get_or_set(VERSION_KEY, time.time_ns, None)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def bump_pages_version(**kwargs):
    cache.set(VERSION_KEY, time.time_ns(), None)


# Deleting a page of any type deletes its row in Page too, so Page is the only sender needed.
@receiver(post_delete, sender=Page)
def bump_on_page_delete(**kwargs):
    bump_pages_version()


def is_cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.GET  # any query string is rendered fresh: no cache flooding
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        # A visitor with a message waiting (e.g. "signed out") gets a fresh page.
        and len(get_messages(request)) == 0
    )


class CachedPageMixin:
    """Serve the page from the cache to anonymous visitors."""

    def serve(self, request, *args, **kwargs):
        if not is_cacheable(request):
            return super().serve(request, *args, **kwargs)
        key = f"page:{pages_version()}:{self.pk}:{get_language()}:{request.path}"
        response = cache.get(key)
        if response is None:
            response = super().serve(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, response, TIMEOUT)
        return response
