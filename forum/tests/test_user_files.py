"""Forum pictures are re-encoded pictures, served as what they are and sandboxed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.models import PostImage, Topic
from portal.tests.samples import HTML, SVG, picture_bytes

pytestmark = pytest.mark.django_db


def start(client, board, image):
    return client.post(
        reverse("forum:new_topic", args=[board.slug]),
        {"title": "楼道堆物", "source": "3 栋楼道堆满杂物。", "images": [image]},
    )


@pytest.mark.parametrize(
    "name, data", [("plan.svg", SVG), ("photo.jpg", HTML)], ids=["svg", "html named .jpg"]
)
def test_a_picture_that_is_not_one_is_refused(client, alice, boards, name, data):
    client.force_login(alice)
    response = start(client, boards["owners"], SimpleUploadedFile(name, data, "image/jpeg"))
    assert response.status_code == 200
    assert not Topic.objects.exists() and not PostImage.objects.exists()


@pytest.mark.parametrize(
    "mode, served", [("RGB", "image/jpeg"), ("RGBA", "image/png")], ids=["photo", "transparent"]
)
def test_a_picture_is_served_inline_as_its_re_encoded_type_and_sandboxed(
    client, alice, boards, mode, served
):
    client.force_login(alice)
    upload = SimpleUploadedFile("x.gif", picture_bytes("PNG", mode=mode), "text/html")
    assert start(client, boards["owners"], upload).status_code == 302
    response = client.get(PostImage.objects.get().get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == served
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] in ("private, max-age=86400", "max-age=86400, private")
