"""`make run` on a database made before the apps were reshaped (owners, cases, events and
publications split out of portal, club and home, migrations started again): such a database
cannot be migrated forward. A development SQLite file is put aside and made again from the demo;
any other database gets a clear message and nothing is touched."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

OLD_TABLES = {"portal_user", "portal_case", "home_magazineissuepage", "club_eventpage"}


class Command(BaseCommand):
    help = (
        "Set aside a development database made before the app reshape, so make run starts afresh."
    )

    def handle(self, *args, **options):
        tables = set(connection.introspection.table_names())
        if not tables & OLD_TABLES:
            return
        name = connection.settings_dict["NAME"]
        if connection.vendor != "sqlite" or not Path(name).exists():
            raise CommandError(
                "This database was made before the site's apps were reshaped and cannot be "
                "migrated forward. Nothing is in production yet: drop it and create it again "
                "(e.g. dropdb/createdb), then run `make run`."
            )
        connection.close()
        aside = Path(f"{name}.before-reshape")
        Path(name).replace(aside)
        self.stdout.write(
            f"{name} was made before the apps were reshaped: it is kept as {aside} and a new "
            "demo database is made."
        )
