"""portal.statements: a query built once answers as the ORM would, for any values."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from portal.statements import Statement, columns

User = get_user_model()


def _orm(pk, active):
    return list(
        User.objects.filter(pk__gte=pk, is_active=active)
        .order_by("pk")
        .values_list("pk", "date_joined", Exists(User.objects.filter(pk=OuterRef("pk"))))
    )


STATEMENT = Statement(
    lambda pk: (
        User.objects.filter(pk__gte=pk, is_active=True)
        .order_by("pk")
        .values_list("pk", "date_joined", Exists(User.objects.filter(pk=OuterRef("pk"))))
    )
)


@pytest.mark.django_db
def test_rows_match_the_orm_for_each_value_with_types_converted():
    users = [make_user(f"statement{n}") for n in range(3)]
    make_user("statement-inactive", is_active=False)
    for user in users:
        rows = STATEMENT.rows(pk=user.pk)
        assert rows == _orm(user.pk, True)
        assert rows and all(isinstance(found, bool) for _pk, _joined, found in rows)
        assert all(joined.tzinfo is not None for _pk, joined, _found in rows)
    assert STATEMENT.rows(pk=users[-1].pk + 1000) == []


@pytest.mark.django_db
def test_one_query_a_run_and_the_sql_built_once():
    user = make_user("statement-once")
    STATEMENT.rows(pk=user.pk)
    sql = STATEMENT.compiled[connection.vendor][0]
    with CaptureQueriesContext(connection) as queries:
        STATEMENT.rows(pk=user.pk)
    assert len(queries) == 1
    assert STATEMENT.compiled[connection.vendor][0] is sql


@pytest.mark.django_db
def test_an_argument_the_query_does_not_use_is_refused():
    unused = Statement(lambda pk, other: User.objects.filter(pk=pk).values_list("pk"))
    with pytest.raises(ValueError, match="other"):
        unused.rows(pk=1, other=2)


@pytest.mark.django_db
def test_objects_are_the_models_instances_with_the_extra_columns_set():
    user = make_user("statement-objects", first_name="金", is_staff=True)
    users = Statement(
        lambda pk: User.objects.filter(pk=pk).values_list(
            *columns(User), Exists(User.objects.filter(pk=OuterRef("pk")))
        )
    )
    (found,) = users.objects(User, "exists", pk=user.pk)
    loaded = User.objects.get(pk=user.pk)
    assert isinstance(found, User) and found.exists is True
    assert [getattr(found, name) for name in columns(User)] == [
        getattr(loaded, name) for name in columns(User)
    ]
    assert found._state.adding is False and found._state.db == "default"
    assert users.objects(User, "exists", pk=user.pk + 1000) == []
