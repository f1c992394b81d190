"""Joining the club from end to end: a verified owner applies on a phone (first forgetting to
agree to the rules), club staff approve the application in the admin, the owner finds the member
card with its QR, the joining points and the card image to save, redeems a reward, staff hand it
over, the owner sees it handed over, every owner page fits a phone screen, and the owner was
emailed a welcome with the member number."""

import re
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from club.models import (
    ClubSettings,
    Member,
    MemberCard,
    MembershipApplication,
    PointsEntry,
    Redemption,
    Reward,
)
from conftest import OVERFLOW, PASSWORD, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOBBIES = ("摄影", "茶艺")  # from the club's data migration
BIRTHDAY = "1980-05-17"


def shown_number(locator):
    """The one number in a line of text such as "You have 200 points." in either language."""
    return int(re.search(r"\d+", locator.inner_text()).group(0))


def test_owner_joins_the_club_and_redeems_a_reward(
    live_server, page, browser, verified_owner, staff
):
    club_staff = staff("Club staff")
    site = live_server.url

    # 1. The owner signs in on a phone and applies: two hobbies, a birthday, and, the second
    #    time, the consent to the club rules.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))

    page.goto(f"{site}/me/club/apply/")
    assert page.evaluate(OVERFLOW) == []
    for hobby in HOBBIES:
        page.locator("label.chip-choice", has_text=hobby).click()
        expect(page.locator("label.chip-choice", has_text=hobby).locator("input")).to_be_checked()
    page.fill("input[name=birthday]", BIRTHDAY)
    expect(page.locator("input[name=agree]")).not_to_be_checked()
    with page.expect_navigation():
        page.click("form.form button[type=submit]")

    agree = page.locator(".field--checkbox", has=page.locator("input[name=agree]"))
    expect(agree).to_have_class(re.compile(r"\bfield--error\b"))
    expect(agree.locator(".field__error")).to_be_visible()
    assert not MembershipApplication.objects.exists()
    # What was filled in is still there.
    for hobby in HOBBIES:
        expect(page.locator("label.chip-choice", has_text=hobby).locator("input")).to_be_checked()
    expect(page.locator("input[name=birthday]")).to_have_value(BIRTHDAY)
    assert page.evaluate(OVERFLOW) == []

    page.check("input[name=agree]")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")
    expect(page.locator(".messages .message--success")).to_be_visible()
    application = MembershipApplication.objects.get()
    assert application.user == verified_owner
    assert application.status == MembershipApplication.Status.PENDING
    assert sorted(h.name for h in application.hobbies.all()) == sorted(HOBBIES)
    assert application.important_dates == [{"kind": "birthday", "label": "", "date": BIRTHDAY}]
    assert application.agreed_to_rules_at is not None

    # 2. Club staff, at a desk, open the queue and approve the application.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, club_staff)
    staff_page.goto(f"{site}/admin/club/applications/")
    inspect_url = f"/admin/club/applications/inspect/{application.pk}/"
    link = staff_page.locator(f"table tbody tr a[href='{inspect_url}']")
    expect(link).to_have_count(1)
    with staff_page.expect_navigation():
        link.click()
    expect(staff_page).to_have_url(site + inspect_url)
    for hobby in HOBBIES:
        expect(staff_page.locator("main")).to_contain_text(hobby)
    expect(staff_page.locator("main")).to_contain_text(BIRTHDAY)
    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=approve]")

    member = Member.objects.get(user=verified_owner)
    card = MemberCard.objects.get(member=member, status=MemberCard.Status.ACTIVE)
    expect(staff_page.locator(".messages")).to_contain_text(member.number)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.reviewed_by == club_staff
    joining_points = ClubSettings.load().points_for_joining
    assert member.points_balance == joining_points
    assert sorted(h.name for h in member.hobbies.all()) == sorted(HOBBIES)

    # 3. The owner finds the member card, the joining points, and saves the card image.
    page.goto(f"{site}/me/club/")
    member_card = page.locator("section.member-card")
    expect(member_card).to_be_visible()
    expect(member_card.locator(".member-card__meta")).to_contain_text(member.number)
    expect(member_card.locator(".member-card__number")).to_have_text(card.formatted_number)
    expect(member_card.locator(".member-card__qr svg")).to_have_count(1)
    expect(member_card.locator(".member-card__qr svg")).to_be_visible()
    expect(page.locator(".points-summary__balance strong")).to_have_text(str(joining_points))
    entries = page.locator(".points-list .list__item")
    expect(entries).to_have_count(1)
    expect(entries.locator(".points-delta")).to_have_text(f"+{joining_points}")
    assert member.points.get().kind == PointsEntry.Kind.JOINING
    assert page.evaluate(OVERFLOW) == []

    with page.expect_download() as download_info:
        page.click("a[href$='card.png?download=1']")
    download = download_info.value
    assert download.suggested_filename == f"member-card-{card.number}.png"
    with Image.open(download.path()) as image:
        assert (image.format, image.size) == ("PNG", (1012, 638))
    served = page.request.get(f"{site}/me/club/card.png")
    assert served.ok and served.headers["content-type"] == "image/png"
    with Image.open(BytesIO(served.body())) as image:
        assert (image.format, image.size) == ("PNG", (1012, 638))

    # 4. The owner redeems a reward that costs less than the balance.
    reward = Reward.objects.create(name="定制保温杯", points=150, stock=3)
    page.goto(f"{site}/me/club/rewards/")
    assert page.evaluate(OVERFLOW) == []
    balance = page.locator(".page-header .lead")
    assert shown_number(balance) == joining_points
    offer = page.locator("li.reward", has_text=reward.name)
    expect(offer).to_have_count(1)
    expect(offer.locator("button[type=submit]")).to_be_enabled()
    # Points are spent only after the owner confirms what for, how many and what is left.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    offer.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_have_count(0)
    left = joining_points - 150
    assert asked == [f"确定用 150 积分兑换“{reward.name}”吗？兑换后余额 {left} 积分。"]
    assert not Redemption.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        offer.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{site}/me/club/rewards/")
    expect(page.locator(".messages .message--success")).to_contain_text(reward.name)
    assert shown_number(balance) == joining_points - reward.points
    reward.refresh_from_db()
    assert reward.stock == 2
    redemption = Redemption.objects.get()
    assert (redemption.member, redemption.reward, redemption.points) == (member, reward, 150)
    assert redemption.status == Redemption.Status.REQUESTED
    member.refresh_from_db()
    assert member.points_balance == joining_points - reward.points
    mine = page.locator("section[aria-labelledby=mine-title] .list__item", has_text=reward.name)
    expect(mine).to_have_count(1)
    expect(mine.locator(".status")).to_have_class(re.compile(r"\bstatus--requested\b"))
    # What is left is too little for a second one.
    expect(offer.locator("button[type=submit]")).to_be_disabled()
    assert page.evaluate(OVERFLOW) == []

    # 5. Club staff hand the reward over; the owner sees it handed over.
    staff_page.goto(f"{site}/admin/club/redemptions/")
    inspect_url = f"/admin/club/redemptions/inspect/{redemption.pk}/"
    link = staff_page.locator(f"table tbody tr a[href='{inspect_url}']")
    expect(link).to_have_count(1)
    with staff_page.expect_navigation():
        link.click()
    expect(staff_page.locator("main")).to_contain_text(reward.name)
    expect(staff_page.locator("main")).to_contain_text(member.number)
    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=fulfil]")
    expect(staff_page.locator(".messages")).to_be_visible()
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.FULFILLED
    assert redemption.handled_by == club_staff and redemption.handled_at
    desk.close()

    page.reload()
    mine = page.locator("section[aria-labelledby=mine-title] .list__item", has_text=reward.name)
    expect(mine.locator(".status")).to_have_class(re.compile(r"\bstatus--fulfilled\b"))
    assert shown_number(balance) == joining_points - reward.points
    assert page.evaluate(OVERFLOW) == []

    # 6. The owner was emailed a welcome with the member number.
    welcome = [
        m for m in mail.outbox if m.to == [verified_owner.email] and member.number in m.subject
    ]
    assert len(welcome) == 1, [m.subject for m in mail.outbox]
    assert member.number in welcome[0].body
    assert card.formatted_number in welcome[0].body
