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


class DocumentIn(Schema):
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
    documents: list[DocumentIn]
    findings: list[FindingIn]
    recommendations: list[RecommendationOut]
    modified_at: datetime
