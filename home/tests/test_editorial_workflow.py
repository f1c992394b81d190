"""Editors submit a page for the managers' approval; the buttons and the messages say so in the
staff's words: 提交经理审批, then 已审批通过 or 已退回, never "已被更新"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(staff):
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=StandardPage(title="关于我们", slug="about", live=False))
    page.save_revision(user=staff("Editors"))
    return page


def edit(client, page, **actions):
    data = nested_form_data({"title": page.title, "slug": page.slug, "body": streamfield([])})
    data["comments-TOTAL_FORMS"] = data["comments-INITIAL_FORMS"] = "0"
    data.update(actions)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def said(client, response):
    """The messages the page after `response` shows, without the buttons beside some."""
    shown = client.get(response.url).wsgi_request
    return [str(message).split("\n")[0] for message in get_messages(shown)]


def submitted(client, staff, page):
    editor = page.latest_revision.user
    editor.language = "zh-hans"
    editor.save()
    client.force_login(editor)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "提交经理审批" in form and "编辑提交" not in form
    response = edit(client, page, **{"action-submit": "1"})
    assert said(client, response) == ["「关于我们」已提交经理审批。"]
    manager = staff("Managers")
    manager.language = "zh-hans"
    manager.save()
    client.force_login(manager)
    return manager


def test_a_manager_approves_and_the_page_is_published(client, staff, about):
    submitted(client, staff, about)
    response = edit(
        client, about, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
    )
    assert response.status_code == 302
    about.refresh_from_db()
    assert about.live
    assert said(client, response) == ["已审批通过：「关于我们」已发布。"]


def test_a_manager_sends_it_back(client, staff, about):
    submitted(client, staff, about)
    response = edit(
        client,
        about,
        **{
            "action-workflow-action": "1",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": '{"comment": "请补充地址"}',
        },
    )
    assert response.status_code == 302
    about.refresh_from_db()
    assert not about.live
    assert said(client, response) == ["「关于我们」已退回编辑修改。"]


def test_a_plain_save_says_saved(client, staff, about):
    editor = about.latest_revision.user
    editor.language = "zh-hans"
    editor.save()
    client.force_login(editor)
    assert said(client, edit(client, about)) == ["「关于我们」已保存。"]
