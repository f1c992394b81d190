"""CMS documents and images: checked against what their name says, downloaded or shown as
pictures, sandboxed wherever they are served."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection

from home.models import SiteImage
from portal.tests.samples import HTML, HTML_WITH_PDF_HEADER, SVG, pdf_bytes, picture_bytes

pytestmark = pytest.mark.django_db


def assert_sandboxed(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.fixture
def editor_client(client, staff):
    client.force_login(staff("Editors"))
    return client


def upload_document(client, name, data):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("brochure.pdf", HTML_WITH_PDF_HEADER),
        ("brochure.pdf", pdf_bytes(javascript="app.alert(1)")),
        ("brochure.pdf", pdf_bytes(embedded=HTML)),
        ("prices.xlsx", HTML),
        ("notice.txt", b"\x00\x01binary"),
    ],
    ids=["html with a pdf header", "pdf with javascript", "pdf with a file", "xlsx", "txt"],
)
def test_a_document_that_is_not_what_its_name_says_is_refused(editor_client, name, data):
    response = upload_document(editor_client, name, data)
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_a_document_is_downloaded_with_its_type_and_sandboxed(editor_client):
    assert upload_document(editor_client, "brochure.pdf", pdf_bytes()).status_code == 302
    document = Document.objects.get()
    response = editor_client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_sandboxed(response)


def test_the_members_only_check_still_answers_first(client, make_issue):
    document = Document.objects.create(
        title="会员版", file=ContentFile(pdf_bytes(), name="members.pdf")
    )
    make_issue(pdf=document)
    response = client.get(document.url)
    assert response.status_code == 302  # to sign in: a page, not a file
    assert "sandbox" not in response.get("Content-Security-Policy", "")


def test_an_svg_is_not_accepted_as_an_image(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "logo",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert not SiteImage.objects.exists()


def test_images_and_their_renditions_are_sandboxed_pictures(client):
    image = SiteImage.objects.create(
        title="小区", file=ContentFile(picture_bytes("PNG", size=(400, 300)), name="estate.png")
    )
    rendition = image.get_rendition("fill-100x100")
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/png"
        assert_sandboxed(response)


def test_the_admin_preview_of_an_image_is_a_sandboxed_picture(editor_client, owner):
    """The admin's URL generator shows the image through /admin/images/<id>/preview/."""
    image = SiteImage.objects.create(
        title="小区", file=ContentFile(picture_bytes("PNG", size=(400, 300)), name="estate.png")
    )
    url = reverse("wagtailimages:preview", args=[image.pk, "fill-100x100"])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert_sandboxed(response)
    assert "private" in response["Cache-Control"]
    # Wagtail's own checks stay: a bad filter, and someone who may not open the admin.
    assert editor_client.get(url.replace("fill-100x100", "bogus-1")).status_code == 400
    editor_client.force_login(owner)
    assert editor_client.get(url).status_code in (302, 403)
