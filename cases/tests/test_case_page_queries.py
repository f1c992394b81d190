"""The owner's case list and case page cost the same queries for 3 items or 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import casework
from cases.models import Case, CaseEvent, Category
from conftest import make_verified_owner
from owners.models import Unit

pytestmark = pytest.mark.django_db


def count(client, url):
    client.get(url)  # a second visit: the privacy policy's version is in the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries]


def owner_with_cases(username, n, agent):
    owner = make_verified_owner(username, Unit.objects.order_by("pk").first())
    repairs = Category.objects.get(name="维修报修")
    first = casework.file_case(
        owner, kind="complaint", category=repairs, subject="电梯", description="停运"
    )
    casework.accept(first, agent)
    copies = []
    for i in range(1, n):
        copy = Case.objects.get(pk=first.pk)
        copy.pk, copy.reference, copy.subject = None, f"{first.reference}-{i}", f"事项{i}"
        copies.append(copy)
    Case.objects.bulk_create(copies)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=first, kind="reply", author=agent, text=f"进展{i}") for i in range(n)
    )
    return owner, first


def test_the_case_list_and_page_for_3_and_300(client, unit, staff):
    agent = staff("Customer service")
    few_owner, few_case = owner_with_cases("few", 3, agent)
    many_owner, many_case = owner_with_cases("many", 300, agent)
    for url_of in (lambda case: reverse("cases:mine"), lambda case: case.get_absolute_url()):
        client.force_login(few_owner)
        few, _ = count(client, url_of(few_case))
        client.force_login(many_owner)
        many, sql = count(client, url_of(many_case))
        assert few == many <= 5, sql
        assert not any("portal_notification" in q or "auth_permission" in q for q in sql), sql
