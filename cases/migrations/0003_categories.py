"""The mailbox's starting categories with their deadlines; staff edit them afterwards."""

from django.db import migrations

CATEGORIES = [
    # name, hours to first response, hours to resolution
    ("维修报修", 4, 72),
    ("物业服务", 24, 120),
    ("销售与合同", 24, 168),
    ("收费与账单", 24, 120),
    ("安全与安保", 2, 48),
    ("环境与绿化", 24, 168),
    ("其他", 24, 168),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for order, (name, first, resolution) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            name=name,
            defaults={
                "first_response_hours": first,
                "resolution_hours": resolution,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
