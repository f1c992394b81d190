from datetime import timedelta
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from club import checkin, signup, ics, rewards as rr
from club.models import Registration, PointsEntry, Redemption, Reward, EventPage
from club.tests.test_events import events_index, make_event, event  # noqa
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_checkin_bad_event_id(client, event, club_staff):
    client.force_login(club_staff)
    url = reverse("club_check_in:index")
    client.raise_request_exception = False
    r = client.post(url, {"event": "abc", "action": "check_in", "registration": "1"})
    print("checkin bad event:", r.status_code)
    assert r.status_code == 500


@pytest.mark.parametrize("year", ["0", "10000", "²"])
def test_year_view(client, event, events_index, year):
    client.raise_request_exception = False
    r = client.get(events_index.url, {"year": year})
    print("year", year, r.status_code)
    assert r.status_code == 500


def test_ics_lone_cr(make_event):
    e = make_event("茶\rBEGIN:VALARM")
    text = ics.calendar([e], "x")
    line = [l for l in text.split("\r\n") if l.startswith("SUMMARY")][0]
    print(repr(line))
    assert "\r" in line


def test_cancel_on_cancelled_event_promotes(make_member, make_event, django_capture_on_commit_callbacks):
    e = make_event(capacity=1, guests_allowed=0)
    a, b = make_member("a"), make_member("b")
    ra = signup.sign_up(e, a.user)
    rb = signup.sign_up(e, b.user)
    assert rb.status == "waitlisted"
    e.is_cancelled, e.cancel_reason = True, "rain"
    e.save_revision().publish()
    mail.outbox.clear()
    e = EventPage.objects.get(pk=e.pk)
    with django_capture_on_commit_callbacks(execute=True):
        signup.cancel(Registration.objects.get(pk=ra.pk), a.user)
    rb.refresh_from_db()
    print(rb.status, [m.subject for m in mail.outbox])
    assert rb.status == "confirmed"


def test_checkin_cancelled_event_awards(make_member, make_event, club_staff):
    e = make_event()
    a = make_member("a")
    r = signup.sign_up(e, a.user)
    e.is_cancelled, e.cancel_reason = True, "rain"
    e.save_revision().publish()
    checkin.check_in(r, club_staff)
    assert PointsEntry.objects.filter(kind="event", member=a).exists()


def test_redeem_key_collision(client, make_member, reward):
    a, b = make_member("a"), make_member("b")
    client.raise_request_exception = False
    key = "k" * 20
    client.force_login(a.user)
    client.post(reverse("club:redeem", args=[reward.pk]), {"key": key})
    client.force_login(b.user)
    r = client.post(reverse("club:redeem", args=[reward.pk]), {"key": key})
    print("redeem collision", r.status_code)
    assert r.status_code == 500


def test_delete_redeemed_reward(client, member, reward, staff):
    rr.redeem(member, reward, key="x" * 20)
    mgr = staff("Managers")
    client.force_login(mgr)
    client.raise_request_exception = False
    url = reverse("club_rewards:delete", args=[reward.pk])
    g = client.get(url)
    r = client.post(url)
    print("delete reward", g.status_code, r.status_code)
    assert r.status_code == 500


def test_inspect_non_int(client, member, club_staff):
    client.force_login(club_staff)
    client.raise_request_exception = False
    for name in ("club_members:inspect", "club_redemptions:inspect", "club_referrals:inspect", "club_applications:inspect", "club_rewards:edit"):
        r = client.get(reverse(name, args=["abc"]))
        print(name, r.status_code)


def test_double_walk_in_message(client, make_member, make_event, club_staff):
    e = make_event()
    w = make_member("w")
    client.force_login(club_staff)
    url = reverse("club_check_in:index")
    d = {"event": e.pk, "action": "walk_in", "user": w.user.pk, "guests": "0"}
    client.post(url, d)
    r = client.post(url, d, follow=True)
    msgs = [str(m) for m in r.context["messages"]]
    print(msgs)
