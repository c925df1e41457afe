"""What the funding room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Sum
from django.http import HttpRequest

from partnering.partnerships.models import Partnership

from .models import Application, Award
from .permissions import applications_visible_to, awards_visible_to
from .selectors import ZERO, programme_current


def home_panel(request: HttpRequest) -> dict[str, Any]:
    """The fund at a glance (two queries)."""
    programme = programme_current()
    if programme is None:
        return {"programme": None}
    stats = Award.objects.filter(round__programme=programme).aggregate(
        n=Count("pk"), s=Sum("amount")
    )
    return {"programme": programme, "awards": stats["n"], "awarded": stats["s"] or ZERO}


def partnership_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """This partnership's applications and awards the viewer may see (two queries)."""
    return {
        "partnership": partnership,
        "applications": list(
            applications_visible_to(request.user)
            .filter(partnership=partnership)
            .select_related("round")
        ),
        "awards": list(
            awards_visible_to(request.user).filter(application__partnership=partnership)
        ),
    }


def has_applications() -> Exists:
    """Whether the partnership has applied to the fund (``has_content``): an award is always
    of an application, so none means no award either."""
    return Exists(Application.objects.filter(partnership=OuterRef("pk")))


def empty_partnership_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    """The section of a partnership that has not applied: no applications, no awards (no
    query)."""
    return {"partnership": partnership, "applications": [], "awards": []}
