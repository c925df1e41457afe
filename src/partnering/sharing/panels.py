"""What the sharing room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from partnering.partnerships.models import Partnership

from .models import CostModel
from .selectors import agreements_outside_core


def home_panel(request: HttpRequest) -> dict[str, Any]:
    return {"outside_core": agreements_outside_core(viewer=request.user)}


def partnership_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The link to the partnership's fair shares and, when the latest version has members whose
    figures are still to be entered (someone just joined), a call to enter them."""
    from .permissions import can_edit_shares
    from .services import missing_in_version

    latest = CostModel.objects.filter(partnership=partnership).order_by("-version").first()
    missing = missing_in_version(latest) if latest is not None else []
    return {
        "partnership": partnership,
        "latest": latest,
        "missing": missing,
        "can_edit": bool(missing) and can_edit_shares(request.user, partnership),
    }


def has_cost_model() -> Exists:
    """Whether the partnership has a cost model (the section's ``has_content``)."""
    return Exists(CostModel.objects.filter(partnership=OuterRef("pk")))


def empty_partnership_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The section of a partnership without a cost model: the link alone (no query)."""
    return {"partnership": partnership, "latest": None, "missing": [], "can_edit": False}
