"""Front door JSON API: which council provides a service at a place, and why."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from partnering.core.api_auth import optional_auth

from . import selectors
from .links import front_door_url
from .maths.attributes import REPORTABLE
from .maths.catalogue import Service
from .schemas import ErrorOut, RouteOut, ServiceOut

router = Router(tags=["frontdoor"])


class RouteQuery(Schema):
    need: str
    place: str | None = None
    lat: str | None = None
    long: str | None = None


class SearchQuery(Schema):
    q: str


def service_out(service: Service) -> dict[str, Any]:
    return {
        "lgsl_code": service.lgsl_code,
        "name": service.name,
        "label": service.label,
        "two_tier_provider": service.two_tier_provider,
        "split_note": service.split_note,
        "reportable": service.lgsl_code in REPORTABLE,
    }


def route_out(request: HttpRequest, answer: selectors.RouteAnswer) -> dict[str, Any]:
    found = answer.route
    providers = []
    for provider in found.providers:
        council = answer.councils.get(provider.gss_code)
        door = answer.front_doors.get(provider.gss_code)
        record = answer.online.get(provider.gss_code)
        providers.append(
            {
                "gss_code": provider.gss_code,
                "name": provider.name,
                "tier": provider.tier,
                "share": provider.share,
                "url": request.build_absolute_uri(council.get_absolute_url()) if council else None,
                "online": None
                if record is None
                else {
                    "e_enabled": record.e_enabled_on is not None,
                    "since": record.e_enabled_on,
                    "how": record.get_route_display() if record.route else None,
                    "illustrative": record.is_illustrative,
                },
                "front_door": None
                if door is None
                else {
                    "slug": door.slug,
                    "name": door.name,
                    "url": request.build_absolute_uri(
                        front_door_url(door, found.service.lgsl_code)
                    ),
                },
            }
        )
    return {
        "service": service_out(found.service),
        "place": {
            "query": found.place.query,
            "kind": found.place.kind,
            "label": found.place.label,
            "note": found.place.note,
            "ambiguous": found.place.is_ambiguous,
        },
        "providers": providers,
        "reason": found.reason,
        "alternatives": [service_out(m.service) for m in answer.matches[1:6]],
    }


@router.get(
    "/route",
    response={200: RouteOut, 422: ErrorOut},
    auth=optional_auth,
    summary="Which council provides a service at a place",
)
def route(request: HttpRequest, query: Query[RouteQuery]) -> Any:
    """`need` in everyday words; `place` a postcode, outward code, town or council name, or
    `lat` and `long` (WGS84) instead. Providers most likely first, each with its share."""
    answer = selectors.route_find(
        need=query.need, place=query.place, lat=query.lat, long=query.long
    )
    return route_out(request, answer)


@router.get(
    "/services",
    response={200: list[ServiceOut], 422: ErrorOut},
    auth=optional_auth,
    summary="Search the service catalogue",
)
def services(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    return [service_out(m.service) for m in selectors.service_search(query.q)]
