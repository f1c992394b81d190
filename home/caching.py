"""Whole-page caching of CMS pages for anonymous visitors.

Anonymous visitors all see the same HTML for a page in a language. `CachedPageMixin` marks a
page's response as shareable (`portal.pagecache.share`); the shared page cache near the top of
MIDDLEWARE keeps it and answers the next cookie-less visitor before the session, the
authentication or Wagtail's routing run. Any publish, unpublish, move or delete, a new slug,
a view restriction added or removed, a site changed (and, from home.signals and club.signals,
the images, documents and club rules pages show) bumps the pages' version, which is part of
every entry, so a change shows at once everywhere (menus included) without hunting keys.

The receivers listen to pages only (and home.signals to the images and documents pages show):
a `post_delete` receiver for every model would make Django load each row before deleting it,
turning off its fast delete everywhere.
"""

from django.contrib.messages import get_messages
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal import pagecache

TIMEOUT = pagecache.TIMEOUT
#: The variant of a page every signed-in owner sees alike.
EVERY_OWNER = "owner"
PAGES = pagecache.PAGES


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def bump_pages_version(**kwargs):
    PAGES.bump()


# Deleting a page of any type deletes its row in Page too, so Page is the only sender needed.
# A view restriction added or removed changes who may see the page; a site changes what
# answers an address.
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def bump_on_page_delete(**kwargs):
    bump_pages_version()


def is_cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        # A visitor with a message waiting (e.g. "signed out") gets a fresh page.
        and len(get_messages(request)) == 0
    )


class CachedPageMixin:
    """Let the shared page cache keep this page: for anonymous visitors, and for signed-in
    owners by the page's `reader_variant`, with the parts (portal.framing) the page registers in
    `reader_parts` written in as each page is answered."""

    #: Whether visitors get the page from the shared cache, answered before any code runs.
    shared_with_visitors = True

    def reader_variant(self, request):
        """Which copy of the page this owner gets: every owner sees the same page unless a page
        type says otherwise; None for a page of their own, rendered for them alone."""
        return EVERY_OWNER

    def reader_parts(self, request):
        """Register the page's own parts (`portal.framing.page_parts`), if it has any."""

    def serve(self, request, *args, **kwargs):
        self.reader_parts(request)
        variant = self.reader_variant(request) if pagecache.may_keep_for_reader(request) else None
        if variant is not None:
            copy = pagecache.reader_copy(request, PAGES, variant)
            if copy is not None:
                return HttpResponse(copy[0])
        response = super().serve(request, *args, **kwargs)
        if self.shared_with_visitors and is_cacheable(request):
            pagecache.share(request, PAGES)
        return pagecache.keep_for_reader(request, response)
