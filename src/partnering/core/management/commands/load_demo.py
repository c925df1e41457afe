import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnering.core.models import Role, User
from partnering.organisations.models import Organisation

DEMO_PASSWORD = "partnering-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_USERS = [
    # username, role, name, organisations (GSS codes)
    ("staff", Role.STAFF, ("Sam", "Okafor"), []),
    ("adviser", Role.ADVISER, ("Alex", "Morgan"), []),
    ("worcs", Role.PARTNER, ("Priya", "Shah"), ["E10000034", "E07000235"]),
    ("northyorks", Role.PARTNER, ("Joe", "Hardcastle"), ["E10000023", "E07000164"]),
]
# Each room may add its own demo data with a ``demo.load() -> str`` function.
DEMO_MODULES = [
    "partnering.organisations.demo",
    "partnering.partnerships.demo",
    "partnering.sharing.demo",
]


class Command(BaseCommand):
    help = "Load the demo: a user of each role and demo data of every room (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        if not Organisation.objects.filter(gss_code__isnull=False).exists():
            call_command("import_organisations", no_progress=True, stdout=self.stdout)
        with transaction.atomic():
            for username, role, (first, last), codes in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"role": role, "first_name": first, "last_name": last,
                                                 "email": f"{username}@example.gov.uk"},
                )  # fmt: skip
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    user.organisations.set(Organisation.objects.filter(gss_code__in=codes))
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                self.stdout.write(f"{module_name.split('.')[1]}: {module.load()}")
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in at /sign-in/ with:"))
        for username, role, _, codes in DEMO_USERS:
            orgs = ", ".join(
                Organisation.objects.filter(gss_code__in=codes).values_list("short_name", flat=True)
            )
            self.stdout.write(
                f"  {username:<11} / {DEMO_PASSWORD}   {role.label}{' (' + orgs + ')' if orgs else ''}"
            )
