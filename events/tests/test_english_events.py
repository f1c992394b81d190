"""An event in English for English readers: its title, summary, place and details, on its page,
in the list and on the home page's coming-up list."""

import pytest
from wagtail.rich_text import RichText

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(make_event):
    return make_event(
        "茶艺沙龙：品龙井",
        summary="茶艺师讲解龙井的冲泡。",
        body=[("paragraph", RichText("<p>名额有限。</p>"))],
        title_en="Tea salon: Longjing",
        summary_en="A tea master shows how to brew Longjing.",
        place_en="Clubhouse tea room",
        body_en=[("paragraph", RichText("<p>Places are limited.</p>"))],
    )


def test_an_english_reader_reads_the_event_in_english(client, tea):
    page = client.get(tea.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Tea salon: Longjing</h1>" in page
    for words in ("A tea master shows how to brew Longjing.", "Clubhouse tea room", "Places"):
        assert words in page
    assert "茶" not in page and "名额" not in page
    listed = client.get(tea.get_parent().url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h3>Tea salon: Longjing</h3>" in listed and "Clubhouse tea room" in listed


def test_a_chinese_reader_reads_it_in_chinese(client, tea):
    page = client.get(tea.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>茶艺沙龙：品龙井</h1>" in page and "会所茶室" in page and "名额有限。" in page
    assert "Longjing" not in page


def test_the_home_page_lists_it_in_english(client, tea, member):
    member.user.language = "en"
    member.user.save(update_fields=["language"])
    client.force_login(member.user)
    home = client.get("/").content.decode()
    assert "<strong>Tea salon: Longjing</strong>" in home and "Clubhouse tea room" in home
