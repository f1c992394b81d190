"""Simplified Chinese first, English second: chosen by the browser, switchable, remembered."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_chinese_is_the_default(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="zh-hans">' in html and "跳到正文" in html


def test_the_browser_language_is_followed(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert b'<html lang="en">' in html and b"Skip to content" in html


def test_switching_language_is_remembered_by_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content
    assert b'<html lang="en">' in html


def test_an_owners_switch_is_saved_on_their_profile(owner_client, owner):
    owner_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"


def test_an_unknown_language_changes_nothing(owner_client, owner):
    owner_client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "zh-hans"


def test_every_page_offers_the_switch(owner_client, estate):
    for url in (
        "/",
        reverse("owners:dashboard"),
        reverse("owners:profile"),
        reverse("account_email"),
    ):
        assert f'action="{reverse("set_language")}"' in owner_client.get(url).content.decode()


# -- The catalogue -----------------------------------------------------------------------


def test_every_string_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_matches_its_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))

    def table(entries):
        return {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in entries if e.msgid
        }

    assert table(po.translated_entries()) == table(mo), "run `make messages` to recompile django.mo"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_the_catalogue_has_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code and compare with the catalogue."""
    ignore = shutil.ignore_patterns(".*", "__pycache__", "*.mo", "node_modules")
    # Every app of the project (those whose code is in this checkout) and the shared folders.
    local = [c.name for c in apps.get_app_configs() if Path(c.path) == settings.BASE_DIR / c.name]
    for name in (*local, "templates", "locale"):
        shutil.copytree(settings.BASE_DIR / name, tmp_path / name, ignore=ignore)
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE / "django.po"))}
    assert fresh - committed == set(), "new strings: run `make messages` and translate them"
    assert committed - fresh == set(), "unused strings: run `make messages`"


def test_signing_in_on_a_new_device_uses_the_profiles_language(client, owner):

    owner.language = "en"
    owner.save()
    client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    html = client.get(reverse("owners:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-CN").content
    assert b'<html lang="en">' in html
