"""A real browser finds no Content-Security-Policy violation on the main owner pages (on a
phone, anonymous and signed in) or the main admin screens (at a desk), and the scripts the
pages use still work under the policy: the confirm dialog before a registration is cancelled,
the claim form's estate select, the page editor's preview, the club desk's card check."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case
from club.models import Member, SurveyPage
from events.models import Registration
from forum.models import Post
from home.models import HomePage, SiteImage, StandardPage
from owners.models import Estate, User
from publications.models import ListingPage, MagazineIssuePage, NewsPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every frame of every page reports its violations to the test as they happen.
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolation(`${location.pathname}: ${event.effectiveDirective} blocked `
        + `${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
}, true);
"""


class Violations(list):
    """Violations seen in a browser context, by the page's events and its console."""

    def __init__(self, context):
        super().__init__()
        context.expose_function("cspViolation", lambda text: self.append(text))
        context.add_init_script(LISTEN)
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.append(f"console: {message.text}")


def sign_in(context, site, user):
    """A session made by Django's test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site}])


def visit(page, url, status=200, settle=False):
    response = page.goto(page.site + url)
    assert response.status == status, url
    assert "content-security-policy" in response.headers, url
    if settle:  # screens whose scripts keep loading parts after the page itself
        page.wait_for_load_state("networkidle")


def test_main_pages_and_admin_screens_break_no_rule_of_the_policy(live_server, browser, settings):
    call_command("load_demo", verbosity=0)
    site = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site  # the userbar's scripts come from the site itself
    owner = User.objects.get(username="owner")
    home = HomePage.objects.get()
    news = NewsPage.objects.live().first()
    case = Case.objects.filter(owner=owner).first()
    card = Member.objects.get(user=owner).cards.get(status="active")
    own_post = Post.objects.filter(
        author=owner, topic__is_hidden=False, is_hidden=False, deleted_by_author=False
    ).first()
    registration = Registration.objects.get(
        user=owner, status="confirmed", event__title="茶艺沙龙：品龙井"
    )

    # -- Owner pages on a phone -----------------------------------------------------------
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    seen = Violations(phone)
    page = phone.new_page()
    page.site = site
    anonymous = [
        "/",
        "/news/",
        news.url,
        "/magazine/",
        MagazineIssuePage.objects.live().first().url,
        "/listings/",
        ListingPage.objects.live().first().url,
        StandardPage.objects.live().first().url,
        "/club/",
        registration.event.url,
        "/forum/",
        "/search/?q=停车",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/",  # from the page cache this time
    ]
    for url in anonymous:
        visit(page, url)
    visit(page, "/no-such-page/", status=404)

    sign_in(phone, site, owner)
    signed_in = [
        "/me/",
        "/me/profile/",
        "/me/notifications/",
        "/me/cases/",
        "/me/cases/new/",
        reverse("cases:detail", args=[case.reference]),
        "/me/club/",
        "/me/club/points/",
        "/me/club/rewards/",
        "/me/club/refer/",
        registration.event.url,
        "/forum/b/owners/",
        "/forum/b/owners/new/",
        "/forum/search/?q=停车",
        SurveyPage.objects.live().first().url,
        "/accounts/email/",  # allauth's own script
    ]
    for url in signed_in:
        visit(page, url)

    # A topic with the owner's post: deleting it asks first (site.js); saying no keeps it.
    visit(page, reverse("forum:topic", args=[own_post.topic_id]))
    delete = page.locator(f"form[action='{reverse('forum:delete', args=[own_post.pk])}']")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    delete.locator("button").click()
    assert asked == [delete.get_attribute("data-confirm")]
    own_post.refresh_from_db()
    assert not own_post.deleted_by_author

    # My events: cancelling a registration asks first; no keeps it, yes cancels it.
    visit(page, "/me/club/events/")
    cancel = page.locator(
        f"form[action='{reverse('events:cancel_registration', args=[registration.pk])}']"
    )
    question = cancel.get_attribute("data-confirm")
    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    cancel.locator("button").click()
    assert asked == [question]
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        cancel.locator("button").click()
    registration.refresh_from_db()
    assert registration.status == "cancelled"

    # The claim form: choosing an estate loads its buildings at once.
    estate = Estate.objects.get(name="金都·云栖府")
    visit(page, "/me/units/claim/")
    expect(page.locator("select[name=building]")).to_have_count(0)
    with page.expect_navigation():
        page.select_option("select[name=estate]", str(estate.pk))
    expect(page).to_have_url(re.compile(rf"estate={estate.pk}"))
    expect(page.locator("select[name=building]")).to_be_visible()

    # -- Admin screens at a desk ----------------------------------------------------------
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    seen_at_desk = Violations(desk)
    admin = desk.new_page()
    admin.site = site
    sign_in(desk, site, User.objects.get(username="admin"))
    screens = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/edit/",
        "/admin/images/",
        f"/admin/images/{SiteImage.objects.first().pk}/",  # the focal point (Jcrop)
        "/admin/documents/",
        "/admin/cases/",
        f"/admin/cases/inspect/{case.pk}/",
        "/admin/cases/report/",
        "/admin/owners/claims/",
        "/admin/club/members/",
        f"/admin/club/members/inspect/{card.member_id}/",
        "/admin/club/check-in/",
        "/admin/forum/reports/",
        "/admin/forum/awaiting-reply/",
        "/admin/reports/site-history/",
        "/",  # an owner page with Wagtail's userbar on it
    ]
    for url in screens:
        visit(admin, url, settle="/edit/" in url)

    # The page editor of a StreamField page: its preview panel frames the page.
    visit(admin, f"/admin/pages/{news.pk}/edit/", settle=True)
    admin.click("button[data-side-panel-toggle='preview']")
    preview = admin.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(news.title)
    admin.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
    expect(admin.locator(".w-combobox")).to_be_visible()

    # The club desk's card check: its own stylesheet and script load.
    visit(admin, "/admin/club/check/")
    admin.fill("input[name=code]", card.number)
    with admin.expect_navigation():
        admin.locator("form[data-card-check] button[type=submit]").click()
    result = admin.locator("section.card-check")
    expect(result).to_have_class(re.compile(r"\bcard-check--good\b"))
    expect(result).to_have_css("border-top-color", "rgb(31, 122, 77)")

    admin.wait_for_timeout(300)  # let the last reports arrive
    violations = [*seen, *seen_at_desk]
    assert not violations, "\n".join(violations)
    phone.close()
    desk.close()
