"""Factories and fixtures of the front door's tests: real councils from a slice of the
organisations room's file, a joined-up partnership, partner staff, requests."""

import csv
import io
from datetime import date
from pathlib import Path

import factory
from django.contrib.auth import get_user_model

from partnering.core.models import Role
from partnering.frontdoor.models import Open311Key, RateCount, ServiceRequest
from partnering.organisations.models import Organisation
from partnering.organisations.services import organisations_import
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import MemberRole, Stage
from partnering.partnerships.tests.factories import make_partnership

AUTHORITIES = (
    Path(__file__).resolve().parents[2] / "organisations" / "data" / "local_authorities.csv"
)
COUNTIES = {"E10000034", "E10000023", "E10000031", "E10000013"}  # Worcs, N Yorks, Warks, Glos
EXTRA = {"E06000065", "E06000014", "E06000011", "E08000003"}  # N Yorks, York, E Riding, Manchester

WORCS = "E10000034"
WYCHAVON = "E07000238"
WORCESTER = "E07000237"


def import_councils(tmp_path: Path) -> dict[str, Organisation]:
    """Worcestershire, North Yorkshire, and their neighbours, imported through the organisations
    room's own importer (so tiers, parents and successors are theirs)."""
    with AUTHORITIES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [
            r for r in reader
            if r["gss_code"] in COUNTIES | EXTRA or r["parent_county_gss"] in COUNTIES
        ]  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        row["replaced_by_gss"] = ";".join(
            c for c in row["replaced_by_gss"].split(";") if c in COUNTIES | EXTRA
        )
        row["combined_authority_gss"] = ""
        writer.writerow(row)
    path = tmp_path / "councils.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    organisations_import(path=path)
    return {o.gss_code: o for o in Organisation.objects.filter(gss_code__isnull=False)}


def make_front_door(councils: dict[str, Organisation], *, actor=None):
    """A joined-up partnership of Worcestershire County Council and its six districts."""
    county = councils[WORCS]
    districts = [
        o for o in councils.values() if o.parent_county_id == county.pk and o.end_date is None
    ]
    partnership = make_partnership(
        lead=county, members=districts, actor=actor, name="Worcestershire Front Door"
    )
    partnership.stage = Stage.DELIVERY
    partnership.save(update_fields=["stage"])
    return partnership


def council_staff(council: Organisation, username: str | None = None):
    user = get_user_model().objects.create_user(
        username=username or f"staff-{council.slug}", password="x", role=Role.PARTNER
    )
    council.people.add(user)
    return user


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    council = factory.SubFactory(OrganisationFactory)
    lgsl_code = 557
    service_name = "Pothole"
    description = "A deep pothole outside number 12"
    lat = 52.0925
    long = -1.9470
    postcode = "WR11 4AA"
    email = "resident@example.com"
    first_name = "Pat"
    last_name = "Resident"


class RateCountFactory(factory.django.DjangoModelFactory):
    """One fixed window's submission count of one client (a hash), ending at ``expires``."""

    class Meta:
        model = RateCount

    name = factory.Sequence(lambda n: f"open311:key:{n:064x}")
    count = 1
    expires = 1_900_000_000


def make_key(name: str = "Test integrator") -> tuple[Open311Key, str]:
    key = Open311Key.generate()
    return Open311Key.objects.create(name=name, prefix=key[:9], key_hash=Open311Key.hash(key)), key


__all__ = ["MemberRole", "date"]
