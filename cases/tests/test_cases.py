"""The complaint mailbox from the owner's side, and the first-responder rules."""

import io
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import casework
from cases.models import Case, CaseAttachment, Category
from conftest import make_user
from portal.hours import Calendar
from portal.storage import private_storage
from portal.tests.samples import pdf_bytes

pytestmark = pytest.mark.django_db

NEW = reverse("cases:new")


@pytest.fixture
def repairs(db):
    return Category.objects.get(name="维修报修")


def photo():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (3000, 2000), (90, 90, 90)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("leak.jpg", out.getvalue(), content_type="image/jpeg")


def pdf():
    return SimpleUploadedFile("invoice.pdf", pdf_bytes(), content_type="application/pdf")


def file_through_the_site(client, repairs, unit=None, **extra):
    data = {
        "kind": "complaint",
        "category": repairs.pk,
        "subject": "卫生间漏水",
        "description": "楼上卫生间漏水到我家天花板。",
        **({"unit": unit.pk} if unit else {}),
        **extra,
    }
    return client.post(NEW, data)


def test_an_owner_files_a_case_with_photos_and_a_pdf(
    client, verified_owner, unit, repairs, django_capture_on_commit_callbacks
):
    client.force_login(verified_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = file_through_the_site(client, repairs, unit, attachments=[photo(), pdf()])
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.reference == f"TS-{timezone.localtime():%Y%m}-0001"
    assert (case.status, case.channel, case.unit, case.owner) == (
        "new",
        "web",
        unit,
        verified_owner,
    )
    # The category's promise, four hours counted in service hours (test_service_hours.py).
    assert case.first_response_due == Calendar().due(case.created_at, 4)
    files = list(case.attachments.all())
    assert [f.verified_type for f in files] == ["image/jpeg", "application/pdf"]
    with Image.open(files[0].file.open("rb")) as stored:
        assert max(stored.size) == 2400 and not stored.getexif()
    assert mail.outbox[0].to == [verified_owner.email]
    assert mail.outbox[0].subject.startswith(f"[金都客服] [{case.reference}]")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "卫生间漏水" in page
    # The photo as its small square copy, linking to itself; the PDF by name and size.
    photo_url, pdf_url = (f.get_absolute_url() for f in files)
    small_url = reverse("cases:attachment_thumbnail", args=[case.reference, files[0].pk])
    assert f'href="{photo_url}"' in page
    assert f'<img src="{small_url}" alt="leak.jpg" loading="lazy"' in page
    assert f'href="{pdf_url}"' in page and "invoice.pdf" in page and not files[1].thumbnail
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    small = client.get(small_url)
    assert small["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(small.streaming_content))) as thumbnail:
        assert thumbnail.size == (264, 264)
    # Nobody else sees either.
    client.force_login(make_user("stranger"))
    assert client.get(small_url).status_code == 404


def test_the_form_asks_about_the_owners_only_home_and_prompts_for_a_category(
    client, verified_owner, unit
):
    client.force_login(verified_owner)
    page = client.get(NEW, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<option value="{unit.pk}" selected>' in page
    assert '<option value="" selected>请选择报事分类</option>' in page
    assert "问题描述" in page


def test_adding_information_says_it_is_done(client, verified_owner, repairs, settings):
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    file_through_the_site(client, repairs)
    case = Case.objects.get()
    response = client.post(
        case.get_absolute_url(), {"action": "message", "text": "补充：昨晚又漏了。"}, follow=True
    )
    assert "补充说明已提交，处理人会看到。" in response.content.decode()
    assert case.events.filter(text="补充：昨晚又漏了。").exists()


def test_the_filed_message_says_submitted_and_the_due_time_in_shanghai(
    client, verified_owner, repairs, settings
):
    """The case waits for a first responder (待受理): submitted, not accepted; and the promise
    is in the site's time zone, not UTC (which would be eight hours off)."""
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(
        file_through_the_site(client, repairs).url, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    case = Case.objects.get()
    due = timezone.localtime(case.first_response_due)
    assert due.utcoffset() == timedelta(hours=8)
    assert f"您的报事已提交，编号 {case.reference}。我们将在 {due:%m-%d %H:%M} 前答复。" in page
    assert "已受理" not in page and "待受理" in page


def test_a_unit_that_is_not_the_owners_is_refused(client, owner, unit, repairs):
    client.force_login(owner)  # no verified unit
    response = file_through_the_site(client, repairs, unit)
    assert response.status_code == 200 and not Case.objects.exists()


def test_bad_attachments_are_refused_and_nothing_is_filed(
    client, verified_owner, repairs, settings
):
    client.force_login(verified_owner)
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert file_through_the_site(client, repairs, attachments=[fake]).status_code == 200
    assert file_through_the_site(client, repairs, attachments=[pdf()] * 7).status_code == 200
    settings.CASE_ATTACHMENT_MAX_BYTES = 10
    assert file_through_the_site(client, repairs, attachments=[pdf()]).status_code == 200
    assert not Case.objects.exists()


def test_references_count_per_month(verified_owner, repairs):
    first = casework.file_case(
        verified_owner, kind="enquiry", category=repairs, subject="a", description="b"
    )
    second = casework.file_case(
        verified_owner, kind="enquiry", category=repairs, subject="c", description="d"
    )
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


def test_another_owners_case_and_files_are_not_found(client, verified_owner, other_owner, repairs):
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=repairs,
        subject="噪音",
        description="夜间施工",
        files=[pdf()],
    )
    client.force_login(other_owner)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert (
        client.post(case.get_absolute_url(), {"action": "message", "text": "x"}).status_code == 404
    )
    assert client.get(case.attachments.get().get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(case.attachments.get().get_absolute_url()).status_code == 302
    # Stored in the private store, so no public URL reaches it.
    name = case.attachments.get().file.name
    assert private_storage.exists(name) and not default_storage.exists(name)


def test_the_owner_sees_only_owner_visible_events(client, verified_owner, staff, repairs):
    agent = staff("Customer service")
    case = casework.file_case(
        verified_owner, kind="complaint", category=repairs, subject="噪音", description="夜间施工"
    )
    casework.accept(case, agent)
    casework.note(case, agent, "业主情绪激动，注意沟通方式")
    casework.reply(case, agent, "已联系施工方，今晚起 22 点后停工。")
    client.force_login(verified_owner)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "今晚起 22 点后停工" in page and "注意沟通方式" not in page


# -- First responder ------------------------------------------------------------------------


@pytest.fixture
def case(verified_owner, repairs):
    return casework.file_case(
        verified_owner, kind="complaint", category=repairs, subject="电梯", description="停运"
    )


def test_whoever_accepts_owns_the_case(case, staff):
    first, second = staff("Customer service"), None

    second = make_user("agent2", groups=["Customer service"])
    casework.accept(case, first)
    with pytest.raises(casework.CaseError):
        casework.accept(case, second)
    with pytest.raises(PermissionDenied):
        casework.reply(case, second, "我来回复")
    with pytest.raises(PermissionDenied):
        casework.set_status(case, second, "in_progress")
    casework.reply(case, first, "已派维修工")
    case.refresh_from_db()
    assert case.first_responder == first and case.first_responded_at


def test_a_transfer_needs_a_reason_and_is_recorded(case, staff):

    first = staff("Customer service")
    second = make_user("agent2", groups=["Customer service"])
    casework.accept(case, first)
    with pytest.raises(casework.CaseError):
        casework.transfer(case, first, second, "  ")
    casework.transfer(case, first, second, "工程类问题，转工程对接人")
    case.refresh_from_db()
    assert case.first_responder == second
    event = case.events.get(kind="transfer")
    assert not event.visible_to_owner and "转工程对接人" in event.text


def test_a_manager_may_act_on_any_case(case, staff):
    agent, manager = staff("Customer service"), staff("Managers")
    casework.accept(case, agent)
    casework.reply(case, manager, "经理答复")
    casework.set_status(case, manager, "in_progress")
    case.refresh_from_db()
    reply = case.events.get(kind="reply")
    assert reply.author == manager and reply.text == "经理答复" and reply.visible_to_owner
    assert case.status == "in_progress" and case.first_responder == agent


def test_owners_and_other_roles_cannot_accept(case, verified_owner, staff):
    for person in (verified_owner, staff("Club staff")):
        with pytest.raises(PermissionDenied):
            casework.accept(case, person)


def test_a_second_accept_is_refused_and_names_the_owner_of_the_case(case, staff):

    casework.accept(case, staff("Customer service"))
    with pytest.raises(casework.CaseError, match="Customer service"):
        casework.accept(case, make_user("agent2", groups=["Customer service"]))


# -- The path to closure --------------------------------------------------------------------


def test_resolve_confirm_rate_and_close(
    client, case, verified_owner, staff, django_capture_on_commit_callbacks
):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.set_status(case, agent, "in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        casework.set_status(case, agent, "resolved", "已更换电梯控制板")
    assert "已解决" in mail.outbox[-1].subject and case.reference in mail.outbox[-1].subject
    client.force_login(verified_owner)
    url = case.get_absolute_url()
    client.post(url, {"action": "confirm"})
    client.post(url, {"action": "rate", "score": "4", "comment": "处理及时"})
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 4 and case.closed_at
    assert "4/5" in client.get(url).content.decode()


def test_the_owner_reopens_within_the_window(client, case, verified_owner, staff, settings):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    client.force_login(verified_owner)
    client.post(case.get_absolute_url(), {"action": "reopen", "reason": "电梯又停了"})
    case.refresh_from_db()
    assert case.status == "reopened" and case.first_responder == agent
    casework.set_status(case, agent, "resolved")
    Case.objects.filter(pk=case.pk).update(
        resolved_at=timezone.now() - timedelta(days=settings.CASE_REOPEN_DAYS + 1)
    )
    response = client.post(
        case.get_absolute_url(), {"action": "reopen", "reason": "还是不行"}, follow=True
    )
    assert "请重新报事" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "resolved"


def test_staff_follow_up_closes_the_case(case, staff):
    agent = staff("Customer service")
    casework.accept(case, agent)
    with pytest.raises(casework.CaseError):
        casework.record_follow_up(case, agent, score=5, method="电话回访")
    casework.set_status(case, agent, "resolved")
    casework.record_follow_up(case, agent, score=5, method="电话回访", remarks="业主满意")
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 5


def test_impossible_moves_are_refused(case, staff):
    agent = staff("Customer service")
    casework.accept(case, agent)
    with pytest.raises(casework.CaseError):
        casework.set_status(case, agent, "closed")


def test_the_case_pages_cost_a_fixed_number_of_queries(
    client, case, verified_owner, staff, django_assert_max_num_queries
):
    agent = staff("Customer service")
    casework.accept(case, agent)
    for n in range(8):
        casework.reply(case, agent, f"进展{n}", files=[pdf()])
    client.force_login(verified_owner)
    with django_assert_max_num_queries(9):
        assert client.get(case.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("cases:mine")).status_code == 200
    assert CaseAttachment.objects.count() == 8


def test_the_rating_link_in_the_email_works_once_without_sign_in(
    client, case, verified_owner, staff, django_capture_on_commit_callbacks
):

    agent = staff("Customer service")
    casework.accept(case, agent)
    with django_capture_on_commit_callbacks(execute=True):
        casework.set_status(case, agent, "resolved")
    link = re.search(r"https?://\S+/me/cases/rate/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200  # nobody signed in
    client.post(path, {"score": "3", "comment": "还可以"})
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 3
    assert client.post(path, {"score": "1"}).status_code == 400  # once only
    case.refresh_from_db()
    assert case.satisfaction == 3
    assert client.get("/me/cases/rate/forged/").status_code == 400


def test_a_rating_link_from_before_a_reopening_no_longer_works(case, verified_owner, staff):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    old = casework.rating_token(case)
    casework.reopen(case, verified_owner, "还漏水")
    casework.set_status(case, agent, "resolved")
    with pytest.raises(casework.CaseError):
        casework.rate_by_token(old, 5)
    casework.rate_by_token(casework.rating_token(case), 5)


def test_confirming_twice_changes_nothing_and_the_owner_sees_no_invented_visit(
    client, case, verified_owner, staff
):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    client.force_login(verified_owner)
    for _ in range(2):
        client.post(case.get_absolute_url(), {"action": "confirm"})
    assert case.events.filter(kind="owner_message").count() == 1
    assert 'value="confirm"' not in client.get(case.get_absolute_url()).content.decode()
    client.post(case.get_absolute_url(), {"action": "rate", "score": "5"})
    page = client.get(case.get_absolute_url()).content.decode()
    assert "已回访" not in page and "已关闭" in page


def test_photos_attached_before_thumbnails_get_theirs(verified_owner, repairs):
    """The migration that brought thumbnails makes one for each photo already attached, and
    leaves PDFs and lost files alone."""
    case = casework.file_case(
        verified_owner, kind="complaint", category=repairs, subject="漏水", description="漏水"
    )
    casework.attach(case, None, [photo(), pdf(), photo()])
    CaseAttachment.objects.update(thumbnail="")
    lost = CaseAttachment.objects.filter(verified_type="image/jpeg").last()
    private_storage.delete(lost.file.name)
    import_module("cases.migrations.0008_attachment_thumbnails").make_thumbnails(apps, None)
    found, document, gone = CaseAttachment.objects.order_by("pk")
    assert found.thumbnail and not document.thumbnail and not gone.thumbnail
    with Image.open(found.thumbnail.open("rb")) as small:
        assert small.size == (264, 264)
