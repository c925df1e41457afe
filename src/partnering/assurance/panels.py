"""What the assurance room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest

from partnering.partnerships.models import Partnership

from .gates import RATING_BY_VALUE
from .models import OPEN_STATUSES, Review, Urgency
from .permissions import can_view_assurance, review_summaries_visible_to


def reviews_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    full = can_view_assurance(request.user, partnership)
    qs = (
        Review.objects.filter(partnership=partnership)
        if full
        else review_summaries_visible_to(request.user).filter(partnership=partnership)
    )
    # One query: a partnership has a handful of reviews, each with its open critical count.
    reviews = list(
        qs.annotate(
            critical=Count(
                "recommendations",
                filter=Q(
                    recommendations__urgency=Urgency.CRITICAL,
                    recommendations__status__in=OPEN_STATUSES,
                ),
            )
        )
        .order_by()
        .values_list("rating", "starts_on", "pk", "critical")
    )
    rated = [(starts_on, pk, rating) for rating, starts_on, pk, _ in reviews if rating]
    last = max(rated)[2] if rated else ""  # the latest to start, as the register lists them
    return {
        "partnership": partnership,
        "full": full,
        "review_count": len(reviews),
        "critical_open": sum(critical for *_, critical in reviews) if full else 0,
        "last_rating": RATING_BY_VALUE.get(last),
    }


def has_reviews() -> Exists:
    """Whether the partnership has any gateway review, published or not (``has_content``)."""
    return Exists(Review.objects.filter(partnership=OuterRef("pk")))


def empty_reviews_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The section of a partnership with no review at all (no query of the reviews)."""
    return {
        "partnership": partnership,
        "full": can_view_assurance(request.user, partnership),
        "review_count": 0,
        "critical_open": 0,
        "last_rating": None,
    }


def risks_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    from .models import RiskRegister, RiskStatus
    from .permissions import can_edit_register

    register = RiskRegister.objects.filter(partnership=partnership).first()
    stats = {}
    if register is not None:
        stats = register.risks.filter(status=RiskStatus.OPEN).aggregate(
            open=Count("pk"),
            above=Count("pk", filter=Q(is_above_tolerance=True)),
            escalated=Count("pk", filter=Q(is_escalated=True)),
        )
    return {
        "partnership": partnership,
        "register": register,
        "stats": stats,
        "can_edit": can_edit_register(request.user, partnership),
    }


def can_see_risks(user: Any, partnership: Partnership) -> bool:
    return can_view_assurance(user, partnership)


def programme_panel(request: HttpRequest) -> dict[str, Any]:
    from .models import Risk, RiskStatus

    stats = Risk.objects.filter(status=RiskStatus.OPEN).aggregate(
        escalated=Count("pk", filter=Q(is_escalated=True)),
        above=Count("pk", filter=Q(is_above_tolerance=True)),
    )
    return stats
