"""Pages people land on say who they are in English to English readers; an English field left
empty shows the Chinese one."""

import pytest

from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    home = HomePage.objects.get()
    home.hero_title, home.hero_title_en = "欢迎回家", "Welcome home"
    home.hero_text = "业主服务一站搞定"  # no English written: the Chinese shows
    home.save_revision().publish()
    about = StandardPage(
        title="关于我们",
        slug="about",
        intro="服务团队",
        title_en="About us",
        intro_en="Our service team",
        show_in_menus=True,
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    return home, about


def test_english_readers_get_the_english_words_and_the_sites_english_name(client, pages):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Welcome home</h1>" in html and "Jindu Owner Service Centre" in html
    assert "业主服务一站搞定" in html  # nothing in English yet
    assert "<strong>About us</strong>" in html and "Our service team" in html
    about = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>About us</h1>" in about and "<title>About us · Jindu Owner Service Centre" in about


def test_chinese_readers_get_the_chinese_words(client, pages):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>欢迎回家</h1>" in html and "金都业主服务中心" in html
    assert "<strong>关于我们</strong>" in html and "About us" not in html
