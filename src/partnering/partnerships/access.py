"""Fetch a partnership for a page or an API endpoint, with its permission check, in one place.

Every room that hangs off a partnership (sharing, assurance, procurement, funding, ...) starts
its views and API endpoints with one of these, so the rule "another organisation's private
partnership is a 404; a visible one you may not change is a 403" is written once.
"""

from collections.abc import Mapping
from typing import Any

from django.http import Http404

from partnering.core.permissions import require

from .models import Partnership
from .permissions import can_edit_partnership, partnership_is_open
from .selectors import partnership_get

EDIT_DENIED = (
    "Only the partnership's current members, its advisers and taskforce staff can change it."
)
CLOSED = (
    "This partnership is closed, so nothing in it can be changed. Taskforce staff can reopen it."
)


def partnership_for_viewing(
    user: Any, slug: str, *, annotations: Mapping[str, Any] | None = None
) -> Partnership:
    """The partnership if ``user`` may see it; ``Http404`` otherwise (never a leak).
    ``annotations``: expressions to fetch with it (e.g. its page's section probes)."""
    try:
        return partnership_get(user, slug, annotations=annotations)
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
    require_on(partnership, allowed(user, partnership), message)
    return partnership


def refusal(partnership: Partnership, message: str) -> str:
    """Why a write on ``partnership`` (or on something of it) is refused: that it is closed, when
    it is (whoever asks, that is the reason), else ``message``."""
    return message if partnership_is_open(partnership) else CLOSED


def require_on(partnership: Partnership, allowed: bool, message: str) -> None:
    """``require(allowed, ...)`` for a write on ``partnership`` or on something of it: a 403 that
    says the partnership is closed when it is."""
    require(allowed, refusal(partnership, message))
