"""What the partnerships room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from partnering.organisations.models import Organisation

from .selectors import PartnershipFilters, organisation_partnerships, partnership_facets


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
