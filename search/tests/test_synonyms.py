"""Synonyms staff keep in the admin apply to every search: 业委会 finds 业主委员会, in the
index, the exact-word check and the marking; a change applies to the next search."""

import pytest
from django.urls import reverse

from search.models import Synonyms
from search.tests.test_search import topic

pytestmark = pytest.mark.django_db

ADD = "/admin/search/synonyms/new/"


def search(client, query, name="search:search"):
    return client.get(reverse(name), {"q": query}).content.decode()


def test_a_word_finds_its_synonyms_and_they_are_marked(client, board, owner):  # noqa: F811
    Synonyms.objects.create(words="业委会 = 业主委员会")
    Synonyms.objects.create(words="噪声，噪音")
    topic(board, owner, "业主委员会换届选举", "下周六开会。")
    topic(board, owner, "夜间施工噪音", "请物业管一管。")
    topic(board, owner, "业委会公告", "见附件。")
    for name in ("search:search", "forum:search"):
        html = search(client, "业委会", name)
        assert "<mark>业主委员会</mark>换届选举" in html and "<mark>业委会</mark>公告" in html
        html = search(client, "噪声", name)
        assert "夜间施工<mark>噪音</mark>" in html
        # Every term still required: the synonym stands for one term.
        html = search(client, "业委会 开会", name)
        assert "换届选举" in html and "业委会</mark>公告" not in html


def test_staff_keep_the_list_and_a_change_applies_at_once(client, board, owner, staff):  # noqa: F811
    topic(board, owner, "业主委员会换届选举", "下周六开会。")
    assert "换届选举" not in search(client, "业委会")
    client.force_login(staff("Editors"))
    response = client.post(ADD, {"words": "业委会"})
    assert response.status_code == 200 and not Synonyms.objects.exists()
    assert "至少填写两个不同的词" in response.content.decode()
    client.post(ADD, {"words": "業委會 = 业主委员会"})
    synonyms = Synonyms.objects.get()
    assert "换届选举" in search(client, "业委会")
    client.post(f"/admin/search/synonyms/delete/{synonyms.pk}/")
    assert not Synonyms.objects.exists()
    assert "换届选举" not in search(client, "业委会")


def test_only_staff_who_write_content_keep_the_list(client, owner, staff):
    for who in (owner, staff("Forum moderators"), staff("Customer service")):
        client.force_login(who)
        client.post(ADD, {"words": "噪声 噪音"})
        assert client.get("/admin/search/synonyms/").status_code in (302, 403), who
    assert not Synonyms.objects.exists()
