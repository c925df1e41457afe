"""Writes of the partnerships room: each in one transaction, validated, audited.

Membership services send ``signals.membership_changed`` after the write, inside the transaction,
so a receiver (the sharing room) versions shares atomically with the change.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from partnering.core.audit import audited_save, model_update
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.core.permissions import is_taskforce_staff
from partnering.organisations.models import Kind, Organisation, Sector

from .errors import PartnershipError as E
from .maths.fit import is_valid_score
from .models import (
    STAGE_ORDER,
    AimScore,
    MemberRole,
    Membership,
    Partnership,
    PartnershipKind,
    Priority,
    ServiceArea,
    Stage,
    StageChange,
    StrategicAim,
)
from .permissions import can_reopen_partnership, lead_organisation_choices
from .registry import stage_blocks
from .signals import membership_changed

# --- derived fields -------------------------------------------------------------------------


def derive_kind(sectors: Iterable[str]) -> str:
    """Public-public, public-private, public-voluntary or mixed, from the members' sectors."""
    present = set(sectors)
    if not present:
        return ""
    others = present - {Sector.PUBLIC}
    if not others:
        return PartnershipKind.PUBLIC_PUBLIC
    if Sector.PUBLIC in present and others == {Sector.PRIVATE}:
        return PartnershipKind.PUBLIC_PRIVATE
    if Sector.PUBLIC in present and others == {Sector.VOLUNTARY}:
        return PartnershipKind.PUBLIC_VOLUNTARY
    return PartnershipKind.MIXED


def derive_joins_two_tiers(organisations: Iterable[Organisation]) -> bool:
    """True when a county council and at least one of its own districts are both members."""
    orgs = list(organisations)
    counties = {o.pk for o in orgs if o.kind == Kind.COUNTY}
    return any(o.kind == Kind.DISTRICT and o.parent_county_id in counties for o in orgs)


def partnership_refresh_derived(
    *, partnership: Partnership, today: date | None = None
) -> Partnership:
    """Recompute kind, joins_two_tiers, member_count and region from the current members."""
    today = today or timezone.localdate()
    current = [
        m.organisation
        for m in Membership.objects.filter(partnership=partnership)
        .current_on(today)
        .select_related("organisation")
    ]
    lead_region = (
        Organisation.objects.filter(pk=partnership.lead_organisation_id)
        .values_list("region", flat=True)
        .first()
    )
    values = {
        "kind": derive_kind(o.sector for o in current),
        "joins_two_tiers": derive_joins_two_tiers(current),
        "member_count": len({o.pk for o in current}),
        "region": lead_region or "",
    }
    Partnership.objects.filter(pk=partnership.pk).update(**values)
    for name, value in values.items():
        setattr(partnership, name, value)
    return partnership


# --- partnerships ---------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100] or "partnership"
    slug, n = base, 1
    taken = Partnership.objects.exclude(pk=exclude_pk) if exclude_pk else Partnership.objects
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_reference(reference: str, *, exclude_pk: int | None = None) -> None:
    qs = Partnership.objects.filter(reference__iexact=reference)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(
            E.REFERENCE_TAKEN, "Another partnership already has this reference", "reference"
        )


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def partnership_create(
    *,
    name: str,
    reference: str,
    purpose: str,
    lead_organisation: Organisation,
    start_date: date | None = None,
    service_areas: Iterable[ServiceArea] = (),
    is_pathfinder: bool = False,
    pathfinder_theme: str = "",
    is_published: bool = False,
    notes: str = "",
    is_demo: bool = False,
    joined_on: date | None = None,
    lead_reason: str = "Registered the partnership",
    actor: Any,
) -> Partnership:
    """Register a partnership; the lead organisation becomes its first member (role lead), in
    one transaction. It starts unpublished: its members publish it when they are ready for the
    public to see it. Advisers are not assigned here: the room that owns advisers assigns them
    (checking their capacity and conflicts of interest) through ``partnership_update``."""
    if not lead_organisation_choices(actor).filter(pk=lead_organisation.pk).exists():
        raise DomainError(
            E.LEAD_NOT_YOURS,
            "Choose one of your own organisations as the lead organisation",
            "lead_organisation",
        )
    _check_reference(reference)
    partnership = Partnership(
        name=name,
        reference=reference,
        slug=_unique_slug(name),
        purpose=purpose,
        lead_organisation=lead_organisation,
        start_date=start_date,
        is_pathfinder=is_pathfinder,
        pathfinder_theme=pathfinder_theme if is_pathfinder else "",
        is_published=is_published,
        notes=notes,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    partnership.full_clean()
    audited_save(partnership, actor=actor, reason="Registered")
    partnership.service_areas.set(list(service_areas))
    first_day = joined_on or min(start_date or _today(), _today())
    StageChange.objects.create(
        partnership=partnership,
        from_stage="",
        to_stage=Stage.IDEA,
        moved_by=partnership.created_by,
        moved_on=first_day,
        reason="Registered",
    )
    membership_add(
        partnership=partnership,
        organisation=lead_organisation,
        role=MemberRole.LEAD,
        joined_on=first_day,
        reason=lead_reason,
        actor=actor,
    )
    return partnership


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    data: Mapping[str, Any],
    actor: Any,
    reason: str = "",
    lead_from: date | None = None,
) -> Partnership:
    """Change the typed-in fields (never the derived ones). ``data`` may hold any of: name,
    reference, purpose, lead_organisation, start_date, is_pathfinder, pathfinder_theme,
    is_published, notes, service_areas, advisers (staff only: the programme room sets them
    after checking capacity and conflicts of interest; no page of this room offers them). A
    new lead holds the lead role from ``lead_from`` (default today)."""
    editable = {
        "name", "reference", "purpose", "lead_organisation", "start_date", "is_pathfinder",
        "pathfinder_theme", "is_published", "notes",
    }  # fmt: skip
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _require_open(partnership)
    if "reference" in data:
        _check_reference(data["reference"], exclude_pk=partnership.pk)
    lead = data.get("lead_organisation")
    if (
        lead is not None
        and lead.pk != partnership.lead_organisation_id
        and not lead_organisation_choices(actor, partnership).filter(pk=lead.pk).exists()
    ):
        raise DomainError(
            E.LEAD_NOT_MEMBER,
            "The lead organisation must be a current member",
            "lead_organisation",
        )
    start = data.get("start_date")
    if start is not None:
        first_joined = (
            Membership.objects.filter(partnership=partnership)
            .order_by("joined_on")
            .values_list("joined_on", flat=True)
            .first()
        )
        if first_joined is not None and start > first_joined:
            raise DomainError(
                E.START_AFTER_FIRST_MEMBER,
                f"The start date must be on or before the day the first member joined "
                f"({_d(first_joined)})",
                "start_date",
            )
    data = dict(data)
    if not data.get("is_pathfinder", partnership.is_pathfinder):
        data["pathfinder_theme"] = ""
    old_lead_id = partnership.lead_organisation_id
    model_update(
        partnership, fields=editable, data=data, actor=actor, reason=reason or "Details changed"
    )
    if partnership.lead_organisation_id != old_lead_id:
        _hand_over_lead_role(partnership, old_lead_id, lead_from or _today(), actor)
    if "service_areas" in data:
        partnership.service_areas.set(list(data["service_areas"]))
    if "advisers" in data and is_taskforce_staff(actor):
        partnership.advisers.set(list(data["advisers"]))
    return partnership_refresh_derived(partnership=partnership)


def _hand_over_lead_role(partnership: Partnership, old_lead_id: int, on: date, actor: Any) -> None:
    """The lead organisation always holds the lead role: from ``on`` the new lead is lead and
    the old one a partner (each a role change, so the partnership as it stood on any day is
    kept). An old lead abolished before ``on`` keeps its role until its membership ends."""
    _require_not_future(on, "lead_from", "The date the new lead takes over")
    current = Membership.objects.filter(partnership=partnership).current_on(on)
    wanted = {old_lead_id: MemberRole.PARTNER, partnership.lead_organisation_id: MemberRole.LEAD}
    for membership in current.filter(organisation_id__in=wanted).select_related("organisation"):
        ended = membership.organisation.end_date
        if membership.organisation_id == old_lead_id and ended is not None and ended < on:
            continue
        role = wanted[membership.organisation_id]
        if membership.role != role:
            membership_change_role(
                membership=membership, role=role, on=on, reason="The lead changed", actor=actor
            )


# --- members over time ----------------------------------------------------------------------


def _require_open(partnership: Partnership) -> None:
    if partnership.stage == Stage.CLOSED:
        raise DomainError(E.PARTNERSHIP_CLOSED, "This partnership is closed: reopen it first")


def _require_not_future(day: date, field: str, label: str) -> None:
    if day > _today():
        raise DomainError(E.DATE_IN_FUTURE, f"{label} must be today or in the past", field)


def _d(day: date) -> str:
    return f"{govuk_date(day)}"


def _require_in_lifetime(organisation: Organisation, joined_on: date, left_on: date | None) -> None:
    """A membership lies within the organisation's own life: an abolished council cannot join
    after its last day (its successor can), nor stay a member after it."""
    name = organisation.name
    if organisation.start_date and joined_on < organisation.start_date:
        raise DomainError(
            E.ORGANISATION_NOT_IN_EXISTENCE,
            f"{name} did not exist until {_d(organisation.start_date)}: "
            "enter a date it joined on or after that",
            "joined_on",
        )
    end = organisation.end_date
    if end is None:
        return
    successors = ", ".join(o.name for o in organisation.replaced_by.order_by("name"))
    instead = f" Add its successor ({successors}) instead." if successors else ""
    if joined_on > end:
        raise DomainError(
            E.ORGANISATION_NOT_IN_EXISTENCE,
            f"{name} was abolished: its last day was {_d(end)}, so it cannot join after it."
            + instead,
            "joined_on",
        )
    if left_on is not None and left_on > end:
        raise DomainError(
            E.ORGANISATION_NOT_IN_EXISTENCE,
            f"{name} was abolished: it must leave on or before its last day, {_d(end)}",
            "left_on",
        )


def _require_after_start(partnership: Partnership, joined_on: date) -> None:
    if partnership.start_date and joined_on < partnership.start_date:
        raise DomainError(
            E.BEFORE_PARTNERSHIP_STARTED,
            f"The partnership started on {_d(partnership.start_date)}: "
            "a member cannot join before that",
            "joined_on",
        )


def _overlapping(
    partnership: Partnership, organisation: Organisation, start: date, end: date | None
) -> Membership | None:
    qs = Membership.objects.filter(partnership=partnership, organisation=organisation).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start)
    )
    if end is not None:
        qs = qs.filter(joined_on__lte=end)
    return qs.order_by("joined_on").first()


def _send(membership: Membership, change: str, on: date, actor: Any, reason: str) -> None:
    membership_changed.send(
        sender=Membership,
        partnership=membership.partnership,
        membership=membership,
        change=change,
        on=on,
        actor=actor,
        reason=reason,
    )


def _lock(partnership: Partnership) -> None:
    """Hold the partnership's row until the transaction ends."""
    list(Partnership.objects.select_for_update().filter(pk=partnership.pk).values_list("pk"))


@transaction.atomic
def membership_add(
    *,
    partnership: Partnership,
    organisation: Organisation,
    role: str,
    joined_on: date,
    reason: str = "",
    left_on: date | None = None,
    left_reason: str = "",
    is_verified: bool = True,
    actor: Any,
) -> Membership:
    """Add an organisation as a member from ``joined_on`` (optionally already ended).

    The partnership's row is locked first, so two requests adding the same organisation at once
    cannot both pass the overlap check (PostgreSQL; SQLite serialises writers anyway)."""
    _lock(partnership)
    _require_open(partnership)
    _require_not_future(joined_on, "joined_on", "The date they joined")
    if left_on is not None:
        if left_on < joined_on:
            raise DomainError(
                E.LEFT_BEFORE_JOINED, "The date they left must be on or after the date they joined",
                "left_on",
            )  # fmt: skip
        _require_not_future(left_on, "left_on", "The date they left")
    _require_in_lifetime(organisation, joined_on, left_on)
    if role == MemberRole.LEAD and organisation.pk != partnership.lead_organisation_id:
        raise DomainError(
            E.LEAD_KEEPS_LEAD_ROLE,
            "Only the lead organisation holds the lead role: choose another role, or make this "
            "organisation the lead in the partnership's details",
            "role",
        )
    clash = _overlapping(partnership, organisation, joined_on, left_on)
    if clash is not None:
        until = f"to {govuk_date(clash.left_on)}" if clash.left_on else "and is still a member"
        raise DomainError(
            E.MEMBER_OVERLAP,
            f"{organisation.name} is already a member on those dates "
            f"(from {govuk_date(clash.joined_on)} {until})",
            "organisation",
        )
    _require_after_start(partnership, joined_on)
    membership = Membership(
        partnership=partnership,
        organisation=organisation,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        reason=reason,
        left_reason=left_reason,
        is_verified=is_verified,
    )
    membership.full_clean()
    audited_save(membership, actor=actor, reason=reason or "Joined")
    partnership_refresh_derived(partnership=partnership)
    _send(membership, "joined", joined_on, actor, reason)
    if left_on is not None:
        _send(membership, "left", left_on, actor, left_reason)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: date, reason: str, actor: Any) -> Membership:
    """End a membership: ``left_on`` is the last day as a member."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("partnership", "organisation")
        .get(pk=membership.pk)
    )
    partnership = membership.partnership
    _require_open(partnership)
    if membership.left_on is not None:
        raise DomainError(
            E.ALREADY_LEFT,
            f"{membership.organisation.name} already left on {govuk_date(membership.left_on)}",
        )
    if not reason.strip():
        raise DomainError(E.REASON_REQUIRED, "Enter why they left", "reason")
    if left_on < membership.joined_on:
        raise DomainError(
            E.LEFT_BEFORE_JOINED,
            f"The date they left must be on or after the date they joined ({govuk_date(membership.joined_on)})",
            "left_on",
        )
    _require_not_future(left_on, "left_on", "The date they left")
    end = membership.organisation.end_date
    if end is not None and left_on > end:
        raise DomainError(
            E.ORGANISATION_NOT_IN_EXISTENCE,
            f"{membership.organisation.name} was abolished: it must leave on or before its last "
            f"day, {_d(end)}",
            "left_on",
        )
    if membership.organisation_id == partnership.lead_organisation_id:
        raise DomainError(
            E.LEAD_CANNOT_LEAVE,
            "The lead organisation cannot leave: make another member the lead first",
        )
    membership.left_on = left_on
    membership.left_reason = reason.strip()
    membership.full_clean()
    audited_save(membership, actor=actor, reason=f"Left: {reason.strip()}")
    partnership_refresh_derived(partnership=partnership)
    _send(membership, "left", left_on, actor, reason.strip())
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, on: date, reason: str = "", actor: Any
) -> Membership:
    """Change a current member's role from ``on``: the old membership ends the day before and a
    new one starts (so the partnership as it stood on any date shows the role then). On the day
    they joined, the role is corrected in place."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("partnership", "organisation")
        .get(pk=membership.pk)
    )
    partnership = membership.partnership
    _require_open(partnership)
    if membership.left_on is not None:
        raise DomainError(E.ALREADY_LEFT, "Only a current member's role can be changed")
    if role == membership.role:
        raise DomainError(E.SAME_ROLE, "Choose a different role", "role")
    is_lead = membership.organisation_id == partnership.lead_organisation_id
    if is_lead != (role == MemberRole.LEAD):
        raise DomainError(
            E.LEAD_KEEPS_LEAD_ROLE,
            f"{membership.organisation.name} leads the partnership: make another member the "
            "lead first (in the partnership's details), and its role changes with it"
            if is_lead
            else "Only the lead organisation holds the lead role: make this member the lead "
            "in the partnership's details instead",
            "role",
        )
    if on < membership.joined_on:
        raise DomainError(
            E.ROLE_CHANGE_DATE,
            f"The date of the change must be on or after the date they joined ({govuk_date(membership.joined_on)})",
            "on",
        )
    _require_not_future(on, "on", "The date of the change")
    old_label = membership.get_role_display().lower()
    if on == membership.joined_on:
        membership.role = role
        membership.full_clean()
        audited_save(membership, actor=actor, reason=reason or f"Role corrected (was {old_label})")
        changed = membership
    else:
        membership.left_on = on - timedelta(days=1)
        membership.left_reason = f"Role changed to {MemberRole(role).label.lower()}"
        membership.full_clean()
        audited_save(membership, actor=actor, reason=membership.left_reason)
        changed = Membership(
            partnership=partnership,
            organisation=membership.organisation,
            role=role,
            joined_on=on,
            reason=reason or f"Role changed (was {old_label})",
            is_verified=membership.is_verified,
        )
        changed.full_clean()
        audited_save(changed, actor=actor, reason=changed.reason)
    partnership_refresh_derived(partnership=partnership)
    _send(changed, "role_changed", on, actor, reason)
    return changed


# --- lifecycle ------------------------------------------------------------------------------

STAGE_RULES = (
    "Move forward one stage at a time. Go back any number of stages with a reason. "
    "Close from review, or abandon (close) from any other stage with a reason. "
    "A closed partnership can only be reopened to review, by taskforce staff, with a reason."
)


def stage_move_problem(
    current: str, target: str, *, reason: str, may_reopen: bool
) -> DomainError | None:
    """Why the move from ``current`` to ``target`` is not allowed (code, message and field),
    or None if it is. ``may_reopen`` is ``can_reopen_partnership`` for the person moving it."""

    def refuse(message: str, code: E = E.STAGE_NOT_ALLOWED) -> DomainError:
        return DomainError(code, message, "to_stage")

    def needs_reason(message: str) -> DomainError:
        return DomainError(E.REASON_REQUIRED, message, "reason")

    if target not in STAGE_ORDER:
        return refuse("Choose a stage")
    if target == current:
        return refuse(f"The partnership is already at {Stage(current).label.lower()}")
    labels = f"from {Stage(current).label.lower()} to {Stage(target).label.lower()}"
    if current == Stage.CLOSED:
        if target != Stage.REVIEW:
            return refuse(
                f"You cannot move {labels}: a closed partnership can only be reopened to review"
            )
        if not may_reopen:
            return refuse(
                "Only taskforce staff can reopen a closed partnership", E.REOPEN_STAFF_ONLY
            )
        return None if reason else needs_reason("Enter a reason for reopening the partnership")
    here, there = STAGE_ORDER.index(current), STAGE_ORDER.index(target)
    if target == Stage.CLOSED and current != Stage.REVIEW:
        return (
            None if reason else needs_reason("Enter a reason for abandoning the partnership before review")
        )  # fmt: skip
    if there == here + 1:
        return None
    if there > here + 1:
        nxt = Stage(STAGE_ORDER[here + 1]).label.lower()
        return refuse(f"You cannot move {labels}: move forward one stage at a time (next is {nxt})")
    return None if reason else needs_reason("Enter a reason for going back a stage")


@transaction.atomic
def stage_move(
    *,
    partnership: Partnership,
    to_stage: str,
    moved_on: date | None = None,
    reason: str = "",
    override: bool = False,
    actor: Any,
) -> StageChange:
    """Move the partnership through its lifecycle (see ``STAGE_RULES``).

    Other rooms may object through their registered stage checks (``partnerships.registry``):
    a block stops the move, except that taskforce staff may go past an overridable one with
    ``override=True`` and a reason, which is recorded with the move.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    reason = reason.strip()
    problem = stage_move_problem(
        partnership.stage,
        to_stage,
        reason=reason,
        may_reopen=can_reopen_partnership(actor, partnership),
    )
    if problem is not None:
        raise problem
    blocks = stage_blocks(partnership, to_stage, actor)
    if blocks:
        overridable = all(block.overridable for block in blocks)
        if not (override and overridable and is_taskforce_staff(actor)):
            first = blocks[0]
            raise DomainError(first.code, " ".join(b.message for b in blocks), "to_stage")
        if not reason:
            raise DomainError(
                E.REASON_REQUIRED, "Enter why you are going ahead despite the checks", "reason"
            )
        reason = "Override: " + "; ".join(b.message for b in blocks) + f" ({reason})"
    moved_on = moved_on or _today()
    _require_not_future(moved_on, "moved_on", "The date of the move")
    last = (
        partnership.stage_changes.order_by("-moved_on").values_list("moved_on", flat=True).first()
    )
    if last and moved_on < last:
        raise DomainError(
            E.STAGE_DATE,
            f"The date of the move must be on or after the last move ({govuk_date(last)})",
            "moved_on",
        )
    if to_stage == Stage.CLOSED and partnership.stage != Stage.REVIEW:
        reason = f"Abandoned: {reason}"
    change = StageChange(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=to_stage,
        moved_by=actor if getattr(actor, "is_authenticated", False) else None,
        moved_on=moved_on,
        reason=reason,
    )
    change.full_clean()
    change.save()
    partnership.stage = to_stage
    audited_save(
        partnership,
        actor=actor,
        reason=f"Stage {Stage(change.from_stage).label.lower()} → {Stage(to_stage).label.lower()}"
        + (f": {reason}" if reason else ""),
    )
    return change


# --- aims, priorities and scores ------------------------------------------------------------


@transaction.atomic
def aim_create(
    *, partnership: Partnership, title: str, description: str = "", actor: Any
) -> StrategicAim:
    _require_open(partnership)
    position = partnership.aims.count() + 1
    aim = StrategicAim(
        partnership=partnership, title=title, description=description, position=position
    )
    aim.full_clean()
    audited_save(aim, actor=actor, reason="Aim added")
    return aim


@transaction.atomic
def aim_update(*, aim: StrategicAim, title: str, description: str = "", actor: Any) -> StrategicAim:
    _require_open(aim.partnership)
    aim.title, aim.description = title, description
    aim.full_clean()
    audited_save(aim, actor=actor, reason="Aim changed")
    return aim


@transaction.atomic
def priority_create(
    *,
    organisation: Organisation,
    title: str,
    source: str = "",
    weight: int = 3,
    entered_for: Partnership | None = None,
    is_demo: bool = False,
    actor: Any,
) -> Priority:
    """Record one of ``organisation``'s own priorities, entered in the context of the
    partnership ``entered_for`` (its wording is shown only where that partnership is visible)."""
    priority = Priority(
        organisation=organisation,
        title=title,
        source=source,
        weight=weight,
        entered_for=entered_for,
        is_demo=is_demo,
    )
    priority.full_clean()
    audited_save(priority, actor=actor, reason="Priority recorded")
    return priority


@transaction.atomic
def priority_update(
    *, priority: Priority, title: str, source: str, weight: int, actor: Any
) -> Priority:
    priority.title, priority.source, priority.weight = title, source, weight
    priority.full_clean()
    audited_save(priority, actor=actor, reason="Priority changed")
    return priority


@transaction.atomic
def aim_scores_set(*, aim: StrategicAim, scores: Mapping[int, int], actor: Any) -> list[AimScore]:
    """Record how well ``aim`` serves each priority (by priority id): 0 to 3. All or nothing."""
    _require_open(aim.partnership)
    today = _today()
    member_org_ids = set(
        Membership.objects.filter(partnership_id=aim.partnership_id)
        .current_on(today)
        .values_list("organisation_id", flat=True)
    )
    priorities = {
        p.pk: p
        for p in Priority.objects.filter(pk__in=list(scores), organisation_id__in=member_org_ids)
    }
    missing = [pk for pk in scores if pk not in priorities]
    if missing:
        raise DomainError(
            E.PRIORITY_NOT_MEMBER,
            "Only the priorities of current members can be scored",
            f"priority_{missing[0]}",
        )
    for pk, value in scores.items():
        if not is_valid_score(value):
            raise DomainError(
                E.SCORE_INVALID, "Each score must be a whole number from 0 to 3", f"priority_{pk}"
            )
    existing = {
        s.priority_id: s for s in AimScore.objects.filter(aim=aim, priority_id__in=list(scores))
    }
    saved = []
    for pk, value in scores.items():
        score = existing.get(pk) or AimScore(aim=aim, priority=priorities[pk], score=value)
        if score.pk and score.score == value:
            saved.append(score)
            continue
        score.score = value
        score.scored_by = actor if getattr(actor, "is_authenticated", False) else None
        score.full_clean(validate_unique=False)
        audited_save(score, actor=actor, reason="Scored")
        saved.append(score)
    return saved
