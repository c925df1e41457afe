from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnering.core.errors import DomainError
from partnering.frontdoor.ratelimit import limit_for
from partnering.frontdoor.services import open311_key_create


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key to an integrator and print it (shown once; only its hash is "
        "kept). --per-minute gives a council's back-office integration its own allowance of "
        "POST requests a minute instead of the standard one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="who the key is for, e.g. 'Wychavon back office'")
        parser.add_argument(
            "--per-minute", type=int, default=None, help="this key's allowance a minute"
        )

    def handle(self, *args: object, **options: object) -> None:
        per_minute = options["per_minute"]
        try:
            row, key = open311_key_create(
                name=str(options["name"]),
                actor=None,
                requests_per_minute=per_minute,  # type: ignore[arg-type]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        limit, window = limit_for("open311")
        allowance = (
            f"{row.requests_per_minute:,} POST requests a minute (its own allowance)"
            if row.requests_per_minute
            else f"{limit:,} POST requests in {window} s (the standard allowance)"
        )
        self.stdout.write(f"Open311 api_key for {row.name}: {key}\nAllowance: {allowance}")
