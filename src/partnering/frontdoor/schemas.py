"""JSON shapes of the front door API."""

from ninja import Schema


class ServiceOut(Schema):
    lgsl_code: int
    name: str
    label: str
    two_tier_provider: str
    split_note: str
    reportable: bool


class FrontDoorOut(Schema):
    slug: str
    name: str
    url: str


class ProviderOut(Schema):
    gss_code: str
    name: str
    tier: str
    share: float
    url: str | None
    front_door: FrontDoorOut | None


class PlaceOut(Schema):
    query: str
    kind: str
    label: str
    note: str
    ambiguous: bool


class RouteOut(Schema):
    service: ServiceOut
    place: PlaceOut
    providers: list[ProviderOut]
    reason: str
    alternatives: list[ServiceOut]


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None
