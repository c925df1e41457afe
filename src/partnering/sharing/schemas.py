"""Shapes of the sharing API (ninja schemas): shape and type only; services check the rules."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

Kind = Literal["standalone", "pooled", "airport"]
Basis = Literal["weights", "standalone", "demand"]
Method = Literal["equal", "proportional", "scrb", "shapley", "nucleolus", "least_core"]


class CurveIn(Schema):
    type: Literal["power", "piecewise"]
    scale: float | None = None
    exponent: float | None = None
    breaks: list[tuple[float, float]] = Field(default_factory=list)


class ComponentIn(Schema):
    kind: Kind
    name: str = Field(..., max_length=120)
    values: dict[str, float | None] = Field(
        ...,
        description="Each member's figure keyed by organisation slug: stand-alone cost (GBP), "
        "demand, or requirement (GBP) for a shared asset",
    )
    fixed_cost: float = 0
    curve: CurveIn | None = None
    needed_by_all: bool = Field(
        False,
        description="Pooled services: every member needs it, even one with no demand (else a "
        "member with no demand neither uses it nor shares its fixed cost)",
    )


class MemberIn(Schema):
    organisation: str = Field(..., description="Organisation slug")
    weight: float | None = Field(None, description="The measure a proportional split uses")


class CostModelIn(Schema):
    title: str = Field(..., max_length=200)
    effective_on: date
    demand_measure: str = Field("", max_length=100)
    weight_measure: str = Field("population", max_length=100)
    proportional_basis: Basis = "weights"
    is_illustrative: bool = True
    members: list[MemberIn] | None = Field(
        None,
        description="Defaults to the partnership's members on effective_on, weighted by population",
    )
    components: list[ComponentIn]


class CurveOut(Schema):
    type: str
    scale: float | None
    exponent: float | None
    breaks: list[list[float]]


class ComponentOut(Schema):
    kind: str
    name: str
    fixed_cost: float
    curve: CurveOut | None
    needed_by_all: bool
    values: dict[str, float | None] = Field(
        ..., description="null: the member's figure is still to be entered"
    )


class MissingOut(Schema):
    organisation: str
    name: str
    what: list[str]


class MemberOut(Schema):
    organisation: str
    name: str
    weight: float | None


class CostModelSummaryOut(Schema):
    version: int
    title: str
    effective_on: date
    status: str
    change_kind: str
    change_organisation: str | None
    change_reason: str
    is_illustrative: bool
    calculation_status: str | None
    url: str


class CostModelOut(CostModelSummaryOut):
    demand_measure: str
    weight_measure: str
    proportional_basis: str
    members: list[MemberOut]
    components: list[ComponentOut]
    figures_missing: list[MissingOut] = Field(
        default_factory=list,
        description="Members whose figures are still to be entered: no shares until they are",
    )


class MethodResultOut(Schema):
    method: str
    label: str
    available: bool
    message: str = ""
    exact: bool = True
    shares: dict[str, float] = Field(default_factory=dict)
    standard_errors: dict[str, float] | None = None
    core: dict[str, Any] | None = None
    savings: dict[str, dict[str, float]] = Field(default_factory=dict)
    explanations: dict[str, str] = Field(default_factory=dict)


class ResultsOut(Schema):
    version: int
    status: str
    is_fresh: bool
    error_message: str
    grand_cost: float | None
    total_standalone: float | None
    warnings: list[str]
    finished_at: datetime | None
    members: list[dict[str, Any]]
    methods: list[MethodResultOut]


class ShareAgreementIn(Schema):
    version: int = Field(..., description="The cost-model version agreed")
    method: Method
    agreed_on: date
    reason: str = Field(..., max_length=2000)


class AgreedShareOut(Schema):
    organisation: str
    name: str
    amount_pence: int


class AgreementOut(Schema):
    version: int
    cost_model_version: int
    previous_version: int | None
    method: str
    agreed_on: date
    agreed_by: str
    recorded_at: datetime
    reason: str
    total_pence: int
    in_core: bool
    max_excess: float
    worst_coalition: list[str]
    shares: list[AgreedShareOut]


class EstimateIn(Schema):
    component: str
    low: float
    likely: float
    high: float


class RiskScenarioIn(Schema):
    name: str = Field(..., max_length=120)
    split_basis: str = Field("agreed", description="'agreed' or a method name")
    rule: Literal["proportional", "capped", "pain_gain"] = "proportional"
    estimates: list[EstimateIn]
    cap: float | None = None
    target: float | None = None
    pain_bands: list[tuple[float | None, float]] = Field(default_factory=list)
    gain_bands: list[tuple[float | None, float]] = Field(default_factory=list)
    runs: int = Field(10_000, ge=100, le=200_000)
    seed: int = Field(0, ge=0)


class RiskScenarioOut(Schema):
    name: str
    split_basis: str
    rule: str
    estimates: list[dict[str, Any]]
    runs: int
    seed: int
    results: dict[str, Any]


class ComparisonRowOut(Schema):
    name: str
    status: str
    old: float | None
    new: float | None
    change: float | None
    why: str


class ComparisonOut(Schema):
    version: int
    previous_version: int | None
    method: str
    old_basis: str
    rows: list[ComparisonRowOut]
