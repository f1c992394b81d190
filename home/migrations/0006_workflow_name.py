"""The editorial workflow is named for what it asks, so its button reads 提交经理审批."""

from django.db import migrations

OLD, NEW = "编辑提交，经理审批发布", "经理审批"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("home", "0005_english_versions")]

    operations = [migrations.RunPython(rename, rename_back)]
