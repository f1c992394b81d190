"""Wagtail's listings say how long ago a page was edited the way the owner pages do: 4天前, not
"4 日，22 小时 之前"; its exact time is Beijing time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    home = Page.objects.get(depth=2)
    now = timezone.now()
    for slug, ago in (("old", timedelta(days=4, hours=22)), ("new", timedelta(minutes=1))):
        page = home.add_child(instance=StandardPage(title=slug, slug=slug))
        page.save_revision().publish()
        Page.objects.filter(pk=page.pk).update(latest_revision_created_at=now - ago)
    return home


@pytest.mark.parametrize(
    "language, said, not_said",
    [
        ("zh-hans", ["4天前", "1分钟前"], "日，"),
        ("en", ["4\xa0days ago", "1\xa0minute ago"], "22\xa0hours"),
    ],
)
def test_the_explorer_says_how_long_ago(client, staff, pages, language, said, not_said):
    editor = staff("Editors")
    editor.language = language
    editor.save()
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_explore", args=[pages.pk])).content.decode()
    assert all(words in html for words in said) and not_said not in html
    # The hour in its tooltip is Beijing time.
    edited = Page.objects.get(slug="old").latest_revision_created_at
    assert timezone.localtime(edited).isoformat()[:16] in html
