"""A member's "magazine by email" becomes their wish for the club's publications at all: the
channels they come by (email, WeChat) are chosen with every other message's in 通知设置."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("club", "0006_english_versions")]

    operations = [
        migrations.RenameField("member", "magazine_by_email", "publications"),
        migrations.RenameField("membershipapplication", "magazine_by_email", "publications"),
        migrations.AlterField(
            "member",
            "publications",
            models.BooleanField(default=True, verbose_name="the club magazine and news"),
        ),
        migrations.AlterField(
            "membershipapplication",
            "publications",
            models.BooleanField(default=True, verbose_name="the club magazine and news"),
        ),
    ]
