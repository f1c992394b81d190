from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views.serve import serve as serve_document
from wagtail.images.views import images as image_views

from portal import csp, exports, files, signin_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
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
    path("admin/reports/", include(exports.wagtail_report_urls())),  # before Wagtail's own
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
    path("accounts/", include("allauth.urls")),
    path("language/", views.set_language, name="set_language"),
    path("me/club/", include("club.urls")),
    path("me/", include("portal.site_urls")),
    path("forum/", include("forum.urls")),
    path("", include("home.urls")),  # the consent page and the feeds
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(path("media/<path:path>", files.serve_media))

urlpatterns.append(path("", include(wagtail_urls)))
