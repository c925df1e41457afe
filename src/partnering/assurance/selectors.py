"""Reads of the assurance room, each at a fixed number of queries."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from partnering.partnerships.models import Partnership

from .models import (
    OPEN_STATUSES,
    Recommendation,
    Review,
    ReviewTeamMember,
    Risk,
    RiskAcceptance,
    RiskAction,
    RiskMatrix,
    RiskRegister,
    RiskStatus,
    Urgency,
)
from .permissions import review_summaries_visible_to, reviews_visible_to


def reviews_of(partnership: Partnership, user: Any) -> QuerySet[Review]:
    """The partnership's reviews ``user`` may see in full, with their open-recommendation
    counts and team (3 queries)."""
    return (
        reviews_visible_to(user)
        .filter(partnership=partnership)
        .select_related("partnership")
        .annotate(
            open_count=Count(
                "recommendations", filter=Q(recommendations__status__in=OPEN_STATUSES)
            ),
            critical_open=Count(
                "recommendations",
                filter=Q(
                    recommendations__status__in=OPEN_STATUSES,
                    recommendations__urgency=Urgency.CRITICAL,
                ),
            ),
        )
        .prefetch_related(
            Prefetch("team", queryset=ReviewTeamMember.objects.select_related("user"))
        )
        .order_by("starts_on", "gate", "pk")
    )


def published_reviews_of(partnership: Partnership, user: Any) -> QuerySet[Review]:
    return (
        review_summaries_visible_to(user)
        .filter(partnership=partnership)
        .select_related("partnership")
        .order_by("starts_on", "gate", "pk")
    )


def review_detail(review_id: int, partnership: Partnership) -> Review:
    """A review with everything its page and report show (6 queries)."""
    return (
        Review.objects.filter(partnership=partnership)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("team", queryset=ReviewTeamMember.objects.select_related("user")),
            "interviews",
            "documents",
            "findings",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("owner").prefetch_related(
                    "follow_ups__author"
                ),
            ),
        )
        .get(pk=review_id)
    )


def recommendations_of(partnership: Partnership) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(review__partnership=partnership)
        .select_related("review", "owner")
        .order_by("review__starts_on", "review__gate", "number")
    )


# --- risk registers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    score: int
    count: int
    band: Any


@dataclass(frozen=True)
class HeatMap:
    matrix: RiskMatrix
    rows: list[tuple[int, str, list[HeatCell]]]  # likelihood high to low
    impacts: list[tuple[int, str]]


def register_of(partnership: Partnership) -> RiskRegister | None:
    return RiskRegister.objects.filter(partnership=partnership).select_related("matrix").first()


def risks_of(register: RiskRegister, *, likelihood: int | None = None,
             impact: int | None = None, include_closed: bool = False) -> QuerySet[Risk]:  # fmt: skip
    """The register's risks, highest current score first (1 query + 1 for linked counts)."""
    qs = register.risks.select_related("owner").annotate(
        action_count=Count("actions", distinct=True)
    )
    if not include_closed:
        qs = qs.filter(status=RiskStatus.OPEN)
    if likelihood:
        qs = qs.filter(current_likelihood=likelihood)
    if impact:
        qs = qs.filter(current_impact=impact)
    return qs.order_by("-current_score", "number")


def heat_map(register: RiskRegister) -> HeatMap:
    """Counts of open risks by current likelihood and impact (1 query)."""
    from .maths import band_for
    from .maths import heat_map as grid_of

    spec = register.matrix.spec
    cells = register.risks.filter(status=RiskStatus.OPEN).values_list(
        "current_likelihood", "current_impact"
    )
    grid = grid_of(spec, list(cells))
    rows = []
    for likelihood in range(spec.size, 0, -1):
        row = [
            HeatCell(likelihood, impact, likelihood * impact, grid[likelihood - 1][impact - 1],
                     band_for(spec, likelihood * impact))
            for impact in range(1, spec.size + 1)
        ]  # fmt: skip
        rows.append((likelihood, spec.likelihood_labels[likelihood - 1], row))
    impacts = [(i, spec.impact_labels[i - 1]) for i in range(1, spec.size + 1)]
    return HeatMap(register.matrix, rows, impacts)


def risk_detail(register: RiskRegister, number: int) -> Risk:
    return (
        register.risks.select_related(
            "owner", "register__partnership", "register__matrix", "fair_share_scenario"
        )
        .prefetch_related(
            "scores",
            Prefetch("actions", queryset=RiskAction.objects.select_related("owner")),
            Prefetch("acceptances", queryset=RiskAcceptance.objects.select_related("recorded_by")),
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("review")),
        )
        .get(number=number)
    )


@dataclass(frozen=True)
class ProgrammeFilters:
    category: str = ""
    region: str = ""
    stage: str = ""
    owner: str = ""  # username
    which: str = "both"  # "escalated", "above" (tolerance) or "both"


def programme_risks(filters: ProgrammeFilters) -> QuerySet[Risk]:
    """Escalated and above-tolerance open risks across every partnership (1 query a page)."""
    qs = Risk.objects.filter(status=RiskStatus.OPEN)
    if filters.which == "escalated":
        qs = qs.filter(is_escalated=True)
    elif filters.which == "above":
        qs = qs.filter(is_above_tolerance=True)
    else:
        qs = qs.filter(Q(is_escalated=True) | Q(is_above_tolerance=True))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.region:
        qs = qs.filter(register__partnership__region=filters.region)
    if filters.stage:
        qs = qs.filter(register__partnership__stage=filters.stage)
    if filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    # Ordered as ``risk_programme_idx`` (score, then register, then number) so a page is read
    # from the index instead of sorting every flagged risk; the long text fields stay unread.
    return (
        qs.select_related("owner", "register__partnership", "register__matrix")
        .defer("cause", "event", "effect", "treatment_notes", "escalation_reason")
        .order_by("-current_score", "register_id", "number")
    )
