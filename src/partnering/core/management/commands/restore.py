from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from partnering.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an EMPTY database: PostgreSQL "
        "(create it first with createdb) or an SQLite file that does not exist yet."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("backup", help="the .dump (PostgreSQL) or .sqlite3 (SQLite) file")
        parser.add_argument("--database", default="default", help="the database alias to fill")

    def handle(self, *args: object, **options: object) -> None:
        connection = connections[str(options["database"])]
        if connection.vendor == "sqlite" and Path(connection.settings_dict["NAME"]).exists():
            raise CommandError(
                f"{connection.settings_dict['NAME']} exists: restore into a new file (stop the "
                "site, restore beside it, then move it into place)"
            )
        if connection.vendor == "postgresql" and connection.introspection.table_names():
            raise CommandError(
                f"{connection.settings_dict['NAME']} is not empty: createdb a new one"
            )
        try:
            restore(Path(str(options["backup"])), connection.settings_dict, connection.vendor)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {options['backup']} into {connection.settings_dict['NAME']}")
