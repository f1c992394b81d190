"""Closing an account (注销账号): the owner asks, staff carry it out in the admin (or the daily
task at the deadline), personal data is erased and the records the company must keep stay."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from cases import casework
from cases.models import Case, CaseAttachment
from cases.tasks import anonymise_expired_cases
from club import membership, rewards
from club.models import (
    ImportantDate,
    Member,
    MemberCard,
    MembershipApplication,
    PointsEntry,
    Redemption,
    Referral,
    SurveyAnswer,
)
from conftest import PASSWORD, make_user
from events import signup
from events.models import EventPage, Registration
from forum import posting
from forum.counters import recount_board
from forum.models import Board, Post, PostImage, PostRevision, Reaction, Subscription, Topic
from forum.searching import POSTS
from owners import privacy
from owners.models import AccountClosure, OwnershipClaim, Unit, User
from owners.tasks import carry_out_closures as carry_out_due_closures
from owners.tests.privacy_data import World, fill, neighbour, verify
from portal import outbox
from portal.models import Notification, Outgoing
from portal.notifications import queue_email
from portal.storage import private_storage

pytestmark = pytest.mark.django_db

CLOSE = reverse("owners:close_account")
PAGE = reverse("owners:privacy")


@pytest.fixture(autouse=True)
def _quick_posting(settings):
    settings.FORUM_SECONDS_BETWEEN_POSTS = 0


@pytest.fixture
def world(staff, estate):
    return World(staff)


@pytest.fixture
def closing(world, verified_owner, unit):
    """王建国 with a record everywhere, and a neighbour who talks to him in the forum."""
    owner = verified_owner
    owner.date_joined = timezone.now() - timedelta(days=30)
    owner.save()
    data = fill(world, owner, unit)
    other, other_unit = neighbour(world)
    reply = posting.reply(other, data["topic"], source="我家也是这样")
    posting.like(owner, reply)
    posting.like(other, data["topic"].posts.get(position=1))
    # An event with one seat: the owner has it, the neighbour (a member too) waits.
    member = membership.approve(membership.apply(other), world.club_staff)
    full = world.event("读书会", capacity=1)
    signup.sign_up(full, owner)
    waiting = signup.sign_up(full, other)
    assert waiting.status == "waitlisted"
    return {**data, "owner": owner, "other": other, "waiting": waiting, "other_member": member}


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def ask_to_close(client, posts="keep", **extra):
    """Send the form; allauth asks for the password first, then sends the form on."""
    response = client.post(CLOSE, {"posts": posts, "understood": "on", **extra})
    if response.status_code == 302 and "/accounts/reauthenticate/" in response.url:
        response = client.post(response.url, {"password": PASSWORD})
    return response


def carry_out_in_the_admin(client, closure, capture):
    url = reverse("closures:inspect", args=[closure.pk])
    with capture(execute=True):
        return client.post(url, {"action": "carry_out", "confirm": "on"})


def test_from_the_request_to_a_closed_account(
    client, closing, world, django_capture_on_commit_callbacks
):
    owner, case = closing["owner"], closing["cases"][0]
    email = owner.email
    points_before = list(PointsEntry.objects.filter(member=closing["member"]).values_list("pk"))
    assert sign_in(client, email).status_code == 302

    # The owner asks, choosing to keep their posts.
    assert "注销账号" in client.get(CLOSE).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_to_close(client)
    assert response.status_code == 302 and response.url == PAGE
    closure = AccountClosure.objects.get()
    assert (closure.status, closure.posts) == ("pending", "keep")
    assert mail.outbox[-1].to == [email]
    assert "撤回" in client.get(PAGE).content.decode()

    # A manager finds it in the queue and carries it out.
    desk = Client()
    desk.force_login(world.manager)
    queue = desk.get(reverse("closures:index")).content.decode()
    assert f"注销申请 #{closure.pk}" in queue and "王建国" in queue
    screen = desk.get(reverse("closures:inspect", args=[closure.pk])).content.decode()
    assert "未办结的工单" in screen or "Open cases" in screen
    mail.outbox.clear()
    response = carry_out_in_the_admin(desk, closure, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.status == "done" and closure.done_by == world.manager
    # The goodbye went to the old address; the neighbour got the freed seat.
    assert [m.to for m in mail.outbox] == [[email], [closing["other"].email]]

    # The owner is signed out and cannot sign in again.
    assert "/accounts/login/" in client.get(PAGE).url
    again = Client()
    assert sign_in(again, email).status_code == 200
    assert "_auth_user_id" not in again.session

    # Their topic stays, by 已注销用户.
    topic = Client().get(closing["topic"].get_absolute_url()).content.decode()
    assert "已注销用户" in topic and "停车场收费太高了" in topic and "王建国" not in topic

    # The case stays in the ledger, without the name.
    ledger = desk.get(reverse("case_ledger:index")).content.decode()
    assert case.reference in ledger
    screen = desk.get(reverse("case_ledger:inspect", args=[case.pk])).content.decode()
    assert "已注销用户" in screen and "王建国" not in screen and "13800138000" not in screen

    # The points ledger is whole; the seat went to the waitlist.
    after = list(PointsEntry.objects.filter(member=closing["member"]).values_list("pk"))
    assert after == points_before
    member = Member.objects.get(pk=closing["member"].pk)
    total = PointsEntry.objects.filter(member=member).aggregate(n=Sum("delta"))["n"]
    assert member.points_balance == total
    closing["waiting"].refresh_from_db()
    assert closing["waiting"].status == "confirmed"

    # The closure log and Wagtail's audit log say what was done.
    screen = desk.get(reverse("closures:inspect", args=[closure.pk])).content.decode()
    assert "王建国" not in screen
    assert closure.counts["registrations_cancelled"] == 2
    assert closure.counts["posts_kept"] == 2 and closure.counts["cases"] == 1
    assert ModelLogEntry.objects.filter(action="owners.account.close", user=world.manager).exists()


def test_personal_data_is_erased_and_records_kept(
    closing, world, django_capture_on_commit_callbacks
):
    owner = closing["owner"]
    avatar = owner.avatar.name
    closure = privacy.request_closure(owner, posts="keep")
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out_closure(closure, world.manager)
    user = User.objects.get(pk=owner.pk)
    assert user.closed_at and not user.is_active and not user.has_usable_password()
    assert (user.real_name, user.mobile, user.nickname, user.first_name, user.avatar.name) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert user.email.endswith("@closed.invalid") and user.username.startswith("closed-")
    assert not user.is_verified_owner and user.public_name == "已注销用户"
    assert not user.avatar.storage.exists(avatar)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Subscription.objects.filter(user=user).exists()
    assert not Reaction.objects.filter(user=user).exists()
    reply = Post.objects.get(author=closing["other"], topic=closing["topic"])
    assert reply.like_count == 0  # the like the owner gave was taken back

    # Homes: kept as the unit's history, without the proof; the verification ended.
    claim = OwnershipClaim.objects.get(owner=user)
    assert (claim.status, claim.proof) == ("revoked", "")
    # Cases: kept, linked, contact erased.
    assert Case.objects.filter(owner=user).count() == 1

    # The club: the record stays for the ledger, the personal part goes.
    member = Member.objects.get(user=user)
    assert member.status == "suspended" and not member.hobbies.exists()
    assert not ImportantDate.objects.filter(member=member).exists()
    assert not member.cards.filter(status="active").exists()
    assert MemberCard.objects.filter(member=member, status="revoked").count() == 1
    assert not SurveyAnswer.objects.filter(user=user).exists()
    application = MembershipApplication.objects.get(user=user)
    assert application.important_dates == [] and not application.hobbies.exists()
    referral = Referral.objects.get(member=member)
    assert (referral.buyer_name, referral.buyer_mobile, referral.status) == (
        "赵**",
        "137****0000",
        "rejected",
    )
    assert not Registration.objects.filter(user=user, status__in=("confirmed", "waitlisted"))
    # The audit log no longer carries the name in its labels.
    assert not ModelLogEntry.objects.filter(label__contains="王建国").exists()


def test_removed_posts_lose_their_text_and_pictures_and_counters_stay_right(
    closing, world, django_capture_on_commit_callbacks
):
    owner, board = closing["owner"], world.board
    lonely = posting.create_topic(owner, board, title="无人回复的主题", source="只有我自己")
    pictures = list(PostImage.objects.filter(post__author=owner).values_list("image", flat=True))
    assert pictures and all(private_storage.exists(name) for name in pictures)
    board.refresh_from_db()
    topics_before, posts_before = board.topic_count, board.post_count
    assert found("停车场收费太高了")

    closure = privacy.request_closure(owner, posts="remove")
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out_closure(closure, world.manager)

    posts = Post.objects.filter(author=owner)
    assert all(p.deleted_by_author and p.source == p.html == "" for p in posts)
    assert not PostImage.objects.filter(post__author=owner).exists()
    assert not any(private_storage.exists(name) for name in pictures)
    assert not found("停车场收费太高了")
    # A topic nobody answered is hidden, as a moderator hides one; the board's counts follow.
    lonely.refresh_from_db()
    assert lonely.is_hidden and lonely.title == "已注销用户的主题"
    board.refresh_from_db()
    assert (board.topic_count, board.post_count) == (topics_before - 1, posts_before - 1)
    # The topic others answered stays for their replies, without the owner's words.
    answered = Topic.objects.get(pk=closing["topic"].pk)
    assert not answered.is_hidden and answered.title == "已注销用户的主题"
    page = Client().get(answered.get_absolute_url()).content.decode()
    assert "我家也是这样" in page and "停车场收费" not in page
    assert board.last_post.author == closing["other"]
    closure.refresh_from_db()
    assert closure.counts["posts_removed"] == 3 and closure.counts["pictures"] == 2
    assert (closure.counts["topics_hidden"], closure.counts["topics_retitled"]) == (1, 1)


def test_the_request_needs_the_password_again(client, owner):
    """Being signed in is not enough: a phone left unlocked cannot close the account."""
    sign_in(client, owner.email)
    response = client.post(CLOSE, {"posts": "keep", "understood": "on"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    assert not AccountClosure.objects.exists()
    client.post(response.url, {"password": "wrong-password"})
    assert not AccountClosure.objects.exists()
    # The password once more, and the request goes through.
    response = client.post(response.url, {"password": PASSWORD})
    assert AccountClosure.objects.filter(user=owner, status="pending").exists()


def test_the_form_asks_for_a_choice_and_a_confirmation(client, owner):
    sign_in(client, owner.email)
    response = client.post(CLOSE, {"posts": "keep"})
    assert response.status_code == 200 and "请确认" in response.content.decode()
    response = client.post(CLOSE, {"posts": "burn", "understood": "on"})
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert not AccountClosure.objects.exists()


def test_a_request_can_be_withdrawn_until_it_is_carried_out(
    client, owner, staff, django_capture_on_commit_callbacks
):
    sign_in(client, owner.email)
    ask_to_close(client)
    closure = AccountClosure.objects.get()
    assert ask_to_close(client).status_code == 200  # asked already
    assert AccountClosure.objects.count() == 1
    client.post(reverse("owners:withdraw_closure", args=[closure.pk]))
    closure.refresh_from_db()
    assert closure.status == "withdrawn"
    desk = Client()
    desk.force_login(staff("Managers"))
    response = carry_out_in_the_admin(desk, closure, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "撤回" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active and not owner.closed_at


def test_another_owner_cannot_withdraw_it(client, owner, other_owner):
    closure = privacy.request_closure(owner, posts="keep")
    client.force_login(other_owner)
    assert client.post(reverse("owners:withdraw_closure", args=[closure.pk])).status_code == 404
    closure.refresh_from_db()
    assert closure.is_pending


def test_only_those_allowed_see_the_queue_and_close(client, owner, staff):
    closure = privacy.request_closure(owner, posts="keep")
    for role in ("Customer service", "Club staff", "Forum moderators"):
        person = staff(role)
        client.force_login(person)
        assert client.get(reverse("closures:index")).status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            privacy.carry_out_closure(closure, person)
    client.force_login(staff("Managers"))
    assert client.get(reverse("closures:index")).status_code == 200
    owner.refresh_from_db()
    assert owner.is_active


def test_staff_accounts_are_not_closed_here(client, staff):
    manager = staff("Managers")
    with pytest.raises(privacy.PrivacyError):
        privacy.request_closure(manager, posts="keep")
    client.force_login(manager)
    assert "管理员" in client.get(PAGE).content.decode()


def test_the_daily_task_carries_out_requests_at_their_deadline(
    owner, settings, django_capture_on_commit_callbacks
):

    closure = privacy.request_closure(owner, posts="remove")
    assert carry_out_due_closures.delay().get() == 0
    AccountClosure.objects.filter(pk=closure.pk).update(
        requested_at=timezone.now() - timedelta(days=settings.ACCOUNT_CLOSURE_DAYS, minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert carry_out_due_closures.delay().get() == 1
    closure.refresh_from_db()
    assert closure.status == "done" and closure.done_by is None
    owner.refresh_from_db()
    assert owner.closed_at and not owner.is_active


def test_sessions_end_everywhere(owner, staff):
    """No session is looked for: the new password hash and the inactive account end each one
    at its next request."""
    phone, laptop = Client(), Client()
    sign_in(phone, owner.email)
    sign_in(laptop, owner.email)
    assert phone.get(PAGE).status_code == laptop.get(PAGE).status_code == 200
    privacy.carry_out_closure(privacy.request_closure(owner, posts="keep"), staff("Managers"))
    for device in (phone, laptop):
        for url in (PAGE, reverse("owners:dashboard"), reverse("cases:mine")):
            assert "/accounts/login/" in device.get(url).url


def test_two_factor_authenticators_are_deleted(owner, staff):
    Authenticator.objects.create(user=owner, type="totp", data={"secret": "x"})
    closure = privacy.carry_out_closure(
        privacy.request_closure(owner, posts="keep"), staff("Managers")
    )
    assert closure.counts["authenticators"] == 1
    assert not Authenticator.objects.filter(user=owner).exists()


def test_cases_are_anonymised_after_the_retention_period(
    closing, world, settings, django_capture_on_commit_callbacks
):

    owner, (case,) = closing["owner"], closing["cases"]
    casework.set_status(case, world.service, "resolved", "已修好")
    open_case = casework.file_case(
        owner, kind="enquiry", category=world.category, subject="还在处理", description="?"
    )
    theirs = casework.file_case(
        closing["other"], kind="enquiry", category=world.category, subject="邻居的", description="!"
    )
    files = [n for f in CaseAttachment.objects.filter(case=case) for n in f.stored_names()]
    assert any("/thumbnails/" in name for name in files)  # a photo's small copy goes too
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out_closure(privacy.request_closure(owner, posts="keep"), world.manager)
    assert anonymise_expired_cases.delay().get() == 0  # still within the period

    User.objects.filter(pk=owner.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.CASE_RETENTION_DAYS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_cases.delay().get() == 1
    case.refresh_from_db()
    assert case.owner is None and case.description == "" and case.subject == "已注销用户的工单"
    assert case.status == "resolved" and case.reference.startswith("TS-")  # still counted
    assert not case.events.exclude(text="").exists()
    assert not CaseAttachment.objects.filter(case=case).exists()
    assert not any(private_storage.exists(name) for name in files)
    open_case.refresh_from_db()
    theirs.refresh_from_db()
    assert open_case.owner_id == owner.pk and theirs.subject == "邻居的"


def test_nothing_is_emailed_to_a_closed_account(closing, world):
    owner, (case,) = closing["owner"], closing["cases"]
    privacy.carry_out_closure(privacy.request_closure(owner, posts="keep"), world.manager)
    mail.outbox.clear()

    casework.reply(case, world.service, "已处理")
    posting.reply(closing["other"], closing["topic"], source="@王建国 你好")
    assert not mail.outbox
    assert not Notification.objects.filter(recipient=owner).exists()


def test_the_queue_and_the_screen_cost_a_fixed_number_of_queries(client, staff, estate):
    client.force_login(staff("Managers"))
    units = iter(Unit.objects.order_by("pk"))

    def queries(count):
        for n in range(count):
            user = verify(make_user(f"o{AccountClosure.objects.count()}-{n}"), next(units))
            privacy.request_closure(user, posts="keep")
        client.get(reverse("closures:index"))
        with CaptureQueriesContext(connection) as index:
            assert client.get(reverse("closures:index")).status_code == 200
        url = reverse("closures:inspect", args=[AccountClosure.objects.last().pk])
        client.get(url)
        with CaptureQueriesContext(connection) as screen:
            assert client.get(url).status_code == 200
        return len(index), len(screen)

    few, many = queries(1), queries(8)
    assert many[0] == few[0] <= 30 and many[1] <= 30


def test_the_board_counts_match_a_recount_after_removal(
    closing, world, django_capture_on_commit_callbacks
):
    """The counters removal leaves are those forum.counters would compute from the posts."""

    privacy.carry_out_closure(
        privacy.request_closure(closing["owner"], posts="remove"), world.manager
    )
    board = Board.objects.get(pk=world.board.pk)
    kept = (board.topic_count, board.post_count)
    recount_board(board)
    board.refresh_from_db()
    assert (board.topic_count, board.post_count) == kept


def test_the_close_page_costs_a_fixed_number_of_queries(
    client, owner, django_assert_max_num_queries
):
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        assert "申请注销账号" in client.get(CLOSE).content.decode()


def test_an_account_that_can_open_the_admin_is_never_closed(owner, settings, caplog):
    """ "Staff" is one question everywhere: can this account open the admin (the one that makes
    it use two-step verification). Here the permission is given to the person, not a group."""

    closure = privacy.request_closure(owner, posts="keep")
    owner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    owner = User.objects.get(pk=owner.pk)
    AccountClosure.objects.filter(pk=closure.pk).update(
        requested_at=timezone.now() - timedelta(days=settings.ACCOUNT_CLOSURE_DAYS, minutes=1)
    )
    assert carry_out_due_closures.delay().get() == 0
    owner.refresh_from_db()
    assert owner.is_active and not owner.closed_at
    closure.refresh_from_db()
    assert closure.is_pending and f"Closure request {closure.pk}" in caplog.text
    privacy.withdraw_closure(closure, owner)
    with pytest.raises(privacy.PrivacyError):
        privacy.request_closure(owner, posts="keep")


def test_the_audit_log_forgets_the_name_on_redemptions(
    closing, world, django_capture_on_commit_callbacks
):
    """Staff's fulfil and cancel entries are labelled "保温杯 · number 王建国" until closure."""
    redemption = Redemption.objects.get(member=closing["member"])
    rewards.fulfil(redemption, world.club_staff)
    assert ModelLogEntry.objects.filter(
        action="club.redemption.fulfil", label__contains="王建国"
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out_closure(
            privacy.request_closure(closing["owner"], posts="keep"), world.manager
        )
    assert ModelLogEntry.objects.filter(action="club.redemption.fulfil").exists()
    assert not ModelLogEntry.objects.filter(label__contains="王建国").exists()


def quote_and_reply(client, post, words):
    """Press "Quote" under `post` and send the reply, as a browser sends a textarea (CRLF)."""
    url = reverse("forum:reply", args=[post.topic_id])
    source = client.get(url, {"quote": post.pk}).context["form"]["source"].value()
    assert client.post(url, {"source": (source + words).replace("\n", "\r\n")}).status_code == 302
    return Post.objects.filter(topic=post.topic_id).latest("pk")


@pytest.mark.parametrize("choice", ["remove", "keep"])
def test_quotes_of_the_owner_in_others_posts_lose_the_name_and_removed_words(
    client, closing, world, choice, django_capture_on_commit_callbacks
):
    """Quoting copies the owner's words and name into other people's posts. At closure the
    name becomes 已注销用户 there too; removed posts take their quoted words with them, from the
    text, the page, the search index and the reply's earlier versions."""
    owner, other, topic = closing["owner"], closing["other"], closing["topic"]
    opening = topic.posts.get(position=1)  # "停车场收费太高了", by the owner
    theirs = Post.objects.get(author=other, topic=topic)  # "我家也是这样", by the neighbour
    client.force_login(other)
    quoting = quote_and_reply(client, opening, "同意楼上")
    posting.edit_post(quoting, other, source=quoting.source + "\r\n\r\n补充：物业费也涨了")
    # A quote from before quotes linked to their post: the name and the words only.
    older = posting.reply(other, topic, source="> **王\\*\\***:\n> 补充一下0\n\n老式引用")
    # The neighbour quoting their own post: nothing to do with the closure.
    own = quote_and_reply(client, theirs, "再说一遍")
    assert "王**" in quoting.html and "停车场收费太高了" in quoting.html
    assert quoting.pk in found("停车场收费太高了")

    with django_capture_on_commit_callbacks(execute=True):
        closure = privacy.carry_out_closure(
            privacy.request_closure(owner, posts=choice), world.manager
        )

    assert closure.counts["quotes"] == 2
    quoting.refresh_from_db()
    older.refresh_from_db()
    page = Client().get(topic.get_absolute_url()).content.decode()
    assert "王**" not in page and "已注销用户" in quoting.html and "已注销用户" in older.source
    assert "同意楼上" in quoting.html and "老式引用" in older.html
    # Rewritten in place: no new earlier version keeps the old words.
    assert PostRevision.objects.filter(post__in=[quoting, older]).count() == 1
    own.refresh_from_db()
    assert "李**" in own.html and "我家也是这样" in own.html
    earlier = PostRevision.objects.get(post=quoting).source
    if choice == "remove":
        assert "停车场收费太高了" not in quoting.source + quoting.html + earlier
        assert "补充一下0" not in older.source
        assert "（该内容已由作者删除）" in quoting.html and "（该内容已由作者删除）" in older.html
        assert "停车场收费太高了" not in page
        assert not found("停车场收费太高了")
    else:
        assert "停车场收费太高了" in quoting.html and "补充一下0" in older.html
        assert "王\\*\\*" not in earlier


# -- A closure that cannot be carried out at that moment ----------------------------------------


def while_the_event_starts(event, work):
    """Run `work` while another connection holds the event's row, and let the event begin
    (staff move its start to a minute ago) just as `work` waits for that row."""
    held, go = threading.Event(), threading.Event()

    def staff_move_the_start():
        try:
            with transaction.atomic():
                EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
                held.set()
                go.wait(timeout=30)
                EventPage.objects.filter(pk=event.pk).update(
                    starts_at=timezone.now() - timedelta(minutes=1)
                )
        finally:
            connections.close_all()

    def run():
        try:
            with translation.override("zh-hans"):
                return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        staff_side = pool.submit(staff_move_the_start)
        assert held.wait(timeout=30)
        result = pool.submit(run)
        for _ in range(300):  # until `work` waits for the row
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.1)
        go.set()
        staff_side.result(timeout=30)
        return result.result(timeout=60)


@pytest.fixture
def seated(world):
    """An owner with a seat at an event in a week, who asked to close their account."""
    owner = verify(
        make_user("seated", real_name="赵敏"), Unit.objects.get(building="2栋", number="0101")
    )
    membership.approve(membership.apply(owner), world.club_staff)
    event = world.event("插花课", capacity=5)
    signup.sign_up(event, owner)
    return owner, event, privacy.request_closure(owner, posts="keep")


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs parallel PostgreSQL connections"
)


@postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_daily_task_goes_on_when_one_closure_cannot_be_carried_out(
    world, seated, settings, caplog
):

    owner, event, stuck = seated
    other = verify(make_user("leaving"), Unit.objects.get(building="2栋", number="0201"))
    fine = privacy.request_closure(other, posts="remove")
    AccountClosure.objects.update(
        requested_at=timezone.now() - timedelta(days=settings.ACCOUNT_CLOSURE_DAYS, minutes=1)
    )
    # The task's body, run in the thread (result.get() there is refused once a worker ran).
    assert while_the_event_starts(event, carry_out_due_closures) == 1
    stuck.refresh_from_db()
    fine.refresh_from_db()
    assert stuck.is_pending and fine.status == "done"
    assert f"Closure request {stuck.pk} could not be carried out" in caplog.text
    owner.refresh_from_db()
    assert owner.is_active and Registration.objects.get(user=owner).status == "confirmed"


@postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_shows_why_a_closure_cannot_be_carried_out(world, seated):
    owner, event, closure = seated
    desk = Client()
    desk.force_login(world.manager)
    url = reverse("closures:inspect", args=[closure.pk])
    response = while_the_event_starts(
        event, lambda: desk.post(url, {"action": "carry_out", "confirm": "on"})
    )
    assert response.status_code == 200
    assert "插花课" in response.content.decode() and "活动已开始" in response.content.decode()
    closure.refresh_from_db()
    assert closure.is_pending


def test_the_dashboard_reminds_the_owner_of_a_waiting_request(client, owner):
    closure = privacy.request_closure(owner, posts="keep")
    client.force_login(owner)
    html = client.get(reverse("owners:dashboard")).content.decode()
    deadline = timezone.localtime(privacy.deadline(closure)).strftime("%Y-%m-%d")
    assert f"您已申请注销账号，我们将于 {deadline} 前为您办理。" in html
    assert f'href="{PAGE}#close-title"' in html and "撤回申请" in html
    privacy.withdraw_closure(closure, owner)
    assert "您已申请注销账号" not in client.get(reverse("owners:dashboard")).content.decode()


def test_emails_waiting_for_a_closed_account_are_not_sent_and_sent_ones_not_kept(
    staff, owner, django_capture_on_commit_callbacks
):
    address = owner.email
    with django_capture_on_commit_callbacks(execute=True):
        queue_email("已发送", "正文", [address])
    queue_email("等待中", "正文", [address])  # its commit never came: still waiting
    closure = privacy.request_closure(owner, posts="keep")
    before = Outgoing.objects.filter(recipient=address).count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        privacy.carry_out_closure(closure, staff("Managers"))
    left = Outgoing.objects.filter(recipient=address)
    assert [row.payload["subject"] for row in left] == [mail.outbox[0].subject]
    assert len(mail.outbox) == 1 and "等待中" not in mail.outbox[0].subject
    closure.refresh_from_db()
    assert before >= 2 and closure.counts["outgoing_emails"] == before


def test_texts_to_the_number_go_and_the_jobs_stay(owner, staff, django_capture_on_commit_callbacks):
    phone = "+86" + owner.mobile
    outbox.add_text(phone, "verification_code", {"code": "123456", "minutes": 10})
    job = outbox.add_task(anonymise_expired_cases)  # a row with no recipient
    with django_capture_on_commit_callbacks(execute=False):
        closure = privacy.carry_out_closure(
            privacy.request_closure(owner, posts="keep"), staff("Managers")
        )
    assert closure.counts["outgoing_texts"] == 1
    assert not Outgoing.objects.filter(recipient=phone).exists()
    assert Outgoing.objects.filter(pk=job).exists()
    # The number is gone and signs nobody in; another closed account may lose its number too.
    owner.refresh_from_db()
    assert (owner.mobile, owner.mobile_verified) == ("", False)


def found(words):
    """The posts the forum's search finds for `words`, each reply on its own."""
    hits, _more = POSTS.hits(words, AnonymousUser())
    return {hit.pk for hit in hits}
