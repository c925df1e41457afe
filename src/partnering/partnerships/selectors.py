"""Reads of partnerships: visible querysets, one partnership, its members on a date."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from .models import Membership, Partnership
from .permissions import partnerships_editable_by, partnerships_visible_to

__all__ = [
    "members_on",
    "memberships_on",
    "partnership_get",
    "partnerships_editable_by",
    "partnerships_visible_to",
]


def memberships_on(partnership: Partnership, day: date) -> QuerySet[Membership]:
    """Memberships in force on ``day`` (joined on or before it, not yet left)."""
    return (
        Membership.objects.filter(partnership=partnership, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def members_on(partnership: Partnership, day: date) -> list[Membership]:
    """The partnership's members as it stood on ``day`` (organisation loaded)."""
    return list(memberships_on(partnership, day))


def partnership_get(viewer: Any, slug: str) -> Partnership:
    """One partnership the viewer may see; ``Partnership.DoesNotExist`` otherwise (a 404)."""
    return (
        partnerships_visible_to(viewer)
        .select_related("lead_organisation", "created_by")
        .get(slug=slug)
    )
