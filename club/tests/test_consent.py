"""Applying to the club records consent to the club rules the applicant was shown."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from club.models import ClubPage
from club.tests.test_membership import application_data
from owners.models import Consent, DataExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def club_page(db):
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=ClubPage(title="金都会", slug="club", rules="<p>俱乐部章程</p>"))
    page.save_revision().publish()
    return ClubPage.objects.get(pk=page.pk)


def test_an_application_records_consent_to_the_club_rules(client, verified_owner, club_page):
    client.force_login(verified_owner)
    assert client.post(reverse("club:apply"), application_data()).status_code == 302
    record = Consent.objects.get(user=verified_owner)
    published = timezone.localtime(club_page.last_published_at).strftime("%Y-%m-%d %H:%M")
    assert (record.document, record.version) == ("club_rules", published)
    # The owner finds it on their profile, in the site's time zone.
    html = client.get(reverse("owners:profile")).content.decode()
    assert published in html


def test_a_refused_application_records_nothing(client, verified_owner, club_page):
    client.force_login(verified_owner)
    assert client.post(reverse("club:apply"), application_data(agree="")).status_code == 200
    assert not Consent.objects.exists()


def test_the_record_the_profile_and_the_export_name_the_same_version(
    client, verified_owner, club_page, django_capture_on_commit_callbacks
):
    """The club rules' version is when the club page was last published, as the owner reads
    a time (Asia/Shanghai, 24 h), wherever it is shown."""
    client.force_login(verified_owner)
    client.post(reverse("club:apply"), application_data())
    version = timezone.localtime(club_page.last_published_at).strftime("%Y-%m-%d %H:%M")
    assert Consent.objects.get(user=verified_owner, document="club_rules").version == version
    assert f"俱乐部章程 {version} 版" in client.get(reverse("owners:profile")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("owners:request_export"))
    export = DataExport.objects.get(user=verified_owner)
    response = client.get(reverse("owners:download_export", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    consents = archive.read("profile/consents.csv").decode("utf-8-sig")
    assert f"俱乐部章程,{version}," in consents
