"""Photos attached to cases get a small square copy for the timelines; the photos already
attached get theirs here."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import cases.models
import portal.storage
from portal.images import thumbnail

PHOTOS = ("image/jpeg", "image/png", "image/webp", "image/gif")


def make_thumbnails(apps, schema_editor):
    CaseAttachment = apps.get_model("cases", "CaseAttachment")
    photos = CaseAttachment.objects.filter(verified_type__in=PHOTOS, thumbnail="")
    for photo in photos.select_related("case").iterator(chunk_size=100):
        try:
            with photo.file.open("rb") as stored:
                small = thumbnail(stored.read())
        except OSError:  # the file is gone: the timeline shows the link as before
            continue
        name = photo.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] + ".jpg"
        photo.thumbnail.save(name, ContentFile(small), save=False)
        photo.save(update_fields=["thumbnail"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_service_hours")]

    operations = [
        migrations.AddField(
            model_name="caseattachment",
            name="thumbnail",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=portal.storage.PrivateStorage(),
                upload_to=cases.models.thumbnail_path,
            ),
        ),
        migrations.RunPython(make_thumbnails, migrations.RunPython.noop),
    ]
