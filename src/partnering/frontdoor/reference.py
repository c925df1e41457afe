"""The room's reference data, loaded once per process: the catalogue, outward codes, boundaries,
and the council directory built from the organisations room (rebuilt when organisations change)."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from django.db.models import Count, Max

from partnering.organisations.models import COUNCIL_KINDS, Organisation

from .maths.catalogue import Catalogue, read_services
from .maths.geometry import Boundaries, read_boundaries
from .maths.places import Council, CouncilDirectory, OutwardCodes, read_outward_codes

DATA = Path(__file__).resolve().parent / "data"


@cache
def catalogue() -> Catalogue:
    return read_services(DATA / "services_lgsl.csv")


@cache
def outward_codes() -> OutwardCodes:
    return read_outward_codes(DATA / "postcode_district_la.csv")


@cache
def boundaries() -> Boundaries:
    return read_boundaries(DATA / "lad_boundaries.geojson")


_lock = threading.Lock()
_loaded: tuple[tuple[object, ...], CouncilDirectory, dict[str, int]] | None = None


def councils() -> tuple[CouncilDirectory, dict[str, int]]:
    """The directory and each council's row id by GSS code: one query to check the organisations
    table is unchanged, two more when it has changed (the councils, their successors)."""
    global _loaded
    rows_of = Organisation.objects.filter(gss_code__isnull=False, kind__in=COUNCIL_KINDS)
    stamp = tuple(rows_of.aggregate(n=Count("id"), at=Max("modified_at")).values())
    with _lock:
        if _loaded is not None and _loaded[0] == stamp:
            return _loaded[1], _loaded[2]
    rows = [
        o
        for o in rows_of.select_related("parent_county").prefetch_related("replaced_by")
        if o.gss_code
    ]
    built = CouncilDirectory(
        {
            o.gss_code: Council(
                gss_code=o.gss_code,
                name=o.name,
                tier=o.tier,
                short_name=o.short_name,
                parent_county=o.parent_county.gss_code if o.parent_county else "",
                successors=tuple(s.gss_code for s in o.replaced_by.all() if s.gss_code),
                current=o.end_date is None,
                slug=o.slug,
            )
            for o in rows
        }
    )
    ids = {o.gss_code: o.pk for o in rows}
    with _lock:
        _loaded = (stamp, built, ids)
    return built, ids


def directory() -> CouncilDirectory:
    """Every council with a GSS code, from the organisations table (one query when unchanged)."""
    return councils()[0]


def council_row(directory: CouncilDirectory, ids: dict[str, int], gss: str) -> Organisation | None:
    """The council's row without a query: its id, GSS code and name loaded, the rest deferred
    (read from the database if anything asks)."""
    council, pk = directory.get(gss), ids.get(gss)
    if council is None or pk is None:
        return None
    known = {"id": pk, "gss_code": gss, "name": council.name}
    names = [f.attname for f in Organisation._meta.concrete_fields if f.attname in known]
    return Organisation.from_db(Organisation.objects.db, names, [known[n] for n in names])
