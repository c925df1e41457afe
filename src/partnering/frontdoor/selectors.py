"""Reads of the front door: routing a need and a place, joined-up partnerships, requests."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.funding.models import EEnablement
from partnering.funding.selectors import service_online_at
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership, Stage

from . import reference
from .errors import FrontdoorError as E
from .maths.attributes import REPORTABLE, Reportable
from .maths.catalogue import Match, Service
from .maths.geometry import PointError, distance_m
from .maths.places import Area, Place, PlaceError, resolve_place
from .maths.routing import Route, RouteError, route
from .models import OPEN_STATUSES, Open311Key, RequestUpdate, ServiceRequest

JOINED_UP_STAGES = (Stage.AGREEMENT, Stage.DELIVERY, Stage.REVIEW)
MAX_NEED_LENGTH = 200
DUPLICATE_METRES = 250.0


def joined_up_partnerships() -> QuerySet[Partnership]:
    """Published partnerships that join both tiers and have agreed to work together."""
    return Partnership.objects.filter(
        joins_two_tiers=True, is_published=True, stage__in=JOINED_UP_STAGES
    ).order_by("name")


def front_doors(gss_codes: list[str]) -> dict[str, Partnership]:
    """Council GSS code -> the joined-up partnership it is a current member of (the first by
    name), from the front doors kept in memory (``reference.councils``: one query to check)."""
    loaded = reference.councils()
    return {gss: door for gss in gss_codes if (door := loaded.front_door(gss)) is not None}


def partnership_councils(partnership: Partnership) -> list[Organisation]:
    today = timezone.localdate()
    return [
        m.organisation
        for m in partnership.memberships.current_on(today)
        .filter(organisation__gss_code__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


@dataclass
class RouteAnswer:
    route: Route
    matches: list[Match]
    front_doors: dict[str, Partnership] = field(default_factory=dict)
    councils: dict[str, Organisation] = field(default_factory=dict)
    # The funding room's e-enablement record of this service for each provider that has one.
    online: dict[str, EEnablement] = field(default_factory=dict)

    @property
    def service(self) -> Service:
        return self.route.service

    @property
    def reportable(self) -> Reportable | None:
        return REPORTABLE.get(self.route.service.lgsl_code)


def clean_text(value: str | None, *, field_name: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if "\x00" in text:
        raise DomainError(E.TEXT_INVALID, "Remove the special characters", field_name)
    if len(text) > limit:
        raise DomainError(E.TEXT_INVALID, f"Enter {limit} characters or fewer", field_name)
    return text


def service_search(need: str) -> list[Match]:
    text = clean_text(need, field_name="need", limit=MAX_NEED_LENGTH)
    if not text:
        raise DomainError(
            E.NEED_REQUIRED, "Enter what you need, for example ‘bins’ or ‘pothole’", "need"
        )
    matches = reference.catalogue().search(text)
    if not matches:
        raise DomainError(
            E.NEED_UNKNOWN,
            f"We could not find a council service for “{text}”: try other words, such as ‘bins’, ‘pothole’ or ‘council tax’",
            "need",
        )
    return matches


def place_find(*, place: str | None = None, lat: Any = None, long: Any = None) -> Place:
    if lat is not None or long is not None:
        return point_place(lat, long)
    try:
        return resolve_place(
            place or "", outward=reference.outward_codes(), directory=reference.directory()
        )
    except PlaceError as exc:
        raise DomainError(f"frontdoor.{exc.code}", exc.message, "place") from exc


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(
            E.POINT_INVALID, f"Enter the {name} as a number, such as 52.09", name
        ) from None
    if not math.isfinite(number):
        raise DomainError(E.POINT_INVALID, f"Enter the {name} as a number, such as 52.09", name)
    return number


def point_place(lat: Any, long: Any) -> Place:
    if lat in (None, "") or long in (None, ""):
        raise DomainError(
            E.POINT_INCOMPLETE,
            "Give both a latitude and a longitude",
            "lat" if lat in (None, "") else "long",
        )
    latitude, longitude = _number(lat, "lat"), _number(long, "long")
    try:
        found = reference.boundaries().locate(latitude, longitude)
    except PointError as exc:
        raise DomainError(f"frontdoor.{exc.code}", exc.message, exc.field) from exc
    label = f"{latitude:.5f}, {longitude:.5f}"
    return Place(label, "point", f"The point {label}", (Area(found.lad_gss, 1.0),))


def route_find(
    *,
    need: str,
    place: str | None = None,
    lat: Any = None,
    long: Any = None,
    lgsl_code: int | None = None,
    area: str | None = None,
) -> RouteAnswer:
    """The service for the words, who provides it at the place and whether each provider has it
    online (the funding room's e-enablement records; 5 queries at most)."""
    if lgsl_code is not None:
        service = reference.catalogue().get(lgsl_code)
        if service is None:
            raise DomainError(
                E.SERVICE_UNKNOWN, f"There is no service with LGSL code {lgsl_code}", "service"
            )
        matches = [Match(service, 100.0, "code")]
    else:
        matches = service_search(need)
    where = place_find(place=place, lat=lat, long=long)
    if area and any(a.lad_gss == area for a in where.areas):  # the resident chose one area
        where = Place(where.query, where.kind, where.label, (Area(area, 1.0),), where.note)
    try:
        found = route(matches[0].service, where, reference.directory())
    except RouteError as exc:
        raise DomainError(f"frontdoor.{exc.code}", exc.message, "place") from exc
    codes = [p.gss_code for p in found.providers]
    councils = {str(o.gss_code): o for o in Organisation.objects.filter(gss_code__in=codes)}
    online = service_online_at(lgsl_code=found.service.lgsl_code, gss_codes=codes)
    return RouteAnswer(found, matches, front_doors(codes), councils, online)


# Requests -------------------------------------------------------------------------------------


_KEY_SQL = (
    "SELECT id, requests_per_minute FROM "  # noqa: S608 - our own table
    f"{connection.ops.quote_name(Open311Key._meta.db_table)} WHERE key_hash = %s AND is_active"
)


def open311_key_active(supplied: str) -> Open311Key | None:
    """The active integrator key ``supplied`` is (its id and allowance only), or None.

    One statement written once, not a queryset built for every Open311 POST: the ORM's filter,
    ``values_list`` and compiling were about 0.3 ms of CPU a POST for this one-row read."""
    with connection.cursor() as cursor:
        cursor.execute(_KEY_SQL, [Open311Key.hash(supplied)])
        row = cursor.fetchone()
    if row is None:
        return None
    return Open311Key.from_db(connection.alias, ["id", "requests_per_minute"], row)


def request_get(reference_code: str) -> ServiceRequest | None:
    """A request by its reference, with its updates (two queries)."""
    return (
        ServiceRequest.objects.select_related("council", "partnership")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=RequestUpdate.objects.select_related("from_council", "to_council"),
            )
        )
        .filter(reference=reference_code.strip().upper())
        .first()
    )


def possible_duplicates(
    *, lgsl_code: int, lat: float | None, long: float | None, limit: int = 5
) -> list[ServiceRequest]:
    """Open requests of the same service within 250 m (a box query, then the exact distance)."""
    if lat is None or long is None:
        return []
    dlat = DUPLICATE_METRES / 111_320.0
    dlon = dlat / max(0.1, math.cos(math.radians(lat)))
    near = ServiceRequest.objects.filter(
        lgsl_code=lgsl_code,
        status__in=OPEN_STATUSES,
        lat__range=(lat - dlat, lat + dlat),
        long__range=(long - dlon, long + dlon),
    ).order_by("-created_at")[:50]
    found = [
        r
        for r in near
        if r.lat is not None
        and r.long is not None
        and distance_m(lat, long, r.lat, r.long) <= DUPLICATE_METRES
    ]
    return found[:limit]
