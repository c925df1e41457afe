"""What the assurance room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.db.models import Count, Q
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
    stats = qs.aggregate(
        n=Count("pk", distinct=True),
        critical=Count(
            "recommendations",
            filter=Q(
                recommendations__urgency=Urgency.CRITICAL,
                recommendations__status__in=OPEN_STATUSES,
            ),
        ),
    )
    last = (
        qs.exclude(rating="").order_by("-starts_on", "-pk").values_list("rating", flat=True).first()
    )
    return {
        "partnership": partnership,
        "full": full,
        "review_count": stats["n"],
        "critical_open": stats["critical"] if full else 0,
        "last_rating": RATING_BY_VALUE.get(last or ""),
    }
