"""`manage.py backup` and `manage.py restore`: the database and both file stores, here in
buckets of an S3 server the tests start (.ci/check-backup does the same with folders and a
PostgreSQL database of its own)."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from cases.models import CaseAttachment
from owners.models import User
from portal.tests.samples import pdf_bytes, picture_bytes
from portal.tests.test_object_storage import file_case_with, keys


def download(client, attachment):
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def empty(storage, bucket):
    for key in keys(storage, bucket):
        storage.client.delete_object(Bucket=bucket, Key=key)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_after_a_wipe_serves_the_same_attachments(
    client, verified_owner, object_storage, tmp_path
):
    client.force_login(verified_owner)
    assert file_case_with(client, pdf_bytes()).status_code == 302
    avatar = default_storage.save("avatars/me.png", ContentFile(picture_bytes("PNG")))
    attachment = CaseAttachment.objects.get()
    before = download(client, attachment)
    archive = tmp_path / "site.tar"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    # The manifest names each file with its checksum.
    assert f"{hashlib.sha256(before).hexdigest()}" in out.getvalue()
    assert f"media/private/{attachment.file.name}" in out.getvalue()

    call_command("flush", interactive=False, inhibit_post_migrate=True)
    empty(object_storage, object_storage.public)
    empty(object_storage, object_storage.private)
    assert not User.objects.exists()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="the database has"):
        call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    data = bytearray(archive.read_bytes())
    data[data.index(before) + len(before) // 2] ^= 1
    damaged.write_bytes(data)
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), yes=True, force=True, stdout=io.StringIO())
    assert not User.objects.exists()  # refused before anything changed

    call_command("restore", str(archive), yes=True, force=True, stdout=io.StringIO())
    owner = User.objects.get(pk=verified_owner.pk)
    client.force_login(owner)
    assert download(client, CaseAttachment.objects.get(pk=attachment.pk)) == before
    assert default_storage.open(avatar).read() == picture_bytes("PNG")
    # The restored public files are public again, the private ones private.
    assert sorted(keys(object_storage, object_storage.private)) == [attachment.file.name]
    assert avatar in keys(object_storage, object_storage.public)
