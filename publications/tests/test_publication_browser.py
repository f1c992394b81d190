"""A magazine issue from end to end: an editor, at a desk, writes an issue with an article in
the Wagtail admin and submits it to the editorial workflow; nothing is live and nobody is
emailed yet. A manager approves it and it is published; the member who asked for the magazine
by email gets it once, with the article in it, and the member who did not gets nothing. The
reader opens the unsubscribe link from the email on a phone, without signing in, and stops the
emails. A visitor searches the site for 停车 on a phone and finds the parking news and the
parking forum topic, not the others, on a page that fits the screen."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from club.models import Member
from conftest import OVERFLOW, add_block, sign_in_staff
from forum.models import Board, Post, Topic
from forum.posting import text_fields
from publications.models import MagazineIssuePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "第 12 期：冬季特刊"
ARTICLE = "冬至包饺子"
PARKING_NEWS = "关于地下停车场收费调整的通知"
PARKING_TOPIC = "地下停车场夜里太暗了"
OTHER_NEWS = "小区绿化改造完成"
OTHER_TOPIC = "三号楼电梯维修"


def admin_sign_in(browser, site, user):
    """A desk browser signed in to the Wagtail admin as `user`; returns its page."""
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, user)
    return staff_page


def topic(board, author, title, text):
    t = Topic.objects.create(board=board, author=author, title=title)
    Post.objects.create(topic=t, author=author, position=1, **text_fields(text))
    return t


def emails_about_the_issue(*users):
    """Emails about the issue to any of `users`, in the order they were sent."""
    addresses = {user.email for user in users}
    return [m for m in mail.outbox if TITLE in m.subject and addresses & set(m.to)]


def test_an_issue_is_submitted_approved_mailed_and_the_site_is_searched(
    live_server, page, browser, settings, staff, make_member, magazine, make_news
):
    # The live server answers each request on its own connection to the in-memory test
    # database, where a request that meets another one's write fails at once ("database table
    # is locked") instead of waiting. Wagtail's autosave posts the editor's form in the
    # background every half second, racing the editor's own clicks: it is turned off here.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor, manager = staff("Editors"), staff("Managers")
    reader = make_member("reader")
    quiet = make_member("quiet")
    Member.objects.filter(pk=quiet.pk).update(publications=False)
    make_news(PARKING_NEWS)
    make_news(OTHER_NEWS)
    board = Board.objects.create(slug="talk", name="业主交流", description="")
    topic(board, reader.user, PARKING_TOPIC, "希望物业加装照明。")
    topic(board, reader.user, OTHER_TOPIC, "电梯又坏了。")
    site = live_server.url
    mail.outbox.clear()

    # 1. The editor writes the issue, with one article, and submits it to the workflow.
    desk = admin_sign_in(browser, site, editor)
    desk.goto(f"{site}/admin/pages/add/publications/magazineissuepage/{magazine.pk}/")
    desk.fill("input[name=title]", TITLE)
    desk.fill("input[name=issue_number]", "12")
    desk.fill("input[name=issue_date]", "2026-12-01")
    desk.keyboard.press("Escape")  # closes the date picker
    desk.fill("textarea[name=summary]", "冬季活动一览")
    articles = desk.locator("[data-contentpath=articles]")
    articles.locator("button.c-sf-add-button").first.click()  # the only block: an article
    desk.fill("input[name=articles-0-value-title]", ARTICLE)
    body = articles.locator("[data-contentpath=body]")
    add_block(desk, body, "pilcrow")  # a paragraph
    body.locator("[contenteditable=true]").click()
    desk.keyboard.type("冬至那天，会所里一起包饺子。")
    # The rich text editor copies its content to the form a moment after the typing stops.
    expect(desk.locator("input[name=articles-0-value-body-0-value]")).to_have_value(
        re.compile("一起包饺子")
    )
    desk.click("footer .w-dropdown-button .w-dropdown__toggle")
    with desk.expect_navigation():
        desk.click("footer button[name=action-submit]")
    expect(desk).to_have_url(f"{site}/admin/pages/{magazine.pk}/")
    desk.context.close()

    issue = MagazineIssuePage.objects.get()
    assert issue.get_parent().pk == magazine.pk
    assert (issue.title, issue.issue_number, str(issue.issue_date)) == (TITLE, 12, "2026-12-01")
    assert issue.summary == "冬季活动一览"
    [block] = issue.articles
    assert block.block_type == "article" and block.value["title"] == ARTICLE
    assert "一起包饺子" in block.value["body"][0].value.source
    assert not issue.live
    assert issue.workflow_states.filter(status="in_progress").exists()
    # Wagtail tells the managers there is something to approve; the members hear nothing yet.
    assert [m.to for m in emails_about_the_issue(manager)] == [[manager.email]]
    assert emails_about_the_issue(reader.user, quiet.user) == []

    # 2. A manager opens the issue and approves it: it is published.
    desk = admin_sign_in(browser, site, manager)
    # The edit view announces the manager's editing session as soon as it has loaded; wait
    # for that, so that the approval does not race it.
    with desk.expect_response(re.compile(r"/admin/editing-sessions/ping/")):
        desk.goto(f"{site}/admin/pages/{issue.pk}/edit/")
    desk.click("footer .w-dropdown-button .w-dropdown__toggle")
    approve = (
        "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    with desk.expect_navigation():
        desk.click(approve)
    desk.context.close()
    issue.refresh_from_db()
    assert issue.live
    assert not issue.workflow_states.filter(status="in_progress").exists()

    # 3. The reader, and only the reader, is emailed the issue once; the unsubscribe link in
    #    it works on a phone without signing in.
    assert emails_about_the_issue(quiet.user) == []
    [message] = emails_about_the_issue(reader.user)
    assert ARTICLE in message.body
    assert settings.WAGTAILADMIN_BASE_URL + issue.url in message.body
    stop = re.search(r"https?://\S+/me/club/publications/stop/[^/\s]+/", message.body).group(0)
    assert stop.startswith(settings.WAGTAILADMIN_BASE_URL)

    page.goto(site + urlsplit(stop).path)
    expect(page.locator("form.form")).to_be_visible()
    assert reader.user.email not in page.content()  # a forwarded link shows no address
    assert page.evaluate(OVERFLOW) == []
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    expect(page.locator("form.form")).to_have_count(0)
    expect(page.locator(".alert")).to_be_visible()
    reader.user.refresh_from_db()
    assert reader.user.notification_channels == {"publications": []}  # no more by email

    # 4. A visitor on a phone searches for 停车: the parking news and topic, nothing else.
    page.goto(f"{site}/search/")
    page.fill("input[name=q]", "停车")
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator(".search-results")
    expect(results).to_have_count(1)  # pages and posts ranked in one list
    found = "\n".join(results.all_inner_texts())
    assert PARKING_NEWS in found and PARKING_TOPIC in found
    assert OTHER_NEWS not in found and OTHER_TOPIC not in found and TITLE not in found
    titles = page.locator(".search-results__title")
    expect(titles).to_have_count(2)
    expect(titles.filter(has_text=PARKING_NEWS).locator("mark")).to_have_text("停车")
    expect(titles.filter(has_text=PARKING_TOPIC).locator("mark")).to_have_text("停车")
    assert page.evaluate(OVERFLOW) == []
