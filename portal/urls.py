from django.conf import settings
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal import exports, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/reports/", include(exports.wagtail_report_urls())),  # before Wagtail's own
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("language/", views.set_language, name="set_language"),
    path("me/club/", include("club.urls")),
    path("me/", include("portal.site_urls")),
    path("forum/", include("forum.urls")),
    path("feeds/", include("home.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns.append(path("", include(wagtail_urls)))
