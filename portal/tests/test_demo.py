"""`manage.py load_demo` builds a usable demo site, and running it again changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from home.models import HomePage, SiteImage, StandardPage
from portal.demo import PASSWORD
from portal.models import Estate, OwnershipClaim, Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _flood_limits_as_configured(settings):
    """The demo is built through the same rules as the site, flood limits included."""
    from conftest import FLOOD_LIMITS
    from portal.settings import base

    for name in FLOOD_LIMITS:
        setattr(settings, name, getattr(base, name))


def counts():
    return [
        model.objects.count()
        for model in (User, Estate, Unit, OwnershipClaim, HomePage, StandardPage, SiteImage)
    ]


def test_the_demo_loads_twice_to_the_same_state(client, capsys):
    call_command("load_demo")
    first = counts()
    output = capsys.readouterr().out
    assert "owner@jindu.example" in output and PASSWORD in output
    call_command("load_demo")
    assert counts() == first

    assert User.objects.get(username="owner").is_verified_owner
    assert OwnershipClaim.objects.filter(status="pending").count() == 1
    assert client.get("/").status_code == 200
    assert client.get("/about/").status_code == 200

    assert client.login(username="service", password=PASSWORD)
    assert client.get(reverse("claims:index")).status_code == 200
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "owner@jindu.example", "password": PASSWORD}
    )
    assert response.url == reverse("portal:dashboard")
    assert "badge--verified" in client.get(reverse("portal:dashboard")).content.decode()
