from django.db import migrations, models


def fill_nickname_keys(apps, schema_editor):
    from portal.public_names import nickname_key

    User = apps.get_model("portal", "User")
    users = User.objects.exclude(nickname="").only("pk", "nickname")
    for user in users.iterator():
        user.nickname_key = nickname_key(user.nickname)
        user.save(update_fields=["nickname_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0012_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="nickname_key",
            field=models.CharField(blank=True, db_index=True, max_length=100),
        ),
        migrations.RunPython(fill_nickname_keys, migrations.RunPython.noop, elidable=True),
    ]
