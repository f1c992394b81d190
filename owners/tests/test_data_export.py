""" "My data": an owner downloads everything the site holds about them, and nothing else."""

import csv
import io
import json
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import CaseAttachment
from conftest import PASSWORD
from forum import posting
from forum.models import PostImage
from home.models import HomePage, PrivacyPolicyPage
from owners import consent, privacy
from owners.models import AccountClosure, DataExport
from owners.tasks import expire_data_exports
from owners.tests.privacy_data import World, fill, neighbour
from portal.storage import private_storage

pytestmark = pytest.mark.django_db

PAGE = reverse("owners:privacy")
ASK = reverse("owners:request_export")


@pytest.fixture(autouse=True)
def _quick_posting(settings):
    settings.FORUM_SECONDS_BETWEEN_POSTS = 0


@pytest.fixture
def world(staff, estate):
    return World(staff)


@pytest.fixture
def owner_with_data(world, verified_owner, unit):
    verified_owner.date_joined = timezone.now() - timedelta(days=30)
    verified_owner.nickname = "翠湖老王"
    verified_owner.save()
    consent.record(verified_owner, consent.Document.PRIVACY_POLICY, "2026-12")
    return verified_owner, fill(world, verified_owner, unit)


@pytest.fixture
def neighbour_with_data(world, owner_with_data):
    user, unit = neighbour(world)
    data = fill(world, user, unit, tag="邻居")
    # The neighbour answers in the owner's topic: that reply is theirs, not the owner's.

    posting.reply(user, owner_with_data[1]["topic"], source="我家也是这样，邻居的回复")
    return user, data


def ask(client, django_capture_on_commit_callbacks):
    """Press the button; the background task runs in-process once the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ASK)


def archive_of(client, export):
    response = client.get(reverse("owners:download_export", args=[export.pk]))
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_owner_gets_a_zip_of_their_data_and_an_email_with_the_link(
    client, owner_with_data, neighbour_with_data, django_capture_on_commit_callbacks
):
    owner, data = owner_with_data
    client.force_login(owner)
    mail.outbox.clear()
    response = ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == PAGE
    export = DataExport.objects.get(user=owner)
    assert export.status == "ready" and export.size > 0
    assert export.expires_at - export.ready_at == timedelta(days=7)

    message = mail.outbox[-1]
    assert message.to == [owner.email]
    assert reverse("owners:download_export", args=[export.pk]) in message.body
    page = client.get(PAGE).content.decode()
    download = reverse("owners:download_export", args=[export.pk])
    assert download in page

    response, archive = archive_of(client, export)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="jindu-my-data-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"

    names = set(archive.namelist())
    for expected in (
        "README.txt",
        "profile/profile.json",
        "profile/email_addresses.csv",
        "profile/consents.csv",
        "homes/claims.csv",
        "cases/cases.json",
        "forum/topics.csv",
        "forum/posts.json",
        "forum/likes.csv",
        "forum/following.csv",
        "club/membership.json",
        "club/cards.csv",
        "club/points.csv",
        "club/redemptions.csv",
        "club/referrals.csv",
        "club/event_registrations.csv",
        "club/survey_answers.json",
    ):
        assert expected in names
    profile = json.loads(archive.read("profile/profile.json"))
    assert (profile["real_name"], profile["mobile"], profile["nickname"]) == (
        "王建国",
        "13800138000",
        "翠湖老王",
    )
    assert archive.read(profile["avatar"])[:2] == b"\xff\xd8"  # the avatar itself, a JPEG
    consents = archive.read("profile/consents.csv").decode("utf-8-sig").splitlines()
    assert consents[1].startswith("隐私政策,2026-12,")

    case = data["cases"][0]
    [record] = json.loads(archive.read("cases/cases.json"))
    assert record["reference"] == case.reference and record["subject"] == "卫生间漏水0"
    texts = [event["text"] for event in record["timeline"]]
    assert "师傅明天上门0" in texts
    files = [f for event in record["timeline"] for f in event["files"]]
    assert [f.rsplit(".", 1)[1] for f in files] == ["pdf", "jpg", "pdf"]
    assert all(archive.read(f)[:2] in (b"%P", b"\xff\xd8") for f in files)

    posts = json.loads(archive.read("forum/posts.json"))
    assert [p["text"] for p in posts] == ["停车场收费太高了", "补充一下0"]
    pictures = [p for post in posts for p in post["pictures"]]
    assert len(pictures) == 2 and all(archive.read(p)[:2] == b"\xff\xd8" for p in pictures)

    club = json.loads(archive.read("club/membership.json"))
    assert club["member"]["number"] == data["member"].number
    assert club["member"]["important_dates"][0]["date"] == "1980-05-17"
    assert "茶艺" in club["member"]["hobbies"]
    points = archive.read("club/points.csv").decode("utf-8-sig")
    assert points.startswith("时间,积分,") or points.startswith("When,Points,")
    assert "200" in points
    assert "活动0" in archive.read("club/event_registrations.csv").decode("utf-8-sig")
    assert "满意" in archive.read("club/survey_answers.json").decode()

    readme = archive.read("README.txt").decode()
    assert "This archive is a copy of the personal information" in readme
    assert "个人资料" in readme and "forum/posts.json" in readme


def test_the_zip_holds_no_internal_notes_and_nobody_elses_data(
    client, owner_with_data, neighbour_with_data, django_capture_on_commit_callbacks
):
    owner, _data = owner_with_data
    client.force_login(owner)
    ask(client, django_capture_on_commit_callbacks)
    _response, archive = archive_of(client, DataExport.objects.get(user=owner))
    everything = "".join(
        archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
    )
    assert "业主情绪激动" not in everything  # staff's internal note on the owner's own case
    assert "customer-service" not in everything  # nor the names of the staff who answered
    for theirs in ("李静", "13900139000", "邻居", "neighbour@example.com"):
        assert theirs not in everything
    referrals = archive.read("club/referrals.csv").decode("utf-8-sig")
    assert "赵**" in referrals and "137****0000" in referrals and "13712340000" not in referrals


def test_only_the_owner_may_download_and_only_until_it_expires(
    client, owner_with_data, other_owner, django_capture_on_commit_callbacks
):
    owner, _data = owner_with_data
    client.force_login(owner)
    ask(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    url = reverse("owners:download_export", args=[export.pk])
    client.logout()
    assert "/accounts/login/" in client.get(url).url
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert client.get(url).status_code == 404


def test_the_hourly_task_deletes_expired_zips(
    client, owner_with_data, django_capture_on_commit_callbacks
):

    owner, _data = owner_with_data
    client.force_login(owner)
    ask(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert private_storage.exists(export.file.name)
    assert expire_data_exports.delay().get() == 0  # not yet
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_data_exports.delay().get() == 1
    assert not DataExport.objects.exists() and not private_storage.exists(export.file.name)


def test_one_at_a_time_and_a_few_a_day(client, owner, settings, django_capture_on_commit_callbacks):
    client.force_login(owner)
    # While one is being prepared (its task not yet run), another is refused.
    client.post(ASK)
    client.post(ASK)
    assert DataExport.objects.filter(status="pending").count() == 1
    messages = [str(m) for m in client.get(PAGE).context["messages"]]
    assert any("正在为您准备数据" in m for m in messages)
    DataExport.objects.update(status="ready", expires_at=timezone.now() + timedelta(days=7))

    settings.DATA_EXPORTS_PER_DAY = 2
    ask(client, django_capture_on_commit_callbacks)
    assert DataExport.objects.count() == 2
    ask(client, django_capture_on_commit_callbacks)
    assert DataExport.objects.count() == 2
    page = client.get(PAGE).content.decode()
    assert "每天最多可申请 2 次" in page and 'action="/me/privacy/export/"' not in page

    # A day later the owner may ask again.
    DataExport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    ask(client, django_capture_on_commit_callbacks)
    assert DataExport.objects.count() == 3


def test_an_export_lost_by_a_dead_worker_does_not_block_the_owner(client, owner):
    client.force_login(owner)
    client.post(ASK)
    DataExport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    client.post(ASK)
    assert sorted(DataExport.objects.values_list("status", flat=True)) == ["failed", "pending"]


def test_a_build_that_fails_is_marked_and_tells_nobody(owner, monkeypatch):
    export = DataExport.objects.create(user=owner)
    mail.outbox.clear()
    monkeypatch.setattr(privacy.OwnersPart, "export", lambda self, user, out: 1 / 0)
    assert privacy.build_export(export.pk) is None
    export.refresh_from_db()
    assert export.status == "failed" and not export.file and not mail.outbox


def test_the_builder_costs_the_same_queries_for_few_and_many_items(
    staff, estate, verified_owner, unit, settings
):
    """No query per row: an owner with eight of everything costs what one with one does."""
    settings.FORUM_SECONDS_BETWEEN_POSTS = 0
    world = World(staff)
    verified_owner.date_joined = timezone.now() - timedelta(days=30)
    verified_owner.save()
    fill(world, verified_owner, unit, items=1)
    busy, busy_unit = neighbour(world)
    fill(world, busy, busy_unit, items=8)

    def queries(user):
        export = DataExport.objects.create(user=user)
        with CaptureQueriesContext(connection) as captured:
            assert privacy.build_export(export.pk).status == "ready"
        return len(captured)

    few, many = queries(verified_owner), queries(busy)
    assert many == few and few <= 40


def test_the_page_costs_a_fixed_number_of_queries(client, owner):
    client.force_login(owner)

    def queries(count):
        for day in range(count):
            DataExport.objects.create(
                user=owner,
                status="ready",
                expires_at=timezone.now() + timedelta(days=day + 1),
                file=f"exports/{day}.zip",
            )
        client.get(PAGE)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(PAGE).content.decode()
        return len(captured), page

    few, _page = queries(1)
    many, page = queries(11)
    assert many == few <= 10
    # The five newest, each with its link: the newest as the main button, once.
    assert page.count('href="/me/privacy/export/') == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_many_presses_at_once_prepare_one_export(owner, settings):
    """The button pressed on two phones and a tab at the same moment, with one export allowed a
    day: one is made, the others are refused (the owner's row lock, then the database's
    one-pending-export constraint)."""
    settings.DATA_EXPORTS_PER_DAY = 1

    barrier = threading.Barrier(6)

    def press(_n):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                return privacy.request_export(owner)
        except privacy.PrivacyError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(press, range(6)))
    made = [o for o in outcomes if isinstance(o, DataExport)]
    refused = [o for o in outcomes if isinstance(o, privacy.PrivacyError)]
    assert len(made) == 1 and len(refused) == 5
    assert all("being prepared" in str(r) or "a day" in str(r) for r in refused)
    assert DataExport.objects.filter(user=owner).count() == 1


def test_a_lost_export_holds_nobody_back_and_the_hourly_task_marks_it_failed(client, owner):
    """The worker died or the broker dropped the task: after an hour the page offers the button
    again and shows the export as failed, and the hourly task records it so."""

    client.force_login(owner)
    client.post(ASK)  # its task never runs
    page = client.get(PAGE).content.decode()
    assert "正在为您准备数据" in page and f'action="{ASK}"' not in page
    DataExport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    page = client.get(PAGE).content.decode()
    assert "正在为您准备数据" not in page and f'action="{ASK}"' in page
    assert "status--export-failed" in page
    expire_data_exports.delay().get()
    assert DataExport.objects.get().status == "failed"


def test_no_daily_limit_when_the_setting_is_zero(
    client, owner, settings, django_capture_on_commit_callbacks
):
    settings.DATA_EXPORTS_PER_DAY = 0
    client.force_login(owner)
    assert client.get(PAGE).status_code == 200
    for _ in range(4):
        ask(client, django_capture_on_commit_callbacks)
        page = client.get(PAGE)
        assert page.status_code == 200 and f'action="{ASK}"' in page.content.decode()
    assert DataExport.objects.filter(user=owner, status="ready").count() == 4


def test_the_ready_file_is_the_main_button_and_a_new_copy_the_second(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    page = client.get(PAGE).content.decode()
    assert "申请导出我的数据" in page and "重新生成" not in page
    ask(client, django_capture_on_commit_callbacks)
    page = client.get(PAGE).content.decode()
    export = DataExport.objects.get()
    download = reverse("owners:download_export", args=[export.pk])
    assert f'<a class="button" href="{download}" download>' in page and "下载文件" in page
    assert "重新生成" in page and "申请导出我的数据" not in page


def test_no_cell_of_the_csv_files_is_a_formula(
    client, owner_with_data, neighbour_with_data, world, django_capture_on_commit_callbacks
):
    """Other owners write the topic titles that land in likes.csv and following.csv."""

    owner, _data = owner_with_data
    neighbour, _theirs = neighbour_with_data
    trap = posting.create_topic(
        neighbour, world.board, title='=HYPERLINK("http://evil.example","点我")', source="看看"
    )
    posting.like(owner, trap.posts.get())
    client.force_login(owner)
    client.post(reverse("forum:follow_topic", args=[trap.pk]))
    ask(client, django_capture_on_commit_callbacks)
    _response, archive = archive_of(client, DataExport.objects.get(user=owner))
    for name in ("forum/likes.csv", "forum/following.csv"):
        assert "'=HYPERLINK" in archive.read(name).decode("utf-8-sig")
    for name in archive.namelist():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
                assert not any(cell.startswith(("=", "+", "@", "＝")) for cell in row), name


def test_the_privacy_pages_stay_open_to_an_owner_who_has_not_agreed_to_a_new_policy(
    client, owner_with_data, django_capture_on_commit_callbacks
):
    """Taking one's data or leaving never depends on agreeing to a changed policy: the pages,
    the emailed link, the owner's own case files and forum pictures skip the consent page."""

    owner, data = owner_with_data  # agreed to version 2026-12
    client.force_login(owner)
    ask(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(user=owner)
    policy = PrivacyPolicyPage(
        title="隐私政策",
        slug="privacy",
        version="2027-03",
        effective_date=date(2027, 3, 1),
        summary="新增：会员活动照片的使用说明。",
    )
    HomePage.objects.get().add_child(instance=policy)
    with django_capture_on_commit_callbacks(execute=True):
        policy.save_revision().publish()
    assert "/consent/" in client.get(reverse("owners:dashboard")).url  # the wall is up

    attachment = CaseAttachment.objects.filter(case__owner=owner).first()
    picture = PostImage.objects.filter(post__author=owner).first()
    for url in (
        PAGE,
        reverse("owners:download_export", args=[export.pk]),
        reverse("owners:close_account"),
        reverse("cases:attachment", args=[attachment.case.reference, attachment.pk]),
        reverse("forum:picture", args=[picture.pk]),
    ):
        assert client.get(url).status_code == 200, url
    DataExport.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert client.post(ASK).url == PAGE
    assert DataExport.objects.filter(user=owner).count() == 2
    response = client.post(reverse("owners:close_account"), {"posts": "keep", "understood": "on"})
    if "/accounts/reauthenticate/" in response.url:
        response = client.post(response.url, {"password": PASSWORD})
    assert response.url == PAGE
    closure = AccountClosure.objects.get(user=owner)
    client.post(reverse("owners:withdraw_closure", args=[closure.pk]))
    closure.refresh_from_db()
    assert closure.status == "withdrawn"
