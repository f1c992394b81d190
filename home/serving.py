"""Wagtail's page view, with what its routing looks up kept in the cache.

Routing a page address costs Wagtail a query for the site, two for each level of the page
tree and two for the view restrictions of the page and its ancestors. The first visit of an
address keeps what it found — the site, the page's id and type, the route's arguments and
whether any view restriction applies — under the pages' version (home.caching), which every
publication, move, deletion, new slug, site and view-restriction change bumps. Later visits
load the page itself in one query and hand Wagtail the rest as found; Wagtail then serves it
as always (its hooks, the restriction check when there is one, the page's own serve).
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from home.caching import TIMEOUT, pages_version


def serve(request, path):
    key = _route_key(request, path)
    found = cache.get(key)
    if found is not None:
        _reuse(request, *found)
    else:
        route = Page.route_for_request(request, path)  # Wagtail keeps it on the request
        if route is not None:
            cache.set(key, _keep(request, route), TIMEOUT)
    return wagtail_views.serve(request, path)


def _route_key(request, path):
    address = f"{request._get_raw_host()}:{request.get_port()}:{path}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"route:{pages_version()}:{digest}"


def _keep(request, route):
    page, args, kwargs = route
    # Read once, here: Wagtail's check below is handed the same rows instead of asking again.
    restrictions = list(page.get_view_restrictions())
    page.get_view_restrictions = restrictions.copy
    return (request._wagtail_site, page.pk, page.content_type_id, args, kwargs, bool(restrictions))


def _reuse(request, site, page_id, content_type_id, args, kwargs, restricted):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=page_id, live=True).first() if model else None
    if page is None:
        return  # Wagtail routes it afresh
    if not restricted:
        # Known to have none: Wagtail's restriction check need not ask the database.
        page.get_view_restrictions = PageViewRestriction.objects.none
    request._wagtail_site = site
    request._wagtail_route_for_request = RouteResult(page, args, kwargs)


#: Wagtail's own URLs, with this view in place of its page view.
urlpatterns = [
    *wagtail_urls.urlpatterns[:-1],
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
