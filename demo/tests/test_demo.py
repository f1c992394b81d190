"""`manage.py load_demo` builds a usable demo site, and running it again changes nothing."""

from datetime import time

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import reports
from cases.admin_views import CaseFilterSet
from cases.models import Case, CaseAttachment, CaseEvent
from club.models import Member, Reward
from conftest import FLOOD_LIMITS, totp_code
from demo.owners import DEMO_TOTP_SECRET, PASSWORD
from events.models import EventPage
from forum.models import Post, Topic
from forum.posting import text_fields
from home.models import HomePage, SiteImage, StandardPage
from notices.models import Call, NoticePage, Receipt
from owners.models import Estate, OwnershipClaim, Unit, User
from portal.models import Notification
from portal.settings import base
from publications.models import MagazineIssuePage
from repairs.models import RepairRequest, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _flood_limits_as_configured(settings):
    """The demo is built through the same rules as the site, flood limits included."""

    for name in FLOOD_LIMITS:
        setattr(settings, name, getattr(base, name))


def counts():
    return [
        model.objects.count()
        for model in (User, Estate, Unit, OwnershipClaim, HomePage, StandardPage, SiteImage)
    ]


def test_the_demo_loads_twice_to_the_same_state(client, capsys):
    call_command("load_demo")
    first = counts()
    output = capsys.readouterr().out
    assert "owner@jindu.example" in output and PASSWORD in output
    call_command("load_demo")
    assert counts() == first

    assert User.objects.get(username="owner").is_verified_owner
    assert OwnershipClaim.objects.filter(status="pending").count() == 1
    assert client.get("/").status_code == 200
    assert client.get("/about/").status_code == 200

    # Demo staff sign in like real staff: email, password, then the demo authenticator's code.
    login = {"login": "service@jindu.example", "password": PASSWORD}
    assert client.post(reverse("account_login"), login).url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get(reverse("claims:index")).status_code == 200
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "owner@jindu.example", "password": PASSWORD}
    )
    assert response.url == reverse("owners:dashboard")
    assert "badge--verified" in client.get(reverse("owners:dashboard")).content.decode()

    # Public names come in every kind; the policy is published and the owners agreed to it,
    # except one who agreed to an earlier version and is asked again.
    names = {u.username: str(u.public_name) for u in User.objects.all()}
    assert names["owner"] == "王**" and names["zhangwei"] == "湖畔晨跑"
    assert names["liuyang"] == "刘洋" and names["spokesperson"] == "金都客服小林"
    assert client.get("/privacy/").status_code == 200
    client.logout()
    client.post(reverse("account_login"), {"login": "chenjing@jindu.example", "password": PASSWORD})
    assert client.get(reverse("owners:dashboard")).url.startswith(reverse("home:privacy_consent"))

    # Money in 元 has two decimals, as everywhere on the site.
    credits = list(Reward.objects.filter(kind="fee_credit").values_list("name", flat=True))
    assert credits == ["物业费抵扣 200.00 元"]

    # The forum's posts are rendered by the posting rules, as posts sent through the site are.
    posts = list(Post.objects.all())
    assert posts and all(post.html for post in posts)
    assert all(
        {"html": post.html, "search_text": post.search_text}
        == {k: v for k, v in text_fields(post.source).items() if k != "source"}
        for post in posts
    )
    announcement = Topic.objects.get(title__startswith="关于 12 月物业费调整")
    client.logout()
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert "<strong>2027 年 1 月 1 日</strong>" in page

    # The demo agrees with itself: every estate an event names exists; points an event's
    # attendance earns are awarded once, at the door; no central heating in Hangzhou.
    estates = set(Estate.objects.values_list("name", flat=True))
    for place in EventPage.objects.values_list("place", flat=True):
        named = place.split()[0]
        assert not named.startswith("金都·") or named in estates, place
    owner = Member.objects.get(user__username="owner")
    attended = owner.points.filter(kind="event")
    assert attended.count() == attended.values("reason").distinct().count()
    assert not Topic.objects.filter(title__contains="供暖").exists()

    # Every case's reference carries the month it was filed, and each month's report counts
    # the cases the ledger lists for that month.
    months = set()
    for case in Case.objects.all():
        filed = timezone.localtime(case.created_at)
        assert case.reference.startswith(f"TS-{filed:%Y%m}-"), case.reference
        months.add((filed.year, filed.month))
    assert len(months) > 1
    for year, month in months:
        ledger = CaseFilterSet({"month": f"{year}-{month:02d}"}, queryset=Case.objects.all()).qs
        report = reports.monthly_figures(year, month)
        assert report["total"] == ledger.count() > 0
        assert report["resolved"] == ledger.filter(resolved_at__isnull=False).count()
    assert sum(reports.monthly_figures(y, m)["total"] for y, m in months) == Case.objects.count()
    settled = Case.objects.filter(status__in=["resolved", "followed_up", "closed"])
    assert settled.exists() and not settled.filter(resolved_at=None).exists()
    # Each case's notifications name it, lead to it and carry the time of its steps.
    for case in Case.objects.exclude(owner=None):
        notes = Notification.objects.filter(
            recipient=case.owner, kind__in=["case", "repair"], url=case.get_absolute_url()
        )
        assert notes.exists() and all(case.reference in n.text for n in notes)
        assert all(n.created_at >= case.created_at for n in notes)
    assert not Notification.objects.filter(
        kind__in=["case", "repair"], created_at__gt=timezone.now()
    ).exists()
    # The desk answers within its service hours (8:30–20:30).
    for event in CaseEvent.objects.exclude(author=F("case__owner")).exclude(author=None):
        assert time(8, 30) <= timezone.localtime(event.created_at).time() <= time(20, 30)
    # A case filed with a photo shows it by its small copy.
    photo = CaseAttachment.objects.get(verified_type="image/jpeg")
    assert photo.thumbnail and photo.case.owner.username == "owner"
    # Repairs in every state, their work where their timeline says; a warranty claim open.
    states = set(RepairRequest.objects.values_list("case__status", flat=True))
    assert {"new", "accepted", "resolved", "closed"} <= states
    for order in WorkOrder.objects.filter(state="done").select_related("case"):
        assert order.case.created_at < order.arrived_at <= order.done_at < timezone.now()
        assert order.case.resolved_at == order.done_at
    assert RepairRequest.objects.filter(
        under_warranty=True, case__work_orders__team__kind="contractor"
    ).exists()
    # A notice to 3栋: one owner confirmed, one did not answer the call, the demo owner to go.
    cut = NoticePage.objects.get(important=True)
    receipts = Receipt.objects.filter(notice=cut)
    assert receipts.count() == 3 and receipts.filter(acknowledged_at__isnull=False).count() == 1
    assert Call.objects.filter(receipt__notice=cut, outcome="no_answer").count() == 1
    assert receipts.get(user__username="owner").acknowledged_at is None

    # The magazine's PDFs show their cover, then their contents.
    issue = MagazineIssuePage.objects.order_by("issue_number").first()
    pdf = PdfReader(issue.pdf.file.open("rb"))
    assert len(pdf.pages) == 2
    assert issue.pdf.file.size > 10_000  # a picture, not one flat colour
