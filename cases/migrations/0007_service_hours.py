"""Deadlines count the desk's service hours (portal.hours) instead of the clock's: the
starting categories' hours, where staff left them as they were, become the service hours that
give about the same number of days (a day open 8:30–20:30 is 12 hours). Short deadlines, which
fall within a day, stay as they are."""

from django.db import migrations, models

#: name: ((hours to first response, to resolution) at the start, the same in service hours)
STARTING = {
    "维修报修": ((4, 72), (4, 36)),
    "物业服务": ((24, 120), (12, 60)),
    "销售与合同": ((24, 168), (12, 84)),
    "收费与账单": ((24, 120), (12, 60)),
    "安全与安保": ((2, 48), (2, 24)),
    "环境与绿化": ((24, 168), (12, 84)),
    "其他": ((24, 168), (12, 84)),
}


def in_service_hours(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for name, ((first, resolution), (new_first, new_resolution)) in STARTING.items():
        Category.objects.filter(
            name=name, first_response_hours=first, resolution_hours=resolution
        ).update(first_response_hours=new_first, resolution_hours=new_resolution)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_inbox_quarantine_and_sender_checks")]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="first_response_hours",
            field=models.PositiveIntegerField(
                default=12,
                help_text="Counted in the desk's service hours (Settings): a day open 8:30–20:30 is 12.",
                verbose_name="first response within (service hours)",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="resolution_hours",
            field=models.PositiveIntegerField(
                default=36, verbose_name="resolution within (service hours)"
            ),
        ),
        migrations.RunPython(in_service_hours, migrations.RunPython.noop),
    ]
