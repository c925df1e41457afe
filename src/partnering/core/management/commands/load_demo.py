from django.core.management.base import BaseCommand
from django.db import transaction

from partnering.core.models import Role, User
from partnering.core.rooms import demo_loaders

DEMO_PASSWORD = "partnering-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_USERS = [
    # username, role, (first name, last name); rooms give them organisations and assignments.
    ("staff", Role.STAFF, ("Sam", "Okafor")),
    ("adviser", Role.ADVISER, ("Alex", "Morgan")),
    ("worcs", Role.PARTNER, ("Priya", "Shah")),
    ("northyorks", Role.PARTNER, ("Joe", "Hardcastle")),
]


class Command(BaseCommand):
    help = "Load the demo: a user of each role and every room's demo, in flow order (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            for username, role, (first, last) in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"role": role, "first_name": first, "last_name": last,
                                                 "email": f"{username}@example.gov.uk"},
                )  # fmt: skip
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
        # Each room's demo.load() (core.rooms.demo_loaders), found in INSTALLED_APPS order.
        for label, load in demo_loaders():
            with transaction.atomic():
                self.stdout.write(f"{label}: {load()}")
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at /sign-in/ with:"))
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<11} / {DEMO_PASSWORD}   {role.label}")
