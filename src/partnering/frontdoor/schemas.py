"""JSON shapes of the front door API."""

from datetime import date

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


class OnlineOut(Schema):
    """The funding room's e-enablement record: can this council's service be done online?"""

    e_enabled: bool
    since: date | None
    how: str | None
    illustrative: bool


class ProviderOut(Schema):
    gss_code: str
    name: str
    tier: str
    share: float
    url: str | None
    online: OnlineOut | None
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
