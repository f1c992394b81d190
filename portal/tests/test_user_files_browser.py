"""A staff member opens every file of a case from the admin case screen in Chromium, hostile
ones included, and nothing runs: no alert, whatever the file or its stored type."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from cases import casework
from cases.models import CaseAttachment, Category
from portal.tests.samples import HTML, HTML_WITH_PDF_HEADER, SVG, pdf_bytes, picture_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Rows as an older version stored them, with the type the browser declared (the migration
# re-types them; this is what a missed row would hold), and worse.
LEGACY = [
    ("scan.pdf", HTML_WITH_PDF_HEADER, "image/jpeg, text/html"),
    ("plan.svg", SVG, "image/svg+xml"),
    ("photo.jpg", HTML, "image/jpeg"),
    ("page.html", HTML, "text/html"),
    ("js.pdf", pdf_bytes(javascript="app.alert('pdf js')"), "application/pdf"),
]


def signed_in(context, user, site):
    """Staff's session, made by Django's test client (sign-in itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site}])


def test_staff_open_every_attachment_and_nothing_runs(live_server, browser, verified_owner, staff):
    agent = staff("Customer service")
    photo = SimpleUploadedFile("门口.png", picture_bytes("PNG"), content_type="text/html")
    receipt = SimpleUploadedFile("收据.pdf", pdf_bytes(), content_type="text/html")
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="门禁损坏",
        description="单元门禁坏了。",
        files=[photo, receipt],
    )
    for name, data, stored_type in LEGACY:
        CaseAttachment.objects.create(
            case=case,
            event=case.events.get(),
            file=ContentFile(data, name=name),
            name=name,
            verified_type=stored_type,
            size=len(data),
        )

    site = live_server.url
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    signed_in(context, agent, site)
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = context.new_page()
    page.goto(f"{site}{reverse('case_ledger:inspect', args=[case.pk])}")
    links = page.locator("main ol a[href*='/files/']")
    expect(links).to_have_count(2 + len(LEGACY))

    downloads = []
    page.on("download", lambda download: downloads.append(download))
    shown = {}
    for link in links.all():
        name = link.get_attribute("title") or link.inner_text()  # a photo is its thumbnail
        with page.expect_popup() as popup_info:
            link.click()
        popup = popup_info.value
        try:
            popup.wait_for_load_state()
            popup.wait_for_timeout(300)  # time for anything that would run
            shown[name] = popup.evaluate("document.contentType")
            popup.close()
        except PlaywrightError:
            pass  # a download: Chromium closes the tab it opened for it

    assert dialogs == []
    # Pictures are shown as pictures (the HTML an older version stored as one is a broken
    # picture, never a page); every other file was only downloaded.
    assert shown == {"门口.jpg": "image/jpeg", "photo.jpg": "image/jpeg"}
    assert sorted(d.suggested_filename for d in downloads) == sorted(
        ["收据.pdf", "scan.pdf", "plan.svg", "page.html", "js.pdf"]
    )

    # The trap works: a dialog on a page of the site is seen.
    page.evaluate("setTimeout(() => alert('trap'))")
    page.wait_for_timeout(300)
    assert dialogs == ["trap"]
    context.close()
