"""Wagtail's page view, with what its routing looks up kept in the cache.

Routing a page address costs Wagtail a query for the site, two for each level of the page
tree and two for the view restrictions of the page and its ancestors. The first visit of an
address keeps what it found — the site, the page's id and type, the route's arguments and
whether any view restriction applies — under the pages' version (home.caching), which every
publication, move, deletion, new slug, site and view-restriction change bumps. Later visits
load the page itself in one query and hand Wagtail the rest as found; Wagtail then serves it
as always (its hooks, the restriction check when there is one, the page's own serve). An
owner's kept copy of a page that every owner shares is found before the page is loaded.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from home.caching import EVERY_OWNER, PAGES, CachedPageMixin
from portal import pagecache
from portal.statements import Statement, columns


def serve(request, path):
    routed = []

    def route():
        found = Page.route_for_request(request, path)  # Wagtail keeps it on the request
        routed.append(found)
        return _keep(request, found) if found is not None else None

    found = PAGES.kept(_route_key(request, path), route)
    if found is not None and not routed:
        copy = _copy_before_loading(request, *found)
        if copy is not None:
            return copy
        _reuse(request, *found)
    return wagtail_views.serve(request, path)


def _route_key(request, path):
    address = f"{request._get_raw_host()}:{request.get_port()}:{path}"
    return "route:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def _keep(request, route):
    page, args, kwargs = route
    # Read once, here: Wagtail's check below is handed the same rows instead of asking again.
    restrictions = list(page.get_view_restrictions())
    page.get_view_restrictions = restrictions.copy
    return (request._wagtail_site, page.pk, page.content_type_id, args, kwargs, bool(restrictions))


def _copy_before_loading(request, site, page_id, content_type_id, args, kwargs, restricted):
    """An owner's copy of a page found before the page is loaded (home.caching), for the page
    types whose copy depends on nothing but the address: the one variant every owner shares
    and no parts of their own. Only without view restrictions, where Wagtail's checks pass
    every GET, as they would have."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if restricted or not _one_copy_for_every_owner(model):
        return None
    if not pagecache.may_keep_for_reader(request):
        return None
    copy = pagecache.reader_copy(request, PAGES, EVERY_OWNER)
    return HttpResponse(copy[0]) if copy is not None else None


def _one_copy_for_every_owner(model):
    return (
        model is not None
        and issubclass(model, CachedPageMixin)
        and model.reader_variant is CachedPageMixin.reader_variant
        and model.reader_parts is CachedPageMixin.reader_parts
    )


def _reuse(request, site, page_id, content_type_id, args, kwargs, restricted):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = next(iter(_page_row(model).objects(model, pk=page_id)), None) if model else None
    if page is None:
        return  # Wagtail routes it afresh
    if not restricted:
        # Known to have none: Wagtail's restriction check need not ask the database.
        page.get_view_restrictions = PageViewRestriction.objects.none
    request._wagtail_site = site
    request._wagtail_route_for_request = RouteResult(page, args, kwargs)


#: The query loading a live page of each type by its id, built once (portal.statements).
_PAGE_ROWS = {}


def _page_row(model):
    if model not in _PAGE_ROWS:
        _PAGE_ROWS[model] = Statement(
            lambda pk: model.objects.filter(pk=pk, live=True).values_list(*columns(model))
        )
    return _PAGE_ROWS[model]


#: Wagtail's own URLs, with this view in place of its page view.
urlpatterns = [
    *wagtail_urls.urlpatterns[:-1],
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
