"""Shapes of the assurance API (ninja schemas): shape and type only; services check the rules."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

Rating = Literal["green", "amber_green", "amber", "amber_red", "red"]
UrgencyIn = Literal["critical", "essential", "recommended"]
StatusIn = Literal["open", "in_progress", "done", "carried_forward"]


class ReviewIn(Schema):
    gate: int = Field(..., ge=0, le=5)
    starts_on: date
    ends_on: date
    lead: str = Field(..., description="Username of the lead reviewer", max_length=150)
    members: list[str] = Field(default_factory=list, description="Usernames of the team")
    summary: str = Field("", max_length=20_000)


class ReviewPatch(Schema):
    starts_on: date | None = None
    ends_on: date | None = None
    summary: str | None = Field(None, max_length=20_000)
    rating: Rating | None = None
    rating_statement: str | None = Field(None, max_length=20_000)


class TeamOut(Schema):
    username: str
    name: str
    role: str


class InterviewIn(Schema):
    name: str = Field(..., max_length=200)
    role: str = Field("", max_length=200)
    organisation: str = Field("", max_length=200)


class AssuranceDocumentIn(Schema):
    title: str = Field(..., max_length=300)
    dated: date | None = None


class FindingIn(Schema):
    area: str = Field(..., max_length=32)
    text: str = Field(..., max_length=20_000)


class RecommendationIn(Schema):
    text: str = Field(..., max_length=20_000)
    urgency: UrgencyIn
    owner: str | None = Field(None, description="Username of the owner", max_length=150)
    due_on: date | None = None


class RecommendationPatch(Schema):
    status: StatusIn
    carried_forward_reason: str = Field("", max_length=20_000)
    note: str = Field("", max_length=20_000)
    owner: str | None = Field(None, max_length=150)
    due_on: date | None = None


class RecommendationOut(Schema):
    id: int
    review_id: int
    gate: int
    number: int
    text: str
    urgency: str
    owner: str
    due_on: date | None
    due: str
    status: str
    carried_forward_reason: str
    follow_ups: list[str]


class ReviewSummaryOut(Schema):
    id: int
    gate: int
    gate_name: str
    gate_name_today: str
    starts_on: date
    ends_on: date
    status: str
    rating: str
    rating_label: str
    rating_meaning: str
    three_point: str
    summary: str
    is_published: bool
    url: str


class ReviewOut(ReviewSummaryOut):
    rating_statement: str
    team: list[TeamOut]
    interviews: list[InterviewIn]
    documents: list[AssuranceDocumentIn]
    findings: list[FindingIn]
    recommendations: list[RecommendationOut]
    modified_at: datetime


Category = Literal["financial", "legal", "procurement", "partnership", "technical",
                   "reputational", "service_delivery", "information_governance"]  # fmt: skip
TreatmentIn = Literal["", "reduce", "accept", "avoid", "transfer", "share"]


class RiskIn(Schema):
    title: str = Field(..., max_length=200)
    cause: str = Field(..., max_length=20_000)
    event: str = Field(..., max_length=20_000)
    effect: str = Field(..., max_length=20_000)
    category: Category
    owner: str | None = Field(None, description="Username of the owner", max_length=150)
    proximity: date | None = None
    inherent_likelihood: int | None = Field(None, description="1 to the matrix size")
    inherent_impact: int | None = None
    current_likelihood: int | None = None
    current_impact: int | None = None
    target_likelihood: int | None = None
    target_impact: int | None = None
    treatment: TreatmentIn = ""
    treatment_notes: str = Field("", max_length=20_000)
    recommendations: list[int] = Field(default_factory=list, description="Recommendation ids")


class RiskPatch(Schema):
    title: str | None = Field(None, max_length=200)
    cause: str | None = Field(None, max_length=20_000)
    event: str | None = Field(None, max_length=20_000)
    effect: str | None = Field(None, max_length=20_000)
    category: Category | None = None
    owner: str | None = Field(None, max_length=150)
    proximity: date | None = None
    inherent_likelihood: int | None = None
    inherent_impact: int | None = None
    current_likelihood: int | None = None
    current_impact: int | None = None
    target_likelihood: int | None = None
    target_impact: int | None = None
    treatment: TreatmentIn | None = None
    treatment_notes: str | None = Field(None, max_length=20_000)
    recommendations: list[int] | None = None
    note: str = Field("", max_length=255)


class ScoreOut(Schema):
    recorded_at: datetime
    inherent_score: int
    current_score: int
    target_score: int
    note: str


class AssuranceActionIn(Schema):
    text: str = Field(..., max_length=20_000)
    owner: str | None = Field(None, max_length=150)
    due_on: date | None = None


class AcceptanceIn(Schema):
    approver: str = Field("", max_length=200)
    approver_role: str = Field("", max_length=200)
    reason: str = Field("", max_length=20_000)
    review_on: date | None = None


class EscalationIn(Schema):
    reason: str = Field("", max_length=20_000)
    escalate: bool = True


class RiskOut(Schema):
    partnership: str
    number: int
    title: str
    cause: str
    event: str
    effect: str
    category: str
    owner: str
    proximity: date | None
    inherent_likelihood: int
    inherent_impact: int
    inherent_score: int
    current_likelihood: int
    current_impact: int
    current_score: int
    target_likelihood: int
    target_impact: int
    target_score: int
    band: str
    is_above_tolerance: bool
    treatment: str
    treatment_notes: str
    status: str
    is_escalated: bool
    escalation_reason: str
    matrix_version: int
    recommendations: list[int]
    url: str


class AssuranceActionOut(Schema):
    id: int
    text: str
    owner: str | None
    due_on: date | None
    status: str = Field(description="open, in_progress or done")


class RegisterMatrixIn(Schema):
    version: int = Field(..., ge=1, le=1_000_000, description="The newer matrix version to move to")


class RegisterMatrixOut(Schema):
    matrix_version: int
    rescored: int = Field(description="How many risks were scored again on the new matrix")


class ActionStatusIn(Schema):
    status: str = Field(..., max_length=16, description="open, in_progress or done")


class RiskDetailOut(RiskOut):
    scores: list[ScoreOut]
    actions: list[AssuranceActionOut]
    acceptances: list[dict[str, object]]


class MatrixIn(Schema):
    likelihood_labels: list[str]
    impact_labels: list[str]
    bands: list[tuple[int, str, str]]
    tolerance: int
    programme: str = Field("Strategic Partnering Taskforce", max_length=200)


class MatrixOut(Schema):
    programme: str
    version: int
    likelihood_labels: list[str]
    impact_labels: list[str]
    bands: list[tuple[int, str, str]]
    tolerance: int
