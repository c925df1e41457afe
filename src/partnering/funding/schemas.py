"""API shapes of the funding room. Money goes in and out as strings of pounds and pence
("1250.50"): exact, never a float."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class ProgrammeOut(Schema):
    slug: str
    title: str
    aim: str
    total_budget: Decimal
    starts_on: date
    ends_on: date
    target_date: date


class RoundOut(Schema):
    slug: str
    number: int
    title: str
    status: str
    budget: Decimal
    opens_on: date
    closes_on: date
    decisions_by: date
    min_councils: int
    score_min: int
    score_max: int


class MilestoneOut(Schema):
    number: int
    title: str
    due_on: date
    amount: Decimal


class FundingApplicationOut(Schema):
    reference: str
    round: str = Field(..., alias="round.slug")
    partnership: str = Field(..., alias="partnership.slug")
    title: str
    summary: str
    status: str
    submitted_at: datetime | None
    milestones: list[MilestoneOut]


class FundingApplicationIn(Schema):
    round: str
    partnership: str
    title: str = Field(..., min_length=1, max_length=140)
    summary: str = Field(..., min_length=1, max_length=10000)
    outcomes: str = Field("", max_length=10000)


class Money(Schema):
    amount: str = Field(..., max_length=40, description='Pounds and pence, e.g. "1250.50"')


class MilestoneIn(Money):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date


class BudgetLineIn(Money):
    year: int = Field(..., ge=2000, le=2030)
    organisation: str = Field(..., description="The partner's slug")


class PromisedServiceIn(Schema):
    lgsl_code: int = Field(..., ge=1, le=100000)
    organisation: str
    by_date: date


class FundingScoreIn(Schema):
    criterion: int
    score: int
    comment: str = Field("", max_length=5000)


class FundingAssessmentIn(Schema):
    scores: list[FundingScoreIn]


class FundingAssessmentOut(Schema):
    id: int
    application: str = Field(..., alias="application.reference")
    submitted_at: datetime | None


class ModerationIn(Schema):
    criterion: int
    score: int
    note: str = Field(..., min_length=1, max_length=5000)


class FundingAwardIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)
    conditions: str = Field(..., min_length=1, max_length=10000)
    awarded_on: date
    agreement_starts_on: date
    agreement_ends_on: date


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class ShareOut(Schema):
    organisation: str
    amount: Decimal


class AwardOut(Schema):
    id: int
    grant_id: str
    application: str
    round: str
    recipient: str
    recipient_org_id: str
    title: str
    amount: Decimal
    status: str
    awarded_on: date
    agreement_starts_on: date
    agreement_ends_on: date
    paid: Decimal
    shares: list[ShareOut]


class EvidenceIn(Schema):
    filename: str = Field(..., min_length=1, max_length=200)
    content_base64: str = Field(..., max_length=7_500_000)


class ClaimIn(Money):
    milestone: int = Field(..., ge=1, le=1000, description="The milestone's number")
    claimed_on: date
    description: str = Field(..., min_length=1, max_length=10000)
    evidence: list[EvidenceIn] = Field(..., max_length=10)


class ClaimOut(Schema):
    id: int
    award: int = Field(..., alias="award_id")
    milestone: int = Field(..., alias="milestone.number")
    amount: Decimal
    claimed_on: date
    status: str


class PaymentIn(Schema):
    paid_on: date
    reference: str = Field(..., min_length=1, max_length=64)


class PaymentOut(Schema):
    claim: int = Field(..., alias="claim_id")
    amount: Decimal
    paid_on: date
    reference: str


class MilestoneChangeIn(Schema):
    number: int = Field(..., ge=1, le=1000)
    due_on: date | None = None
    amount: str | None = Field(None, max_length=40)
    title: str | None = Field(None, max_length=200)


class VariationIn(Schema):
    kind: Literal["reprofile", "milestone"]
    reason: str = Field(..., min_length=1, max_length=5000)
    changes: list[MilestoneChangeIn] = Field(..., min_length=1, max_length=100)


class VariationOut(Schema):
    id: int
    kind: str
    reason: str
    made_on: date


class RecoveryIn(Money):
    kind: Literal["clawback", "withhold"]
    reason: str = Field(..., min_length=1, max_length=5000)
    on: date


class RecoveryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    on: date


class MoneyRowOut(Schema):
    label: str
    budget: Decimal | None
    awarded: Decimal = Field(..., description="Every award, gross")
    recovered: Decimal = Field(..., description="Clawed back or withheld")
    committed: Decimal = Field(..., description="Awarded less recovered")
    paid: Decimal
    outstanding: Decimal
    remaining: Decimal | None = Field(
        ..., description="Budget less every award, gross: recoveries do not go back into it"
    )
    awards: int


class MoneyOut(Schema):
    programme: str | None
    total: MoneyRowOut
    by_round: list[MoneyRowOut]
    by_region: list[MoneyRowOut]
    by_kind: list[MoneyRowOut]
    by_year: list[MoneyRowOut]


class PointOut(Schema):
    on: date
    enabled: int
    total: int
    percent: Decimal


class CouncilProgressOut(Schema):
    council: str
    gss_code: str | None
    services: int
    enabled: int
    percent: Decimal


class ProgressOut(Schema):
    target_date: date
    illustrative: bool
    points: list[PointOut]
    councils: list[CouncilProgressOut]


class ServiceStatusOut(Schema):
    lgsl_code: int
    label: str
    e_enabled_on: date | None
    route: str
    note: str = ""


class FundingProgrammeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    aim: str = Field(..., min_length=1, max_length=5000)
    total_budget: str = Field(..., max_length=40, description='Pounds and pence, e.g. "50000000"')
    starts_on: date
    ends_on: date
    target_date: date = Field(..., description="Every council service e-enabled by this day")


class FundingProgrammePatch(Schema):
    title: str | None = Field(None, max_length=200)
    aim: str | None = Field(None, max_length=5000)
    total_budget: str | None = Field(None, max_length=40)
    starts_on: date | None = None
    ends_on: date | None = None
    target_date: date | None = None


class FundingCriterionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    weight: Decimal = Field(Decimal(1), gt=0, le=100, decimal_places=2)
    guidance: str = Field("", max_length=5000)


class RoundIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=5000)
    budget: str = Field(..., max_length=40, description='Pounds and pence, e.g. "12000000.00"')
    opens_on: date
    closes_on: date
    decisions_by: date
    min_councils: int = Field(2, ge=1, le=50, description="Eligibility: at least this many")
    status: Literal["draft", "open"] = "draft"
    criteria: list[FundingCriterionIn] = Field(..., min_length=1, max_length=50)
    assessors: list[str] = Field(default_factory=list, max_length=100, description="Usernames")


class RoundStatusIn(Schema):
    status: Literal["draft", "open", "closed", "decided"]


class RoundPanelIn(Schema):
    assessors: list[str] = Field(..., max_length=100, description="Usernames: the whole panel")


class FundingPersonOut(Schema):
    username: str
    name: str
    role: str


class EEnablementIn(Schema):
    e_enabled_on: date | None = Field(None, description="Empty: not yet online end to end")
    route: Literal["funded_project", "front_door", "own_site", ""] = ""
    award: int | None = Field(None, description="The funded project's award id")
    note: str = Field("", max_length=255)


class EEnablementImportIn(Schema):
    filename: str = Field("records.csv", min_length=1, max_length=200)
    csv: str = Field(
        ...,
        max_length=20_000_000,
        description="The file's text: gss_code,lgsl_code,e_enabled_on,route[,note]",
    )


class EEnablementImportOut(Schema):
    created: int
    updated: int


class PromiseOut(Schema):
    lgsl_code: int
    service: str
    council: str
    gss_code: str | None
    by_date: date
    delivered_on: date | None
    status: Literal["delivered", "late", "not_yet"]
