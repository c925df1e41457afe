"""The shape of the procurement API's input (django-ninja / pydantic); outputs are plain
dictionaries built in api.py from the same selectors as the pages."""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Money = Decimal
RouteCode = Literal[
    "pcr_open", "pcr_restricted", "pcr_dialogue", "pcr_negotiation", "pcr_innovation",
    "pa_open", "pa_flexible", "pa_direct", "call_off", "exempt_teckal", "exempt_horizontal",
]  # fmt: skip
StageCode = Literal["notice", "selection", "dialogue", "itt", "tenders_received", "evaluation",
                    "standstill"]  # fmt: skip


class ScopeIn(Schema):
    services: list[int] = Field(default_factory=list, description="LGSL codes")
    outcomes: str = Field("", max_length=5000)


class BaselineIn(Schema):
    organisation: str = Field(..., max_length=120, description="The partner's slug")
    annual_cost: Money
    staff: Decimal


class AppraisalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    term_years: int = Field(10, ge=1, le=60)
    discount_rate: Decimal = Field(Decimal("3.5"), ge=0, lt=100)
    scale: int = Field(10, ge=1, le=100)
    is_illustrative: bool = False


class CriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    kind: Literal["cost", "quality", "risk", "deliverability", "fit", "other"]
    weight: Decimal = Field(..., ge=0, le=100)


class CriteriaIn(Schema):
    criteria: list[CriterionIn]


class OptionIn(Schema):
    kind: Literal["in_house", "shared_service", "joint_venture", "outsourcing", "voluntary"]
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    upfront_cost: Money = Decimal(0)
    annual_cost: Money | None = None
    cost_source: str = Field("", max_length=300)
    cost_model_version: int | None = Field(None, description="Cost the option from this version")


class ProcurementScoreIn(Schema):
    option_id: int
    criterion_id: int
    score: Decimal
    rationale: str = Field(..., max_length=5000)


class ProcurementAgreementIn(Schema):
    option_id: int
    rationale: str = Field(..., max_length=5000)
    agreed_on: date
    agreed_by: str = Field(..., max_length=2000)


class ProcurementIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    route: RouteCode
    buyer: str = Field(..., max_length=120, description="The buyer's slug (a member)")
    other_buyers: list[str] = Field(default_factory=list)
    description: str = Field("", max_length=5000)
    category: Literal["goods", "works", "services"] = "services"
    department: str = Field("", max_length=200)
    estimated_value: Money | None = None
    legal_basis: str = Field("", max_length=5000)
    rationale: str = Field("", max_length=5000)
    panel: list[str] = Field(default_factory=list, description="Usernames of the evaluation panel")
    is_illustrative: bool = False


class StageIn(Schema):
    stage: StageCode
    on: date
    notes: str = Field("", max_length=5000)


class BidderIn(Schema):
    organisation: str = Field(..., max_length=120, description="The organisation's slug")
    companies_house_number: str = Field("", max_length=20)
    number_unknown: bool = False
    is_sme: bool = False
    is_vcse: bool = False
    tendered: bool = True


class EvaluationScoreIn(Schema):
    bidder: str = Field(..., max_length=120, description="The bidder organisation's slug")
    criterion: str = Field(..., max_length=120, description="The criterion's name")
    score: Decimal


class EvaluationCriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    weight: Decimal = Field(..., ge=0, le=100)


class EvaluationCriteriaIn(Schema):
    criteria: list[EvaluationCriterionIn]


class ProcurementAwardIn(Schema):
    supplier: str = Field(..., max_length=120, description="The supplier's slug")
    value: Money
    term_months: int = Field(..., ge=1, le=1200)
    decided_on: date
    notes: str = Field("", max_length=5000)


class ContractIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_on: date
    ends_on: date
    value: Money
    signed_on: date


class ContractChangeIn(Schema):
    kind: Literal["extension", "amendment"]
    on: date
    description: str = Field(..., max_length=5000)
    new_end: date | None = None
    value_change: Money = Decimal(0)
