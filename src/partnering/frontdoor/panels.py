"""What the front door shows on pages it does not own (registered in apps.py): a home panel of
the residents' requests waiting for the signed-in officer's councils, and a section on a
partnership's page about the front door its member councils share."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from partnering.core.permissions import is_partner_member, is_taskforce_staff
from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.models import Partnership
from partnering.partnerships.selectors import members_among, memberships_of

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


def _current_councils(partnership: Partnership) -> list[Organisation]:
    """The member councils today, from the memberships the partnership's page has read."""
    today = timezone.localdate()
    return [
        m.organisation
        for m in members_among(memberships_of(partnership), today)
        if m.organisation.kind in COUNCIL_KINDS
    ]


def front_door_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The current member councils; their open request counts for those who handle them (one
    query for them, none for anyone else)."""
    councils = _current_councils(partnership)
    user = request.user
    if is_taskforce_staff(user):
        handled = [c.pk for c in councils]
    elif is_partner_member(user):
        own = {o.pk for o in user.organisations.all()}  # type: ignore[union-attr]
        handled = [c.pk for c in councils if c.pk in own]
    else:
        handled = []
    visible = _open_counts(Organisation.objects.filter(pk__in=handled)) if handled else []
    return {
        "partnership": partnership,
        "council_count": len(councils),
        "queues": visible,
    }


def joins_up_councils(user: Any, partnership: Partnership) -> bool:
    return partnership.joins_two_tiers or len(_current_councils(partnership)) > 1
