"""Each message reaches an owner on the channels they chose in 我的 → 通知设置 (portal.channels),
always in their notifications on the site; WeChat's template messages go through a fake of the
official account's API on 127.0.0.1."""

import html
import re

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse

from cases import casework
from cases.models import Category
from conftest import PASSWORD, make_user
from owners.models import User
from portal import outbox
from portal.models import Notification, Outgoing
from portal.tests.fake_wechat import WeChat

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
OPENID = "oFAKE-openid-1"


@pytest.fixture
def wechat(settings):
    fake = WeChat("wx-mp-app", "mp-secret", openid=OPENID)
    fake.template_ids = {"Tpl-case-filed", "Tpl-case-update"}
    settings.WECHAT_API_URL = fake.url
    settings.WECHAT_MP_APP_ID, settings.WECHAT_MP_APP_SECRET = "wx-mp-app", "mp-secret"
    settings.WECHAT_TEMPLATES = {
        "case_filed": {
            "id": "Tpl-case-filed",
            "data": {"character_string1": "reference", "time2": "due"},
        },
        "case_update": {
            "id": "Tpl-case-update",
            "data": {"character_string1": "reference", "thing2": "status"},
        },
    }
    yield fake
    fake.close()


def phone_only(username, mobile):
    person = make_user(username, mobile=mobile, real_name="赵敏")
    person.emailaddress_set.all().delete()
    User.objects.filter(pk=person.pk).update(email="")
    person.refresh_from_db()
    return person


def follows_the_account(person, openid=OPENID):
    """Signed in through the official account inside WeChat (portal.weixin.mp)."""
    SocialAccount.objects.create(
        user=person, provider="weixin_mp", uid=f"u-{person.pk}", extra_data={"openid": openid}
    )


def choose(person, **topics):
    person.notification_channels = topics
    person.save(update_fields=["notification_channels"])


def file_and_accept(person, agent):
    case = casework.file_case(
        person,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="漏水",
        description="卫生间漏水",
    )
    casework.accept(case, agent)
    return case


def rows(person_address, kind):
    return list(
        Outgoing.objects.filter(recipient=person_address, kind=kind)
        .order_by("pk")
        .values_list("payload__template", flat=True)
    )


def test_a_case_update_reaches_sms_wechat_and_email_owners_once_each_and_every_inbox(
    wechat, staff, django_capture_on_commit_callbacks
):
    by_sms = phone_only("bysms", "13912345678")
    choose(by_sms, case=["sms"])
    by_wechat = make_user("bywechat", mobile="13812345678", real_name="钱多")
    follows_the_account(by_wechat)
    choose(by_wechat, case=["wechat"])
    by_email = make_user("byemail", real_name="孙丽")
    choose(by_email, case=["email"])
    agent = staff("Customer service")

    cases = {}
    with django_capture_on_commit_callbacks(execute=True):
        for person in (by_sms, by_wechat, by_email):
            cases[person.pk] = file_and_accept(person, agent)

    # SMS only: the case filed and its update as texts, nothing else.
    assert rows("+8613912345678", "sms") == ["case_filed", "case_update"]
    # WeChat: two template messages, delivered, each opening the case; no text, no email.
    assert rows(OPENID, "wechat") == ["case_filed", "case_update"]
    assert [m["template_id"] for m in wechat.messages] == ["Tpl-case-filed", "Tpl-case-update"]
    update = wechat.messages[1]
    assert update["touser"] == OPENID
    assert update["data"]["character_string1"]["value"] == cases[by_wechat.pk].reference
    assert update["data"]["thing2"]["value"] == "已受理"
    assert update["url"].endswith(cases[by_wechat.pk].get_absolute_url())
    assert rows("+8613812345678", "sms") == [] and rows(by_wechat.email, "email") == []
    # Email: two emails, nothing by the other channels.
    assert [m.to for m in mail.outbox] == [[by_email.email]] * 2
    assert Outgoing.objects.filter(kind__in=["sms", "wechat"]).count() == 4

    # Everyone has both steps in their notifications on the site, each linked to what
    # carried it.
    for person in (by_sms, by_wechat, by_email):
        inbox = list(Notification.objects.filter(recipient=person).order_by("pk"))
        assert [n.kind for n in inbox] == ["case", "case"]
        assert all(n.url == cases[person.pk].get_absolute_url() for n in inbox)
        assert all(n.deliveries.count() == 1 for n in inbox)

    # Delivered again (a worker retried), nothing goes twice.
    outbox.deliver(list(Outgoing.objects.values_list("pk", flat=True)))
    assert len(wechat.messages) == 2 and len(mail.outbox) == 2


def test_an_owner_who_never_chose_hears_on_the_first_channel_they_have(
    wechat, staff, django_capture_on_commit_callbacks
):
    """The default for case progress: WeChat where linked, else email, else SMS: one channel."""
    linked = make_user("linked", mobile="13812345678")
    follows_the_account(linked)
    with django_capture_on_commit_callbacks(execute=True):
        file_and_accept(linked, staff("Customer service"))
    assert rows(OPENID, "wechat") == ["case_filed", "case_update"]
    assert not mail.outbox and not Outgoing.objects.filter(kind="sms").exists()


def test_a_must_deliver_topic_goes_out_even_when_everything_is_unticked(
    staff, django_capture_on_commit_callbacks
):
    person = make_user("quiet", mobile="13812345678")
    choose(person, case=[])  # saved before the page refused it, or a channel since removed
    with django_capture_on_commit_callbacks(execute=True):
        file_and_accept(person, staff("Customer service"))
    assert len(mail.outbox) == 2


def test_texts_stop_at_the_daily_limit_and_the_message_takes_the_next_channel(
    settings, staff, django_capture_on_commit_callbacks
):
    settings.SMS_DAILY_LIMIT = 3
    person = make_user("chatty", mobile="13812345678")
    choose(person, case=["sms"])
    agent = staff("Customer service")
    with django_capture_on_commit_callbacks(execute=True):
        file_and_accept(person, agent)  # two texts
        file_and_accept(person, agent)  # the third, then the limit: by email
    assert rows("+8613812345678", "sms") == ["case_filed", "case_update", "case_filed"]
    assert len(mail.outbox) == 1 and "已受理" in mail.outbox[0].subject


def test_wechat_refusals_and_limits(wechat, django_capture_on_commit_callbacks):
    """A stale token is fetched again at once; WeChat's call limit waits for a retry; someone
    who unfollowed the account is never tried again."""
    person = make_user("follower", mobile="13812345678")
    follows_the_account(person)

    def update():
        with django_capture_on_commit_callbacks(execute=True):
            return outbox.add_wechat(
                OPENID, "case_update", {"reference": "TS-1", "status": "已受理"}, "http://x/"
            )

    first = update()
    wechat.expire_tokens()
    second = update()
    assert Outgoing.objects.get(pk=second).state == "sent" and len(wechat.messages) == 2
    assert wechat.token_requests == 2 and Outgoing.objects.get(pk=first).state == "sent"

    wechat.busy = True
    busy = Outgoing.objects.get(pk=update())
    assert busy.state == "pending" and "45009" in busy.last_error

    wechat.busy = False
    wechat.followers.clear()
    gone = Outgoing.objects.get(pk=update())
    assert gone.state == "failed" and "43004" in gone.last_error


def test_without_the_official_account_there_is_no_wechat_to_choose(client):
    client.force_login(make_user("plain", mobile="13812345678"))
    page = client.get(reverse("owners:channels"), **ZH).content.decode()
    assert "报事进度" in page and 'value="sms"' in page and 'value="wechat"' not in page


def test_the_settings_page_saves_choices_and_keeps_one_way_for_what_matters(client, wechat):
    person = make_user("chooser", mobile="13812345678")
    client.force_login(person)
    page = client.get(reverse("owners:channels"), **ZH).content.decode()
    assert "报事进度" in page and "站内消息" in page and "在微信中打开本页即可绑定" in page
    # WeChat is not linked: its chips are there but cannot be ticked.
    assert 'value="wechat" disabled' in page

    refused = client.post(
        reverse("owners:channels"),
        {"case": [], "account": ["email"], "email_notifications": "daily"},
        **ZH,
    )
    assert refused.status_code == 200 and "至少保留一种" in refused.content.decode()
    person.refresh_from_db()
    assert person.notification_channels == {} and person.email_notifications == "immediately"

    saved = client.post(
        reverse("owners:channels"),
        {
            "case": ["sms", "email", "wechat"],  # WeChat is not theirs: not kept
            "repair": ["sms"],
            "bill": ["sms"],
            "important_notice": ["email"],
            "notice": [],
            "account": ["sms"],
            "event": ["sms"],
            "club": [],
            "publications": [],
            "forum": [],
            "email_notifications": "daily",
        },
        **ZH,
    )
    assert saved.url == reverse("owners:channels")
    person.refresh_from_db()
    assert person.notification_channels == {
        "case": ["sms", "email"],
        "repair": ["sms"],
        "bill": ["sms"],
        "important_notice": ["email"],
        "notice": [],
        "account": ["sms"],
        "event": ["sms"],
        "club": [],
        "publications": [],
        "forum": [],
    }
    assert person.email_notifications == "daily"


def test_staff_see_which_channel_carried_each_message(
    client, staff, wechat, django_capture_on_commit_callbacks
):
    person = make_user("seen", mobile="13812345678", real_name="周杰")
    follows_the_account(person)
    choose(person, case=["wechat", "email"])
    agent = staff("Customer service")
    with django_capture_on_commit_callbacks(execute=True):
        file_and_accept(person, agent)
    client.force_login(agent)
    page = client.get(reverse("messages:index"), **ZH).content.decode()
    assert "周杰" in page and page.count("微信 已送达") == 2 and page.count("邮件 已送达") == 2


def test_an_owner_links_wechat_from_the_settings_page_inside_wechat(client, wechat, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "weixin_mp": {
            **settings.SOCIALACCOUNT_PROVIDERS["weixin_mp"],
            "APPS": [{"client_id": "wx-mp-app", "secret": "mp-secret"}],
        },
    }
    settings.WECHAT_OPEN_URL = wechat.url
    inside = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50", **ZH}
    person = make_user("linker", mobile="13812345678")
    client.force_login(person)
    page = client.get(reverse("owners:channels"), **inside).content.decode()
    [action] = re.findall(r'action="([^"]*weixin_mp[^"]*)"', page)
    assert "process=connect" in action and "绑定微信" in page
    to_wechat = client.post(html.unescape(action), **inside)
    back = requests.get(to_wechat.url, allow_redirects=False, timeout=5).headers["Location"]
    # Linking an account asks for the password again first, then finishes.
    again = client.get(back.split("testserver", 1)[-1], **inside)
    assert again.url.startswith(reverse("account_reauthenticate"))
    done = client.post(again.url, {"password": PASSWORD}, **inside)
    assert done.url == reverse("owners:channels")
    account = SocialAccount.objects.get(provider="weixin_mp")
    assert account.user == person and account.extra_data["openid"] == OPENID
    page = client.get(reverse("owners:channels"), **inside).content.decode()
    assert "已关注公众号并绑定" in page and 'value="wechat" disabled' not in page
