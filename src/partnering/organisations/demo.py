"""Demo organisations beyond councils: the other public bodies and the private partner of the two
real partnerships (from partnerships_2003.csv), plus a few bodies of the same areas. Idempotent."""

import csv
import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from .models import Kind, Organisation, Sector
from .services import organisation_create

KIND_BY_MEMBER_KIND = {
    "police_authority": Kind.POLICE,
    "police": Kind.POLICE,
    "fire_and_rescue_authority": Kind.FIRE,
    "primary_care_trust": Kind.HEALTH,
    "nhs_trust": Kind.HEALTH,
    "learning_and_skills_council": Kind.EDUCATION,
    "probation": Kind.PROBATION,
    "connexions_partnership": Kind.EDUCATION,
    "private_sector_partner": Kind.COMPANY,
}

# Bodies of North Yorkshire in 2003 for the wider demo (real bodies, not sourced as members of anything).
EXTRA_BODIES = [
    ("North Yorkshire Police Authority", Kind.POLICE, Sector.PUBLIC, "Yorkshire and The Humber"),
    (
        "North Yorkshire Fire and Rescue Authority",
        Kind.FIRE,
        Sector.PUBLIC,
        "Yorkshire and The Humber",
    ),
    ("Selby and York Primary Care Trust", Kind.HEALTH, Sector.PUBLIC, "Yorkshire and The Humber"),
    (
        "Worcestershire Council for Voluntary Youth Services",
        Kind.CHARITY,
        Sector.VOLUNTARY,
        "West Midlands",
    ),
    (
        "North Yorkshire Rural Community Council",
        Kind.CHARITY,
        Sector.VOLUNTARY,
        "Yorkshire and The Humber",
    ),
]
REGION_BY_PARTNERSHIP = {
    "worcestershire-partnership": "West Midlands",
    "north-yorkshire-ict-partnership": "Yorkshire and The Humber",
}


def _upsert(name: str, kind: str, sector: str, region: str, notes: str) -> bool:
    if Organisation.objects.filter(name=name).exists():
        return False
    organisation_create(
        name=name, kind=kind, actor=None, reason="Demo data", short_name=name, sector=sector,
        region=region, existed_2003=True, is_demo=True, source="demo", notes=notes,
    )  # fmt: skip
    return True


# The demo's partner members (users made by core's load_demo) and the councils they work for.
DEMO_PEOPLE = {
    "worcs": ["E10000034", "E07000235"],  # Worcestershire County Council, Malvern Hills
    # North Yorkshire County Council and Hambleton, then their successor North Yorkshire Council
    "northyorks": ["E10000023", "E07000164", "E06000065"],
}


def _import_councils_if_missing() -> None:
    if not Organisation.objects.filter(gss_code__isnull=False).exists():
        call_command("import_organisations", no_progress=True, stdout=io.StringIO())


def _link_demo_people() -> list[str]:
    linked = []
    users = get_user_model().objects.filter(username__in=DEMO_PEOPLE)
    for user in users:
        orgs = Organisation.objects.filter(gss_code__in=DEMO_PEOPLE[user.username])
        if not user.organisations.exists():
            user.organisations.set(orgs)
        names = ", ".join(o.short_name or o.name for o in orgs.order_by("name"))
        linked.append(f"{user.username} works for {names}")
    return linked


def load() -> str:
    _import_councils_if_missing()
    created = 0
    path = Path(settings.REFERENCE_DATA_DIR) / "partnerships_2003.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["member_kind"] == "local_authority":
                continue
            kind = KIND_BY_MEMBER_KIND.get(row["member_kind"], Kind.OTHER_PUBLIC)
            sector = Sector.PRIVATE if kind == Kind.COMPANY else Sector.PUBLIC
            verified = row["sourced"] == "yes"
            notes = ("Named in the sources; " if verified else "Unverified: ") + row["notes"][:400]
            created += _upsert(
                row["member_name"],
                kind,
                sector,
                REGION_BY_PARTNERSHIP[row["partnership_id"]],
                notes,
            )
    for name, kind, sector, region in EXTRA_BODIES:
        created += _upsert(name, kind, sector, region, "Demo body: not real data about its work.")
    people = _link_demo_people()
    return f"{created} demo organisations created" + (f"; {'; '.join(people)}" if people else "")
