"""What the front door shows on pages it does not own (registered in apps.py): a home panel of
the residents' requests waiting for the signed-in officer's councils, and a section on a
partnership's page about the front door its member councils share."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from partnering.core.permissions import is_partner_member, is_taskforce_staff
from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.models import Membership, Partnership

from .models import OPEN_STATUSES


def _open_counts(councils: Any) -> list[dict[str, Any]]:
    rows = councils.annotate(
        open=Count("service_requests", filter=Q(service_requests__status__in=OPEN_STATUSES))
    ).order_by("name")
    return [{"council": c, "open": c.open} for c in rows]


def has_councils(user: Any) -> bool:
    return is_partner_member(user) and user.organisations.filter(kind__in=COUNCIL_KINDS).exists()


def queue_panel(request: HttpRequest) -> dict[str, Any]:
    """Two queries: the officer's councils with their open request counts."""
    councils = request.user.organisations.filter(kind__in=COUNCIL_KINDS)  # type: ignore[union-attr]
    return {"councils": _open_counts(councils)}


def front_door_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The current member councils; their open request counts for those who handle them."""
    member_ids = Membership.objects.filter(partnership=partnership, left_on__isnull=True).values(
        "organisation_id"
    )
    councils = Organisation.objects.filter(pk__in=member_ids, kind__in=COUNCIL_KINDS)
    user = request.user
    if is_taskforce_staff(user):
        visible = _open_counts(councils)
    elif is_partner_member(user):
        visible = _open_counts(councils.filter(pk__in=user.organisations.values("pk")))  # type: ignore[union-attr]
    else:
        visible = []
    return {
        "partnership": partnership,
        "council_count": councils.count(),
        "queues": visible,
    }


def joins_up_councils(user: Any, partnership: Partnership) -> bool:
    return (
        partnership.joins_two_tiers
        or partnership.memberships.filter(
            left_on__isnull=True, organisation__kind__in=COUNCIL_KINDS
        ).count()
        > 1
    )
