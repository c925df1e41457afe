"""The room's reference data, loaded once per process: the catalogue, outward codes, boundaries,
the council directory built from the organisations room and the joined-up front doors from the
partnerships room (both rebuilt when those tables change: one query checks all three, at most
once every ``FRONTDOOR_REFERENCE_RECHECK_SECONDS``, and at once after a save in this process)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.utils import timezone

from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.models import Membership, Partnership

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


@dataclass(frozen=True)
class Councils:
    """Every council with a GSS code, each one's row id, and the joined-up partnerships each is a
    current member of (their front doors, by partnership name)."""

    directory: CouncilDirectory
    ids: dict[str, int]
    doors: dict[str, tuple[Partnership, ...]]

    def row(self, gss: str) -> Organisation | None:
        """The council's row without a query: id, GSS code and name loaded, the rest deferred."""
        council, pk = self.directory.get(gss), self.ids.get(gss)
        if council is None or pk is None:
            return None
        known = {"id": pk, "gss_code": gss, "name": council.name}
        names = [f.attname for f in Organisation._meta.concrete_fields if f.attname in known]
        return Organisation.from_db(Organisation.objects.db, names, [known[n] for n in names])

    def front_door(self, gss: str) -> Partnership | None:
        doors = self.doors.get(gss, ())
        return doors[0] if doors else None


_loaded: tuple[tuple[object, ...], Councils] | None = None
_checked_at = float("-inf")  # time.monotonic() of the last check that found _loaded current
_generation = 0  # counts forget()s, so a check that overlapped one does not count as current


@cache
def _stamp_sql() -> tuple[str, list[object]]:
    """One statement: the row count and latest change of the councils, the partnerships and the
    memberships (what the directory and the front doors are built from)."""
    q = connection.ops.quote_name
    org = q(Organisation._meta.db_table)
    kinds = ", ".join(["%s"] * len(COUNCIL_KINDS))
    parts = [f"SELECT COUNT(*), MAX(modified_at) FROM {org} WHERE gss_code IS NOT NULL AND kind IN ({kinds})"]  # noqa: S608  # fmt: skip
    parts += [
        f"SELECT COUNT(*), MAX(modified_at) FROM {q(model._meta.db_table)}"  # noqa: S608
        for model in (Partnership, Membership)
    ]
    columns = ", ".join(f"s{i}.*" for i in range(len(parts)))
    tables = ", ".join(f"({sql}) AS s{i}" for i, sql in enumerate(parts))
    return f"SELECT {columns} FROM {tables}", list(COUNCIL_KINDS)  # noqa: S608 - our own tables


def councils() -> Councils:
    """The councils and front doors: one query to check the tables are unchanged (and the date,
    which decides who is a current member), four more to rebuild them when they have changed.

    The check is skipped when this process made it less than
    ``FRONTDOOR_REFERENCE_RECHECK_SECONDS`` ago on the same day and has saved or deleted none of
    those rows since (``forget``): another process's change, or a bulk write, is seen within that
    interval. 0 checks on every call."""
    global _loaded, _checked_at
    today = timezone.localdate()
    recheck = settings.FRONTDOOR_REFERENCE_RECHECK_SECONDS
    with _lock:
        if (
            _loaded is not None
            and _loaded[0][-1] == today
            and time.monotonic() - _checked_at < recheck
        ):
            return _loaded[1]
        generation = _generation
    sql, params = _stamp_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        stamp: tuple[object, ...] = (*cursor.fetchone(), today)
    # A save here while the check ran (``forget``) leaves the next call to check again.
    checked = time.monotonic()
    with _lock:
        if _loaded is not None and _loaded[0] == stamp:
            if generation == _generation:
                _checked_at = checked
            return _loaded[1]
    built = _build(today)
    with _lock:
        _loaded = (stamp, built)
        if generation == _generation:
            _checked_at = checked
    return built


def forget(*, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """A council, partnership or membership was saved or deleted in this process: the next call
    checks, and so does the first after the transaction commits (a check between the save and
    the commit still saw the old rows). Connected in ``apps.py``."""
    _forget_now()
    transaction.on_commit(_forget_now, using=using)


def _forget_now() -> None:
    global _checked_at, _generation
    with _lock:
        _checked_at = float("-inf")
        _generation += 1


def _build(today: date) -> Councils:
    from .selectors import joined_up_partnerships  # selectors reads this module

    rows = [
        o
        for o in Organisation.objects.filter(gss_code__isnull=False, kind__in=COUNCIL_KINDS)
        .select_related("parent_county")
        .prefetch_related("replaced_by")
        if o.gss_code
    ]
    directory = CouncilDirectory(
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
    doors: dict[str, list[Partnership]] = {}
    memberships = (
        Membership.objects.current_on(today)
        .filter(organisation__gss_code__isnull=False, partnership__in=joined_up_partnerships())
        .order_by("partnership__name", "partnership_id")
        .values_list("organisation__gss_code", "partnership")
    )
    partnerships = {p.pk: p for p in joined_up_partnerships()}
    for gss, partnership_id in memberships:
        found = doors.setdefault(gss, [])
        if partnership_id in partnerships and partnerships[partnership_id] not in found:
            found.append(partnerships[partnership_id])
    return Councils(
        directory, {o.gss_code: o.pk for o in rows}, {k: tuple(v) for k, v in doors.items()}
    )


def directory() -> CouncilDirectory:
    """Every council with a GSS code, from the organisations table (one query when unchanged)."""
    return councils().directory
