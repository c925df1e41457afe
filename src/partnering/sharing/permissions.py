"""Who may see and change a partnership's fair shares: exactly the partnership's own rules.

Reading follows ``can_view_partnership`` (public: published partnerships only); writing
(cost models, calculations, agreements, risk scenarios) follows ``can_edit_partnership``
(partner members of a current member organisation, assigned advisers, taskforce staff).
"""

from typing import Any

from partnering.core.permissions import can_view_history
from partnering.partnerships.models import Partnership
from partnering.partnerships.permissions import can_edit_partnership, can_view_partnership

__all__ = ["can_edit_shares", "can_view_shares", "can_view_shares_history"]


def can_view_shares(user: Any, partnership: Partnership) -> bool:
    return can_view_partnership(user, partnership)


def can_edit_shares(user: Any, partnership: Partnership) -> bool:
    return can_edit_partnership(user, partnership)


def can_view_shares_history(user: Any) -> bool:
    return can_view_history(user)
