"""Service x place -> the council(s) that provide it there, most likely first, and why (one line)."""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Service
from .places import Council, CouncilDirectory, Place

TIER_ORDER = {"district": 0, "unitary": 0, "county": 1}


class RouteError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Provider:
    gss_code: str
    name: str
    tier: str
    share: float
    slug: str = ""
    area_gss: str = ""  # the lower-tier area it was reached through (the district, for a county)


@dataclass(frozen=True)
class Route:
    service: Service
    place: Place
    providers: tuple[Provider, ...]
    reason: str

    @property
    def provider(self) -> Provider:
        return self.providers[0]


def providers_for_area(
    service: Service, council: Council, directory: CouncilDirectory
) -> list[Council]:
    """Who provides the service in one lower-tier area: the unitary, or the district / county."""
    if council.tier != "district":
        return [council]
    county = directory.get(council.parent_county)
    if service.two_tier_provider == "district" or county is None:
        return [council]
    if service.two_tier_provider == "county":
        return [county]
    return [council, county]


def route(service: Service, place: Place, directory: CouncilDirectory) -> Route:
    shares: dict[str, float] = {}
    councils: dict[str, Council] = {}
    via: dict[str, str] = {}
    for area in place.areas:
        council = directory.get(area.lad_gss)
        if council is None:
            continue
        for provider in providers_for_area(service, council, directory):
            shares[provider.gss_code] = shares.get(provider.gss_code, 0.0) + area.share
            councils[provider.gss_code] = provider
            via.setdefault(provider.gss_code, council.gss_code)
    if not shares:
        raise RouteError("place_no_council", f"We could not find the council for {place.label}")
    ordered = sorted(
        shares,
        key=lambda g: (-round(shares[g], 6), TIER_ORDER.get(councils[g].tier, 2), councils[g].name),
    )
    providers = tuple(
        Provider(
            g,
            councils[g].name,
            councils[g].tier,
            round(min(1.0, shares[g]), 4),
            councils[g].slug,
            via[g],
        )
        for g in ordered
    )
    return Route(service, place, providers, reason_line(service, place, providers, directory))


def _short(council: Council | None) -> str:
    if council is None:
        return ""
    return council.short_name or council.name


def reason_line(
    service: Service, place: Place, providers: tuple[Provider, ...], directory: CouncilDirectory
) -> str:
    """'LGSL 524 (which day the refuse is collected) is provided by districts; WR11 is in Wychavon.'"""
    top = providers[0]
    area = directory.get(top.area_gss)
    county = directory.get(area.parent_county) if area and area.parent_county else None
    name = service.name[:1].lower() + service.name[1:]
    head = f"LGSL {service.lgsl_code} ({name})"
    unitary = area is not None and area.tier != "district"
    if unitary:
        said = f"{head} is provided by the unitary council where there is one"
        described = f"{_short(area)}, a unitary council"
    else:
        said = {
            "county": f"{head} is provided by counties",
            "both": f"{head} is provided in part by districts and in part by counties",
        }.get(service.two_tier_provider, f"{head} is provided by districts")
        described = (
            _short(area)
            if service.two_tier_provider == "district"
            else f"{_short(area)}, in {_short(county)}"
        )
    if place.kind == "council" and len(place.areas) > 1:
        where = f"{place.label} has {len(place.areas)} district council areas: choose yours"
    elif place.kind == "council":
        where = (
            f"{_short(area)} is a unitary council"
            if unitary
            else f"{_short(area)} is a district in {_short(county)}"
        )
    else:
        where = f"{place.label} is in {described}"
    line = f"{said}; {where}"
    others = [a.lad_gss for a in place.areas if a.lad_gss != top.area_gss]
    if place.kind in ("postcode", "outward_code", "town") and others:
        share = next((a.share for a in place.areas if a.lad_gss == top.area_gss), top.share)
        rest = ", ".join(_short(directory.get(g)) for g in others[:4])
        line += f" ({round(share * 100)}% of its postcodes; others are in {rest})"
    line += "."
    return f"{place.note} {line}" if place.note else line
