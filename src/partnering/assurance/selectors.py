"""Reads of the assurance room, each at a fixed number of queries."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from partnering.partnerships.models import Partnership

from .models import OPEN_STATUSES, Recommendation, Review, ReviewTeamMember, Urgency
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
