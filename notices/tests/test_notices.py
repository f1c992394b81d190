"""Notices: staff publish one to an audience (the company, estates, buildings, units, members,
owners with an open repair); each owner of it hears once, in their messages and on their
channels (important ones must be delivered, by SMS too if chosen); owners read it in 我的 → 通知
and confirm an important one; nobody else can open it."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Revision
from wagtail.rich_text import RichText

from club.tests.conftest import club_staff, make_member  # noqa: F401 (shared fixtures)
from conftest import make_user, verify
from home.tests.conftest import publish
from notices import delivery
from notices.models import NoticeIndexPage, NoticePage, Receipt, audience_problems
from owners import privacy
from owners.models import Estate, Unit
from portal import tasks
from portal.models import Notification, Outgoing

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def index(home_page):
    return publish(home_page, NoticeIndexPage(title="通知公告", slug="notices"))


@pytest.fixture
def owners(estate):
    """An owner in 3栋 1201, one in 3栋 0101, one in 1栋 0101, and one in another estate."""
    other = Estate.objects.create(name="金都·云栖府", city="杭州")
    far = Unit.objects.create(estate=other, building="3栋", number="0101")
    people = {}
    for name, unit in [
        ("a", Unit.objects.get(estate=estate, building="3栋", number="1201")),
        ("b", Unit.objects.get(estate=estate, building="3栋", number="0101")),
        ("c", Unit.objects.get(estate=estate, building="1栋", number="0101")),
        ("far", far),
    ]:
        people[name] = verify(
            make_user(name, real_name=f"业主{name}", mobile=f"1380000{len(people):04d}"),
            unit,
            proof=f"P-{name}",
        )
    return people


def notice(index, *, estates=(), **fields):
    values = {
        "title": "3栋停水通知",
        "slug": f"notice-{NoticePage.objects.count() + 1}",
        "kind": "outage",
        "body": [("paragraph", RichText("<p>12月5日 9:00–12:00 3栋停水检修。</p>"))],
        **fields,
    }
    page = NoticePage(**values)
    page.estates.set(estates)  # before saving: the audience is checked with the page
    index.add_child(instance=page)
    page.save_revision().publish()
    return NoticePage.objects.get(pk=page.pk)


def test_a_notice_to_one_building_reaches_its_owners_once_each(
    index, owners, estate, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notice(
            index,
            estates=[estate],
            buildings="3栋",
            important=True,
            acknowledge_by=timezone.localdate() + timedelta(days=3),
        )
    receipts = Receipt.objects.filter(notice=sent).order_by("user__username")
    assert [(r.user.username, r.building) for r in receipts] == [
        ("a", "金都·翠湖苑 3栋"),
        ("b", "金都·翠湖苑 3栋"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert "停水停电：3栋停水通知" in mail.outbox[0].subject
    told = Notification.objects.filter(kind="important_notice", url=f"/me/notices/{sent.pk}/")
    assert told.count() == 2
    # Published again (a correction): nobody hears twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent.save_revision().publish()
    assert mail.outbox == [] and Receipt.objects.filter(notice=sent).count() == 2


def test_the_whole_company_units_members_and_open_repairs(
    index,
    owners,
    estate,
    make_member,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        everyone = notice(index, title="春节安全提示", kind="tip")
        one_home = notice(index, estates=[estate], unit_labels="3栋 1201， 1栋 0101")
    assert Receipt.objects.filter(notice=everyone).count() == 4
    assert {r.user.username for r in Receipt.objects.filter(notice=one_home)} == {"a", "c"}
    # Members only: a member among them.
    member = make_member("m")
    with django_capture_on_commit_callbacks(execute=True):
        club = notice(index, title="会员活动通知", kind="notice", members_only=True)
    assert [r.user for r in Receipt.objects.filter(notice=club)] == [member.user]
    repairs = delivery.audience(NoticePage(open_repairs=True))
    assert list(repairs) == []


def test_an_important_notice_goes_by_sms_where_chosen_and_cannot_be_switched_off(
    index, owners, estate, django_capture_on_commit_callbacks
):
    chooser = owners["a"]
    chooser.notification_channels = {"important_notice": ["sms"], "notice": []}
    chooser.save(update_fields=["notification_channels"])
    quiet = owners["b"]
    quiet.notification_channels = {"important_notice": []}  # all off: the default still goes
    quiet.save(update_fields=["notification_channels"])
    with django_capture_on_commit_callbacks(execute=True):
        notice(index, estates=[estate], buildings="3栋")
    texts = Outgoing.objects.filter(kind="sms", notification__kind="important_notice")
    assert [t.recipient for t in texts] == ["+86" + chooser.mobile]
    assert "3栋停水通知" in texts.get().payload["params"]["news"]
    quietly = Outgoing.objects.filter(kind="email", notification__kind="important_notice")
    assert [row.recipient for row in quietly] == [quiet.email]


def test_owners_read_and_confirm_and_nobody_else_opens_it(
    client, index, owners, estate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notice(
            index,
            estates=[estate],
            buildings="3栋",
            important=True,
            acknowledge_by=date(2027, 1, 5),
        )
    url = reverse("notices:detail", args=[sent.pk])
    client.force_login(owners["a"])
    mine = client.get(reverse("notices:mine"), **ZH).content.decode()
    assert "3栋停水通知" in mine and "notice-dot" in mine and "待确认" in mine
    page = client.get(url, **ZH).content.decode()
    assert "12月5日 9:00–12:00 3栋停水检修" in page and "我已阅读并知悉" in page
    receipt = Receipt.objects.get(notice=sent, user=owners["a"])
    assert receipt.read_at is not None and receipt.acknowledged_at is None
    client.post(url, {"action": "acknowledge"}, **ZH)
    receipt.refresh_from_db()
    first = receipt.acknowledged_at
    assert first is not None
    client.post(url, {"action": "acknowledge"}, **ZH)
    receipt.refresh_from_db()
    assert receipt.acknowledged_at == first  # once
    assert "已确认" in client.get(reverse("notices:mine"), **ZH).content.decode()

    client.force_login(owners["c"])  # 1栋: not theirs
    assert client.get(url).status_code == 404
    client.force_login(make_user("mod", groups=["Forum moderators"]))  # staff, not of notices
    assert client.get(url).status_code == 404
    client.force_login(make_user("desk", groups=["Customer service"]))
    assert client.get(url).status_code == 200
    client.force_login(owners["c"])
    assert client.post(url, {"action": "acknowledge"}).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url).url


def test_an_important_notice_needs_its_date(index):
    page = NoticePage(title="x", slug="x", important=True, body=[])
    with pytest.raises(ValidationError, match="确认|confirm"):
        page.clean()


def test_my_notices_cost_the_same_queries_for_one_or_many(
    client, index, owners, estate, django_capture_on_commit_callbacks
):
    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("notices:mine")).status_code == 200
        return len(seen)

    with django_capture_on_commit_callbacks(execute=True):
        notice(index, estates=[estate], buildings="3栋")
    client.force_login(owners["a"])
    client.get(reverse("notices:mine"))
    few = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            notice(index, title=f"通知{n}", estates=[estate], buildings="3栋")
    client.get(reverse("notices:mine"))  # the unread badge counted again after new messages
    assert queries() == few <= 12


def test_my_data_lists_the_notices_and_a_closure_deletes_the_receipts(
    index, owners, estate, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice(index, estates=[estate], buildings="3栋")
        export = privacy.request_export(owners["a"])
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(export.file.read())) as archive:
        rows = archive.read("notices/notices.csv").decode("utf-8-sig")
    assert "3栋停水通知" in rows
    with django_capture_on_commit_callbacks(execute=True):
        closure = privacy.carry_out_closure(
            privacy.request_closure(owners["a"], posts="keep"), staff("Managers")
        )
    assert closure.counts["notice_receipts"] == 1
    assert not Receipt.objects.filter(user=owners["a"]).exists()


def test_a_notice_scheduled_for_later_goes_out_when_it_goes_live(
    index, owners, estate, django_capture_on_commit_callbacks
):
    page = NoticePage(
        title="电梯年检通知",
        slug="lift-inspection",
        body=[("paragraph", RichText("<p>下周一电梯年检。</p>"))],
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    page.estates.set([estate])
    index.add_child(instance=page)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()  # scheduled, not live
    page.refresh_from_db()
    assert not page.live and not Receipt.objects.filter(notice=page).exists()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled()
    assert not Receipt.objects.filter(notice=page).exists()  # not yet
    # An hour later, as far as the schedule knows.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled()
    page.refresh_from_db()
    assert page.live
    assert Receipt.objects.filter(notice=page).count() == 3  # 翠湖苑's three owners


def test_the_home_page_shows_the_owners_latest_notices_those_to_confirm_first(
    client, index, owners, estate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice(
            index,
            title="3栋停水通知",
            estates=[estate],
            buildings="3栋",
            important=True,
            acknowledge_by=date(2027, 1, 5),
        )
        notice(index, title="冬季防火温馨提示", kind="tip")
    client.force_login(owners["a"])
    home = client.get("/", **ZH).content.decode()
    assert "通知公告" in home and "待确认" in home
    assert home.index("3栋停水通知") < home.index("冬季防火温馨提示")
    client.force_login(owners["c"])  # 1栋: the reminder alone
    home = client.get("/", **ZH).content.decode()
    assert "冬季防火温馨提示" in home and "3栋停水通知" not in home and "待确认" not in home


def test_units_or_buildings_that_cannot_be_found_never_widen_the_audience(index, estate):
    assert "estates" in audience_problems([], "3栋", "")
    assert audience_problems([estate], "", "3栋1201") == {}  # read without a space too
    assert audience_problems([estate], "", "3栋\u30001201") == {}  # or a full-width one
    assert "9901" in str(audience_problems([estate], "", "3栋 9901")["unit_labels"])
    page = NoticePage(title="致业主函", slug="letter", kind="letter", body=[])
    page.unit_labels = "某某"
    page.estates.set([estate])
    assert list(delivery.audience(page)) == []  # unreadable: nobody, never everybody
    page.estates.set([])
    page.unit_labels, page.buildings = "", "3栋"
    assert list(delivery.audience(page)) == []  # a building with no estate: nobody


def test_a_notice_s_attachment_is_for_the_owners_it_went_to(
    client, index, owners, estate, staff, django_capture_on_commit_callbacks
):
    plan = Document.objects.create(
        title="停水范围图", file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf")
    )
    with django_capture_on_commit_callbacks(execute=True):
        notice(
            index,
            estates=[estate],
            buildings="3栋",
            body=[("document", {"document": plan, "title": "停水范围图"})],
        )
    assert client.get(plan.url).status_code == 302  # to sign in
    client.force_login(owners["c"])  # 1栋: not sent to them
    assert client.get(plan.url).status_code == 404
    client.force_login(owners["a"])
    assert client.get(plan.url).status_code == 200
    client.force_login(staff("Customer service"))
    assert client.get(plan.url).status_code == 200

    # A document no notice links stays as public as before.
    other = Document.objects.create(title="公开", file=ContentFile(b"%PDF-1.4", name="o.pdf"))
    client.logout()
    assert client.get(other.url).status_code == 200
