"""Who may see and change partnerships: one rule per verb, as a queryset and as a predicate.

- public (anonymous): published partnerships only; no writes;
- partner members: published partnerships plus any their organisations are or were members of;
  they edit those whose *current* members include one of their organisations, and may register
  a new partnership;
- advisers: see all; edit those assigned to them (``Partnership.advisers``);
- taskforce staff: see and edit all.
"""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from partnering.core.permissions import (
    is_adviser,
    is_partner_member,
    is_signed_in,
    is_taskforce_staff,
)

from .models import Membership, Partnership


def _user_org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_partnering_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._partnering_org_ids = cached
    return cached


def _current_membership_of(org_ids: list[int], today: date | None = None) -> Exists:
    today = today or timezone.localdate()
    return Exists(
        Membership.objects.filter(
            partnership=OuterRef("pk"), organisation_id__in=org_ids, joined_on__lte=today
        ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    )


def partnerships_visible_to(user: Any) -> QuerySet[Partnership]:
    qs = Partnership.objects.all()
    if is_taskforce_staff(user) or is_adviser(user):
        return qs
    if is_partner_member(user):
        org_ids = _user_org_ids(user)
        ever_member = Exists(
            Membership.objects.filter(partnership=OuterRef("pk"), organisation_id__in=org_ids)
        )
        return qs.filter(Q(is_published=True) | ever_member)
    return qs.filter(is_published=True)


def partnerships_editable_by(user: Any) -> QuerySet[Partnership]:
    qs = Partnership.objects.all()
    if is_taskforce_staff(user):
        return qs
    if is_adviser(user):
        return qs.filter(advisers=user)
    if is_partner_member(user):
        return qs.filter(_current_membership_of(_user_org_ids(user)))
    return qs.none()


def can_view_partnership(user: Any, partnership: Partnership) -> bool:
    return partnerships_visible_to(user).filter(pk=partnership.pk).exists()


def can_edit_partnership(user: Any, partnership: Partnership) -> bool:
    if is_taskforce_staff(user):
        return True
    if not is_signed_in(user):
        return False
    return partnerships_editable_by(user).filter(pk=partnership.pk).exists()


def can_create_partnership(user: Any) -> bool:
    """Any signed-in partner member with an organisation (it becomes the lead), or staff."""
    if is_taskforce_staff(user):
        return True
    return is_partner_member(user) and bool(_user_org_ids(user))


def can_reopen_partnership(user: Any, partnership: Partnership) -> bool:
    """Only taskforce staff may move a closed partnership back to review."""
    return is_taskforce_staff(user)


def can_record_priorities(user: Any, organisation: Any, partnership: Partnership) -> bool:
    """An organisation records its own priorities: its partner members; advisers assigned to the
    partnership help them; taskforce staff may too."""
    if is_taskforce_staff(user):
        return True
    if is_adviser(user):
        return partnership.advisers.filter(pk=user.pk).exists()
    return is_partner_member(user) and organisation.pk in _user_org_ids(user)
