"""Request bodies over MAX_REQUEST_BYTES are refused with 413 before they are read, and
nothing changes; the largest legitimate requests fit under it."""

import socket

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.forms import MAX_ATTACHMENTS
from cases.models import Case, Category
from forum.forms import MAX_IMAGES
from portal.tests.samples import pdf_bytes
from portal.tests.test_csp import assert_owner_policy

pytestmark = pytest.mark.django_db

NEW = reverse("cases:new")
MB = 2**20


def case_data(files):
    return {
        "kind": "complaint",
        "category": Category.objects.get(name="维修报修").pk,
        "subject": "卫生间漏水",
        "description": "楼上漏水。",
        "attachments": files,
    }


def pdf(size, name="scan.pdf"):
    head = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return SimpleUploadedFile(
        name, head + b"%" * (size - len(head) - 6) + b"\n%%EOF", content_type="application/pdf"
    )


def test_an_oversized_case_is_refused_with_413_and_nothing_is_filed(
    client, verified_owner, settings
):
    settings.MAX_REQUEST_BYTES = 1 * MB
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(NEW, case_data([pdf(MB // 2), pdf(MB // 2, "b.pdf"), pdf(MB // 2)]))
    assert response.status_code == 413
    page = response.content.decode()
    assert "内容过大" in page and "1 MB" in page
    assert not Case.objects.exists()


def test_the_413_page_looks_like_the_site_and_offers_going_back(client, verified_owner, settings):
    """The site's header, the explanation, a way back to the form (history.back() through
    site.js, the page it came from without script) and home; the owner pages' policy."""

    settings.MAX_REQUEST_BYTES = 1 * MB
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    def big():
        return case_data([pdf(MB // 2), pdf(MB // 2, "b.pdf"), pdf(MB // 2, "c.pdf")])

    response = client.post(NEW, big(), HTTP_REFERER=f"http://testserver{NEW}")
    assert response.status_code == 413
    page = response.content.decode()
    assert 'class="site-header"' in page and "金都业主服务中心" in page
    assert "请返回上一页" in page
    assert f'<a class="button" href="http://testserver{NEW}" data-back>返回上一页</a>' in page
    assert '<a class="button button--ghost" href="/">返回首页</a>' in page
    assert "/static/js/site.js" in page and "javascript:" not in page
    assert_owner_policy(response)

    # A page elsewhere is not linked back to.
    response = client.post(NEW, big(), HTTP_REFERER="https://evil.example/form")
    assert 'href="/" data-back>返回上一页</a>' in response.content.decode()


def test_the_declared_length_alone_is_enough_to_refuse(client, verified_owner):
    """A claim of 200 MB with a few bytes behind it: refused on the header, nothing read."""
    client.force_login(verified_owner)
    response = client.generic(
        "POST",
        NEW,
        b"kind=complaint",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(200 * MB),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413 and b"Too large to send" in response.content
    assert not Case.objects.exists()


def test_a_case_with_six_attachments_of_ten_mb_is_filed(client, verified_owner):
    """The largest case the form takes: six real PDFs of exactly 10 MB each."""
    client.force_login(verified_owner)
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    scan = pdf_bytes(size=limit)
    assert len(scan) == limit
    files = [
        SimpleUploadedFile(f"scan{n}.pdf", scan, content_type="application/pdf") for n in range(6)
    ]
    response = client.post(NEW, case_data(files))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    stored = list(case.attachments.values_list("name", "size", "verified_type"))
    assert stored == [(f"scan{n}.pdf", limit, "application/pdf") for n in range(6)]


def test_every_legitimate_upload_fits_under_the_limit():
    """The limits of each form, all files at their largest, plus room for the other fields."""

    room = 1 * MB
    largest = [
        MAX_ATTACHMENTS * settings.CASE_ATTACHMENT_MAX_BYTES,
        MAX_IMAGES * settings.FORUM_IMAGE_MAX_BYTES,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        settings.AVATAR_MAX_BYTES,
    ]
    assert max(largest) + room <= settings.MAX_REQUEST_BYTES


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_server_answers_413_without_waiting_for_the_body(live_server):
    """Over a socket: the headers promise 200 MB, no body follows, and the answer comes at once."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            (
                f"POST {NEW} HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {200 * MB}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        status_line = conn.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413")
