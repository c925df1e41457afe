"""What the partnerships room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from partnering.core.permissions import is_adviser, is_partner_member
from partnering.organisations.models import Organisation

from .selectors import (
    PartnershipFilters,
    my_partnerships,
    organisation_partnerships,
    partnership_facets,
)


def home_panel(request: HttpRequest) -> dict[str, Any]:
    """The programme at a glance, for what the viewer may see, in a fixed number of queries."""
    facets = partnership_facets(
        viewer=request.user, filters=PartnershipFilters(), only=("stage", "kind", "pathfinder")
    )
    pathfinders = {option.value: option.count for option in facets["pathfinder"]}
    return {
        "stages": facets["stage"],
        "kinds": facets["kind"],
        "partnership_total": sum(option.count for option in facets["stage"]),
        "pathfinder_total": pathfinders.get("yes", 0),
    }


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """An organisation's partnerships, on its page: those the viewer may see."""
    rows = organisation_partnerships(viewer=request.user, organisation=organisation)
    return {"organisation": organisation, "rows": rows}


def can_have_own_partnerships(user: Any) -> bool:
    return is_adviser(user) or is_partner_member(user)


def my_partnerships_panel(request: HttpRequest) -> dict[str, Any]:
    """An adviser's assigned partnerships or a partner member's organisations', with what needs
    doing in each (their start page)."""
    rows, total = my_partnerships(viewer=request.user)
    return {"rows": rows, "total": total, "is_adviser": is_adviser(request.user)}
