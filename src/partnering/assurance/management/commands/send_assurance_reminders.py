from django.core.management.base import BaseCommand

from partnering.assurance.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue the assurance reminders (due and overdue recommendations, acceptance reviews)."

    def handle(self, *args: object, **options: object) -> None:
        result = send_reminders.enqueue()
        self.stdout.write(f"Queued the assurance reminders ({result.id})")
