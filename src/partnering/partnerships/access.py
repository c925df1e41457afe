"""Fetch a partnership for a page or an API endpoint, with its permission check, in one place.

Every room that hangs off a partnership (sharing, assurance, procurement, funding, ...) starts
its views and API endpoints with one of these, so the rule "another organisation's private
partnership is a 404; a visible one you may not change is a 403" is written once.
"""

from typing import Any

from django.http import Http404

from partnering.core.permissions import require

from .models import Partnership, Stage
from .permissions import can_edit_partnership, can_move_partnership_stage
from .selectors import partnership_get

EDIT_DENIED = (
    "Only the partnership's current members, its advisers and taskforce staff can change it."
)
CLOSED = (
    "This partnership is closed, so nothing in it can be changed. Taskforce staff can reopen it."
)


def partnership_for_viewing(user: Any, slug: str) -> Partnership:
    """The partnership if ``user`` may see it; ``Http404`` otherwise (never a leak)."""
    try:
        return partnership_get(user, slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None


def partnership_for_editing(
    user: Any,
    slug: str,
    *,
    allowed: Any = can_edit_partnership,
    message: str = EDIT_DENIED,
) -> Partnership:
    """The partnership if ``user`` may see it (else 404) and change it (else 403).

    ``allowed(user, partnership) -> bool`` is the room's own rule (for example
    ``can_edit_shares``); by default the partnerships room's ``can_edit_partnership``.
    """
    partnership = partnership_for_viewing(user, slug)
    if not allowed(user, partnership):
        closed = partnership.stage == Stage.CLOSED and can_move_partnership_stage(user, partnership)
        require(False, CLOSED if closed else message)
    return partnership
