"""Cost models councils can state, and the game they define.

A :class:`Game` is a set of partners and a project made of *components*; the cost of a
coalition (a group of partners going ahead together) is the sum of the components' costs
for it, and the empty coalition costs nothing. Four kinds of component:

* :class:`Standalone` -- each partner's own cost, paid whatever the partnership does
  (additive, so every method gives each partner exactly its own cost);
* :class:`Pooled` -- a shared service with economies of scale on the pooled demand:
  ``fixed + f(total demand)`` with ``f`` concave (:class:`PowerCurve` or
  :class:`PiecewiseCurve`), paid by any coalition containing at least one of its users;
* :class:`Airport` -- a shared asset sized for the most demanding member: the cost of a
  coalition is the largest requirement among its members (Littlechild & Owen 1973);
* :class:`Explicit` -- the cost of every coalition, listed (small partnerships only).

References
----------
.. [1] Littlechild, S. C. & Owen, G. (1973). A simple expression for the Shapley value in
   a special case. *Management Science* 20(3), 370-372.
.. [2] Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
   development. *Water Resources Research* 18(3), 463-475.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from ._bits import additive_vector, max_vector
from .errors import (
    EmptyPartnershipError,
    FairshareWarning,
    InvalidGameError,
    MethodError,
    MissingCoalitionError,
    NegativeCostError,
    UnknownPlayerError,
)
from .money import format_gbp

__all__ = [
    "BITMASK_LIMIT",
    "EXPLICIT_LIMIT",
    "MAX_AMOUNT",
    "Airport",
    "Component",
    "Explicit",
    "Game",
    "PiecewiseCurve",
    "Pooled",
    "PowerCurve",
    "Standalone",
    "coalition_key",
    "load_game",
]

#: Largest partnership whose ``2**n`` coalition costs are tabulated in memory (512 MB
#: each at 26).
BITMASK_LIMIT = 26
#: Largest partnership an explicit cost table (every coalition listed) may describe; in
#: GAME.json that is 67 million keys at 26, so give big tables as a NumPy ``.npy`` vector.
EXPLICIT_LIMIT = 26
#: Largest magnitude accepted for any cost, demand, requirement or weight (a thousand
#: trillion). Beyond it sums of ``2**n`` costs lose their pennies and linear programs fail.
MAX_AMOUNT = 1e15
#: Largest partnership for which the full subadditivity check (``3**n`` pairs) runs.
_FULL_SUBADDITIVITY_LIMIT = 10
#: Largest partnership for which each partner is checked against every coalition.
_SUBADDITIVITY_SCAN_LIMIT = 22

FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------- validation
def _number(value: Any, field_name: str, what: str, *, allow_negative: bool = False) -> float:
    """A finite number (not a bool or a string) of a sane size, non-negative unless allowed."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise InvalidGameError(
            f"{what} must be a number, not {shown}.", field=field_name, code="not_a_number"
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf if value > 0 else -math.inf
    if math.isnan(number):
        raise InvalidGameError(
            f"{what} must be a finite number.", field=field_name, code="not_a_number"
        )
    if abs(number) > MAX_AMOUNT:
        raise InvalidGameError(
            f"{what} is too large ({'more' if number > 0 else 'less'} than "
            f"{'' if number > 0 else '-'}{MAX_AMOUNT:.0e}): no real budget or demand is "
            "that big, and the arithmetic would lose its accuracy.",
            field=field_name,
            code="too_large",
        )
    if number < 0 and not allow_negative:
        raise NegativeCostError(f"{what} cannot be negative ({value}).", field=field_name)
    return number


def _number_map(value: Any, field_name: str, what: str) -> dict[str, float]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidGameError(
            f"{field_name} must be a non-empty mapping from partner to number.", field=field_name
        )
    out: dict[str, float] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise InvalidGameError(f"Partner names must be text, not {key!r}.", field=field_name)
        out[key] = _number(item, f"{field_name}.{key}", f"{what} of {key}")
    return out


def coalition_key(coalition: Iterable[str]) -> str:
    """The file-format name of a coalition: its members joined by ``+`` (sorted).

    Examples
    --------
    >>> coalition_key(["B", "A"])
    'A+B'
    """
    return "+".join(sorted(coalition))


# --------------------------------------------------------------------------- curves
@dataclass(frozen=True)
class PowerCurve:
    """Economies of scale ``f(D) = scale * D**exponent`` (concave for ``0 < exponent <= 1``).

    Examples
    --------
    >>> float(PowerCurve(scale=2.0, exponent=0.5)(np.array([16.0]))[0])
    8.0
    """

    scale: float
    exponent: float
    kind: ClassVar[str] = "power"

    def __post_init__(self) -> None:
        _number(self.scale, "scale", "The curve's scale")
        exponent = _number(self.exponent, "exponent", "The curve's exponent")
        if not 0 < exponent <= 1:
            raise InvalidGameError(
                f"A power curve must be concave (economies of scale): the exponent must be "
                f"above 0 and at most 1, not {self.exponent}.",
                field="exponent",
                code="curve_not_concave",
            )

    def __call__(self, demand: FloatArray) -> FloatArray:
        return self.scale * np.power(np.maximum(demand, 0.0), self.exponent)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "power", "scale": self.scale, "exponent": self.exponent}


@dataclass(frozen=True)
class PiecewiseCurve:
    """A piecewise-linear concave tariff through ``breaks`` = ``((demand, cost), ...)``.

    The first point must be at demand 0; beyond the last point the last slope continues.
    Slopes must be non-negative (more demand never costs less) and non-increasing
    (concave: economies of scale).

    Examples
    --------
    >>> tariff = PiecewiseCurve(((0, 0), (100, 400), (500, 900)))
    >>> tariff(np.array([50.0, 300.0, 600.0])).tolist()
    [200.0, 650.0, 1025.0]
    """

    breaks: tuple[tuple[float, float], ...]
    kind: ClassVar[str] = "piecewise"

    def __post_init__(self) -> None:
        points = []
        for k, point in enumerate(self.breaks):
            if not isinstance(point, list | tuple) or len(point) != 2:
                raise InvalidGameError(
                    f"Tariff point {k + 1} must be a pair [demand, cost].", field=f"breaks[{k}]"
                )
            points.append(
                (
                    _number(point[0], f"breaks[{k}]", f"The demand of tariff point {k + 1}"),
                    _number(point[1], f"breaks[{k}]", f"The cost of tariff point {k + 1}"),
                )
            )
        if len(points) < 2:
            raise InvalidGameError("A tariff needs at least two points.", field="breaks")
        if points[0][0] != 0:
            raise InvalidGameError("A tariff's first point must be at demand 0.", field="breaks")
        xs = np.array([p[0] for p in points])
        ys = np.array([p[1] for p in points])
        if np.any(np.diff(xs) <= 0):
            raise InvalidGameError(
                "A tariff's demands must increase from point to point.", field="breaks"
            )
        slopes = np.diff(ys) / np.diff(xs)
        if np.any(slopes < 0):
            raise InvalidGameError(
                "A tariff cannot fall as demand grows.", field="breaks", code="curve_decreasing"
            )
        if np.any(np.diff(slopes) > 1e-12 * max(1.0, float(np.max(slopes)))):
            raise InvalidGameError(
                "A tariff must be concave (economies of scale): its unit cost cannot rise "
                "from one band to the next.",
                field="breaks",
                code="curve_not_concave",
            )
        object.__setattr__(self, "breaks", tuple(points))

    @cached_property
    def _arrays(self) -> tuple[FloatArray, FloatArray, float]:
        xs = np.array([p[0] for p in self.breaks])
        ys = np.array([p[1] for p in self.breaks])
        return xs, ys, float((ys[-1] - ys[-2]) / (xs[-1] - xs[-2]))

    def __call__(self, demand: FloatArray) -> FloatArray:
        xs, ys, last_slope = self._arrays
        demand = np.maximum(np.asarray(demand, dtype=np.float64), 0.0)
        inside = np.interp(demand, xs, ys)
        return np.where(demand > xs[-1], ys[-1] + last_slope * (demand - xs[-1]), inside)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "piecewise", "breaks": [list(p) for p in self.breaks]}


Curve = PowerCurve | PiecewiseCurve


def _curve_from_dict(data: Any) -> Curve:
    if not isinstance(data, Mapping):
        raise InvalidGameError("A curve must be an object with a 'type'.", field="curve")
    kind = data.get("type")
    try:
        if kind == "power":
            extra = set(data) - {"type", "scale", "exponent"}
            if extra or "scale" not in data or "exponent" not in data:
                raise InvalidGameError(
                    "A power curve needs exactly 'scale' and 'exponent'.", field="curve"
                )
            return PowerCurve(scale=data["scale"], exponent=data["exponent"])
        if kind == "piecewise":
            breaks = data.get("breaks")
            if not isinstance(breaks, list | tuple):
                raise InvalidGameError(
                    "A piecewise curve needs 'breaks': a list of [demand, cost] points.",
                    field="curve",
                )
            return PiecewiseCurve(tuple(tuple(p) if isinstance(p, list) else p for p in breaks))
    except InvalidGameError as error:
        if error.field and not error.field.startswith("curve"):
            error.field = f"curve.{error.field}"
        raise
    raise InvalidGameError(
        f"Unknown curve type {kind!r}: use 'power' or 'piecewise'.", field="curve.type"
    )


# --------------------------------------------------------------------------- components
class Component(Protocol):
    """What every cost component provides (structural type)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...
    def named_players(self) -> frozenset[str]: ...
    def cost_of(self, coalition: frozenset[str]) -> float: ...
    def vector(self, players: tuple[str, ...]) -> FloatArray: ...
    def prefix_costs(self, players: tuple[str, ...], orders: NDArray[np.intp]) -> FloatArray: ...
    def to_dict(self) -> dict[str, Any]: ...


def _aligned(values: Mapping[str, float], players: tuple[str, ...]) -> FloatArray:
    return np.array([values.get(p, 0.0) for p in players], dtype=np.float64)


def _prefixed(costs: FloatArray) -> FloatArray:
    """Prepend a zero column (the empty prefix)."""
    return np.concatenate([np.zeros((costs.shape[0], 1)), costs], axis=1)


@dataclass(frozen=True)
class Standalone:
    """Each partner's own cost (``c(S) = sum of own costs``); additive, so never shared.

    Examples
    --------
    >>> Standalone({"A": 100.0, "B": 50.0}).cost_of(frozenset({"A", "B"}))
    150.0
    """

    costs: Mapping[str, float]
    name: str = "Own costs"
    kind: ClassVar[str] = "standalone"

    def __post_init__(self) -> None:
        object.__setattr__(self, "costs", _number_map(self.costs, "costs", "The own cost"))

    def named_players(self) -> frozenset[str]:
        return frozenset(self.costs)

    def cost_of(self, coalition: frozenset[str]) -> float:
        return float(sum(self.costs.get(p, 0.0) for p in coalition))

    def vector(self, players: tuple[str, ...]) -> FloatArray:
        return additive_vector(_aligned(self.costs, players))

    def prefix_costs(self, players: tuple[str, ...], orders: NDArray[np.intp]) -> FloatArray:
        return _prefixed(np.cumsum(_aligned(self.costs, players)[orders], axis=1))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "costs": dict(self.costs)}


@dataclass(frozen=True)
class Pooled:
    """A shared service with economies of scale on pooled demand.

    A coalition ``S`` containing at least one user (a partner listed in ``demand``) pays
    ``fixed + curve(D(S))`` where ``D(S)`` is the members' total demand; other coalitions
    pay nothing. With ``curve`` concave and non-decreasing the cost is submodular, so the
    game is subadditive and its core is not empty (Shapley 1971).

    Examples
    --------
    >>> crm = Pooled({"A": 100, "B": 300}, PowerCurve(1.0, 0.5), fixed=10)
    >>> crm.cost_of(frozenset({"A", "B"}))
    30.0
    """

    demand: Mapping[str, float]
    curve: Curve
    fixed: float = 0.0
    name: str = "Shared service"
    kind: ClassVar[str] = "pooled"

    def __post_init__(self) -> None:
        object.__setattr__(self, "demand", _number_map(self.demand, "demand", "The demand"))
        object.__setattr__(self, "fixed", _number(self.fixed, "fixed", "The fixed cost"))
        if not isinstance(self.curve, PowerCurve | PiecewiseCurve):
            raise InvalidGameError("The curve must be a power or piecewise curve.", field="curve")

    def named_players(self) -> frozenset[str]:
        return frozenset(self.demand)

    def cost_of(self, coalition: frozenset[str]) -> float:
        users = [p for p in coalition if p in self.demand]
        if not users:
            return 0.0
        total = sum(self.demand[p] for p in users)
        return float(self.fixed + self.curve(np.array([total]))[0])

    def vector(self, players: tuple[str, ...]) -> FloatArray:
        demand = additive_vector(_aligned(self.demand, players))
        users = sum(1 << i for i, p in enumerate(players) if p in self.demand)
        used = (np.arange(1 << len(players)) & users) != 0
        return np.where(used, self.fixed + self.curve(demand), 0.0)

    def prefix_costs(self, players: tuple[str, ...], orders: NDArray[np.intp]) -> FloatArray:
        demand = np.cumsum(_aligned(self.demand, players)[orders], axis=1)
        is_user = np.array([p in self.demand for p in players])
        used = np.logical_or.accumulate(is_user[orders], axis=1)
        return _prefixed(np.where(used, self.fixed + self.curve(demand), 0.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "fixed": self.fixed,
            "demand": dict(self.demand),
            "curve": self.curve.to_dict(),
        }


@dataclass(frozen=True)
class Airport:
    """A shared asset sized for the most demanding member: ``c(S) = max requirement in S``.

    The airport game of Littlechild & Owen (1973): a runway long enough for the largest
    aircraft serves every smaller one.

    Examples
    --------
    >>> Airport({"A": 1.0, "B": 3.0}).cost_of(frozenset({"A", "B"}))
    3.0
    """

    requirements: Mapping[str, float]
    name: str = "Shared asset"
    kind: ClassVar[str] = "airport"

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "requirements",
            _number_map(self.requirements, "requirements", "The requirement"),
        )

    def named_players(self) -> frozenset[str]:
        return frozenset(self.requirements)

    def cost_of(self, coalition: frozenset[str]) -> float:
        return float(max((self.requirements.get(p, 0.0) for p in coalition), default=0.0))

    def vector(self, players: tuple[str, ...]) -> FloatArray:
        return max_vector(_aligned(self.requirements, players))

    def prefix_costs(self, players: tuple[str, ...], orders: NDArray[np.intp]) -> FloatArray:
        needs = _aligned(self.requirements, players)[orders]
        return _prefixed(np.maximum.accumulate(needs, axis=1))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "requirements": dict(self.requirements)}


@dataclass(frozen=True, eq=False)
class Explicit:
    """The cost of every coalition, listed: ``values[mask]`` for bitmask ``mask``.

    Build it with :meth:`from_costs` (coalitions named ``"A+B"``) or :meth:`from_vector`.

    Examples
    --------
    >>> game = Explicit.from_costs(("A", "B"), {"A": 6, "B": 7, "A+B": 10})
    >>> game.cost_of(frozenset({"A", "B"}))
    10.0
    """

    players: tuple[str, ...]
    values: FloatArray
    name: str = "Listed costs"
    kind: ClassVar[str] = "explicit"

    def __post_init__(self) -> None:
        n = len(self.players)
        if n > EXPLICIT_LIMIT:
            raise InvalidGameError(
                f"A listed cost for every coalition is only practical up to {EXPLICIT_LIMIT} "
                f"partners ({n} given): describe the project with components instead.",
                field="costs",
                code="too_many_players",
            )
        values = np.asarray(self.values, dtype=np.float64)
        if values.shape != (1 << n,):
            raise InvalidGameError(
                f"Expected {1 << n} coalition costs, got {values.size}.", field="costs"
            )
        # Two reductions without temporaries decide it (NaN makes both comparisons false);
        # the full masks are built only to name the offending coalition.
        lowest, highest = float(values.min()), float(values.max())
        if not (lowest >= -MAX_AMOUNT and highest <= MAX_AMOUNT):
            bad_mask = ~np.isfinite(values) | (np.abs(values) > MAX_AMOUNT)
        else:
            bad_mask = None
        if bad_mask is not None and np.any(bad_mask):
            bad = int(np.flatnonzero(bad_mask)[0])
            label = coalition_key([p for i, p in enumerate(self.players) if bad >> i & 1])
            problem = (
                "must be a finite number"
                if not np.isfinite(values[bad])
                else f"is too large (more than {MAX_AMOUNT:.0e})"
            )
            raise InvalidGameError(
                f"The cost of {label or 'the empty coalition'} {problem}.",
                field=f"costs.{label}",
                code="not_a_number" if not np.isfinite(values[bad]) else "too_large",
            )
        if lowest < 0:
            bad = int(np.flatnonzero(values < 0)[0])
            names = [p for i, p in enumerate(self.players) if bad >> i & 1]
            raise NegativeCostError(
                f"The cost of {coalition_key(names)} cannot be negative.",
                field=f"costs.{coalition_key(names)}",
            )
        values = values.copy()
        values[0] = 0.0
        values.setflags(write=False)
        object.__setattr__(self, "values", values)

    @classmethod
    def from_vector(
        cls, players: Iterable[str], values: Iterable[float], *, include_empty: bool = False
    ) -> Explicit:
        """From costs in bitmask order; without the empty coalition unless ``include_empty``."""
        array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
        if not include_empty:
            array = np.concatenate([[0.0], array])
        return cls(tuple(players), array)

    @classmethod
    def from_costs(
        cls, players: Iterable[str], costs: Any, *, name: str = "Listed costs"
    ) -> Explicit:
        """From a mapping ``{"A": 6, "A+B": 10, ...}`` naming every non-empty coalition."""
        players = tuple(players)
        n = len(players)
        if n > EXPLICIT_LIMIT:
            Explicit(players, np.zeros(1))  # raises the too-many-players error
        if not isinstance(costs, Mapping):
            raise InvalidGameError(
                "'costs' must map each coalition (members joined by '+') to its cost.",
                field="costs",
            )
        index = {p: i for i, p in enumerate(players)}
        values = np.zeros(1 << n)
        seen = np.zeros(1 << n, dtype=bool)
        seen[0] = True
        for key, raw in costs.items():
            if not isinstance(key, str):
                raise InvalidGameError(f"Coalition names must be text, not {key!r}.", field="costs")
            names = [part.strip() for part in key.split("+")] if key.strip() else []
            mask = 0
            for part in names:
                if part not in index:
                    raise UnknownPlayerError(
                        f"The coalition {key!r} names {part!r}, who is not one of the partners "
                        f"({', '.join(players)}).",
                        field=f"costs.{key}",
                    )
                bit = 1 << index[part]
                if mask & bit:
                    raise InvalidGameError(
                        f"The coalition {key!r} names {part} twice.",
                        field=f"costs.{key}",
                        code="duplicate_coalition",
                    )
                mask |= bit
            cost = _number(raw, f"costs.{key}", f"The cost of {key or 'the empty coalition'}")
            if mask == 0:
                if cost != 0:
                    raise InvalidGameError(
                        "The empty coalition must cost 0.", field="costs", code="empty_cost"
                    )
                continue
            if seen[mask]:
                raise InvalidGameError(
                    f"The coalition {coalition_key(names)} is given twice (as {key!r} and "
                    "again in another order).",
                    field=f"costs.{key}",
                    code="duplicate_coalition",
                )
            seen[mask] = True
            values[mask] = cost
        if not seen.all():
            missing = np.flatnonzero(~seen)
            shown = [
                coalition_key([players[i] for i in range(n) if m >> i & 1]) for m in missing[:5]
            ]
            more = f" and {missing.size - 5} more" if missing.size > 5 else ""
            raise MissingCoalitionError(
                f"The cost of every coalition is needed; missing: {', '.join(shown)}{more}.",
                field="costs",
            )
        return cls(players, values, name=name)

    def named_players(self) -> frozenset[str]:
        return frozenset(self.players)

    def _mask(self, coalition: Iterable[str]) -> int:
        index = {p: i for i, p in enumerate(self.players)}
        return sum(1 << index[p] for p in coalition if p in index)

    def cost_of(self, coalition: frozenset[str]) -> float:
        return float(self.values[self._mask(coalition)])

    def vector(self, players: tuple[str, ...]) -> FloatArray:
        if players == self.players:
            return np.array(self.values)
        position = {p: i for i, p in enumerate(players)}
        masks = np.arange(1 << len(players))
        own = np.zeros_like(masks)
        for j, p in enumerate(self.players):
            own |= ((masks >> position[p]) & 1) << j
        return np.array(self.values[own])

    def prefix_costs(self, players: tuple[str, ...], orders: NDArray[np.intp]) -> FloatArray:
        position = {p: i for i, p in enumerate(self.players)}
        bit = np.array([1 << position[p] if p in position else 0 for p in players], np.int64)
        masks = np.cumsum(bit[orders], axis=1)
        return _prefixed(self.values[masks])

    def to_dict(self) -> dict[str, Any]:
        n = len(self.players)
        costs = {
            coalition_key([self.players[i] for i in range(n) if m >> i & 1]): float(self.values[m])
            for m in range(1, 1 << n)
        }
        return {"kind": self.kind, "name": self.name, "costs": costs}


def _component_from_dict(data: Any, players: tuple[str, ...]) -> Component:
    if not isinstance(data, Mapping):
        raise InvalidGameError("Each component must be an object with a 'kind'.")
    kind = data.get("kind")
    name = data.get("name")
    allowed = {
        "standalone": {"costs"},
        "pooled": {"fixed", "demand", "curve"},
        "airport": {"requirements"},
        "explicit": {"costs"},
    }
    if kind not in allowed:
        raise InvalidGameError(
            f"Unknown component kind {kind!r}: use standalone, pooled, airport or explicit.",
            field="kind",
        )
    extra = set(data) - allowed[kind] - {"kind", "name", "description"}
    if extra:
        raise InvalidGameError(
            f"A {kind} component does not take {', '.join(sorted(map(str, extra)))}.",
            field=sorted(map(str, extra))[0],
        )
    if name is not None and not isinstance(name, str):
        raise InvalidGameError("A component's name must be text.", field="name")
    named = {"name": name} if name else {}
    for key in allowed[kind] - {"fixed"}:
        if key not in data:
            raise InvalidGameError(f"A {kind} component needs '{key}'.", field=key)
    if kind == "standalone":
        return Standalone(data["costs"], **named)
    if kind == "pooled":
        return Pooled(
            data["demand"], _curve_from_dict(data["curve"]), data.get("fixed", 0.0), **named
        )
    if kind == "airport":
        return Airport(data["requirements"], **named)
    return Explicit.from_costs(players, data["costs"], **named)


# --------------------------------------------------------------------------- the game
@dataclass(frozen=True, eq=False)
class Game:
    """A cost-sharing game: partners and the components of their joint project.

    Parameters
    ----------
    players : tuple[str, ...]
        Partner names (unique, non-empty, without ``+``), in display order.
    components : tuple[Component, ...]
        The project; a coalition's cost is the sum of its components' costs.
    weights : Mapping[str, float], optional
        An agreed measure (population, transactions...) for the proportional method.
    name : str
        A title for reports.

    Attributes
    ----------
    warnings : list[str]
        Plain-English warnings found while validating (e.g. not subadditive); each is
        also issued as a :class:`~fairshare.FairshareWarning`.
    notes : list[str]
        Checks that were skipped and why (e.g. subadditivity beyond 22 partners).

    Examples
    --------
    >>> game = Game(("A", "B"), (Airport({"A": 1.0, "B": 3.0}),))
    >>> game.cost(["A", "B"]), game.standalone("A"), game.grand_cost
    (3.0, 1.0, 3.0)
    """

    players: tuple[str, ...]
    components: tuple[Component, ...]
    weights: Mapping[str, float] | None = None
    name: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        players = tuple(self.players)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "components", tuple(self.components))
        if not players:
            raise EmptyPartnershipError(
                "A partnership needs at least one partner.", field="players"
            )
        for p in players:
            if not isinstance(p, str) or not p.strip():
                raise InvalidGameError(
                    f"Partner names must be non-empty text, not {p!r}.", field="players"
                )
            if "+" in p:
                raise InvalidGameError(
                    f"Partner names cannot contain '+' ({p!r}): '+' joins coalition members.",
                    field="players",
                )
        duplicates = sorted(p for p, k in Counter(players).items() if k > 1)
        if duplicates:
            raise InvalidGameError(
                f"{duplicates[0]} is listed twice.", field="players", code="duplicate_player"
            )
        if not self.components:
            raise InvalidGameError(
                "The project needs at least one cost component.", field="components"
            )
        known = set(players)
        for k, component in enumerate(self.components):
            unknown = sorted(component.named_players() - known)
            if unknown:
                raise UnknownPlayerError(
                    f"Component {component.name!r} names {unknown[0]}, who is not one of the "
                    f"partners.",
                    field=f"components[{k}]",
                )
            if isinstance(component, Explicit) and set(component.players) != known:
                raise InvalidGameError(
                    "A listed-costs component must cover exactly the partnership's partners.",
                    field=f"components[{k}]",
                )
        if self.weights is not None:
            weights = _number_map(self.weights, "weights", "The weight")
            unknown = sorted(set(weights) - known)
            if unknown:
                raise UnknownPlayerError(
                    f"The weights name {unknown[0]}, who is not a partner.", field="weights"
                )
            missing = [p for p in players if p not in weights]
            if missing:
                raise InvalidGameError(
                    f"The weights leave out {missing[0]}.", field="weights", code="missing_weight"
                )
            if sum(weights.values()) <= 0:
                raise InvalidGameError("The weights cannot all be zero.", field="weights")
            object.__setattr__(self, "weights", weights)
        self._check_subadditive()

    # ---------------------------------------------------------------- basic queries
    @property
    def n(self) -> int:
        """Number of partners."""
        return len(self.players)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each partner in :attr:`players`."""
        return {p: i for i, p in enumerate(self.players)}

    def _members(self, coalition: Iterable[str]) -> frozenset[str]:
        if isinstance(coalition, str):
            coalition = [part.strip() for part in coalition.split("+")] if coalition else []
        members = frozenset(coalition)
        unknown = sorted(members - set(self.players))
        if unknown:
            raise UnknownPlayerError(f"{unknown[0]} is not one of the partners.", field="coalition")
        return members

    def cost(self, coalition: Iterable[str]) -> float:
        """Cost of a coalition (a collection of partner names, or ``"A+B"``); 0 if empty."""
        members = self._members(coalition)
        if not members:
            return 0.0
        return float(sum(c.cost_of(members) for c in self.components))

    def standalone(self, player: str) -> float:
        """What ``player`` would pay going alone."""
        return self.cost([player])

    @cached_property
    def grand_cost(self) -> float:
        """Cost of the whole partnership going ahead together."""
        return self.cost(self.players)

    @cached_property
    def standalone_costs(self) -> dict[str, float]:
        """Each partner's stand-alone cost."""
        return {p: self.standalone(p) for p in self.players}

    @cached_property
    def demand(self) -> dict[str, float] | None:
        """Total demand per partner over the pooled components (``None`` if there are none)."""
        pooled = [c for c in self.components if isinstance(c, Pooled)]
        if not pooled:
            return None
        return {p: float(sum(c.demand.get(p, 0.0) for c in pooled)) for p in self.players}

    @property
    def is_structured(self) -> bool:
        """True when no component is an explicit table (so any ``n`` is tractable)."""
        return not any(isinstance(c, Explicit) for c in self.components)

    def cost_vector(self) -> FloatArray:
        """Costs of all ``2**n`` coalitions in bitmask order (bit ``i`` = ``players[i]``).

        Raises
        ------
        MethodError
            If ``n`` exceeds :data:`BITMASK_LIMIT`.

        Notes
        -----
        ``O(2**n)`` time and memory per component; cached, read-only.
        """
        return self._cost_vector

    @cached_property
    def _cost_vector(self) -> FloatArray:
        if self.n > BITMASK_LIMIT:
            raise MethodError(
                f"Listing every coalition's cost is limited to {BITMASK_LIMIT} partners; "
                f"this partnership has {self.n}.",
                code="too_many_players",
            )
        only = self.components[0]
        if (
            len(self.components) == 1
            and isinstance(only, Explicit)
            and only.players == self.players
        ):
            return only.values  # already read-only with values[0] = 0: no copy of 2**n costs
        total = np.zeros(1 << self.n)
        for component in self.components:
            total += component.vector(self.players)
        total[0] = 0.0
        total.setflags(write=False)
        return total

    def prefix_costs(self, orders: NDArray[np.intp]) -> FloatArray:
        """Costs of the prefixes of each order: ``out[k, j]`` = cost of the first ``j``."""
        out = np.zeros((orders.shape[0], orders.shape[1] + 1))
        for component in self.components:
            out += component.prefix_costs(self.players, orders)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The GAME.json form (components form), ready for :func:`load_game`."""
        data: dict[str, Any] = {"players": list(self.players)}
        if self.name:
            data["name"] = self.name
        data["components"] = [c.to_dict() for c in self.components]
        if self.weights is not None:
            data["weights"] = dict(self.weights)
        return data

    # ---------------------------------------------------------------- subadditivity
    def _check_subadditive(self) -> None:
        """Warn when some coalition would pay less split in two (only explicit tables can)."""
        if self.is_structured or self.n > BITMASK_LIMIT or self.n < 2:
            return
        v = self.cost_vector()
        n = self.n
        tolerance = 1e-9 * max(1.0, float(np.max(v)))
        worst = (0.0, 0, 0)
        if n <= _FULL_SUBADDITIVITY_LIMIT:
            masks = np.arange(1 << n)
            for part in range(1, 1 << n):
                others = masks[(masks & part) == 0][1:]
                if others.size == 0:
                    continue
                gap = v[part | others] - v[part] - v[others]
                k = int(np.argmax(gap))
                if gap[k] > worst[0]:
                    worst = (float(gap[k]), part, int(others[k]))
        elif n <= _SUBADDITIVITY_SCAN_LIMIT:
            # each partner against every coalition without it, on strided views (no copies
            # of index arrays): n * 2**(n-1) subtractions
            for i in range(n):
                bit = 1 << i
                pairs = v.reshape(-1, 2, bit)
                gap = (pairs[:, 1, :] - pairs[:, 0, :]).ravel() - v[bit]
                gap[0] = -np.inf  # the empty coalition
                k = int(np.argmax(gap))
                if gap[k] > worst[0]:
                    high, low = divmod(k, bit)
                    worst = (float(gap[k]), bit, (high << (i + 1)) | low)
        else:
            self.notes.append(
                f"Subadditivity was not checked: with {n} partners the scan of every "
                f"coalition against every partner ({n} x 2^{n - 1} pairs) would take longer "
                "than the calculation itself."
            )
        if worst[0] > tolerance:
            gap, first, second = worst
            name_a = coalition_key([self.players[i] for i in range(n) if first >> i & 1])
            name_b = coalition_key([self.players[i] for i in range(n) if second >> i & 1])
            together = coalition_key(
                [self.players[i] for i in range(n) if (first | second) >> i & 1]
            )
            message = (
                f"The game is not subadditive: {together} costs {format_gbp(v[first | second])} "
                f"together but {format_gbp(v[first] + v[second])} apart ({name_a} "
                f"{format_gbp(v[first])}, {name_b} {format_gbp(v[second])}), so {name_a} and "
                f"{name_b} would be {format_gbp(gap)} better off apart."
            )
            self.warnings.append(message)
            warnings.warn(message, FairshareWarning, stacklevel=4)

    @classmethod
    def from_costs(cls, players: Iterable[str], costs: Mapping[str, float], **kwargs: Any) -> Game:
        """An explicit game from ``{"A": 6, "A+B": 10, ...}``."""
        players = tuple(players)
        if not players:
            raise EmptyPartnershipError(
                "A partnership needs at least one partner.", field="players"
            )
        return cls(players, (Explicit.from_costs(players, costs),), **kwargs)

    @classmethod
    def from_vector(cls, players: Iterable[str], values: Iterable[float], **kwargs: Any) -> Game:
        """An explicit game from costs in bitmask order (without the empty coalition)."""
        players = tuple(players)
        return cls(players, (Explicit.from_vector(players, values),), **kwargs)


_TOP_LEVEL = {"players", "costs", "components", "weights", "name", "description", "notes"}


def load_game(data: Any) -> Game:
    """Build and validate a :class:`Game` from the GAME.json format.

    Parameters
    ----------
    data : dict
        ``{"players": [...], "costs": {"A": 6, "A+B": 10, ...}}`` (explicit: every
        non-empty coalition, members joined by ``+`` in any order) or
        ``{"players": [...], "components": [...]}``; optional ``"weights"`` (for the
        proportional method) and ``"name"``.

    Returns
    -------
    Game

    Raises
    ------
    FairshareError
        A subclass naming what is wrong: :class:`InvalidGameError`,
        :class:`UnknownPlayerError`, :class:`MissingCoalitionError`,
        :class:`NegativeCostError` or :class:`EmptyPartnershipError`.

    Examples
    --------
    >>> game = load_game({"players": ["A", "B"], "costs": {"A": 6, "B": 7, "B+A": 10}})
    >>> game.grand_cost
    10.0
    """
    if not isinstance(data, Mapping):
        raise InvalidGameError("A game must be a JSON object with 'players'.")
    extra = sorted(str(k) for k in set(data) - _TOP_LEVEL if not str(k).startswith("_"))
    if extra:
        raise InvalidGameError(f"Unknown field {extra[0]!r} in the game.", field=extra[0])
    players = data.get("players")
    if not isinstance(players, list | tuple):
        raise InvalidGameError("'players' must be a list of partner names.", field="players")
    if not players:
        raise EmptyPartnershipError("A partnership needs at least one partner.", field="players")
    for p in players:
        if not isinstance(p, str):
            raise InvalidGameError(f"Partner names must be text, not {p!r}.", field="players")
        if "+" in p:
            raise InvalidGameError(
                f"Partner names cannot contain '+' ({p!r}): '+' joins coalition members.",
                field="players",
            )
    players = tuple(players)
    has_costs, has_components = "costs" in data, "components" in data
    if has_costs == has_components:
        raise InvalidGameError(
            "Give either 'costs' (every coalition's cost) or 'components' (a cost model), not both."
            if has_costs
            else "Give either 'costs' or 'components'.",
            field="costs",
        )
    name = data.get("name", "")
    if not isinstance(name, str):
        raise InvalidGameError("The game's name must be text.", field="name")
    if len(set(players)) != len(players):
        duplicate = next(p for p, k in Counter(players).items() if k > 1)
        raise InvalidGameError(
            f"{duplicate} is listed twice.", field="players", code="duplicate_player"
        )
    if has_costs:
        components: tuple[Component, ...] = (Explicit.from_costs(players, data["costs"]),)
    else:
        raw = data["components"]
        if not isinstance(raw, list | tuple) or not raw:
            raise InvalidGameError("'components' must be a non-empty list.", field="components")
        built = []
        for k, item in enumerate(raw):
            try:
                built.append(_component_from_dict(item, players))
            except InvalidGameError as error:
                error.field = f"components[{k}]" + (f".{error.field}" if error.field else "")
                raise
        components = tuple(built)
    return Game(players, components, weights=data.get("weights"), name=name)
