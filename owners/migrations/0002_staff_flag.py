"""is_staff from now on says whether an account belongs to a role or holds a permission of its
own (portal.roles.keep_staff_flag): set it for the accounts that already do."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def set_staff_flags(apps, schema_editor):
    User = apps.get_model("owners", "User")
    roles = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    own = User.user_permissions.through.objects.filter(user_id=OuterRef("pk"))
    User.objects.filter(Q(Exists(roles)) | Q(Exists(own))).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("owners", "0001_initial")]

    operations = [migrations.RunPython(set_staff_flags, migrations.RunPython.noop)]
