"""Load the LGSL service list into ``ServiceArea`` (idempotent; retired services get ``disabled_on``)."""

from django.core.management.base import BaseCommand

from partnering.partnerships.importer import import_service_areas


class Command(BaseCommand):
    help = "Import LGSL service areas from organisations/data/services_lgsl.csv (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        created, updated = import_service_areas()
        if created or updated:
            self.stdout.write(f"Service areas: {created} created, {updated} updated.")
        else:
            self.stdout.write("Service areas: nothing to change.")
