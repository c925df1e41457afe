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
_directory: tuple[tuple[object, ...], CouncilDirectory] | None = None


def directory() -> CouncilDirectory:
    """Every council with a GSS code, from the organisations table: one query to check it is
    unchanged, two more when it has changed (the councils, their successors)."""
    global _directory
    councils = Organisation.objects.filter(gss_code__isnull=False, kind__in=COUNCIL_KINDS)
    stamp = tuple(councils.aggregate(n=Count("id"), at=Max("modified_at")).values())
    with _lock:
        if _directory is not None and _directory[0] == stamp:
            return _directory[1]
    rows = list(councils.select_related("parent_county").prefetch_related("replaced_by"))
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
            if o.gss_code
        }
    )
    with _lock:
        _directory = (stamp, built)
    return built
