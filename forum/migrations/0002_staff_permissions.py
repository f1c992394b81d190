"""Give the staff roles their forum permissions."""

from django.db import migrations

from portal.migrations_utils import grant

FORUM_RECORDS = [
    ("forum", "topic", "view_topic"),
    ("forum", "post", "view_post"),
    ("forum", "report", "view_report"),
    ("forum", "board", "view_board"),
]
MODERATION = [
    *FORUM_RECORDS,
    ("forum", "topic", "moderate_topic"),
    ("forum", "board", "add_board"),
    ("forum", "board", "change_board"),
    ("forum", "suspension", "change_suspension"),
    ("forum", "suspension", "view_suspension"),
]
ROLES = {
    "Forum moderators": MODERATION,
    "Spokespersons": [("forum", "post", "reply_officially"), ("forum", "topic", "view_topic")],
    "Managers": [*MODERATION, ("forum", "post", "reply_officially")],
}


def forwards(apps, schema_editor):
    grant(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial"), ("portal", "0002_staff_groups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
