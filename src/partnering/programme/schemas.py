"""API shapes of the programme room."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

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


class ProgrammeCriterionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    weight: Decimal = Field(Decimal(1), ge=0, lt=1000, decimal_places=2)
    guidance: str = Field("", max_length=5000)


class ProgrammeCriterionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    weight: Decimal | None = Field(None, ge=0, lt=1000, decimal_places=2)
    guidance: str | None = Field(None, max_length=5000)


class ProgrammeCriterionListItem(ProgrammeCriterionIn):
    """A criterion in a whole list (``PATCH /calls/{slug}``): ``id`` keeps one of the call's."""

    id: int | None = None


class ProgrammeCriterionOut(Schema):
    id: int
    title: str
    weight: Decimal
    guidance: str
    position: int


class ProgrammeQuotaIn(Schema):
    tag: str = Field(..., min_length=1, max_length=100)
    min: int | None = Field(None, ge=0, le=1000)
    max: int | None = Field(None, ge=0, le=1000)
    label: str = Field("", max_length=200)


class ProgrammeQuotaOut(Schema):
    id: int
    tag: str
    label: str
    min: int | None = Field(None, alias="minimum")
    max: int | None = Field(None, alias="maximum")


class ProgrammeCallTagIn(Schema):
    label: str = Field(..., min_length=1, max_length=100)
    slug: str | None = Field(None, max_length=60, pattern=r"^[-a-z0-9]+$")
    applicants_choose: bool = True


class ProgrammeCallTagOut(Schema):
    slug: str
    label: str
    tag: str
    applicants_choose: bool


class ProgrammeCallIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=5000)
    eligibility: str = Field("", max_length=5000)
    opens_on: date
    closes_on: date
    decisions_by: date
    places: int = Field(..., ge=1, le=1000)
    budget: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), decimal_places=2)
    score_min: int = Field(0, ge=0, le=99)
    score_max: int = Field(10, ge=1, le=100)
    moderation_spread: int = Field(3, ge=0, le=100)
    criteria: list[ProgrammeCriterionIn] = Field([], max_length=30)
    quotas: list[ProgrammeQuotaIn] = Field([], max_length=30)
    tags: list[ProgrammeCallTagIn] = Field([], max_length=30)
    assessors: list[str] = Field([], max_length=100, description="Usernames of advisers or staff")


class ProgrammeCallPatch(Schema):
    """Only the fields sent change; a list sent replaces the call's whole list."""

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=5000)
    eligibility: str | None = Field(None, max_length=5000)
    opens_on: date | None = None
    closes_on: date | None = None
    decisions_by: date | None = None
    places: int | None = Field(None, ge=1, le=1000)
    budget: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), decimal_places=2)
    score_min: int | None = Field(None, ge=0, le=99)
    score_max: int | None = Field(None, ge=1, le=100)
    moderation_spread: int | None = Field(None, ge=0, le=100)
    criteria: list[ProgrammeCriterionListItem] | None = Field(None, max_length=30)
    quotas: list[ProgrammeQuotaIn] | None = Field(None, max_length=30)
    tags: list[ProgrammeCallTagIn] | None = Field(None, max_length=30)
    assessors: list[str] | None = Field(None, max_length=100)


class ProgrammeCallStatusIn(Schema):
    status: Literal["open", "closed", "decided"]


class ProgrammeCallDetailOut(CallOut):
    eligibility: str
    moderation_spread: int
    criteria: list[ProgrammeCriterionOut]
    quotas: list[ProgrammeQuotaOut]
    tags: list[ProgrammeCallTagOut]

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_quotas(obj: Any) -> list[Any]:
        return list(obj.quotas.all())

    @staticmethod
    def resolve_tags(obj: Any) -> list[Any]:
        return list(obj.tags.all())


class ProgrammeApplicationOut(Schema):
    reference: str
    call: str = Field(..., alias="call.slug")
    partnership: str = Field(..., alias="partnership.slug")
    title: str
    themes: list[str]
    call_tags: list[str]
    requested_amount: Decimal
    status: str
    submitted_at: datetime | None


class ProgrammeApplicationPatch(Schema):
    """A draft's changes: only the fields sent change; ``answers`` are merged by criterion id."""

    title: str | None = Field(None, min_length=1, max_length=200)
    themes: list[str] | None = None
    answers: dict[str, str] | None = None
    requested_amount: Decimal | None = Field(None, ge=0, le=Decimal("9999999999"))
    call_tags: list[str] | None = None


class ProgrammeApplicationTagsIn(Schema):
    call_tags: list[str]


class ProgrammeApplicationIn(Schema):
    call: str
    partnership: str
    title: str = Field(..., min_length=1, max_length=200)
    themes: list[str] = []
    call_tags: list[str] = []
    answers: dict[str, str] = {}
    requested_amount: Decimal = Field(..., ge=0, le=Decimal("9999999999"))


class ProgrammeScoreIn(Schema):
    criterion: int
    score: int
    comment: str = Field("", max_length=5000)


class ProgrammeAssessmentIn(Schema):
    scores: list[ProgrammeScoreIn]


class ProgrammeAssessmentOut(Schema):
    application: str = Field(..., alias="application.reference")
    assessor: str = Field(..., alias="assessor.username")
    submitted_at: datetime | None


class ProgrammeModeratedScoreIn(Schema):
    criterion: int
    score: int


class ProgrammeModerationIn(Schema):
    scores: list[ProgrammeModeratedScoreIn] = Field(..., max_length=100)
    note: str = Field("", max_length=5000, description="Why the panel agreed these scores")


class ProgrammeModerationRowOut(Schema):
    criterion: int
    title: str
    scores: list[int]
    spread: int
    disagrees: bool
    moderated: int | None


class ProgrammeModerationOut(Schema):
    application: str
    score: float | None
    assessments: int
    disagreements: int
    criteria: list[ProgrammeModerationRowOut]


class SelectionRunIn(Schema):
    pinned: list[str] = []
    excluded: list[str] = []


class SelectionRunOut(Schema):
    number: int
    status: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    confirmed_at: datetime | None


class ProgrammeActionOut(Schema):
    id: int
    partnership: str = Field(..., alias="partnership.slug")
    source: Literal["advice", "session"]
    description: str
    owner: str = Field(..., alias="owner.username")
    due_on: date
    status: str
    completed_on: date | None
    completed_by: str | None
    reminder_sent_at: datetime | None

    @staticmethod
    def resolve_completed_by(obj: Any) -> str | None:
        return obj.completed_by.username if obj.completed_by_id else None


class ProgrammeActionCompleteIn(Schema):
    completed_on: date | None = Field(None, description="The day it was done (default today)")


class ProgrammeActionIn(Schema):
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
    actions: list[ProgrammeActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class AdviceIn(Schema):
    advice_type: str
    given_on: date
    summary: str = Field(..., min_length=1, max_length=20000)
    attachment_titles: list[str] = []
    actions: list[ProgrammeActionIn] = []


class MatchRunOut(Schema):
    number: int
    status: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    confirmed_at: datetime | None


# --- training modules ------------------------------------------------------------------------


class ModuleSessionOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    venue: str
    places: int


class ModuleOut(Schema):
    slug: str
    title: str
    summary: str
    learning_outcomes: list[str]
    audience: str
    duration_hours: Decimal
    format: str
    is_published: bool
    sessions: list[ModuleSessionOut]

    @staticmethod
    def resolve_sessions(obj: Any) -> list[Any]:
        return list(obj.sessions.all())


class ModuleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=20000)
    learning_outcomes: list[str] = Field(..., min_length=1, max_length=50)
    audience: Literal["officers", "councillors", "all"]
    duration_hours: Decimal = Field(..., ge=Decimal("0.5"), le=Decimal("1000"), decimal_places=1)
    format: Literal["workshop", "webinar", "e_learning", "blended"]
    is_published: bool = False


class ModuleSessionIn(Schema):
    starts_on: date
    ends_on: date
    venue: str = Field(..., min_length=1, max_length=200)
    places: int = Field(..., ge=1, le=10000)


class EnrolmentIn(Schema):
    session: int
    organisation: str = Field(..., description="The organisation's slug (one you work for)")


class EnrolmentOut(Schema):
    id: int
    module: str = Field(..., alias="session.module.slug")
    session: int = Field(..., alias="session.id")
    person: str = Field(..., alias="person.username")
    organisation: str = Field(..., alias="organisation.slug")
    status: str
    completed_on: date | None


class CompletionIn(Schema):
    completed_on: date


# --- events --------------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str
    places: int
    booked: int
    waiting: int
    is_published: bool


class EventIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: Literal["workshop", "peer_visit", "webinar", "conference"]
    summary: str = Field(..., min_length=1, max_length=20000)
    starts_at: datetime
    ends_at: datetime
    location: str = Field(..., min_length=1, max_length=200)
    places: int = Field(..., ge=1, le=10000)
    is_published: bool = True


class BookingOut(Schema):
    id: int
    event: str = Field(..., alias="event.slug")
    person: str = Field(..., alias="person.username")
    status: str
    attended: bool


class AttendanceIn(Schema):
    attended: bool


# --- peer support --------------------------------------------------------------------------


class PeerOfferOut(Schema):
    person: str = Field(..., alias="person.username")
    name: str
    organisation: str = Field(..., alias="organisation.slug")
    organisation_name: str = Field(..., alias="organisation.name")
    job_title: str
    topics: list[str]
    summary: str
    is_listed: bool

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.person.get_full_name() or obj.person.username)


PeerTopicName = Literal[
    "governance", "business_case", "procurement", "egov", "shared_services", "cost_sharing",
    "two_tier", "front_door", "legal", "people",
]  # fmt: skip


class PeerOfferIn(Schema):
    organisation: str
    topics: list[PeerTopicName] = Field(..., min_length=1, max_length=10)
    summary: str = Field("", max_length=5000)
    job_title: str = Field("", max_length=200)
    is_listed: bool = True


class ContactOut(Schema):
    name: str
    organisation: str


class SimilarOut(Schema):
    partnership: str
    name: str
    score: float
    reasons: list[str]
    contacts: list[ContactOut]


class BarOut(Schema):
    label: str
    value: int
    note: str


class ChartOut(Schema):
    key: str
    title: str
    bars: list[BarOut]


class DashboardOut(Schema):
    charts: list[ChartOut]
    overdue_actions: int
    upcoming_events: list[str]


class SessionOut(Schema):
    id: int
    held_on: date
    adviser: str = Field(..., alias="adviser.username")
    attendees: str
    notes: str
    actions: list[ProgrammeActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class SessionIn(Schema):
    held_on: date
    attendees: str = Field("", max_length=5000)
    notes: str = Field("", max_length=20000)
    actions: list[ProgrammeActionIn] = Field([], max_length=50)


class InterestOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    description: str


class AdviserOut(Schema):
    username: str = Field(..., alias="user.username")
    name: str
    disciplines: list[str]
    sectors: list[str]
    regions: list[str]
    capacity: int
    advising: int
    interests: list[InterestOut]

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user.get_full_name() or obj.user.username)

    @staticmethod
    def resolve_interests(obj: Any) -> list[Any]:
        return list(obj.interests.all())


class AdviserIn(Schema):
    disciplines: list[Literal["procurement", "project_management", "finance", "legal"]] = Field(
        ..., max_length=4
    )
    sectors: list[str] = Field([], max_length=20)
    regions: list[str] = Field([], max_length=20)
    capacity: int = Field(..., ge=0, le=50)


class InterestIn(Schema):
    organisation: str
    description: str = Field(..., min_length=1, max_length=255)


# --- a partnership's advisers and what it needs from its mentors ----------------------------

DisciplineName = Literal["procurement", "project_management", "finance", "legal"]


class PartnershipAdviserOut(Schema):
    username: str
    name: str
    disciplines: list[str]
    advising: int
    capacity: int | None


class PartnershipAdviserIn(Schema):
    adviser: str = Field(..., min_length=1, max_length=150, description="The adviser's username")


class MentoringNeedsOut(Schema):
    partnership: str
    mentors: int
    disciplines: list[str]
    set_by_staff: bool


class MentoringNeedsIn(Schema):
    mentors: int = Field(..., ge=1, le=5)
    disciplines: list[DisciplineName] = Field([], max_length=4)
