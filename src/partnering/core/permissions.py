"""The one permission layer. Each room's ``permissions.py`` builds on these role predicates.

A rule is written once as a queryset filter (``<noun>s_visible_to``) and the object check is
"is it in that queryset", so list pages, detail pages and the API agree.
"""

from typing import Any

from django.core.exceptions import PermissionDenied


def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_taskforce_staff(user: Any) -> bool:
    return is_signed_in(user) and user.is_taskforce_staff


def is_adviser(user: Any) -> bool:
    return is_signed_in(user) and user.is_adviser


def is_partner_member(user: Any) -> bool:
    return is_signed_in(user) and user.is_partner_member


def can_view_history(user: Any) -> bool:
    """Audit history is for taskforce staff."""
    return is_taskforce_staff(user)


def can_manage_api_keys(user: Any) -> bool:
    return is_signed_in(user)


def require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    """Raise PermissionDenied (403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)
