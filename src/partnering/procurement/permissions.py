"""Who may see and change a partnership's scope, appraisals and procurements.

- The working papers (scope, options appraisals, management arrangements): taskforce staff and
  advisers; partner members of organisations that are or were members of the partnership. The
  public and other organisations' members see none of them (a 404).
- Procurements: whoever may see the partnership sees what open contracting publishes (route,
  stages, bidders, award, contract); the evaluation scores only the evaluation panel and staff
  until the award decision, then those who see the working papers.
- Changes: the partnership's editors (its current members' people, its advisers, staff), never
  while it is closed. Evaluation scores: the evaluation panel and staff.
"""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from partnering.core.permissions import (
    is_adviser,
    is_partner_member,
    is_signed_in,
    is_taskforce_staff,
)
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.permissions import (
    can_edit_partnership,
    partnership_is_open,
    partnerships_visible_to,
)

from .models import Procurement


def _org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_partnering_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._partnering_org_ids = cached
    return cached


def partnerships_with_workings_visible_to(user: Any) -> QuerySet[Partnership]:
    """Partnerships whose scope, appraisals and arrangements ``user`` may see."""
    qs = Partnership.objects.all()
    if is_taskforce_staff(user) or is_adviser(user):
        return qs
    if is_partner_member(user):
        ever = Exists(
            Membership.objects.filter(
                partnership=OuterRef("pk"), organisation_id__in=_org_ids(user)
            )
        )
        return qs.filter(ever)
    return qs.none()


def can_view_workings(user: Any, partnership: Partnership) -> bool:
    if is_taskforce_staff(user) or is_adviser(user):
        return True
    if not is_signed_in(user):
        return False
    return partnerships_with_workings_visible_to(user).filter(pk=partnership.pk).exists()


def can_edit_procurement(user: Any, partnership: Partnership) -> bool:
    """Change the scope, appraisals and procurements of ``partnership``."""
    return can_edit_partnership(user, partnership)


def procurements_visible_to(user: Any) -> QuerySet[Procurement]:
    return Procurement.objects.filter(partnership__in=partnerships_visible_to(user))


def is_on_panel(user: Any, procurement: Procurement) -> bool:
    if not is_signed_in(user):
        return False
    return procurement.panel.filter(pk=user.pk).exists()


def can_view_scores(user: Any, procurement: Procurement) -> bool:
    """Evaluation scores: the panel and staff; after the award, whoever sees the workings."""
    if is_taskforce_staff(user) or is_on_panel(user, procurement):
        return True
    return procurement.is_awarded and can_view_workings(user, procurement.partnership)


def can_score(user: Any, procurement: Procurement) -> bool:
    """Enter evaluation scores: the evaluation panel and staff, before the award decision."""
    if not partnership_is_open(procurement.partnership):
        return False
    return is_taskforce_staff(user) or is_on_panel(user, procurement)
