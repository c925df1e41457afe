import time

from django.core.management.base import BaseCommand, CommandParser

from partnering.programme.services import similar_lists_refresh
from partnering.programme.tasks import refresh_similar_partnerships


class Command(BaseCommand):
    help = (
        'Work out every partnership\'s "Partnerships like this one" again (run it daily: members '
        "join and leave on their dates); --queue leaves it to the task worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="store_true", help="queue the task instead")

    def handle(self, *args: object, **options: object) -> None:
        if options["queue"]:
            result = refresh_similar_partnerships.enqueue()
            self.stdout.write(f"Queued the refresh of partnerships like each one ({result.id})")
            return
        started = time.monotonic()
        written = similar_lists_refresh()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Worked out {written} lists of partnerships like each one in {seconds:.1f} s"
        )
