from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from partnering.organisations.importer import ImportFileError
from partnering.organisations.services import organisations_import

DEFAULT_FILE = Path(settings.REFERENCE_DATA_DIR) / "local_authorities.csv"


class Command(BaseCommand):
    help = "Import English councils from local_authorities.csv (idempotent, all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, default=DEFAULT_FILE,
            help=f"CSV file to read (default: the project's copy, {DEFAULT_FILE.name})",
        )  # fmt: skip
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar")

    def handle(self, *args: object, path: Path, no_progress: bool, **options: object) -> None:
        # The bar goes to stderr (stdout keeps the counts, for logs and pipes), and only when
        # stderr is a terminal: a cron job or CI log never fills with carriage returns.
        show_bar = not no_progress and self.stderr.isatty()

        def progress(rows):  # type: ignore[no-untyped-def]
            return tqdm(
                rows, desc="Organisations", unit="row", disable=not show_bar, file=self.stderr._out
            )

        try:
            result = organisations_import(path=path, progress=progress)
        except ImportFileError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.total} organisations from {path.name}: "
                    f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
                )
            )
        else:
            self.stdout.write(
                f"No changes: all {result.total} organisations in {path.name} are up to date."
            )
