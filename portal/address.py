"""The site's public address comes from one setting, SITE_URL (settings.WAGTAILADMIN_BASE_URL):
links in emails, the admin's previews, and Wagtail's default Site, whose host and port make every
page's full address (the sitemap, og:url, canonical links). After each migrate the default Site
is set to it, so a deployment changes the address in one place."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import HttpResponse
from wagtail.models import Site


def host_and_port():
    """(hostname, port) of SITE_URL: http://127.0.0.1:8000 → ("127.0.0.1", 8000)."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    default = 443 if address.scheme == "https" else 80
    return address.hostname or "localhost", address.port or default


def point_default_site(using="default"):
    """The default Site at the public address; returns whether it had to change."""
    hostname, port = host_and_port()
    changed = (
        Site.objects.using(using)
        .filter(is_default_site=True)
        .exclude(hostname=hostname, port=port)
        .update(hostname=hostname, port=port)
    )
    if changed:
        Site.clear_site_root_paths_cache()
    return bool(changed)


@receiver(post_migrate)
def after_migrate(sender, using="default", **kwargs):
    if sender.label == "portal":  # once per migrate: post_migrate is sent for every app
        point_default_site(using)


def robots_txt(request):
    """What crawlers may read: public pages, not the admin, owners' own pages or searches."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /me/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        "Disallow: /forum/search/",
        f"Sitemap: {settings.WAGTAILADMIN_BASE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
