"""Owners agree to the privacy policy at sign-up and again when its version changes; every
agreement is kept as a record they and staff can see."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.models import PrivacyPolicyPage
from home.privacy import current_policy
from home.tests.conftest import publish
from owners import consent
from owners.models import Consent, User
from portal.notifications import NOTIFICATIONS

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-2026"


@pytest.fixture
def policy(home_page):
    return publish(
        home_page,
        PrivacyPolicyPage(
            title="隐私政策",
            slug="privacy",
            version="2026-12",
            effective_date=date(2026, 12, 1),
            summary="我们收集您的姓名、手机号和房产信息，用于业主认证和客户服务。",
            body=[("paragraph", "<p>正文</p>")],
        ),
    )


@pytest.fixture
def new_version(django_capture_on_commit_callbacks):
    """Publish the policy again, committed as the admin's publish button commits it."""

    def publish_again(policy, version="2027-03", summary="新增：会员活动照片的使用说明。"):
        page = PrivacyPolicyPage.objects.get(pk=policy.pk)
        page.version, page.summary = version, summary
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return publish_again


def sign_up(client, **extra):
    data = {
        "real_name": "新业主",
        "phone": "13812345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def test_sign_up_shows_the_box_with_a_link_to_the_policy(client, policy):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="agree_privacy"' in html
    assert f'href="{policy.url}"' in html and "《隐私政策》" in html


def test_sign_up_without_agreeing_creates_no_account(client, policy):
    response = sign_up(client)
    assert response.status_code == 200
    assert response.context["form"].errors["agree_privacy"]
    assert not User.objects.filter(mobile="13812345678").exists()


def test_sign_up_records_the_consent_with_the_version_and_time(
    client, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, agree_privacy="on")
    assert response.status_code == 302
    user = User.objects.get(mobile="13812345678")
    record = Consent.objects.get(user=user)
    assert (record.document, record.version) == ("privacy_policy", "2026-12")
    assert record.given_at is not None


def test_an_owner_who_agreed_uses_the_site_as_before(client, owner, policy):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(owner)
    assert client.get(reverse("owners:dashboard")).status_code == 200


def test_a_new_version_asks_again_before_owner_pages(client, owner, policy, new_version):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(owner)
    assert client.get(reverse("owners:dashboard")).status_code == 200
    new_version(policy)
    for url in (reverse("owners:dashboard"), reverse("forum:index"), "/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("home:privacy_consent"))
    page = client.get(reverse("home:privacy_consent"), {"next": "/me/cases/"})
    html = page.content.decode()
    assert "新增：会员活动照片的使用说明。" in html and policy.url in html
    assert "2026-12" in html  # when they agreed before, and to which version


def test_the_policy_sign_out_and_unsubscribe_stay_reachable(client, owner, policy):
    client.force_login(owner)
    assert client.get(policy.url).status_code == 200
    assert client.get(reverse("account_change_password")).status_code == 200

    assert client.get(NOTIFICATIONS.url(owner)).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_agreeing_records_it_and_goes_back(client, owner, policy):
    client.force_login(owner)
    response = client.post(reverse("home:privacy_consent"), {"next": "/me/cases/"})
    assert response.status_code == 302 and response.url == "/me/cases/"
    assert list(owner.consents.values_list("version", flat=True)) == ["2026-12"]
    assert client.get(reverse("owners:dashboard")).status_code == 200
    # The profile says what the owner agreed to and when.
    html = client.get(reverse("owners:profile")).content.decode()
    assert "2026-12" in html
    # Agreeing twice (two tabs) adds nothing: the page sees it is done.
    client.post(reverse("home:privacy_consent"), {"next": "/me/"})
    assert owner.consents.count() == 1


def test_next_never_leaves_the_site(client, owner, policy):
    client.force_login(owner)
    response = client.post(reverse("home:privacy_consent"), {"next": "https://evil.example/"})
    assert response.url == reverse("owners:dashboard")


def test_staff_are_not_stopped(client, staff, policy):
    editor = staff("Editors")
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("forum:index")).status_code == 200


def test_without_a_published_policy_nothing_is_asked(client, owner):
    client.force_login(owner)
    assert client.get(reverse("owners:dashboard")).status_code == 200
    html = client.get(reverse("account_signup")).content.decode()
    assert "agree_privacy" not in html


def test_publishing_the_same_version_asks_nothing(client, owner, policy, new_version):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(owner)
    new_version(policy, version="2026-12", summary="错别字修正")
    assert client.get(reverse("owners:dashboard")).status_code == 200


def test_unpublishing_the_policy_stops_asking(
    client, owner, policy, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    assert client.get(reverse("owners:dashboard")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        PrivacyPolicyPage.objects.get(pk=policy.pk).unpublish()
    assert client.get(reverse("owners:dashboard")).status_code == 200


def test_the_check_costs_no_query_once_known(client, owner, policy, django_assert_max_num_queries):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(owner)
    client.get(reverse("owners:notifications"))  # the session learns the owner agreed
    with django_assert_max_num_queries(20) as checked:
        client.get(reverse("owners:notifications"))
    sql = " ".join(q["sql"] for q in checked.captured_queries)
    assert "portal_consent" not in sql and "home_privacypolicypage" not in sql


def test_signing_in_checks_the_agreement_so_the_first_page_writes_no_session(client, owner, policy):
    """Asked at sign-in, while the new session is written anyway: the first page after it asks
    nothing and leaves the session as it is."""
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(owner)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("owners:notifications")).status_code == 200
    sql = " ".join(q["sql"] for q in first.captured_queries)
    assert "owners_consent" not in sql and 'UPDATE "django_session"' not in sql


def test_the_consent_page_is_bounded(client, owner, policy, django_assert_max_num_queries):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2025-01")
    client.force_login(owner)
    with django_assert_max_num_queries(10) as few:
        assert client.get(reverse("home:privacy_consent")).status_code == 200
    for n in range(2, 30):
        consent.record(owner, consent.Document.PRIVACY_POLICY, f"2025-{n:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("home:privacy_consent")).status_code == 200


def test_consents_are_append_only(owner):
    record = consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    record.version = "2027-01"
    with pytest.raises(ValueError):
        record.save()


@pytest.mark.parametrize(
    "group, status", [("Customer service", 200), ("Managers", 200), ("Editors", 403)]
)
def test_staff_see_consents_read_only_in_the_admin(client, staff, owner, policy, group, status):
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-12")
    client.force_login(staff(group))
    response = client.get(reverse("consents:index"))
    assert response.status_code in ((status,) if status == 200 else (302, 403))
    if status == 200:
        html = response.content.decode()
        assert "王建国" in html and "2026-12" in html
        assert client.get(reverse("consents:index") + "?export=csv").status_code == 200
        record = Consent.objects.get()
        for view in ("edit", "delete"):
            assert client.get(reverse(f"consents:{view}", args=[record.pk])).status_code in (
                302,
                403,
                404,
            )
        assert client.get(reverse("consents:add")).status_code in (302, 403, 404)


def test_mobile_numbers_of_signups_get_verified_before_the_account_opens(client, policy):
    assert sign_up(client, agree_privacy="on").url == reverse("account_verify_phone")
    assert not User.objects.get(mobile="13812345678").mobile_verified
    assert client.get(reverse("owners:dashboard")).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL readers")
def test_a_request_during_the_publish_does_not_keep_the_old_version(policy):
    """The cached version is forgotten once the publish commits: a request that reads the
    policy while the publish is still under way caches the old version, and must not keep it."""

    def another_request():
        try:
            return current_policy()["version"]
        finally:
            connections.close_all()

    assert current_policy()["version"] == "2026-12"
    page = PrivacyPolicyPage.objects.get(pk=policy.pk)
    page.version = "2027-03"
    with transaction.atomic():
        page.save_revision().publish()
        with ThreadPoolExecutor(max_workers=1) as pool:
            assert pool.submit(another_request).result(timeout=30) == "2026-12"
    assert current_policy()["version"] == "2027-03"


def test_an_english_reader_reads_the_policy_in_english(
    client, owner, policy, new_version, django_capture_on_commit_callbacks
):
    page = PrivacyPolicyPage.objects.get(pk=policy.pk)
    page.title_en, page.summary_en = "Privacy policy", "We collect your name to verify owners."
    page.body_en = [("paragraph", "<p>The whole policy.</p>")]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    html = client.get(policy.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Privacy policy</h1>" in html and "The whole policy." in html
    assert "正文" not in html and f'<a href="{policy.url}">Privacy policy</a>' in html  # footer
    owner.language = "en"
    owner.save()
    client.force_login(owner)
    new_version(page)
    asked = client.get(reverse("home:privacy_consent")).content.decode()
    assert (
        "We collect your name to verify owners." in asked
        and "Read the whole Privacy policy" in asked
    )
