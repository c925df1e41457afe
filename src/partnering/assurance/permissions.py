"""Who may see and change gateway reviews and risk registers (one rule per verb).

- reviews: taskforce staff and advisers see all; partner members see the reviews of
  partnerships their organisations are or were members of; the public sees only the published
  summaries of published partnerships. Staff set reviews up; the review team (lead and members)
  and staff write them; the partnership's editors (current members, assigned advisers, staff)
  update the status and follow-up of its recommendations.
- risk registers: staff and advisers see all; partner members those of partnerships their
  organisations are or were members of; the public nothing. The partnership's editors change
  its register. The programme view is for staff.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from partnering.core.permissions import (
    is_adviser,
    is_partner_member,
    is_signed_in,
    is_taskforce_staff,
)
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.permissions import can_edit_partnership, partnership_is_open

from .models import Review, ReviewTeamMember


def _org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_partnering_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._partnering_org_ids = cached
    return cached


def partnerships_with_assurance_visible_to(user: Any) -> QuerySet[Partnership]:
    """Partnerships whose reviews in full and risk register ``user`` may see."""
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


def can_view_assurance(user: Any, partnership: Partnership) -> bool:
    if is_taskforce_staff(user) or is_adviser(user):
        return True
    if not is_signed_in(user):
        return False
    return partnerships_with_assurance_visible_to(user).filter(pk=partnership.pk).exists()


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    qs = Review.objects.all()
    if is_taskforce_staff(user) or is_adviser(user):
        return qs
    if is_partner_member(user):
        return qs.filter(partnership__in=partnerships_with_assurance_visible_to(user))
    return qs.none()


def review_summaries_visible_to(user: Any) -> QuerySet[Review]:
    """Reviews whose summary (gate, dates, rating, summary) ``user`` may read."""
    published = Q(is_published=True, partnership__is_published=True)
    if is_signed_in(user):
        return Review.objects.filter(published | Q(pk__in=reviews_visible_to(user).values("pk")))
    return Review.objects.filter(published)


def can_view_review(user: Any, review: Review) -> bool:
    return can_view_assurance(user, review.partnership)


def can_create_review(user: Any, partnership: Partnership) -> bool:
    return partnership_is_open(partnership) and is_taskforce_staff(user)


def is_on_team(user: Any, review: Review) -> bool:
    if not is_signed_in(user):
        return False
    return ReviewTeamMember.objects.filter(review=review, user=user).exists()


def can_edit_review(user: Any, review: Review) -> bool:
    """Staff, or the review team while the review is a draft; never while its partnership is
    closed."""
    if not partnership_is_open(review.partnership):
        return False
    if is_taskforce_staff(user):
        return True
    return review.status == "draft" and is_on_team(user, review)


def can_publish_review(user: Any, review: Review) -> bool:
    return partnership_is_open(review.partnership) and is_taskforce_staff(user)


def can_follow_up(user: Any, review: Review) -> bool:
    """Update a recommendation's status and follow-up: the partnership's editors and the team."""
    if not partnership_is_open(review.partnership):
        return False
    return can_edit_partnership(user, review.partnership) or is_on_team(user, review)


def can_edit_register(user: Any, partnership: Partnership) -> bool:
    return can_edit_partnership(user, partnership)


def can_view_programme(user: Any) -> bool:
    return is_taskforce_staff(user)


def can_manage_matrices(user: Any) -> bool:
    return is_taskforce_staff(user)
