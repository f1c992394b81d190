from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import reports
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views.serve import serve as serve_document
from wagtail.images.views import images as image_views
from wagtail.utils.urlpatterns import decorate_urlpatterns

from portal import address, csp, files, signin_views, views
from portal.exports import SafeSpreadsheetExportMixin


def wagtail_report_urls():
    """Wagtail's own reports (site history, locked and aging pages, workflows) at their own
    addresses under /admin/reports/, exporting through the safe mixin (portal.exports). The site
    history lists the names of owners' topics and posts; Wagtail offers no setting to change the
    class its report URLs use, so these patterns come before Wagtail's admin URLs and answer in
    their place."""
    patterns = []
    for pattern in reports.urlpatterns:
        original = pattern.callback.view_class
        safe = type(original.__name__, (SafeSpreadsheetExportMixin, original), {})
        view = safe.as_view(**pattern.callback.view_initkwargs)
        patterns.append(path(str(pattern.pattern), view))
    return decorate_urlpatterns(patterns, require_admin_access)


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("csp-report/", csp.csp_report, name="csp_report"),
    # Wagtail's sign-in doors lead to allauth's (portal.signin): these come before Wagtail's own.
    path("admin/login/", signin_views.admin_login),
    path("_util/login/", signin_views.private_page_login),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        signin_views.page_password,
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        signin_views.document_password,
    ),
    path("admin/reports/", include(wagtail_report_urls())),  # before Wagtail's own
    # Wagtail's preview of an image in the admin (its URL generator) sends the image's bytes:
    # with the headers of every user file, in place of Wagtail's own route (same checks).
    path(
        "admin/images/<int:image_id>/preview/<str:filter_spec>/",
        never_cache(require_admin_access(files.sandboxed(image_views.preview))),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's view, with the headers of every user file (it already checks who may read).
    re_path(r"^documents/(\d+)/(.*)$", files.sandboxed(serve_document), name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/phone/change/", signin_views.change_phone, name="account_change_phone"),
    path("accounts/", include("allauth.urls")),
    path("language/", views.set_language, name="set_language"),
    path("me/club/events/", include("events.urls")),
    path("me/club/", include("club.urls")),
    path("me/cases/", include("cases.urls")),
    path("me/notices/", include("notices.urls")),
    path("me/bills/", include("fees.urls")),
    path("repairs/", include("repairs.urls")),
    path("me/", include("owners.urls")),
    path("forum/", include("forum.urls")),
    path("", include("publications.urls")),  # the feeds and the mailing's unsubscribe
    path("", include("home.urls")),  # the consent page
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap),
    path("robots.txt", address.robots_txt),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(path("media/<path:path>", files.serve_media))

# Wagtail's pages, routed with what it looks up kept in the cache (home/serving.py).
urlpatterns.append(path("", include("home.serving")))
