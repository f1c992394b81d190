"""Applying to the club records consent to the club rules the applicant was shown."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from club.models import ClubPage
from club.tests.test_membership import application_data
from portal.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def club_page(db):
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=ClubPage(title="金都会", slug="club", rules="<p>会员章程</p>"))
    page.save_revision().publish()
    return ClubPage.objects.get(pk=page.pk)


def test_an_application_records_consent_to_the_club_rules(client, verified_owner, club_page):
    client.force_login(verified_owner)
    assert client.post(reverse("club:apply"), application_data()).status_code == 302
    record = Consent.objects.get(user=verified_owner)
    published = timezone.localtime(club_page.last_published_at).strftime("%Y-%m-%d %H:%M")
    assert (record.document, record.version) == ("club_rules", published)
    # The owner finds it on their profile, in the site's time zone.
    html = client.get(reverse("portal:profile")).content.decode()
    assert published in html


def test_a_refused_application_records_nothing(client, verified_owner, club_page):
    client.force_login(verified_owner)
    assert client.post(reverse("club:apply"), application_data(agree="")).status_code == 200
    assert not Consent.objects.exists()
