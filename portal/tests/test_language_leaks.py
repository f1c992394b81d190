"""No English on Chinese pages, no Chinese on English pages.

Every owner page and the staff's main admin screens are rendered in each language; what a
person reads (text, and the alt, title, placeholder and aria-label of elements) must be in the
page's language. What people typed is allowed as it is: every text value stored in the database
(names, titles, posts, estates, categories) is taken out before looking, and so are addresses,
codes and a short list of words that are the same in both languages.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from cases import casework
from cases.models import Category
from club import membership
from club.models import ClubPage
from forum import posting
from forum.models import Board
from home.models import HomePage
from owners.models import User

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Three letters or more: "EN", "B", "QR", "h" and units are not words.
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_@./\-])[A-Za-z]{3,}(?![A-Za-z0-9_@\-])")
# The same in both languages: names of things, formats and marks people know by them.
BOTH = {
    "Excel",
    "PDF",
    "RSS",
    "Atom",
    "WPS",
    "iCal",
    "Wagtail",
    "Chromium",
    "Markdown",
    "Android",
    "iPhone",
    "WeChat",
    "JPEG",
    "PNG",
    "WebP",
    "GIF",
    "SVG",
    "CSV",
    "XLSX",
    "PPTX",
    "ICS",
    "HTTP",
    "HTTPS",
    "URL",
    "API",
    "Jindu",
    "jindu",
    # A language is named in its own words wherever it is offered.
    "English",
    "简体中文",
}
SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
SKIPPED = {"script", "style", "svg", "template", "noscript"}


class Reader(HTMLParser):
    """What a person reads on a page: text outside scripts and styles, and the attributes a
    browser shows or reads aloud; an element marked as in another language (the language
    button's "中文" on an English page), or hidden, is left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language, self.skipping, self.parts, self.open = language, 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other = attrs.get("lang") and tag != "html" and attrs["lang"][:2] != self.language[:2]
        other = other or "hidden" in attrs  # not shown, until a script shows it with new text
        if tag not in self.VOID:
            self.open.append((tag, tag in SKIPPED or bool(other)))
            self.skipping += tag in SKIPPED or bool(other)
        if self.skipping or other:
            return
        for name, value in attrs.items():
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in (opened for opened, _skipped in self.open):
            return  # a stray end tag closes nothing
        while self.open:
            opened, skipped = self.open.pop()
            self.skipping -= skipped
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def stored_text():
    """Every text value the database holds, longest first: what people typed may be in any
    language."""
    values = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                # Short Latin values ("en", "web") would cut words in two.
                values.update(
                    str(v) for v in row if v and len(str(v)) > (3 if str(v).isascii() else 1)
                )
    # Names as others see them are made from the stored ones (王**).
    for user in apps.get_model("owners", "User").objects.all():
        values.add(str(user.public_name))
        values.add(str(user.public_name)[0])  # an avatar's letter
    return sorted(values, key=len, reverse=True)


def leaks(html, language, allowed):
    reader = Reader(language)
    reader.feed(re.sub(r"</?mark>", "", html))  # a search's marks split the words they mark
    text = "\n".join(reader.parts)
    for value in [*allowed, *(word for word in BOTH if not word.isascii())]:
        text = text.replace(value, " ")
    text = re.sub(r"\S+@\S+|https?://\S+|/[\w/\-.?=&%]+", " ", text)
    if language == "en":
        return sorted(set(HAN.findall(text)))
    return sorted({w for w in LATIN_WORD.findall(text) if w not in BOTH})


@pytest.fixture
def world(verified_owner, other_owner, staff, estate, django_capture_on_commit_callbacks):
    """A bit of everything the pages show: a topic with a reply, a case, a member."""
    board = Board.objects.create(name="业主交流", slug="owners", readers="everyone")
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.create_topic(verified_owner, board, title="电梯维修", source="电梯停了")
        case = casework.file_case(
            verified_owner,
            kind="complaint",
            category=Category.objects.get(name="维修报修"),
            subject="漏水",
            description="卫生间漏水",
        )
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.reply(case, agent, "收到")
    membership.approve(membership.apply(verified_owner, hobbies=[], dates=[]), staff("Managers"))
    club = HomePage.objects.get().add_child(instance=ClubPage(title="金都会", slug="club"))
    return {"topic": topic, "case": case, "board": board, "club": club}


def owner_pages(world):
    return [
        "/",
        reverse("forum:index"),
        world["board"].get_absolute_url(),
        world["topic"].get_absolute_url(),
        reverse("forum:reply", args=[world["topic"].pk]),
        reverse("search:search") + "?q=电梯",
        reverse("owners:dashboard"),
        reverse("owners:profile"),
        reverse("account_change_phone"),
        reverse("owners:claim_unit"),
        reverse("owners:notifications"),
        reverse("cases:mine"),
        reverse("cases:new"),
        world["case"].get_absolute_url(),
        reverse("club:home"),
        reverse("club:edit"),
        reverse("club:points"),
        reverse("club:rewards"),
        reverse("club:refer"),
        reverse("events:mine"),
        reverse("repairs:new"),
        reverse("repairs:prices"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_owner_pages_speak_one_language(client, world, verified_owner, language):
    verified_owner.language = language  # the language the owner chose wins over the browser's
    verified_owner.save()
    client.force_login(verified_owner)
    allowed = [*stored_text(), "电梯"]  # and what they searched for
    found = {}
    for url in owner_pages(world):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
        assert response.status_code == 200, url
        words = leaks(response.content.decode(), language, allowed)
        if words:
            found[url] = words
    assert found == {}, found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_signed_out_pages_speak_one_language(client, world, language):
    allowed = stored_text()
    found = {}
    for url in (
        "/",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_request_login_code"),
        reverse("account_reset_password"),
        "/forum/",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        words = leaks(response.content.decode(), language, allowed)
        if words:
            found[url] = words
    assert found == {}, found


def admin_screens(world):
    case, home = world["case"], HomePage.objects.get()
    return [
        reverse("wagtailadmin_home"),
        reverse("case_ledger:index"),
        reverse("case_ledger:inspect", args=[case.pk]),
        reverse("case_report:index"),
        reverse("case_report:index") + "?period=week",
        reverse("claims:index"),
        reverse("club_members:index"),
        reverse("club_check_in:index"),
        reverse("repair_ledger:index"),
        reverse("repair_teams:index"),
        reverse("repair_categories:index"),
        reverse("repair_categories:add"),
        reverse("repair_prices:index"),
        reverse("repair_materials:index"),
        reverse("repairs_dispatch", args=[case.pk]),
        reverse("wagtailadmin_explore", args=[HomePage.objects.get().pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        # The page editor: a page's edit form, the choice of a new page's type, a new page's
        # form, its history, and the form builder of a survey.
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[home.pk]),
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk]),
        reverse("wagtailadmin_pages:history", args=[home.pk]),
        reverse("wagtailadmin_pages:add", args=["club", "surveypage", world["club"].pk]),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_staffs_main_admin_screens_speak_one_language(client, world, language):
    manager = User.objects.get(username="managers")  # made by the world: the club's approver
    manager.is_superuser = True  # every screen at once
    manager.language = language
    manager.save()
    client.force_login(manager)
    allowed = stored_text()
    found = {}
    for url in admin_screens(world):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        words = leaks(response.content.decode(), language, allowed)
        if words:
            found[url] = words
    assert found == {}, found
