"""Files in S3-compatible object storage, as on several web servers: against an S3 server the
tests start on 127.0.0.1 (conftest.s3_server), with the buckets configured the way production
is (portal.settings.base.media_storages)."""

import io
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents.models import Document

from cases.models import Case, Category
from home.models import SiteImage
from owners.models import DataExport
from portal.storage import private_storage
from portal.tests.samples import pdf_bytes, picture_bytes

pytestmark = pytest.mark.django_db


def keys(storage, bucket):
    listing = storage.client.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", ())]


def stored(storage, bucket, key):
    return storage.client.get_object(Bucket=bucket, Key=key)["Body"].read()


def anonymous_get(url):
    """A GET with no credentials, as anyone on the internet: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def file_case_with(client, pdf):
    repairs = Category.objects.get(name="维修报修")
    data = {
        "kind": "complaint",
        "category": repairs.pk,
        "subject": "卫生间漏水",
        "description": "楼上卫生间漏水到我家天花板。",
        "attachments": [SimpleUploadedFile("invoice.pdf", pdf, content_type="application/pdf")],
    }
    return client.post(reverse("cases:new"), data)


def test_a_case_attachment_is_kept_private_and_served_only_to_its_owner(
    client, verified_owner, other_owner, object_storage
):
    pdf = pdf_bytes()
    client.force_login(verified_owner)
    assert file_case_with(client, pdf).status_code == 302
    attachment = Case.objects.get().attachments.get()
    # In the private bucket, byte for byte, and nothing in the public one.
    assert keys(object_storage, object_storage.private) == [attachment.file.name]
    assert stored(object_storage, object_storage.private, attachment.file.name) == pdf
    assert keys(object_storage, object_storage.public) == []
    # Nobody reaches the object without credentials.
    direct = f"{object_storage.endpoint}/{object_storage.private}/{attachment.file.name}"
    assert anonymous_get(direct)[0] == 403

    url = attachment.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Cache-Control"].startswith("private")
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_a_signed_address_to_a_private_file_works_only_for_a_few_minutes(object_storage):
    name = private_storage.save("cases/x/note.pdf", ContentFile(pdf_bytes()))
    url = private_storage.url(name)
    assert "X-Amz-Expires=300" in url and "X-Amz-Signature=" in url
    assert anonymous_get(url) == (200, pdf_bytes())
    assert anonymous_get(url.split("?")[0])[0] == 403


def test_an_avatar_goes_to_the_public_bucket_and_anyone_can_read_it(
    owner_client, owner, object_storage
):
    picture = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 80, 40)).save(picture, "JPEG")
    upload = SimpleUploadedFile("me.jpg", picture.getvalue(), content_type="image/jpeg")
    data = {
        "real_name": "王建国",
        "mobile": "13800138000",
        "language": "zh-hans",
        "email_notifications": "immediately",
        "avatar": upload,
    }
    assert owner_client.post(reverse("owners:profile"), data).status_code == 302
    owner.refresh_from_db()
    assert keys(object_storage, object_storage.public) == [owner.avatar.name]
    assert keys(object_storage, object_storage.private) == []
    assert owner.avatar.url.startswith(f"{object_storage.endpoint}/{object_storage.public}/")
    status, body = anonymous_get(owner.avatar.url)
    assert status == 200
    with Image.open(io.BytesIO(body)) as served:
        assert served.size == (256, 256)
    head = object_storage.client.head_object(Bucket=object_storage.public, Key=owner.avatar.name)
    assert head["ContentType"] == "image/jpeg"


def test_cms_images_and_their_renditions_are_made_and_served_from_the_bucket(object_storage):
    image = SiteImage.objects.create(
        title="小区", file=ContentFile(picture_bytes("PNG", size=(400, 300)), name="estate.png")
    )
    rendition = image.get_rendition("fill-100x100")
    assert {image.file.name, rendition.file.name} <= set(
        keys(object_storage, object_storage.public)
    )
    status, body = anonymous_get(rendition.url)
    assert status == 200
    with Image.open(io.BytesIO(body)) as served:
        assert served.size == (100, 100)
    # A second rendition of the same image reads the original back from the bucket.
    assert image.get_rendition("width-40").height == 30


def test_a_cms_document_is_never_public_in_the_bucket_but_its_view_serves_it(
    client, object_storage
):
    document = Document.objects.create(title="公告", file=ContentFile(pdf_bytes(), name="n.pdf"))
    direct = f"{object_storage.endpoint}/{object_storage.public}/{document.file.name}"
    assert anonymous_get(direct)[0] == 403
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_data_export_is_built_into_the_private_bucket_and_downloaded_by_its_owner(
    client, verified_owner, other_owner, object_storage, django_capture_on_commit_callbacks
):
    client.force_login(verified_owner)
    assert file_case_with(client, pdf_bytes()).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("owners:request_export"))
    export = DataExport.objects.get()
    assert export.is_ready and export.file.name in keys(object_storage, object_storage.private)
    url = reverse("owners:download_export", args=[export.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == stored(object_storage, object_storage.private, export.file.name)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert any(name.endswith("invoice.pdf") for name in names)  # the attachment, read back
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
