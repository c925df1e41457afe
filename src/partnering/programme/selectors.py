"""Reads of the programme room, each at a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import mean
from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import (
    Application,
    ApplicationStatus,
    Assessment,
    Call,
    Criterion,
    CriterionScore,
    SelectionRun,
    Theme,
)
from .permissions import applications_visible_to, calls_visible_to

SCORED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.SELECTED,
    ApplicationStatus.NOT_SELECTED,
)


def size_of(member_count: int) -> str:
    """A partnership's size band by its number of current members."""
    if member_count <= 2:
        return "small"
    if member_count <= 4:
        return "medium"
    return "large"


def application_tags(application: Application) -> list[str]:
    """The selection tags, from the partnership's record and the application's themes."""
    p = application.partnership
    tags = [f"theme:{t}" for t in application.themes]
    if Theme.EGOV in application.themes:
        tags.append("egov")
    if p.joins_two_tiers:
        tags.append("two_tier")
    if p.kind:
        tags.append(f"kind:{p.kind}")
    if p.region:
        tags.append(f"region:{p.region}")
    tags.append(f"size:{size_of(p.member_count)}")
    return tags


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    scores: list[int]
    moderated: int | None
    spread: int
    disagrees: bool

    @property
    def value(self) -> float | None:
        if self.moderated is not None:
            return float(self.moderated)
        return mean(self.scores) if self.scores else None


@dataclass(frozen=True)
class ScoredApplication:
    application: Application
    rows: list[CriterionRow]
    score: float | None  # 0-100, weighted; None until every criterion has a score
    assessments: int

    @property
    def disagreements(self) -> int:
        return sum(r.disagrees for r in self.rows)


def _score(call: Call, rows: list[CriterionRow]) -> float | None:
    total_weight = sum((r.criterion.weight for r in rows), Decimal(0))
    if not rows or total_weight <= 0 or any(r.value is None for r in rows):
        return None
    span = call.score_max - call.score_min
    weighted = sum(
        float(r.criterion.weight) * ((r.value or 0.0) - call.score_min) / span for r in rows
    )
    return round(100 * weighted / float(total_weight), 1)


def scored(application: Application, criteria: list[Criterion]) -> ScoredApplication:
    """Scores per criterion from prefetched ``submitted_assessments`` and ``moderated_scores``."""
    call = application.call
    by_criterion: dict[int, list[int]] = {c.pk: [] for c in criteria}
    submitted: list[Assessment] = application.submitted_assessments  # type: ignore[attr-defined]
    for assessment in submitted:
        for s in assessment.scores.all():
            by_criterion.setdefault(s.criterion_id, []).append(s.score)
    moderated = {m.criterion_id: m.score for m in application.moderated_scores.all()}
    rows = []
    for c in criteria:
        values = by_criterion.get(c.pk, [])
        spread = (max(values) - min(values)) if values else 0
        rows.append(
            CriterionRow(
                criterion=c,
                scores=values,
                moderated=moderated.get(c.pk),
                spread=spread,
                disagrees=spread > call.moderation_spread and c.pk not in moderated,
            )
        )
    return ScoredApplication(application, rows, _score(call, rows), len(submitted))


def _with_scores(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("call", "partnership").prefetch_related(
        Prefetch(
            "assessments",
            queryset=Assessment.objects.filter(submitted_at__isnull=False).prefetch_related(
                Prefetch("scores", queryset=CriterionScore.objects.all())
            ),
            to_attr="submitted_assessments",
        ),
        "moderated_scores",
    )


def call_list(user: Any) -> QuerySet[Call]:
    return calls_visible_to(user).order_by("-opens_on", "title")


def call_get(user: Any, slug: str) -> Call:
    return calls_visible_to(user).get(slug=slug)


def call_applications(user: Any, call: Call) -> list[ScoredApplication]:
    """The call's applications the user may see, scored (a fixed number of queries)."""
    criteria = list(call.criteria.all())
    qs = _with_scores(applications_visible_to(user).filter(call=call)).order_by("reference")
    return [scored(a, criteria) for a in qs]


def call_applications_all(call: Call) -> list[ScoredApplication]:
    """Every application of the call, scored (for the services; no visibility filter)."""
    criteria = list(call.criteria.all())
    qs = _with_scores(Application.objects.filter(call=call)).order_by("reference")
    return [scored(a, criteria) for a in qs]


def application_get(user: Any, reference: str) -> Application:
    return (
        applications_visible_to(user).select_related("call", "partnership").get(reference=reference)
    )


def application_scored(application: Application) -> ScoredApplication:
    criteria = list(application.call.criteria.all())
    fresh = _with_scores(Application.objects.filter(pk=application.pk)).get()
    return scored(fresh, criteria)


def latest_run(call: Call) -> SelectionRun | None:
    return call.selection_runs.order_by("-number").first()


@dataclass(frozen=True)
class AdviserLoad:
    profile: Any
    assigned: int

    @property
    def over(self) -> bool:
        return self.assigned > self.profile.capacity


def adviser_load() -> list[AdviserLoad]:
    """Every adviser profile with how many partnerships they advise (two queries)."""
    from django.db.models import Count

    from .models import AdviserProfile

    profiles = AdviserProfile.objects.select_related("user").annotate(
        assigned=Count("user__advised_partnerships", distinct=True)
    )
    return [AdviserLoad(p, p.assigned) for p in profiles]  # type: ignore[attr-defined]


def advice_of(partnership: Any) -> list[Any]:
    from .models import Advice

    return list(
        Advice.objects.filter(partnership=partnership)
        .select_related("adviser")
        .prefetch_related("actions__owner")[:100]
    )


def open_actions(user: Any) -> list[Any]:
    from django.db.models import Q
    from django.utils import timezone

    from partnering.core.permissions import is_taskforce_staff

    from .models import Action, ActionStatus

    qs = Action.objects.filter(status=ActionStatus.OPEN).select_related(
        "owner", "advice__partnership"
    )
    if is_taskforce_staff(user):
        qs = qs.filter(due_on__lt=timezone.localdate())
    else:
        qs = qs.filter(Q(owner=user) | Q(advice__partnership__advisers=user)).distinct()
    return list(qs.order_by("due_on", "pk")[:200])
