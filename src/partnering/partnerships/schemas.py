from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from partnering.organisations.schemas import OrganisationRef

from .models import MemberRole, PartnershipKind, Stage

KindValue = Literal[tuple(PartnershipKind.values)]  # type: ignore[valid-type]
StageValue = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
RoleValue = Literal[tuple(MemberRole.values)]  # type: ignore[valid-type]


class ServiceAreaOut(Schema):
    lgsl_code: int
    label: str


class PartnershipOut(Schema):
    slug: str
    name: str
    reference: str
    kind: str
    stage: str
    region: str
    member_count: int
    joins_two_tiers: bool
    is_pathfinder: bool
    pathfinder_theme: str
    start_date: date | None
    is_published: bool
    is_demo: bool
    lead_organisation: OrganisationRef


class AimOut(Schema):
    id: int
    title: str
    description: str
    position: int


class PartnershipDetailOut(PartnershipOut):
    purpose: str
    notes: str
    service_areas: list[ServiceAreaOut]
    aims: list[AimOut]
    advisers: list[str]
    can_edit: bool


class PartnershipFiltersIn(Schema):
    q: str = Field("", max_length=100, description="Name or reference")
    kind: list[KindValue] = Field(default_factory=list)  # type: ignore[valid-type]
    stage: list[StageValue] = Field(default_factory=list)  # type: ignore[valid-type]
    region: list[str] = Field(default_factory=list)
    member: str = Field(
        "",
        max_length=120,
        description="A current or past member: slug, GSS code, Org-ID or part of its name",
    )
    service_area: int | None = Field(None, ge=1, description="LGSL code")
    pathfinder: Literal["", "yes", "no"] = ""


class PartnershipIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    reference: str = Field(..., min_length=1, max_length=32)
    purpose: str = Field(..., min_length=1)
    lead_organisation: str = Field(..., description="Slug of the lead organisation")
    start_date: date | None = None
    service_areas: list[int] = Field(default_factory=list, description="LGSL codes")
    is_pathfinder: bool = False
    pathfinder_theme: str = Field("", max_length=100)
    is_published: bool = Field(False, description="New partnerships start unpublished")


class PartnershipUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    reference: str | None = Field(None, min_length=1, max_length=32)
    purpose: str | None = Field(None, min_length=1)
    lead_organisation: str | None = None
    start_date: date | None = None
    service_areas: list[int] | None = None
    is_pathfinder: bool | None = None
    pathfinder_theme: str | None = Field(None, max_length=100)
    is_published: bool | None = None


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRef
    role: str
    joined_on: date
    left_on: date | None
    reason: str
    left_reason: str
    is_verified: bool


class MembershipIn(Schema):
    organisation: str = Field(..., description="Slug of the organisation")
    role: RoleValue = MemberRole.PARTNER  # type: ignore[valid-type]
    joined_on: date
    left_on: date | None = None
    reason: str = Field("", max_length=255)


class MembershipEndIn(Schema):
    left_on: date
    reason: str = Field(..., min_length=1, max_length=255)


class MembershipRoleIn(Schema):
    role: RoleValue  # type: ignore[valid-type]
    on: date
    reason: str = Field("", max_length=255)


class ChangeLogOut(Schema):
    day: date
    text: str
    reason: str
    is_verified: bool


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    moved_on: date
    moved_by: str | None
    reason: str
    recorded_at: datetime


class StageMoveIn(Schema):
    to_stage: StageValue  # type: ignore[valid-type]
    moved_on: date | None = None
    reason: str = Field("", max_length=2000)
    override: bool = Field(
        False, description="Taskforce staff: go past checks that allow it (give a reason)"
    )


class AimIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""


class AimScoreIn(Schema):
    priority: int
    score: int = Field(..., ge=0, le=3)


class PriorityOut(Schema):
    id: int
    organisation: OrganisationRef
    title: str
    source: str
    weight: int


class PriorityIn(Schema):
    organisation: str = Field(..., description="Slug of a current member")
    title: str = Field(..., min_length=1, max_length=200)
    source: str = Field("", max_length=200)
    weight: int = Field(3, ge=1, le=5)


class FitRowOut(Schema):
    organisation: OrganisationRef
    by_aim: dict[str, float | None]
    overall: float | None
    is_poor: bool
    unserved: list[str]


class FitOut(Schema):
    aims: list[AimOut]
    rows: list[FitRowOut]
    summary: list[str]
