"""API shapes of the programme room."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class CallOut(Schema):
    slug: str
    title: str
    summary: str
    status: str
    opens_on: date
    closes_on: date
    decisions_by: date
    places: int
    budget: Decimal | None
    score_min: int
    score_max: int


class ApplicationOut(Schema):
    reference: str
    call: str = Field(..., alias="call.slug")
    partnership: str = Field(..., alias="partnership.slug")
    title: str
    themes: list[str]
    requested_amount: Decimal
    status: str
    submitted_at: datetime | None


class ApplicationIn(Schema):
    call: str
    partnership: str
    title: str = Field(..., min_length=1, max_length=200)
    themes: list[str] = []
    answers: dict[str, str] = {}
    requested_amount: Decimal = Field(..., ge=0, le=Decimal("9999999999"))


class ScoreIn(Schema):
    criterion: int
    score: int
    comment: str = Field("", max_length=5000)


class AssessmentIn(Schema):
    scores: list[ScoreIn]


class AssessmentOut(Schema):
    application: str = Field(..., alias="application.reference")
    assessor: str = Field(..., alias="assessor.username")
    submitted_at: datetime | None


class SelectionRunIn(Schema):
    pinned: list[str] = []
    excluded: list[str] = []


class SelectionRunOut(Schema):
    number: int
    status: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    confirmed_at: datetime | None


class ActionOut(Schema):
    id: int
    description: str
    owner: str = Field(..., alias="owner.username")
    due_on: date
    status: str
    reminder_sent_at: datetime | None


class ActionIn(Schema):
    description: str = Field(..., min_length=1, max_length=500)
    owner: str | None = None
    due_on: date | None = None


class AdviceOut(Schema):
    id: int
    advice_type: str
    given_on: date
    summary: str
    adviser: str = Field(..., alias="adviser.username")
    attachment_titles: list[str]
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class AdviceIn(Schema):
    advice_type: str
    given_on: date
    summary: str = Field(..., min_length=1, max_length=20000)
    attachment_titles: list[str] = []
    actions: list[ActionIn] = []


class MatchRunOut(Schema):
    number: int
    status: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    confirmed_at: datetime | None
