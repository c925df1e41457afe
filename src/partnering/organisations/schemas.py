from datetime import date
from typing import Literal

from ninja import Field, Schema

from .models import Kind, Sector, Tier

KindValue = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
TierValue = Literal[tuple(Tier.values)]  # type: ignore[valid-type]
SectorValue = Literal[tuple(Sector.values)]  # type: ignore[valid-type]


class OrganisationRef(Schema):
    slug: str
    name: str
    gss_code: str | None
    org_id: str | None


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    sector: str
    kind: str
    tier: str
    gss_code: str | None
    org_id: str | None
    la_code: str
    region: str
    start_date: date | None
    end_date: date | None
    population: int | None
    population_year: int | None
    parent_county: OrganisationRef | None
    is_current: bool
    is_demo: bool


class OrganisationDetailOut(OrganisationOut):
    combined_authority: OrganisationRef | None
    former_gss_codes: str
    districts: list[OrganisationRef]
    predecessors: list[OrganisationRef]
    successors: list[OrganisationRef]


class OrganisationFiltersIn(Schema):
    q: str = Field(
        "", max_length=100, description="Name or code (GSS, Org-ID, local authority code)"
    )
    kind: list[KindValue] = Field(default_factory=list)  # type: ignore[valid-type]
    tier: list[TierValue] = Field(default_factory=list)  # type: ignore[valid-type]
    sector: list[SectorValue] = Field(default_factory=list)  # type: ignore[valid-type]
    region: list[str] = Field(default_factory=list)
    status: Literal["", "current", "abolished"] = ""
