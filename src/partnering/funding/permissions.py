"""Who may see and change the fund's records: one rule per noun, a queryset and a predicate.

- public: the programme, rounds that are not drafts, published awards (and the applications
  behind them), the money view, e-enablement progress and the 360Giving files;
- applicants (partner members who may edit a partnership, partnerships room's rule): their own
  partnerships' applications (edited while drafts), awards and claims;
- assessors (users on a round's panel): that round's submitted applications, except those of
  partnerships their own organisations belong to; others' scores once they have submitted;
- finance (taskforce staff named as finance officers): approve claims and record payments,
  never their own claim, and never both approval and payment of one claim (two people);
- taskforce staff: everything else: rounds, moderation, decisions, awards, variations, recovery.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from partnering.core.permissions import is_signed_in, is_taskforce_staff
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.permissions import partnership_is_open, partnerships_editable_by

from .models import (
    ASSESSABLE,
    Application,
    ApplicationStatus,
    Assessment,
    Award,
    Claim,
    ClaimStatus,
    FinanceOfficer,
    Round,
    RoundStatus,
)


def is_finance(user: Any) -> bool:
    if not is_taskforce_staff(user):
        return False
    cached = getattr(user, "_funding_is_finance", None)
    if cached is None:
        cached = FinanceOfficer.objects.filter(user=user).exists()
        user._funding_is_finance = cached
    return bool(cached)


def rounds_visible_to(user: Any) -> QuerySet[Round]:
    if is_taskforce_staff(user):
        return Round.objects.all()
    return Round.objects.exclude(status=RoundStatus.DRAFT)


def can_manage_rounds(user: Any) -> bool:
    return is_taskforce_staff(user)


def _org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_funding_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._funding_org_ids = cached
    return cached


def conflicted_partnerships(user: Any) -> QuerySet[Partnership]:
    """Partnerships any of the user's organisations is or was a member of."""
    return Partnership.objects.filter(
        Exists(
            Membership.objects.filter(
                partnership=OuterRef("pk"), organisation_id__in=_org_ids(user)
            )
        )
    )


def applications_visible_to(user: Any) -> QuerySet[Application]:
    qs = Application.objects.all()
    if is_taskforce_staff(user):
        return qs
    public = Q(status=ApplicationStatus.AWARDED, award__is_published=True)
    if not is_signed_in(user):
        return qs.filter(public)
    own = Q(partnership__in=partnerships_editable_by(user))
    assessing = Q(round__assessors=user, status__in=ASSESSABLE) & ~Q(
        partnership__in=conflicted_partnerships(user)
    )
    return qs.filter(public | own | assessing).distinct()


def can_apply(user: Any, round_: Round) -> bool:
    return (
        is_signed_in(user)
        and round_.status == RoundStatus.OPEN
        and (is_taskforce_staff(user) or partnerships_editable_by(user).exists())
    )


def is_applicant(user: Any, application: Application) -> bool:
    return partnerships_editable_by(user).filter(pk=application.partnership_id).exists()


def can_edit_application(user: Any, application: Application) -> bool:
    if application.status != ApplicationStatus.DRAFT or not is_signed_in(user):
        return False
    if not partnership_is_open(application.partnership):
        return False
    return is_taskforce_staff(user) or is_applicant(user, application)


def is_conflicted(user: Any, application: Application) -> bool:
    return conflicted_partnerships(user).filter(pk=application.partnership_id).exists()


def can_assess(user: Any, application: Application) -> bool:
    return (
        is_signed_in(user)
        and application.status in ASSESSABLE
        and application.round.assessors.filter(pk=user.pk).exists()
        and not is_conflicted(user, application)
    )


def can_see_all_scores(user: Any, application: Application) -> bool:
    """Staff; or an assessor who has submitted their own assessment (blind until then)."""
    if is_taskforce_staff(user):
        return True
    if not is_signed_in(user):
        return False
    return Assessment.objects.filter(
        application=application, assessor=user, submitted_at__isnull=False
    ).exists()


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    if is_taskforce_staff(user):
        return Assessment.objects.all()
    if not is_signed_in(user):
        return Assessment.objects.none()
    submitted = Assessment.objects.filter(assessor=user, submitted_at__isnull=False)
    return Assessment.objects.filter(
        Q(assessor=user)
        | Q(application__in=submitted.values("application"), submitted_at__isnull=False)
    )


def can_moderate(user: Any, application: Application) -> bool:
    return is_taskforce_staff(user) and application.status in ASSESSABLE


def can_decide(user: Any, application: Application) -> bool:
    return is_taskforce_staff(user) and application.status in ASSESSABLE


def awards_visible_to(user: Any) -> QuerySet[Award]:
    qs = Award.objects.all()
    if is_taskforce_staff(user):
        return qs
    if not is_signed_in(user):
        return qs.filter(is_published=True)
    return qs.filter(
        Q(is_published=True) | Q(application__partnership__in=partnerships_editable_by(user))
    ).distinct()


def can_manage_award(user: Any, award: Award) -> bool:
    """Variations, clawback and withholding: taskforce staff."""
    return is_taskforce_staff(user)


def can_claim(user: Any, award: Award) -> bool:
    """The recipient partnership's people (or staff on their behalf) claim against milestones."""
    if not is_signed_in(user):
        return False
    if is_taskforce_staff(user):
        return True
    return partnerships_editable_by(user).filter(pk=award.application.partnership_id).exists()


def claims_visible_to(user: Any) -> QuerySet[Claim]:
    qs = Claim.objects.all()
    if is_taskforce_staff(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(award__application__partnership__in=partnerships_editable_by(user))


def can_approve_claim(user: Any, claim: Claim) -> bool:
    """Finance, not the person who made the claim (a second person)."""
    return is_finance(user) and claim.status == ClaimStatus.SUBMITTED and claim.submitted_by != user


def can_record_payment(user: Any, claim: Claim) -> bool:
    """Finance, not the person who approved it (two people for a payment)."""
    return (
        is_finance(user)
        and claim.status == ClaimStatus.APPROVED
        and claim.approved_by_id != user.pk
        and claim.submitted_by_id != user.pk
    )


def can_manage_e_enablement(user: Any) -> bool:
    return is_taskforce_staff(user)
