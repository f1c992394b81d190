"""A check for the admin of records that change only through actions (portal.admin_actions
.ActionsOnlyViewSet): no raw add, edit, copy, delete, history or usage view, even for a superuser.
"""

from django.forms.models import model_to_dict

from conftest import make_user
from owners.models import User

RAW = ("new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/", "history/{pk}/", "usage/{pk}/")


def assert_no_raw_admin_views(client, prefix, record):
    """`prefix`: the viewset's admin path ("/admin/cases/"). Every raw view answers 404 to a
    superuser, by GET and by POST, and the record is exactly as it was; the listing and the
    inspect screen link to none of them."""
    superuser = User.objects.filter(username="actions-only-root").first() or make_user(
        "actions-only-root", is_superuser=True, is_staff=True
    )
    client.force_login(superuser)
    model = type(record)
    before, count = model_to_dict(record), model.objects.count()
    for raw in RAW:
        url = prefix + raw.format(pk=record.pk)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"subject": "x", "reason": "x", "status": "x"}).status_code == 404
    record.refresh_from_db()
    assert model_to_dict(record) == before and model.objects.count() == count
    listing = client.get(prefix)
    assert listing.status_code == 200
    inspect = client.get(f"{prefix}inspect/{record.pk}/")
    pages = listing.content.decode() + (
        inspect.content.decode() if inspect.status_code == 200 else ""
    )
    for raw in RAW:
        assert prefix + raw.format(pk=record.pk) not in pages, raw
