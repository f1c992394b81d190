"""Survey answers and members' personal dates are for club staff and managers only (PIPL):
club staff may now open survey answers, which until now only page editors could reach."""

from django.db import migrations

from portal.migrations_utils import grant

ANSWERS = [("club", "surveyanswer", "view_surveyanswer")]


def forwards(apps, schema_editor):
    grant(apps, {"Club staff": ANSWERS, "Managers": ANSWERS})


class Migration(migrations.Migration):
    dependencies = [("club", "0008_reward_min_tier")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
