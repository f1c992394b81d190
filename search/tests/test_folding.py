"""What owners type finds what the site says (search.folding): traditional characters,
full-width letters and digits, spaces beside numbers, numbers in Chinese — in the site search
and the forum's, marked on the text as it was written."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from search import folding
from search.folding import fold
from search.models import Gram, IndexState
from search.signals import rebuild_after_migrate
from search.tests.test_search import topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("停車", "停车场收费调整"),
        ("電梯", "电梯又坏了"),
        ("金都會", "金都会所开放时间"),
        ("３号楼", "3号楼门口"),
        ("ＡＢＣ１２３", "车牌 abc123 的车主"),
        ("ＷｉＦｉ", "会所 WiFi 密码"),
        ("3 号楼", "3号楼门口"),
        ("5栋", "5 栋大堂"),
        ("三号楼", "3号楼门口"),
        ("3号楼", "三号楼门口"),
        ("十二楼", "12楼走廊灯不亮"),
        ("23层", "二十三层漏水"),
    ],
)
def test_what_owners_type_finds_what_the_site_says(client, board, owner, typed, written):  # noqa: F811
    topic(board, owner, written, "详情见正文。")
    topic(board, owner, "无关的帖子", "花园的花开了。")
    for name in ("search:search", "forum:search"):
        html = client.get(reverse(name), {"q": typed}).content.decode()
        assert "无关的帖子" not in html, (name, typed)
        # The post itself, its title whole once the marks are taken out.
        assert "<mark>" in html and written in re.sub("</?mark>", "", html), (name, typed)


def test_the_match_is_marked_on_the_words_as_written(client, board, owner):  # noqa: F811
    topic(board, owner, "停車場收費太高", "三號樓門口的 ＷｉＦｉ")
    html = client.get(reverse("search:search"), {"q": "停车场"}).content.decode()
    assert "<mark>停車場</mark>收費太高" in html
    html = client.get(reverse("search:search"), {"q": "3号楼"}).content.decode()
    assert "<mark>三號樓</mark>門口" in html
    html = client.get(reverse("forum:search"), {"q": "wifi"}).content.decode()
    assert "<mark>ＷｉＦｉ</mark>" in html


def test_a_marked_match_is_still_escaped(client, board, owner):  # noqa: F811
    topic(board, owner, "<script>alert(1)</script>停車", "正文")
    html = client.get(reverse("search:search"), {"q": "停车"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>停車</mark>" in html


def test_folding_is_the_same_for_documents_and_queries():
    assert fold("停車場 ＷｉＦｉ ３ 号楼") == fold("停车场wifi 3号楼") == "停车场wifi 3号楼"
    assert fold("一百零五室") == "105室" and fold("两栋") == "2栋" and fold("十分好") == "十分好"
    assert fold("电梯 维修") == "电梯 维修"  # spaces between Chinese words stay
    for text in (
        "3 号楼 A 座 十二楼",
        "  ﬁ ３  号 Straße 二十三层 ",
        "一二零一室 百货楼",
        "电梯 维修 wifi",
    ):
        assert fold(text) == folding.fold_with_origin(text)[0], text


def test_a_migrate_after_the_folding_changed_builds_the_index_again(board, owner):  # noqa: F811
    """The receiver `migrate` sends post_migrate to, called as it calls it. Running the whole
    command inside a test would run every app's post_migrate work in its transaction (content
    types, permissions, roles) and leave caches that outlive the rollback."""
    search_app = apps.get_app_config("search")
    post = topic(board, owner, "停车场收费调整", "正文").posts.get()
    IndexState.objects.update_or_create(pk=1, defaults={"folding": folding.VERSION - 1})
    Gram.objects.filter(object_id=post.pk).delete()  # as if written by the old folding
    rebuild_after_migrate(sender=search_app, plan=[])
    assert Gram.objects.filter(object_id=post.pk).exists()
    assert IndexState.objects.get(pk=1).folding == folding.VERSION
    # Once current, a migrate leaves the index alone; so does a flush (no plan).
    Gram.objects.filter(object_id=post.pk).delete()
    rebuild_after_migrate(sender=search_app, plan=[])
    IndexState.objects.all().delete()
    rebuild_after_migrate(sender=search_app, plan=None)
    assert not Gram.objects.filter(object_id=post.pk).exists()
