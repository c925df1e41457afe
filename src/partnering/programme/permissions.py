"""Who may see and change the programme's calls, applications and assessments.

- public: published calls (not drafts) and the applications selected as pathfinders;
- partner members: also the applications of partnerships they may edit (partnerships room's
  rule), which they edit and submit while drafts;
- assessors (users on a call's panel): the submitted applications of that call, except those of
  partnerships their own organisations belong to (conflict of interest); other assessors'
  scores only once they have submitted their own;
- taskforce staff: everything, and they run and confirm the selection.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from partnering.core.permissions import is_signed_in, is_taskforce_staff
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.permissions import (
    partnership_is_open,
    partnerships_editable_by,
    works_on_partnership,
)

from .models import Application, ApplicationStatus, Assessment, Call, CallStatus

ASSESSABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_ASSESSMENT)


def calls_visible_to(user: Any) -> QuerySet[Call]:
    if is_taskforce_staff(user):
        return Call.objects.all()
    return Call.objects.exclude(status=CallStatus.DRAFT)


def _org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_programme_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._programme_org_ids = cached
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
    public = Q(status=ApplicationStatus.SELECTED, call__status=CallStatus.DECIDED)
    if not is_signed_in(user):
        return qs.filter(public)
    own = Q(partnership__in=partnerships_editable_by(user))
    assessing = Q(call__assessors=user, status__in=ASSESSABLE) & ~Q(
        partnership__in=conflicted_partnerships(user)
    )
    return qs.filter(public | own | assessing).distinct()


def can_manage_calls(user: Any) -> bool:
    return is_taskforce_staff(user)


def can_apply(user: Any, call: Call) -> bool:
    return (
        is_signed_in(user)
        and call.status == CallStatus.OPEN
        and (is_taskforce_staff(user) or partnerships_editable_by(user).exists())
    )


def _applicants_write(user: Any, application: Application, statuses: Any) -> bool:
    """A write on the application by its partnership's editors or staff, while the application
    is in one of ``statuses`` and the partnership is open."""
    if application.status not in statuses or not is_signed_in(user):
        return False
    if not partnership_is_open(application.partnership):
        return False
    if is_taskforce_staff(user):
        return True
    return partnerships_editable_by(user).filter(pk=application.partnership_id).exists()


def can_edit_application(user: Any, application: Application) -> bool:
    return _applicants_write(user, application, (ApplicationStatus.DRAFT,))


#: An application can be withdrawn until it is decided.
WITHDRAWABLE = (ApplicationStatus.DRAFT, *ASSESSABLE)


def can_withdraw_application(user: Any, application: Application) -> bool:
    """Its partnership's editors and staff, until it is decided, while the partnership is open."""
    return _applicants_write(user, application, WITHDRAWABLE)


def can_tag_application(user: Any, application: Application) -> bool:
    """Staff attach the call's own tags to a submitted application until the call is decided."""
    return (
        is_taskforce_staff(user)
        and application.status in ASSESSABLE
        and application.call.status != CallStatus.DECIDED
    )


def can_edit_call(user: Any, call: Call) -> bool:
    """Staff change a call until it is decided."""
    return can_manage_calls(user) and call.status != CallStatus.DECIDED


def is_conflicted(user: Any, application: Application) -> bool:
    return conflicted_partnerships(user).filter(pk=application.partnership_id).exists()


def can_assess(user: Any, application: Application) -> bool:
    return (
        is_signed_in(user)
        and application.status in ASSESSABLE
        and application.call.assessors.filter(pk=user.pk).exists()
        and not is_conflicted(user, application)
    )


def can_see_all_scores(user: Any, application: Application) -> bool:
    """Staff; or an assessor who has submitted their own assessment of it (blind until then)."""
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
        | Q(
            application__in=submitted.values("application"),
            submitted_at__isnull=False,
        )
    )


def can_moderate(user: Any, application: Application) -> bool:
    return is_taskforce_staff(user) and application.status in ASSESSABLE


def can_run_selection(user: Any, call: Call) -> bool:
    return is_taskforce_staff(user) and call.status in (CallStatus.OPEN, CallStatus.CLOSED)


def can_view_advice(user: Any, partnership: Partnership) -> bool:
    """A partnership's advice log: its current members' officers, its advisers, staff; a closed
    partnership's too (reading is never closed)."""
    return works_on_partnership(user, partnership)


def can_record_advice(user: Any, partnership: Partnership) -> bool:
    """Advice and mentoring sessions: its advisers and staff, while the partnership is open."""
    if not partnership_is_open(partnership):
        return False
    if is_taskforce_staff(user):
        return True
    return is_signed_in(user) and partnership.advisers.filter(pk=user.pk).exists()


ACTION_DENIED = "Only the action's owner, the partnership's advisers and staff mark it as done."


def actions_visible_to(user: Any) -> QuerySet[Any]:
    """Follow-up actions (from advice and mentoring sessions): staff all; anyone their own and
    those of the partnerships they may change (an adviser's assigned ones, a partner member's
    organisations' current ones); the public none."""
    from .models import Action

    if is_taskforce_staff(user):
        return Action.objects.all()
    if not is_signed_in(user):
        return Action.objects.none()
    return Action.objects.filter(Q(owner=user) | Q(partnership__in=partnerships_editable_by(user)))


def can_complete_action(user: Any, action: Any) -> bool:
    """Mark an action done: its owner, the partnership's advisers and staff, while the
    partnership is open (a closed partnership is read-only)."""
    mark_completable(user, [action])
    return bool(action.can_complete)


def mark_completable(user: Any, actions: Any) -> None:
    """Set ``can_complete`` (``can_complete_action``) on each of ``actions``, whose
    ``partnership`` is loaded: one query whatever their number."""
    actions = list(actions)
    signed_in, staff = is_signed_in(user), is_taskforce_staff(user)
    advised: set[int] = set()
    if signed_in and not staff and actions:
        advised = set(
            Partnership.objects.filter(
                advisers=user, pk__in={a.partnership_id for a in actions}
            ).values_list("pk", flat=True)
        )
    for a in actions:
        a.can_complete = (
            signed_in
            and partnership_is_open(a.partnership)
            and (staff or a.owner_id == user.pk or a.partnership_id in advised)
        )


# --- training modules, events and peer support ---------------------------------------------
#
# - the public: published modules and their cohorts, published events (and their calendars);
# - signed-in people of an organisation (partner members): enrol in a cohort for one of their
#   own organisations, book events, offer peer support, see the peer directory and the
#   partnerships like their own;
# - taskforce staff: everything, including drafts; they record completion and attendance and
#   see who is enrolled and booked, and the programme view of completions by council.


def modules_visible_to(user: Any) -> QuerySet[Any]:
    from .models import TrainingModule

    if is_taskforce_staff(user):
        return TrainingModule.objects.all()
    return TrainingModule.objects.filter(is_published=True)


def can_manage_training(user: Any) -> bool:
    return is_taskforce_staff(user)


def can_enrol(user: Any) -> bool:
    """People of a partner organisation (or staff, enrolling for an organisation they name)."""
    return is_signed_in(user) and (is_taskforce_staff(user) or bool(_org_ids(user)))


def enrolments_visible_to(user: Any) -> QuerySet[Any]:
    from .models import Enrolment

    if is_taskforce_staff(user):
        return Enrolment.objects.all()
    if not is_signed_in(user):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person=user)


def events_visible_to(user: Any) -> QuerySet[Any]:
    from .models import Event

    if is_taskforce_staff(user):
        return Event.objects.all()
    return Event.objects.filter(is_published=True)


def can_book(user: Any) -> bool:
    return is_signed_in(user)


def can_manage_events(user: Any) -> bool:
    return is_taskforce_staff(user)


def bookings_visible_to(user: Any) -> QuerySet[Any]:
    from .models import Booking

    if is_taskforce_staff(user):
        return Booking.objects.all()
    if not is_signed_in(user):
        return Booking.objects.none()
    return Booking.objects.filter(person=user)


def can_see_peers(user: Any) -> bool:
    """The peer directory names people: signed-in users only."""
    return is_signed_in(user)


def can_offer_peer_support(user: Any) -> bool:
    return is_signed_in(user) and bool(_org_ids(user))


def peer_offers_visible_to(user: Any) -> QuerySet[Any]:
    from .models import PeerOffer

    if is_taskforce_staff(user):
        return PeerOffer.objects.all()
    if not is_signed_in(user):
        return PeerOffer.objects.none()
    return PeerOffer.objects.filter(Q(is_listed=True) | Q(person=user))


def can_see_dashboard(user: Any) -> bool:
    return is_taskforce_staff(user)


def can_see_adviser_assignment(user: Any, partnership: Partnership) -> bool:
    """Who advises a partnership, with each adviser's load, and what it needs from its mentors:
    taskforce staff (who assign advisers)."""
    return is_taskforce_staff(user)


def can_assign_advisers(user: Any, partnership: Partnership) -> bool:
    """Assign or remove an adviser, or set what a pathfinder needs from its mentors: staff,
    while the partnership is open."""
    return is_taskforce_staff(user) and partnership_is_open(partnership)


def advisers_visible_to(user: Any) -> QuerySet[Any]:
    """Adviser profiles: staff all; an adviser their own; nobody else."""
    from .models import AdviserProfile

    if is_taskforce_staff(user):
        return AdviserProfile.objects.all()
    if not is_signed_in(user):
        return AdviserProfile.objects.none()
    return AdviserProfile.objects.filter(user=user)


def can_edit_adviser_profile(user: Any, adviser: Any) -> bool:
    """An adviser's profile: staff change anyone's, an adviser their own."""
    return is_taskforce_staff(user) or (is_signed_in(user) and user.pk == adviser.pk)
