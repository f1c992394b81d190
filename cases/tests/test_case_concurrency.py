"""Fifty cases filed at once get fifty distinct references (PostgreSQL, parallel connections)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from cases import casework
from cases.models import Case, Category

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]


def test_fifty_concurrent_cases_get_distinct_references(verified_owner):
    category = Category.objects.first()

    def file(n):
        try:
            return casework.file_case(
                verified_owner,
                kind="enquiry",
                category=category,
                subject=f"咨询{n}",
                description="?",
            ).reference
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        references = list(pool.map(file, range(50)))

    assert len(set(references)) == 50
    numbers = sorted(int(reference[-4:]) for reference in references)
    assert numbers == list(range(1, 51))
    assert Case.objects.count() == 50
