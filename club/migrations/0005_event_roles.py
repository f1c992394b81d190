"""Club staff and managers run the events: registrations, check-in at the door, event pages."""

from django.db import migrations

from portal.migrations_utils import grant

EVENT_WORK = [
    ("club", "registration", "view_registration"),
    ("club", "registration", "check_in"),
]


def forwards(apps, schema_editor):
    grant(apps, {"Club staff": EVENT_WORK, "Managers": EVENT_WORK})


class Migration(migrations.Migration):
    dependencies = [("club", "0004_events")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
