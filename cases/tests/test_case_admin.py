"""Customer service works cases in the Wagtail admin: accept, reply, note, status, transfer,
follow-up, the hotline form and the ledger."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from conftest import make_user
from forum.models import Board
from forum.posting import create_topic
from portal.tests.actions_only import assert_no_raw_admin_views
from portal.tests.samples import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(staff):
    return staff("Customer service")


@pytest.fixture
def case(verified_owner):
    return casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="物业服务"),
        subject="垃圾清运不及时",
        description="3 栋楼下垃圾两天没清运。",
    )


def screen(case):
    return reverse("case_ledger:inspect", args=[case.pk])


def test_accept_reply_note_resolve_follow_up(
    client, agent, case, verified_owner, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    assert "3 栋楼下垃圾" in client.get(screen(case)).content.decode()
    client.post(screen(case), {"action": "accept"})
    case.refresh_from_db()
    assert case.status == "accepted" and case.first_responder == agent

    photo = SimpleUploadedFile("done.pdf", pdf_bytes(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            screen(case),
            {"action": "reply", "text": "已安排今天下午清运。", "attachments": [photo]},
        )
    assert (
        mail.outbox[-1].to == [verified_owner.email] and case.reference in mail.outbox[-1].subject
    )
    client.post(screen(case), {"action": "note", "text": "保洁外包合同需复核"})
    client.post(screen(case), {"action": "status", "status": "resolved", "text": "已清运完毕"})
    client.post(
        screen(case), {"action": "follow_up", "score": "5", "method": "电话回访", "text": "满意"}
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 5 and case.first_responded_at
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count("reply") == 1 and "note" in kinds and "follow_up" in kinds

    client.force_login(verified_owner)
    page = client.get(case.get_absolute_url()).content.decode()
    assert (
        "已安排今天下午清运。" in page and "保洁外包合同需复核" not in page and "done.pdf" in page
    )


def test_another_agent_cannot_reply_but_a_manager_can(client, agent, case, staff):
    casework.accept(case, agent)
    other = make_user("agent2", groups=["Customer service"])
    client.force_login(other)
    client.post(screen(case), {"action": "reply", "text": "我来回复"})
    assert not case.events.filter(kind="reply").exists()
    client.force_login(staff("Managers"))
    client.post(screen(case), {"action": "reply", "text": "经理答复"})
    assert case.events.filter(kind="reply").count() == 1


def test_transfer_with_a_reason(client, agent, case):
    casework.accept(case, agent)
    other = make_user("agent2", groups=["Customer service"])
    client.force_login(agent)
    response = client.post(screen(case), {"action": "transfer", "to": other.pk, "text": ""})
    assert response.status_code == 200 and "请填写转派原因" in response.content.decode()
    client.post(screen(case), {"action": "transfer", "to": other.pk, "text": "交给片区负责人"})
    case.refresh_from_db()
    assert case.first_responder == other


def test_the_hotline_form_records_and_accepts(client, agent, verified_owner, unit):
    client.force_login(agent)
    response = client.post(
        reverse("case_ledger:phone"),
        {
            "owner": verified_owner.pk,
            "kind": "enquiry",
            "category": Category.objects.first().pk,
            "unit": unit.pk,
            "subject": "咨询车位租赁",
            "description": "业主来电询问车位月租。",
            "caller": "王先生 13800138000",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == screen(case)
    assert (case.channel, case.owner, case.first_responder, case.status) == (
        "phone",
        verified_owner,
        agent,
        "accepted",
    )
    assert "王先生 13800138000" in case.description


def test_the_ledger_filters_and_exports(client, agent, case, verified_owner):
    other = casework.file_case(
        verified_owner,
        kind="praise",
        category=Category.objects.get(name="其他"),
        subject="表扬保安",
        description="谢谢",
    )
    client.force_login(agent)
    index = reverse("case_ledger:index")
    page = client.get(index, {"kind": "praise"}).content.decode()
    assert other.reference in page and case.reference not in page
    month = case.created_at.strftime("%Y-%m")
    assert case.reference in client.get(index, {"month": month}).content.decode()
    assert case.reference not in client.get(index, {"month": "2001-01"}).content.decode()
    assert client.get(index, {"month": "nonsense"}).status_code == 200
    csv = client.get(index, {"export": "csv"})
    assert csv.status_code == 200 and case.reference in b"".join(csv.streaming_content).decode()
    xlsx = client.get(index, {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_overdue_cases_show_in_the_filter_and_dashboard(client, agent, case):

    Case.objects.filter(pk=case.pk).update(first_response_due=timezone.now() - timedelta(hours=1))
    client.force_login(agent)
    assert (
        case.reference
        in client.get(reverse("case_ledger:index"), {"overdue": "true"}).content.decode()
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 个工单已超时" in dashboard and "1 个工单待受理" in dashboard


def test_other_roles_cannot_work_cases(client, staff, case):
    client.force_login(staff("Club staff"))
    assert client.get(screen(case)).status_code in (302, 403)
    client.post(screen(case), {"action": "accept"})
    case.refresh_from_db()
    assert case.status == "new"


def test_a_forum_topic_becomes_a_case_linked_both_ways(client, agent, verified_owner, owner_client):

    board = Board.objects.create(name="投诉与建议", slug="questions", is_question_board=True)
    topic = create_topic(verified_owner, board, title="地库照明太暗", source="B2 停车场晚上很暗。")
    client.force_login(agent)
    response = client.post(reverse("cases:from_topic", args=[topic.pk]))
    case = Case.objects.get()
    assert response.url == screen(case)
    assert (case.channel, case.owner, case.forum_topic, case.first_responder) == (
        "forum",
        verified_owner,
        topic,
        agent,
    )
    assert "B2 停车场晚上很暗" in case.description
    assert topic.get_absolute_url() in client.get(screen(case)).content.decode()
    client.post(reverse("cases:from_topic", args=[topic.pk]))
    assert Case.objects.count() == 1  # once
    client.force_login(verified_owner)
    assert case.reference in client.get(topic.get_absolute_url()).content.decode()


def test_owners_cannot_turn_topics_into_cases(client, verified_owner):

    board = Board.objects.create(name="业主交流", slug="owners")
    topic = create_topic(verified_owner, board, title="随便聊聊", source="你好")
    client.force_login(verified_owner)
    assert client.post(reverse("cases:from_topic", args=[topic.pk])).status_code == 403
    assert not Case.objects.exists()


def test_the_ledger_costs_the_same_for_few_or_many_cases(client, agent, verified_owner):

    category = Category.objects.first()

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("case_ledger:index")).status_code == 200
        return len(captured)

    client.force_login(agent)
    for _ in range(5):
        casework.accept(
            casework.file_case(
                verified_owner, kind="enquiry", category=category, subject="a", description="b"
            ),
            agent,
        )
    count()
    few = count()
    for _ in range(30):
        casework.accept(
            casework.file_case(
                verified_owner, kind="enquiry", category=category, subject="a", description="b"
            ),
            agent,
        )
    assert count() == few


def bulk_cases(number, owner, category, agent=None):
    """Many cases quickly, for query-count tests (the rules are tested elsewhere)."""

    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            reference=f"TS-209901-{n:04d}",
            owner=owner,
            kind="enquiry",
            category=category,
            subject=f"批量{n}",
            description="d",
            status="accepted" if agent else "new",
            first_responder=agent,
            created_at=now,
            first_response_due=now + timedelta(hours=n % 48 - 24),
            resolution_due=now + timedelta(days=3),
        )
        for n in range(number)
    )


def test_the_ledger_flags_overdue_cases(client, agent, case):

    Case.objects.filter(pk=case.pk).update(first_response_due=timezone.now() - timedelta(hours=1))
    client.force_login(agent)
    assert "已超时" in client.get(reverse("case_ledger:index")).content.decode()


def test_staff_match_an_email_case_to_its_owner(client, agent, verified_owner):
    case = casework.file_case(
        None,
        kind="complaint",
        category=Category.objects.first(),
        subject="邮件投诉",
        description="来自未知地址",
        channel="email",
        contact_email="old-address@example.org",
    )
    client.force_login(agent)
    assert "old-address@example.org" in client.get(screen(case)).content.decode()
    client.post(screen(case), {"action": "match", "owner": verified_owner.pk})
    case.refresh_from_db()
    assert case.owner == verified_owner
    client.force_login(verified_owner)
    assert client.get(case.get_absolute_url()).status_code == 200


def export_queries(client, export_format):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_ledger:index"), {"export": export_format})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body
    return len(captured)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_ledger_export_costs_the_same_for_few_or_many_cases(
    client, agent, verified_owner, unit, export_format
):
    """Every column of the export (unit, owner, category, first responder) comes with the cases,
    not with one query per row."""
    client.force_login(agent)

    def add(count):
        for n in range(count):
            casework.accept(
                casework.file_case(
                    verified_owner,
                    kind="enquiry",
                    category=Category.objects.first(),
                    unit=unit,
                    subject=f"咨询{n}",
                    description="……",
                ),
                agent,
            )

    add(5)
    export_queries(client, export_format)  # the first request warms the caches
    few = export_queries(client, export_format)
    add(10)
    assert export_queries(client, export_format) == few


def test_cases_have_no_raw_admin_forms(client, case):
    """A case changes through the actions on its screen only."""
    assert_no_raw_admin_views(client, "/admin/cases/", case)
    # The audit log links each case to its screen, where the actions are.
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert history.status_code == 200 and screen(case) in history.content.decode()


def test_with_no_category_at_all_a_topic_is_not_turned_into_a_case(client, agent, verified_owner):
    board = Board.objects.create(name="投诉与建议", slug="questions", is_question_board=True)
    topic = create_topic(verified_owner, board, title="路灯", source="东门路灯不亮。")
    Category.objects.all().delete()
    client.force_login(agent)
    response = client.post(reverse("cases:from_topic", args=[topic.pk]), follow=True)
    assert response.redirect_chain[0][0] == topic.get_absolute_url()
    assert not Case.objects.exists() and not Category.objects.exists()


def ledger_queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_ledger:index"), params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_ledger_costs_the_same_for_3_or_300_cases(client, agent, verified_owner):
    """The rows are written by plain columns (portal.admin_listing): everything a row shows
    comes with the cases, sorted or filtered alike."""
    category = Category.objects.first()
    client.force_login(agent)
    bulk_cases(3, verified_owner, category, agent)
    ledger_queries(client)  # warm
    few = [ledger_queries(client, **params)[0] for params in ({}, {"ordering": "-reference"})]
    Case.objects.all().delete()
    bulk_cases(300, verified_owner, category, agent)
    many = [ledger_queries(client, **params)[0] for params in ({}, {"ordering": "-reference"})]
    assert few == many


def test_the_ledger_rows_link_sort_and_filter_as_before(client, agent, verified_owner):
    category = Category.objects.first()
    bulk_cases(30, verified_owner, category)
    Case.objects.filter(reference="TS-209901-0003").update(status="closed")
    client.force_login(agent)
    _, page = ledger_queries(client, ordering="reference")
    rows = re.findall(
        r'<td class="title"><div class="title-wrapper"><a href="([^"]+)">([^<]+)</a>', page
    )
    first = Case.objects.get(reference="TS-209901-0000")
    assert rows[0] == (reverse("case_ledger:inspect", args=[first.pk]), "TS-209901-0000")
    assert [reference for _url, reference in rows] == sorted(r for _u, r in rows)
    assert len(rows) == 20 and "#icon-dots-horizontal" in page and "检查</a>" in page
    assert "<td>批量0</td><td>咨询</td>" in page and "已超时" in page  # kind shown, overdue flagged
    assert 'class="w-human-readable-date"' in page
    _, page = ledger_queries(client, ordering="-reference")
    assert re.search(r'<a href="[^"]+">TS-209901-0029</a>', page).start() < page.find(
        "TS-209901-0028"
    )
    _, page = ledger_queries(client, status="closed")
    assert "TS-209901-0003" in page and "TS-209901-0004" not in page
    Case.objects.filter(reference="TS-209901-0005").update(subject="<b>粗体</b>")
    _, page = ledger_queries(client, ordering="reference")
    assert "&lt;b&gt;粗体&lt;/b&gt;" in page and "<b>粗体</b>" not in page
