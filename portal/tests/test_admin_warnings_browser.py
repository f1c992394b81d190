"""The staff's warnings in a real browser: drawn by Wagtail like its own messages, and visible."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in_staff
from portal import health
from portal.tests.redis_server import free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_check():
    health.broker_reachable.forget()  # remembered per process
    yield
    health.broker_reachable.forget()


def test_the_broker_banner_looks_like_a_wagtail_message(
    live_server, page, staff, settings, tmp_path
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/1"  # nothing listens there
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_staff(page, live_server.url, staff("Managers"))
    banner = page.locator(".messages li.warning")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("任务队列无法连接")
    expect(banner.locator("svg.messages-icon")).to_be_visible()
    page.wait_for_timeout(1500)
    page.screenshot(path=tmp_path / "admin-broker-banner.png")
    page.goto(f"{live_server.url}/admin/pages/")
    expect(banner).to_be_visible()
    page.wait_for_timeout(1500)
    page.screenshot(path=tmp_path / "admin-broker-banner-pages.png")
