from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from partnering.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, uploaded files included (PostgreSQL: pg_dump custom format; "
        "SQLite: the online backup API, safe while the site runs). Prints the file written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--to", default="", help="the file to write (default: var/backups/…)")
        parser.add_argument("--database", default="default")

    def handle(self, *args: object, **options: object) -> None:
        from django.conf import settings

        connection = connections[str(options["database"])]
        suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = Path(
            str(options["to"]) or settings.VAR_DIR / "backups" / f"partnering-{stamp}.{suffix}"
        )
        try:
            written = backup(connection, target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{written} ({written.stat().st_size:,} bytes)")
