"""What a cost-model version is made of, as plain data (specs), checked before anything is
saved, and turned into the fair-share engine's input."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import fairshare
from partnering.core.errors import DomainError
from partnering.organisations.models import Organisation

from .. import engine
from ..errors import SharingError as E
from ..models import ComponentKind, CostModel, CurveType, ProportionalBasis


@dataclass
class MemberSpec:
    organisation: Organisation
    weight: Decimal | None = None


#: A component of a spec: the engine adapter's shape, with figures keyed by organisation id
#: (``None`` while a figure is missing); ``game_data`` keys them by player name.
ComponentSpec = engine.ComponentData


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


def _game_data_from_spec(spec: CostModelSpec, names: dict[int, str]) -> engine.GameData:
    return engine.GameData(
        players=[names[m.organisation.pk] for m in spec.members],
        components=[c.keyed_by(names) for c in spec.components],
        # Checking the structure only: a missing measure counts as 0 (never calculated so).
        weights={names[m.organisation.pk]: m.weight or Decimal(0) for m in spec.members},
        basis=spec.proportional_basis,
    )


def game_data(cost_model: CostModel) -> engine.GameData:
    """The stored version as the engine's input (two or three queries)."""
    members = list(cost_model.members.all())
    names = {m.pk: m.player_name for m in members}
    return engine.GameData(
        players=[m.player_name for m in members],
        components=[
            component_spec(c, {v.member_id: v.value for v in c.values.all()}).keyed_by(names)
            for c in cost_model.components.prefetch_related("values")
        ],
        weights={m.player_name: m.weight for m in members},
        basis=cost_model.proportional_basis,
    )


def component_spec(component: Any, values: dict[Any, Decimal | None]) -> ComponentSpec:
    """A stored ``CostComponent`` as a spec, with the given figures."""
    return ComponentSpec(
        kind=component.kind,
        name=component.name,
        values=values,
        fixed_cost=component.fixed_cost,
        curve_type=component.curve_type,
        curve_scale=component.curve_scale,
        curve_exponent=component.curve_exponent,
        curve_breaks=list(component.curve_breaks or []),
        needed_by_all=component.needed_by_all,
    )


# --- validation -------------------------------------------------------------------------------


# --- a new member's starting figures (the one place they are decided) --------------------------


def starting_weight(organisation: Organisation, earlier: Decimal | None = None) -> Decimal | None:
    """A new member's measure for a proportional split: its figure in an earlier version of
    this partnership, else its population, else missing (to be entered: a company or a police
    force has no population, and 0 is a figure someone must choose)."""
    if earlier is not None:
        return earlier
    return Decimal(organisation.population) if organisation.population is not None else None


def starting_value(earlier: Decimal | None = None) -> Decimal | None:
    """A new member's figure for a component: its figure in an earlier version, else missing.
    Never a silent zero: a version with missing figures shows no shares and cannot be agreed
    until they are entered."""
    return earlier


@dataclass(frozen=True)
class Missing:
    """A member whose figures are still to be entered, and which."""

    organisation_id: int
    name: str
    what: list[str]


def missing_in_spec(spec: CostModelSpec, names: dict[int, str]) -> list[Missing]:
    found = []
    for member in spec.members:
        oid = member.organisation.pk
        what = [c.name for c in spec.components if c.values.get(oid) is None]
        if member.weight is None and spec.proportional_basis == ProportionalBasis.WEIGHTS:
            what.append(spec.weight_measure or "measure")
        if what:
            found.append(Missing(oid, names[oid], what))
    return found


def missing_in_version(cost_model: CostModel, inputs: Any = None) -> list[Missing]:
    """The stored version's members whose figures are still to be entered (three queries, or
    none given the version's ``selectors.inputs_table``, which a page showing it has already)."""
    if inputs is None:
        members = list(cost_model.members.all())
        components = list(cost_model.components.prefetch_related("values"))
        values = [{v.member_id: v.value for v in c.values.all()} for c in components]
    else:
        members = [row["member"] for row in inputs.rows]
        components = inputs.components
        values = [
            {row["member"].pk: row["values"][i] for row in inputs.rows}
            for i in range(len(components))
        ]
    uses_weights = cost_model.proportional_basis == ProportionalBasis.WEIGHTS
    found = []
    for member in members:
        what = [
            c.name
            for c, given in zip(components, values, strict=True)
            if given.get(member.pk) is None
        ]
        if uses_weights and member.weight is None:
            what.append(cost_model.weight_measure or "measure")
        if what:
            found.append(Missing(member.organisation_id, member.player_name, what))
    return found


def require_complete(cost_model: CostModel) -> None:
    """DomainError ``FIGURES_MISSING`` naming who still has figures to enter."""
    missing = missing_in_version(cost_model)
    if missing:
        raise DomainError(E.FIGURES_MISSING, missing_message(missing), "figures")


def missing_message(missing: Sequence[Missing]) -> str:
    who = ", ".join(m.name for m in missing)
    return f"Enter the figures of {who}: the shares cannot be calculated or agreed without them"


def validate_spec(
    spec: CostModelSpec,
    names: dict[int, str],
    *,
    use_engine: bool = True,
    allow_missing: bool = False,
) -> None:
    """Every rule of a version's contents; ``allow_missing`` lets figures still to be entered
    through (a new member's), checked again before the version is calculated."""
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
            if value is None and allow_missing:
                continue
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
            if member.weight is None and allow_missing:
                continue
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
    figures = [v for c in spec.components for v in c.values.values() if v is not None]
    if not allow_missing and not any(figures):
        raise DomainError(
            E.ALL_ZERO,
            "Every figure is zero: enter the members' costs, demand or requirements "
            "before the shares are calculated",
            "components",
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
