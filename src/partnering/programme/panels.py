"""What the programme room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from partnering.core.permissions import is_adviser, is_taskforce_staff

from .selectors import open_actions


def can_see_actions_panel(user: Any) -> bool:
    return is_taskforce_staff(user) or is_adviser(user)


def home_panel(request: HttpRequest) -> dict[str, Any]:
    """Overdue follow-up actions: an adviser's partnerships' (and their own), or all (staff).
    One query."""
    today = timezone.localdate()
    overdue = [a for a in open_actions(request.user) if a.due_on < today]
    return {"overdue": overdue[:10], "overdue_count": len(overdue)}


def similar_section(request: HttpRequest, partnership: Any) -> dict[str, Any]:
    """ "Partnerships like this one": the five most similar the viewer may see, each with why in
    one line, from the lists worked out in advance (two queries whatever the size; comparing
    with every partnership on each page took 0.16 s at 5,000). ``pending`` when this
    partnership's list is not worked out yet: the section links to the full page instead."""
    from .selectors import partnerships_like_precomputed

    similar = partnerships_like_precomputed(request.user, partnership)
    return {"partnership": partnership, "similar": similar or [], "pending": similar is None}


def advisers_section(request: HttpRequest, partnership: Any) -> dict[str, Any]:
    """ "Advisers and mentoring" on a partnership's page (staff): what it needs from its mentors
    and where to assign them, checked for capacity and conflicts. Two queries."""
    from .models import Discipline
    from .permissions import can_assign_advisers
    from .selectors import mentoring_needs_of

    mentors, disciplines, set_by_staff = mentoring_needs_of(partnership)
    return {
        "partnership": partnership,
        "mentors": mentors,
        "disciplines": [Discipline(d).label for d in disciplines],
        "set_by_staff": set_by_staff,
        "may_change": can_assign_advisers(request.user, partnership),
    }
