from django.core.management.base import BaseCommand, CommandError

from partnering.core.services import EMAIL_MAX_ATTEMPTS
from partnering.frontdoor.services import emails_unsent_requeue


class Command(BaseCommand):
    help = (
        "The sweep: queue again the emails of request updates whose send failed (up to "
        f"{EMAIL_MAX_ATTEMPTS} sends) or whose claim went stale without being sent (a worker died "
        "mid-send: the one case a message can go twice). Run it every 10 minutes from the "
        "scheduler; it exits 1 when an email has used all its attempts."
    )

    def handle(self, *args: object, **options: object) -> None:
        counts = emails_unsent_requeue()
        self.stdout.write(
            f"{counts['requeued']} update email(s) queued again "
            f"({counts['stale']} of them stale claims); "
            f"{counts['given_up']} given up after {EMAIL_MAX_ATTEMPTS} attempts"
        )
        if counts["given_up"]:
            raise CommandError(
                f"{counts['given_up']} update email(s) failed {EMAIL_MAX_ATTEMPTS} times and are "
                "not sent again: see core_emailsend (state failed) and the mail relay"
            )
