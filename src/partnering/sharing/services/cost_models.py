"""Versions of a partnership's cost model: created, edited while draft, and made for each
membership change (a member joining or leaving), each in one transaction and audited."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnering.core.audit import audited_bulk_create, audited_delete, audited_save
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.selectors import members_on

from ..errors import SharingError as E
from ..models import (
    ChangeKind,
    ComponentKind,
    ComponentValue,
    CostComponent,
    CostModel,
    MemberInput,
)
from .calculations import calculation_request
from .inputs import (
    CostModelSpec,
    MemberSpec,
    component_spec,
    game_data,
    missing_in_spec,
    player_names,
    starting_value,
    starting_weight,
    validate_spec,
)


def _next_version(partnership: Partnership) -> int:
    latest = CostModel.objects.filter(partnership=partnership).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _write_contents(
    cost_model: CostModel, spec: CostModelSpec, names: dict[int, str], *, actor: Any, reason: str
) -> None:
    existing = {m.organisation_id: m for m in cost_model.members.all()}
    members: dict[int, MemberInput] = {}
    for position, member_spec in enumerate(spec.members):
        oid = member_spec.organisation.pk
        member = existing.pop(oid, None) or MemberInput(
            cost_model=cost_model, organisation=member_spec.organisation
        )
        if (
            member.pk is None
            or member.weight != member_spec.weight
            or member.position != position
            or member.player_name != names[oid]
        ):
            member.player_name = names[oid]
            member.weight = member_spec.weight
            member.position = position
            member.full_clean(validate_unique=False, validate_constraints=False)
            audited_save(member, actor=actor, reason=reason)
        members[oid] = member
    for leftover in existing.values():
        audited_delete(leftover, actor=actor, reason=reason)
    for component in list(cost_model.components.all()):
        audited_delete(component, actor=actor, reason=reason)
    for position, wanted in enumerate(spec.components):
        component = CostComponent(
            cost_model=cost_model,
            position=position,
            kind=wanted.kind,
            name=wanted.name.strip(),
            fixed_cost=wanted.fixed_cost if wanted.kind == ComponentKind.POOLED else 0,
            curve_type=wanted.curve_type if wanted.kind == ComponentKind.POOLED else "",
            curve_scale=wanted.curve_scale if wanted.kind == ComponentKind.POOLED else None,
            curve_exponent=wanted.curve_exponent if wanted.kind == ComponentKind.POOLED else None,
            curve_breaks=wanted.curve_breaks if wanted.kind == ComponentKind.POOLED else [],
            needed_by_all=wanted.needed_by_all and wanted.kind == ComponentKind.POOLED,
        )
        component.full_clean(validate_unique=False, validate_constraints=False)
        audited_save(component, actor=actor, reason=reason)
        audited_bulk_create(
            [
                ComponentValue(
                    component=component,
                    member=members[oid],
                    value=wanted.values.get(oid),
                )
                for oid in members
            ],
            actor=actor,
            reason=reason,
        )
    cost_model.inputs_hash = game_data(cost_model).digest()
    cost_model.save(update_fields=["inputs_hash", "modified_at"])


@transaction.atomic
def cost_model_create(
    *,
    partnership: Partnership,
    spec: CostModelSpec,
    change_kind: str = ChangeKind.MANUAL,
    change_organisation: Organisation | None = None,
    change_reason: str = "",
    validate: bool = True,
    calculate: bool = True,
    allow_missing: bool = False,
    background: bool | None = None,
    actor: Any,
) -> CostModel:
    """A new version of the partnership's cost model (the next version number), calculated.

    Raises DomainError (nothing saved) for missing or negative figures and for a model the
    fair-share engine rejects, with the engine's message. With ``allow_missing`` (a new
    member's figures, the first version's empty table) missing figures are stored as missing
    and the version is not calculated until they are entered.
    """
    if spec.effective_on > timezone.localdate():
        raise DomainError(E.DATE_IN_FUTURE, "The date must be today or in the past", "effective_on")
    names = player_names([m.organisation for m in spec.members])
    missing = missing_in_spec(spec, names)
    validate_spec(spec, names, use_engine=validate, allow_missing=allow_missing)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    previous = CostModel.objects.filter(partnership=partnership).order_by("-version").first()
    if not previous:
        change_kind = ChangeKind.FIRST
    cost_model = CostModel(
        partnership=partnership,
        version=_next_version(partnership),
        title=spec.title.strip() or f"Cost model for {partnership.name}",
        effective_on=spec.effective_on,
        demand_measure=spec.demand_measure.strip(),
        weight_measure=spec.weight_measure.strip() or "population",
        proportional_basis=spec.proportional_basis,
        is_illustrative=spec.is_illustrative,
        previous=previous,
        change_kind=change_kind,
        change_organisation=change_organisation,
        change_reason=change_reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    cost_model.full_clean(exclude=["inputs_hash"])
    audited_save(cost_model, actor=actor, reason=change_reason or "New version of the cost model")
    _write_contents(cost_model, spec, names, actor=actor, reason="New version of the cost model")
    if calculate and not missing:
        calculation_request(cost_model=cost_model, actor=actor, background=background)
    return cost_model


@transaction.atomic
def cost_model_update(
    *,
    cost_model: CostModel,
    spec: CostModelSpec,
    reason: str = "",
    background: bool | None = None,
    allow_missing: bool = False,
    actor: Any,
) -> CostModel:
    """Replace a draft version's details, components and figures, and recalculate (not while
    figures are missing: ``allow_missing`` stores them as missing, e.g. a new component's).

    The member set of a version is fixed (a membership change makes a new version), so
    ``spec.members`` must be the version's members.
    """
    cost_model = CostModel.objects.select_for_update().get(pk=cost_model.pk)
    if not cost_model.is_draft:
        raise DomainError(
            E.NOT_DRAFT,
            f"Version {cost_model.version} has been agreed and cannot change: start a new version",
        )
    current = set(cost_model.members.values_list("organisation_id", flat=True))
    if {m.organisation.pk for m in spec.members} != current:
        raise DomainError(
            E.NOT_A_MEMBER,
            "The members of a version cannot change: a membership change makes a new version",
            "members",
        )
    if spec.effective_on > timezone.localdate():
        raise DomainError(E.DATE_IN_FUTURE, "The date must be today or in the past", "effective_on")
    names = player_names([m.organisation for m in spec.members])
    missing = missing_in_spec(spec, names)
    validate_spec(spec, names, allow_missing=allow_missing)
    cost_model.title = spec.title.strip() or cost_model.title
    cost_model.effective_on = spec.effective_on
    cost_model.demand_measure = spec.demand_measure.strip()
    cost_model.weight_measure = spec.weight_measure.strip() or "population"
    cost_model.proportional_basis = spec.proportional_basis
    cost_model.is_illustrative = spec.is_illustrative
    cost_model.full_clean(exclude=["inputs_hash"])
    audited_save(cost_model, actor=actor, reason=reason or "Cost model changed")
    _write_contents(cost_model, spec, names, actor=actor, reason=reason or "Cost model changed")
    if not missing:
        calculation_request(cost_model=cost_model, actor=actor, background=background)
    return cost_model


def spec_from_cost_model(cost_model: CostModel) -> CostModelSpec:
    """The stored version as a spec (to edit part of it, or copy it to a new version)."""
    members = list(cost_model.members.select_related("organisation"))
    by_member = {m.pk: m.organisation_id for m in members}
    return CostModelSpec(
        title=cost_model.title,
        effective_on=cost_model.effective_on,
        demand_measure=cost_model.demand_measure,
        weight_measure=cost_model.weight_measure,
        proportional_basis=cost_model.proportional_basis,
        is_illustrative=cost_model.is_illustrative,
        members=[MemberSpec(m.organisation, m.weight) for m in members],
        components=[
            component_spec(c, {by_member[v.member_id]: v.value for v in c.values.all()})
            for c in cost_model.components.prefetch_related("values")
        ],
    )


def _latest_figures(partnership: Partnership, organisation_ids: Iterable[int]) -> dict[int, Any]:
    """Each organisation's most recent figures in any version (for a member who rejoins)."""
    wanted = set(organisation_ids)
    found: dict[int, Any] = {}
    members = (
        MemberInput.objects.filter(cost_model__partnership=partnership, organisation_id__in=wanted)
        .select_related("cost_model")
        .prefetch_related("values__component")
        .order_by("-cost_model__version")
    )
    for member in members:
        if member.organisation_id in found:
            continue
        found[member.organisation_id] = (
            member.weight,
            {v.component.name: v.value for v in member.values.all()},
        )
    return found


def spec_for_members(
    *, base: CostModel, organisations: Sequence[Organisation], effective_on: date
) -> CostModelSpec:
    """A copy of ``base`` for a new member set: continuing members keep their figures, a member
    who was in an earlier version gets those figures back, a new member starts with its figures
    missing (``starting_weight`` / ``starting_value``) until the partners enter them."""
    spec = spec_from_cost_model(base)
    kept = {m.organisation.pk: m for m in spec.members}
    missing = [o.pk for o in organisations if o.pk not in kept]
    earlier = _latest_figures(base.partnership, missing)
    spec.effective_on = effective_on
    spec.members = []
    for org in organisations:
        if org.pk in kept:
            spec.members.append(kept[org.pk])
            continue
        weight, _ = earlier.get(org.pk, (None, {}))
        spec.members.append(MemberSpec(org, starting_weight(org, weight)))
    for component in spec.components:
        values: dict[int, Decimal | None] = {}
        for org in organisations:
            if org.pk in component.values and org.pk in kept:
                values[org.pk] = component.values[org.pk]
            else:
                before = earlier.get(org.pk, (None, {}))[1].get(component.name)
                values[org.pk] = starting_value(before)
        component.values = values
    return spec


@transaction.atomic
def cost_model_version_for_change(
    *,
    partnership: Partnership,
    organisation: Organisation,
    change: str,
    on: date,
    reason: str = "",
    actor: Any,
) -> CostModel | None:
    """A new draft version for the member set after ``organisation`` joined or left on ``on``.

    Does nothing when the partnership has no cost model yet, for role changes, or when a
    version for this very change exists (so replaying history is idempotent).
    """
    if change not in (ChangeKind.JOINED, ChangeKind.LEFT):
        return None
    base = (
        CostModel.objects.filter(partnership=partnership, effective_on__lte=on)
        .order_by("-effective_on", "-version")
        .first()
    ) or CostModel.objects.filter(partnership=partnership).order_by("-version").first()
    if base is None:
        return None
    if CostModel.objects.filter(
        partnership=partnership,
        effective_on=on,
        change_kind=change,
        change_organisation=organisation,
    ).exists():
        return None
    memberships = members_on(partnership, on)
    organisations = [m.organisation for m in memberships]
    if change == ChangeKind.LEFT:
        organisations = [o for o in organisations if o.pk != organisation.pk]
    elif organisation.pk not in {o.pk for o in organisations}:
        organisations.append(organisation)
    if not organisations:
        return None
    spec = spec_for_members(base=base, organisations=organisations, effective_on=on)
    who = organisation.short_name or organisation.name
    verb = "joined" if change == ChangeKind.JOINED else "left"
    spec.title = f"{who} {verb} ({govuk_date(on)})"
    explanation = f"{organisation.name} {verb} the partnership on {govuk_date(on)}"
    if reason:
        explanation += f": {reason}"
    return cost_model_create(
        partnership=partnership,
        spec=spec,
        change_kind=change,
        change_organisation=organisation,
        change_reason=explanation,
        validate=False,
        allow_missing=True,
        actor=actor,
    )


def cost_model_versions_from_history(
    *, partnership: Partnership, since: date, actor: Any = None
) -> list[CostModel]:
    """Replay the membership history after ``since`` as versions (idempotent): one version
    per member joining or leaving, in date order, built from the members on each date."""
    memberships = list(
        Membership.objects.filter(partnership=partnership).select_related("organisation")
    )
    # A role change ends one membership and starts another the next day: not a change of members.
    starts = {(m.organisation_id, m.joined_on) for m in memberships}
    ends = {(m.organisation_id, m.left_on) for m in memberships if m.left_on is not None}
    events: list[tuple[date, int, str, Membership]] = []
    for membership in memberships:
        org_id = membership.organisation_id
        continued = (org_id, membership.joined_on - timedelta(days=1)) in ends
        if membership.joined_on > since and not continued:
            events.append((membership.joined_on, 1, ChangeKind.JOINED, membership))
        left_on = membership.left_on
        if (
            left_on is not None
            and left_on >= since
            and (org_id, left_on + timedelta(days=1)) not in starts
        ):
            events.append((left_on, 0, ChangeKind.LEFT, membership))
    created = []
    for on, _, change, membership in sorted(
        events, key=lambda e: (e[0], e[1], e[3].organisation.name)
    ):
        version = cost_model_version_for_change(
            partnership=partnership,
            organisation=membership.organisation,
            change=change,
            on=on,
            reason=membership.left_reason if change == ChangeKind.LEFT else membership.reason,
            actor=actor,
        )
        if version is not None:
            created.append(version)
    return created
