from django.core.management.base import BaseCommand

from partnering.library.services import documents_publish_due


class Command(BaseCommand):
    help = "Publish the library documents whose scheduled time has come (run every few minutes)."

    def handle(self, *args: object, **options: object) -> None:
        published = documents_publish_due()
        self.stdout.write(f"{len(published)} document(s) published")
