"""Writes of the sharing room: each in one transaction, validated (by the forms, these rules and
the fair-share engine), audited through ``audited_save``; nothing is saved when any check fails.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import fairshare
from partnering.core.audit import audited_bulk_create, audited_delete, audited_save
from partnering.core.errors import DomainError
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Membership, Partnership
from partnering.partnerships.selectors import members_on

from . import engine
from .errors import SharingError as E
from .models import (
    METHOD_NAMES,
    AgreedShare,
    CalculationStatus,
    ChangeKind,
    ComponentKind,
    ComponentValue,
    CostComponent,
    CostModel,
    CostModelStatus,
    CurveType,
    MemberInput,
    ProportionalBasis,
    RiskScenario,
    ShareAgreement,
    ShareCalculation,
    SharingRuleKind,
)


@dataclass
class MemberSpec:
    organisation: Organisation
    weight: Decimal | None = None


@dataclass
class ComponentSpec:
    kind: str
    name: str
    values: dict[int, Decimal | None]  # organisation id -> figure
    fixed_cost: Decimal = Decimal(0)
    curve_type: str = ""
    curve_scale: Decimal | None = None
    curve_exponent: Decimal | None = None
    curve_breaks: list[list[float]] = field(default_factory=list)


@dataclass
class CostModelSpec:
    title: str
    effective_on: date
    demand_measure: str = ""
    weight_measure: str = "population"
    proportional_basis: str = ProportionalBasis.WEIGHTS
    is_illustrative: bool = True
    members: list[MemberSpec] = field(default_factory=list)
    components: list[ComponentSpec] = field(default_factory=list)


# --- names and game data ----------------------------------------------------------------------


def player_names(organisations: Sequence[Organisation]) -> dict[int, str]:
    """A unique display name per organisation, safe for the engine (no ``+``)."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for org in organisations:
        for candidate in (org.short_name, org.name, f"{org.name} ({org.slug})"):
            candidate = (candidate or "").replace("+", " and ").strip()
            if candidate and candidate not in taken:
                break
        names[org.pk] = candidate
        taken.add(candidate)
    return names


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _game_data_from_spec(spec: CostModelSpec, names: dict[int, str]) -> engine.GameData:
    return engine.GameData(
        players=[names[m.organisation.pk] for m in spec.members],
        components=[
            engine.ComponentData(
                kind=c.kind,
                name=c.name,
                values={names[oid]: v or Decimal(0) for oid, v in c.values.items()},
                fixed_cost=c.fixed_cost,
                curve_type=c.curve_type,
                curve_scale=c.curve_scale,
                curve_exponent=c.curve_exponent,
                curve_breaks=c.curve_breaks,
            )
            for c in spec.components
        ],
        weights={names[m.organisation.pk]: m.weight for m in spec.members},
        basis=spec.proportional_basis,
    )


def game_data(cost_model: CostModel) -> engine.GameData:
    """The stored version as the engine's input (two or three queries)."""
    members = list(cost_model.members.all())
    components = list(cost_model.components.prefetch_related("values"))
    names = {m.pk: m.player_name for m in members}
    return engine.GameData(
        players=[m.player_name for m in members],
        components=[
            engine.ComponentData(
                kind=c.kind,
                name=c.name,
                values={names[v.member_id]: v.value for v in c.values.all()},
                fixed_cost=c.fixed_cost,
                curve_type=c.curve_type,
                curve_scale=c.curve_scale,
                curve_exponent=c.curve_exponent,
                curve_breaks=c.curve_breaks or [],
            )
            for c in components
        ],
        weights={m.player_name: m.weight for m in members},
        basis=cost_model.proportional_basis,
    )


# --- validation -------------------------------------------------------------------------------


def _validate(spec: CostModelSpec, names: dict[int, str], *, use_engine: bool = True) -> None:
    if not spec.members:
        raise DomainError(E.NO_MEMBERS, "A cost model needs at least one member", "members")
    if not spec.components:
        raise DomainError(E.NO_COMPONENTS, "Add at least one cost component", "components")
    seen: set[str] = set()
    member_ids = [m.organisation.pk for m in spec.members]
    for index, component in enumerate(spec.components):
        where = f"components[{index}]"
        name = component.name.strip()
        if not name:
            raise DomainError(E.MISSING_VALUE, "Enter a name for every component", f"{where}.name")
        if name.lower() in seen:
            raise DomainError(
                E.DUPLICATE_COMPONENT, f"There are two components called ‘{name}’", f"{where}.name"
            )
        seen.add(name.lower())
        if component.kind not in ComponentKind.values:
            raise DomainError(
                E.MISSING_VALUE, f"Choose what kind of cost ‘{name}’ is", f"{where}.kind"
            )
        if component.fixed_cost is None or component.fixed_cost < 0:
            raise DomainError(
                E.NEGATIVE_VALUE,
                f"The fixed cost of ‘{name}’ cannot be negative",
                f"{where}.fixed_cost",
            )
        if component.kind == ComponentKind.POOLED:
            _validate_curve(component, where)
        unknown = set(component.values) - set(member_ids)
        if unknown:
            raise DomainError(
                E.UNKNOWN_MEMBER, f"‘{name}’ has a figure for an organisation that is not a member",
                f"{where}.values",
            )  # fmt: skip
        for oid in member_ids:
            value = component.values.get(oid)
            if value is None:
                raise DomainError(
                    E.MISSING_VALUE,
                    f"Enter {names[oid]}’s {_value_words(component.kind)} for ‘{name}’",
                    f"value_{index}_{oid}",
                )
            if value < 0:
                raise DomainError(
                    E.NEGATIVE_VALUE,
                    f"{names[oid]}’s {_value_words(component.kind)} for ‘{name}’ cannot be negative",
                    f"value_{index}_{oid}",
                )
    if spec.proportional_basis == ProportionalBasis.WEIGHTS:
        for member in spec.members:
            if member.weight is None:
                raise DomainError(
                    E.WEIGHT_REQUIRED,
                    f"Enter {names[member.organisation.pk]}’s {spec.weight_measure or 'measure'}",
                    f"weight_{member.organisation.pk}",
                )
            if member.weight < 0:
                raise DomainError(
                    E.NEGATIVE_VALUE,
                    f"{names[member.organisation.pk]}’s {spec.weight_measure or 'measure'} cannot be negative",
                    f"weight_{member.organisation.pk}",
                )
    if use_engine:
        data = _game_data_from_spec(spec, names)
        try:
            engine.load(data)
        except fairshare.FairshareError as error:
            raise engine_error(error, data) from error


def _validate_curve(component: ComponentSpec, where: str) -> None:
    name = component.name
    if component.curve_type == CurveType.PIECEWISE:
        if len(component.curve_breaks) < 2:
            raise DomainError(
                E.CURVE_REQUIRED,
                f"Give at least two points of the tariff for ‘{name}’ (demand and cost)",
                f"{where}.curve_breaks",
            )
        return
    if component.curve_type != CurveType.POWER:
        raise DomainError(
            E.CURVE_REQUIRED,
            f"Choose how the cost of ‘{name}’ grows with demand",
            f"{where}.curve_type",
        )
    if component.curve_scale is None or component.curve_exponent is None:
        raise DomainError(
            E.CURVE_REQUIRED,
            f"Enter the scale and exponent of the cost curve for ‘{name}’",
            f"{where}.curve_scale",
        )


def _value_words(kind: str) -> str:
    return {
        ComponentKind.STANDALONE: "stand-alone cost",
        ComponentKind.POOLED: "demand",
        ComponentKind.AIRPORT: "requirement",
    }.get(kind, "figure")


def engine_error(
    error: "fairshare.FairshareError", data: engine.GameData | None = None
) -> DomainError:
    """The engine's plain-English message as a DomainError (422 on the API, error summary on forms)."""
    component = engine.field_label(error.field, data) if data is not None else None
    message = error.message
    if component and component not in message:
        message = f"{component}: {message}"
    return DomainError(E.ENGINE_REJECTED, message, None)


# --- cost models ------------------------------------------------------------------------------


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
    for position, component_spec in enumerate(spec.components):
        component = CostComponent(
            cost_model=cost_model,
            position=position,
            kind=component_spec.kind,
            name=component_spec.name.strip(),
            fixed_cost=component_spec.fixed_cost
            if component_spec.kind == ComponentKind.POOLED
            else 0,
            curve_type=component_spec.curve_type
            if component_spec.kind == ComponentKind.POOLED
            else "",
            curve_scale=component_spec.curve_scale
            if component_spec.kind == ComponentKind.POOLED
            else None,
            curve_exponent=component_spec.curve_exponent
            if component_spec.kind == ComponentKind.POOLED
            else None,
            curve_breaks=component_spec.curve_breaks
            if component_spec.kind == ComponentKind.POOLED
            else [],
        )
        component.full_clean(validate_unique=False, validate_constraints=False)
        audited_save(component, actor=actor, reason=reason)
        audited_bulk_create(
            [
                ComponentValue(
                    component=component,
                    member=members[oid],
                    value=component_spec.values.get(oid) or Decimal(0),
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
    background: bool | None = None,
    actor: Any,
) -> CostModel:
    """A new version of the partnership's cost model (the next version number), calculated.

    Raises DomainError (nothing saved) for missing or negative figures and for a model the
    fair-share engine rejects, with the engine's message.
    """
    if spec.effective_on > timezone.localdate():
        raise DomainError(E.DATE_IN_FUTURE, "The date must be today or in the past", "effective_on")
    names = player_names([m.organisation for m in spec.members])
    _validate(spec, names, use_engine=validate)
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
    if calculate:
        calculation_request(cost_model=cost_model, actor=actor, background=background)
    return cost_model


@transaction.atomic
def cost_model_update(
    *,
    cost_model: CostModel,
    spec: CostModelSpec,
    reason: str = "",
    background: bool | None = None,
    actor: Any,
) -> CostModel:
    """Replace a draft version's details, components and figures, and recalculate.

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
    _validate(spec, names)
    cost_model.title = spec.title.strip() or cost_model.title
    cost_model.effective_on = spec.effective_on
    cost_model.demand_measure = spec.demand_measure.strip()
    cost_model.weight_measure = spec.weight_measure.strip() or "population"
    cost_model.proportional_basis = spec.proportional_basis
    cost_model.is_illustrative = spec.is_illustrative
    cost_model.full_clean(exclude=["inputs_hash"])
    audited_save(cost_model, actor=actor, reason=reason or "Cost model changed")
    _write_contents(cost_model, spec, names, actor=actor, reason=reason or "Cost model changed")
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
            ComponentSpec(
                kind=c.kind,
                name=c.name,
                values={by_member[v.member_id]: v.value for v in c.values.all()},
                fixed_cost=c.fixed_cost,
                curve_type=c.curve_type,
                curve_scale=c.curve_scale,
                curve_exponent=c.curve_exponent,
                curve_breaks=list(c.curve_breaks or []),
            )
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
    who was in an earlier version gets those figures back, a new member starts at zero (and
    its population as the measure) until the partners enter its figures."""
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
        if weight is None:
            weight = Decimal(org.population) if org.population is not None else Decimal(0)
        spec.members.append(MemberSpec(org, weight))
    for component in spec.components:
        values: dict[int, Decimal | None] = {}
        for org in organisations:
            if org.pk in component.values and org.pk in kept:
                values[org.pk] = component.values[org.pk]
            else:
                values[org.pk] = earlier.get(org.pk, (None, {}))[1].get(component.name, Decimal(0))
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
    spec.title = f"{who} {verb} ({on:%-d %B %Y})"
    explanation = f"{organisation.name} {verb} the partnership on {on:%-d %B %Y}"
    if reason:
        explanation += f": {reason}"
    return cost_model_create(
        partnership=partnership,
        spec=spec,
        change_kind=change,
        change_organisation=organisation,
        change_reason=explanation,
        validate=False,
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


# --- calculations -----------------------------------------------------------------------------


def needs_background(cost_model: CostModel) -> bool:
    return cost_model.members.count() > engine.BACKGROUND_ABOVE_MEMBERS


def calculation_request(
    *, cost_model: CostModel, actor: Any, background: bool | None = None
) -> ShareCalculation:
    """Queue (large partnerships) or run now (small ones) the calculation of every method."""
    with transaction.atomic():
        calculation, _ = ShareCalculation.objects.select_for_update().get_or_create(
            cost_model=cost_model
        )
        run_in_background = needs_background(cost_model) if background is None else background
        calculation.status = CalculationStatus.QUEUED
        calculation.inputs_hash = cost_model.inputs_hash
        calculation.is_background = run_in_background
        calculation.error_message = ""
        calculation.requested_by = actor if getattr(actor, "is_authenticated", False) else None
        calculation.requested_at = timezone.now()
        calculation.started_at = calculation.finished_at = None
        audited_save(calculation, actor=actor, reason="Calculation requested")
        if run_in_background:
            from .tasks import calculate_shares

            transaction.on_commit(partial(_enqueue, calculate_shares, calculation.pk))
            return calculation
    return calculation_run(calculation_id=calculation.pk)


def _enqueue(task: Any, calculation_id: int) -> None:
    result = task.enqueue(calculation_id)
    ShareCalculation.objects.filter(pk=calculation_id, task_id="").update(task_id=str(result.id))


def calculation_run(*, calculation_id: int) -> ShareCalculation:
    """Compute and store every method's split, core check, savings and explanations.

    The engine's rejection is stored as a failed calculation with its message (a background
    task has nobody to show an exception to)."""
    with transaction.atomic():
        calculation = ShareCalculation.objects.select_for_update().get(pk=calculation_id)
        calculation.status = CalculationStatus.RUNNING
        calculation.started_at = timezone.now()
        calculation.save(update_fields=["status", "started_at"])
    cost_model = CostModel.objects.get(pk=calculation.cost_model_id)
    members = list(cost_model.members.select_related("organisation"))
    data = game_data(cost_model)
    try:
        computed = engine.compute(data)
    except fairshare.FairshareError as error:
        with transaction.atomic():
            calculation.status = CalculationStatus.FAILED
            calculation.error_message = engine_error(error, data).message
            calculation.finished_at = timezone.now()
            audited_save(calculation, actor=None, reason="Calculation failed")
        return calculation
    with transaction.atomic():
        calculation.players = [
            {
                "organisation_id": m.organisation_id,
                "name": m.player_name,
                "slug": m.organisation.slug,
            }
            for m in members
        ]
        calculation.inputs_hash = data.digest()
        calculation.grand_cost = Decimal(str(round(computed.grand_cost, 2)))
        calculation.total_standalone = Decimal(str(round(computed.total_standalone, 2)))
        calculation.results = computed.results
        calculation.core = computed.core
        calculation.savings = computed.savings
        calculation.explanations = computed.explanations
        calculation.warnings = computed.warnings
        calculation.duration_ms = computed.duration_ms
        calculation.status = CalculationStatus.DONE
        calculation.finished_at = timezone.now()
        audited_save(calculation, actor=None, reason="Calculated")
    return calculation


# --- agreements -------------------------------------------------------------------------------


@transaction.atomic
def agreement_record(
    *,
    cost_model: CostModel,
    method: str,
    agreed_on: date,
    reason: str,
    actor: Any,
) -> ShareAgreement:
    """Record the partners' agreement to one method's split of this version, in pence.

    The shares come from the stored calculation (which must be up to date), rounded by the
    engine's largest-remainder rule so they add up to the total to the penny.
    """
    cost_model = CostModel.objects.select_for_update().get(pk=cost_model.pk)
    partnership = cost_model.partnership
    if method not in METHOD_NAMES:
        raise DomainError(E.METHOD_UNAVAILABLE, "Choose a method", "method")
    if not reason.strip():
        raise DomainError(E.REASON_REQUIRED, "Enter why the partners chose this split", "reason")
    if agreed_on > timezone.localdate():
        raise DomainError(
            E.DATE_IN_FUTURE, "The date agreed must be today or in the past", "agreed_on"
        )
    calculation = ShareCalculation.objects.filter(cost_model=cost_model).first()
    if (
        calculation is None
        or not calculation.is_done
        or calculation.inputs_hash != cost_model.inputs_hash
    ):
        raise DomainError(
            E.NOT_CALCULATED, "The shares have not been calculated for these figures yet", "method"
        )
    result = calculation.results.get(method, {})
    if not result.get("available"):
        raise DomainError(
            E.METHOD_UNAVAILABLE,
            result.get("message")
            or f"The {METHOD_NAMES[method]} is not available for this version",
            "method",
        )
    total = float(calculation.grand_cost or 0)
    pence = engine.pennies(result["shares"], total)
    check = engine.check_pennies(game_data(cost_model), pence)
    previous = ShareAgreement.objects.filter(partnership=partnership).order_by("-version").first()
    agreement = ShareAgreement(
        partnership=partnership,
        cost_model=cost_model,
        version=(previous.version + 1) if previous else 1,
        previous=previous,
        method=method,
        agreed_on=agreed_on,
        agreed_by=actor if getattr(actor, "is_authenticated", False) else None,
        agreed_by_name=getattr(actor, "display_name", "") or "",
        reason=reason.strip(),
        total_pence=sum(pence.values()),
        in_core=check["in_core"],
        max_excess=Decimal(str(round(check["max_excess"], 2))),
        worst_coalition=check["worst_coalition"],
    )
    agreement.full_clean()
    audited_save(
        agreement, actor=actor, reason=f"Agreed the {METHOD_NAMES[method]}: {reason.strip()}"
    )
    by_name = {p["name"]: p["organisation_id"] for p in calculation.players}
    audited_bulk_create(
        [
            AgreedShare(
                agreement=agreement,
                organisation_id=by_name[name],
                player_name=name,
                amount_pence=amount,
                position=position,
            )
            for position, (name, amount) in enumerate(pence.items())
        ],
        actor=actor,
        reason=f"Agreement version {agreement.version}",
    )
    if cost_model.status != CostModelStatus.AGREED:
        cost_model.status = CostModelStatus.AGREED
        audited_save(cost_model, actor=actor, reason=f"Agreement version {agreement.version}")
    return agreement


# --- risk and reward --------------------------------------------------------------------------


@dataclass
class EstimateSpec:
    component: str
    low: Decimal
    likely: Decimal
    high: Decimal


@transaction.atomic
def risk_scenario_create(
    *,
    cost_model: CostModel,
    name: str,
    split_basis: str,
    rule: str,
    estimates: Sequence[EstimateSpec],
    cap: Decimal | None = None,
    target: Decimal | None = None,
    pain_bands: Sequence[tuple[float | None, float]] = (),
    gain_bands: Sequence[tuple[float | None, float]] = (),
    runs: int = 10_000,
    seed: int = 0,
    actor: Any,
) -> RiskScenario:
    """Simulate each member's exposure to overruns and savings under a sharing rule."""
    name = name.strip()
    if not name:
        raise DomainError(E.MISSING_VALUE, "Enter a name for the scenario", "name")
    if RiskScenario.objects.filter(cost_model=cost_model, name=name).exists():
        raise DomainError(
            E.SCENARIO_NAME_TAKEN, f"There is already a scenario called ‘{name}’", "name"
        )
    if rule not in SharingRuleKind.values:
        raise DomainError(E.RISK_REJECTED, "Choose how overruns and savings are shared", "rule")
    if rule == SharingRuleKind.CAPPED and (cap is None or cap <= 0):
        raise DomainError(
            E.RISK_REJECTED, "Enter the most any member will bear of an overrun", "cap"
        )
    if rule == SharingRuleKind.PAIN_GAIN and (target is None or target <= 0):
        raise DomainError(
            E.RISK_REJECTED, "Enter the target cost the bands are measured against", "target"
        )
    shares = _shares_for(cost_model, split_basis)
    if not estimates:
        raise DomainError(E.RISK_REJECTED, "Give at least one three-point estimate", "estimates")
    estimate_json = [
        {
            "component": e.component,
            "low": float(e.low),
            "likely": float(e.likely),
            "high": float(e.high),
        }
        for e in estimates
    ]
    try:
        results = engine.simulate(
            engine.RiskInput(
                shares=shares,
                estimates=estimate_json,
                rule=rule,
                cap=cap,
                target=target,
                pain_bands=pain_bands,
                gain_bands=gain_bands,
                runs=runs,
                seed=seed,
            )
        )
    except fairshare.FairshareError as error:
        raise DomainError(E.RISK_REJECTED, error.message, None) from error
    scenario = RiskScenario(
        cost_model=cost_model,
        name=name,
        split_basis=split_basis,
        rule=rule,
        cap=cap,
        target=target,
        pain_bands=[list(b) for b in pain_bands],
        gain_bands=[list(b) for b in gain_bands],
        estimates=estimate_json,
        shares=shares,
        runs=runs,
        seed=seed,
        results=results,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    scenario.full_clean()
    audited_save(scenario, actor=actor, reason="Risk scenario added")
    return scenario


def _shares_for(cost_model: CostModel, split_basis: str) -> dict[str, float]:
    if split_basis == "agreed":
        agreement = cost_model.agreements.order_by("-version").first()
        if agreement is None:
            raise DomainError(
                E.NO_AGREEMENT,
                "No split has been agreed for this version yet: choose a method",
                "split_basis",
            )
        return {s.player_name: s.amount_pence / 100 for s in agreement.shares.all()}
    calculation = ShareCalculation.objects.filter(cost_model=cost_model).first()
    if calculation is None or not calculation.is_done:
        raise DomainError(
            E.NOT_CALCULATED, "The shares have not been calculated yet", "split_basis"
        )
    result = calculation.results.get(split_basis)
    if not result or not result.get("available"):
        raise DomainError(E.METHOD_UNAVAILABLE, "Choose a method that is available", "split_basis")
    return dict(result["shares"])
