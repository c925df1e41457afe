"""What the procurement room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest

from partnering.partnerships.models import Partnership

from .models import Procurement
from .permissions import can_view_workings


def procurement_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    stats = Procurement.objects.filter(partnership=partnership).aggregate(
        n=Count("pk"), awarded=Count("pk", filter=Q(award__isnull=False))
    )
    return {"partnership": partnership, "stats": stats,
            "workings": can_view_workings(request.user, partnership)}  # fmt: skip


def has_procurements() -> Exists:
    """Whether the partnership has a procurement or exempt arrangement (``has_content``)."""
    return Exists(Procurement.objects.filter(partnership=OuterRef("pk")))


def empty_procurement_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The section of a partnership with no procurement: the counts are nought (no query)."""
    return {"partnership": partnership, "stats": {"n": 0, "awarded": 0},
            "workings": can_view_workings(request.user, partnership)}  # fmt: skip
