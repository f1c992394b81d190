"""The pinyin readings of every character (search.models.Reading), from pypinyin's dictionary.

The table is made and filled here, then left unmanaged: it is reference data, the same on
every installation, so a test's flush neither empties it nor copies it for each browser test."""

import os

from django.db import migrations, models

# Single characters only: without this, pypinyin loads its phrase dictionary (45 MiB) as it is
# imported, and keeps it for the life of the process (portal/salutations.py says the same).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

from pypinyin import Style, pinyin  # noqa: E402
from pypinyin.pinyin_dict import pinyin_dict  # noqa: E402


def is_common(character):
    """In GB 2312's first level (the 3,755 most used characters): lead byte 0xB0–0xD7."""
    encoded = character.encode("gb2312", errors="ignore")
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def fill(apps, schema_editor):
    Reading = apps.get_model("search", "Reading")
    rows = []
    for point in sorted(pinyin_dict):
        character = chr(point)
        readings = pinyin(character, style=Style.NORMAL, heteronym=True)[0]
        for reading in dict.fromkeys(readings):
            if reading.isascii() and reading.isalpha() and len(reading) <= 6:
                rows.append(
                    Reading(character=character, pinyin=reading, common=is_common(character))
                )
    Reading.objects.bulk_create(rows, batch_size=5000)


def empty(apps, schema_editor):
    apps.get_model("search", "Reading").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_alter_gram_kind")]

    operations = [
        migrations.CreateModel(
            name="Reading",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "character",
                        "pinyin",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("character", models.CharField(max_length=1)),
                ("pinyin", models.CharField(max_length=6)),
                ("common", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["pinyin", "common"], name="search_reading_pinyin")
                ],
            },
        ),
        migrations.RunPython(fill, empty),
        migrations.AlterModelOptions(name="reading", options={"managed": False}),
    ]
