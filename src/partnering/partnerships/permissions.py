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
from partnering.organisations.models import Organisation

from .models import Membership, Partnership, Stage


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
            partnership=OuterRef("pk"), organisation_id__in=org_ids
        ).current_on(today)
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


def partnerships_worked_on_by(user: Any) -> QuerySet[Partnership]:
    """ "Mine": the partnerships assigned to an adviser, or of a partner member's organisations
    (current members). Staff are assigned none; the public none."""
    if is_adviser(user):
        return Partnership.objects.filter(advisers=user)
    if is_partner_member(user):
        return Partnership.objects.filter(_current_membership_of(_user_org_ids(user)))
    return Partnership.objects.none()


def can_view_partnership(user: Any, partnership: Partnership) -> bool:
    return partnerships_visible_to(user).filter(pk=partnership.pk).exists()


def partnership_is_open(partnership: Partnership) -> bool:
    """The one rule for writes: a closed partnership is read-only until taskforce staff reopen it.

    Every predicate that allows a write on a partnership or on anything hanging off it (every
    room's) asks this first; the one write a closed partnership takes is the stage move back to
    review (``can_move_partnership_stage``). Reads never ask it."""
    return partnership.stage != Stage.CLOSED


def works_on_partnership(user: Any, partnership: Partnership) -> bool:
    """Its current members' people, its advisers and taskforce staff work on a partnership,
    open or closed (who they are; whether they may change it is ``can_edit_partnership``)."""
    if is_taskforce_staff(user):
        return True
    if not is_signed_in(user):
        return False
    return partnerships_editable_by(user).filter(pk=partnership.pk).exists()


def can_move_partnership_stage(user: Any, partnership: Partnership) -> bool:
    """The people who work on a partnership move it through its lifecycle; a closed one only
    taskforce staff, to reopen it (the one write a closed partnership takes)."""
    if not partnership_is_open(partnership):
        return can_reopen_partnership(user, partnership)
    return works_on_partnership(user, partnership)


def can_edit_partnership(user: Any, partnership: Partnership) -> bool:
    """Change a partnership or anything hanging off it (every room's writes ask this): the
    people who work on it, and never while it is closed."""
    return partnership_is_open(partnership) and works_on_partnership(user, partnership)


def lead_organisation_choices(
    user: Any, partnership: Partnership | None = None
) -> QuerySet[Organisation]:
    """The organisations that may lead: the one rule, used by the form (its choices), the
    service (which refuses any other) and ``can_create_partnership``.

    Of an existing partnership: one of its current members. Of a new one: a partner member
    leads with one of their own organisations; taskforce staff, and scripts acting as nobody,
    with any organisation (a partnership from 2002 may be led by a council since abolished);
    advisers do not register partnerships."""
    if partnership is not None:
        return Organisation.objects.filter(
            Exists(
                Membership.objects.filter(
                    partnership=partnership, organisation=OuterRef("pk")
                ).current_on(timezone.localdate())
            )
        )
    if is_taskforce_staff(user) or not is_signed_in(user):
        return Organisation.objects.all()
    if is_partner_member(user):
        return Organisation.objects.filter(pk__in=_user_org_ids(user))
    return Organisation.objects.none()


def can_create_partnership(user: Any) -> bool:
    """Taskforce staff, or a partner member with an organisation to lead it."""
    if is_taskforce_staff(user):
        return True
    return is_partner_member(user) and lead_organisation_choices(user).exists()


def can_reopen_partnership(user: Any, partnership: Partnership) -> bool:
    """Only taskforce staff may move a closed partnership back to review (``stage_move``)."""
    return is_taskforce_staff(user)


def can_record_priorities(user: Any, organisation: Any, partnership: Partnership) -> bool:
    """An organisation records its own priorities: its partner members; advisers assigned to the
    partnership help them; taskforce staff may too. Not through a closed partnership."""
    if not partnership_is_open(partnership):
        return False
    if is_taskforce_staff(user):
        return True
    if is_adviser(user):
        return partnership.advisers.filter(pk=user.pk).exists()
    return is_partner_member(user) and organisation.pk in _user_org_ids(user)
