"""The mailbox's starting categories with their deadlines, and the roles that handle cases."""

from django.db import migrations

from portal.migrations_utils import grant

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
HANDLING = [("portal", "case", "view_case"), ("portal", "case", "handle_case")]
ROLES = {
    "Customer service": HANDLING,
    "Managers": [
        *HANDLING,
        ("portal", "case", "manage_cases"),
        ("portal", "category", "add_category"),
        ("portal", "category", "change_category"),
        ("portal", "category", "view_category"),
    ],
}


def forwards(apps, schema_editor):
    Category = apps.get_model("portal", "Category")
    for order, (name, first, resolution) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            name=name,
            defaults={"first_response_hours": first, "resolution_hours": resolution, "sort_order": order},
        )
    grant(apps, ROLES)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_cases")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
