"""The sharing methods and the one entry point :func:`solve`.

Every method returns an :class:`Allocation`: what each partner pays, in GBP, adding up to
the cost of the whole partnership going ahead together.

References
----------
.. [1] Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of
   Games II*, Annals of Mathematics Studies 28, 307-317.
.. [2] Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM
   Journal on Applied Mathematics* 17(6), 1163-1170.
.. [3] Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the
   kernel, nucleolus, and related solution concepts. *Mathematics of Operations
   Research* 4(4), 303-338.
.. [4] Straffin, P. D. & Heaney, J. P. (1981). Game theory and the Tennessee Valley
   Authority. *International Journal of Game Theory* 10(1), 35-43.
.. [5] Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
   development. *Water Resources Research* 18(3), 463-475.
.. [6] Littlechild, S. C. (1974). A simple expression for the nucleolus in a special
   case. *International Journal of Game Theory* 3(1), 21-29.
.. [7] Castro, J., Gómez, D. & Tejada, J. (2009). Polynomial calculation of the Shapley
   value based on sampling. *Computers & Operations Research* 36(5), 1726-1730.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import coopgame
import numpy as np

from .errors import FairshareWarning, MethodError
from .models import Airport, Game, Standalone
from .shapley import DEFAULT_RESOLUTION, shapley_exact, shapley_sampled, shapley_structured

__all__ = [
    "METHODS",
    "NUCLEOLUS_LIMIT",
    "Allocation",
    "airport_nucleolus",
    "compare_all",
    "equal_split",
    "least_core",
    "nucleolus",
    "proportional",
    "scrb",
    "shapley",
    "solve",
]

#: Every method :func:`solve` knows, in the order reports show them.
METHODS: tuple[str, ...] = ("equal", "proportional", "scrb", "shapley", "nucleolus", "least_core")

#: Largest partnership for the nucleolus and least core by linear programming over all
#: coalitions (coopgame-py). Airport projects have a closed form at any size.
NUCLEOLUS_LIMIT = 20

#: Up to this many partners the Shapley value is computed over all coalitions.
SHAPLEY_BITMASK_LIMIT = 20

METHOD_LABELS = {
    "equal": "equal split",
    "proportional": "proportional split",
    "scrb": "SCRB method (separable costs, remaining benefits)",
    "shapley": "Shapley value",
    "nucleolus": "nucleolus",
    "least_core": "least core",
}


@dataclass(frozen=True)
class Allocation:
    """A split of the partnership's cost.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    shares : dict[str, float]
        What each partner pays (GBP), in player order; adds up to the grand cost.
    standard_errors : dict[str, float] or None
        Standard errors when the shares are estimated by sampling.
    exact : bool
        False when sampled or discretised.
    details : dict
        Method-specific facts (``epsilon`` for the least core, ``measure`` for
        proportional, ``separable``/``remaining`` for SCRB, ``samples``, ``notes``...).
    """

    method: str
    shares: dict[str, float]
    standard_errors: dict[str, float] | None = None
    exact: bool = True
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """Sum of the shares."""
        return float(sum(self.shares.values()))

    @property
    def label(self) -> str:
        """Plain-English name of the method."""
        return METHOD_LABELS.get(self.method, self.method)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``method``, ``allocation``, ``standard_errors``, ``exact``)."""
        data: dict[str, Any] = {"method": self.method, "allocation": dict(self.shares)}
        if self.standard_errors is not None:
            data["standard_errors"] = dict(self.standard_errors)
        data["exact"] = self.exact
        return data


def _as_dict(game: Game, values: Any) -> dict[str, float]:
    return dict(zip(game.players, (float(v) for v in values), strict=True))


# --------------------------------------------------------------------------- methods
def equal_split(game: Game) -> Allocation:
    """Everyone pays the same: ``c(N) / n``.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> equal_split(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 5.0, 'B': 5.0}
    """
    share = game.grand_cost / game.n
    return Allocation("equal", dict.fromkeys(game.players, share))


def proportional(game: Game, weights: Mapping[str, float] | str | None = None) -> Allocation:
    """Split ``c(N)`` in proportion to a measure.

    Parameters
    ----------
    weights : Mapping[str, float] or str, optional
        A measure per partner (population, transactions, staff...), or ``"standalone"``
        (stand-alone cost), ``"demand"`` (total demand over the pooled components) or
        ``"weights"`` (the game's own weights). Default: the game's weights if it has any,
        else stand-alone cost.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs("AB", {"A": 6, "B": 2, "A+B": 4})
    >>> proportional(game).shares
    {'A': 3.0, 'B': 1.0}
    """
    measure: str
    if weights is None:
        weights = "weights" if game.weights is not None else "standalone"
    if isinstance(weights, str):
        measure = weights
        if weights == "standalone":
            values = dict(game.standalone_costs)
        elif weights == "demand":
            if game.demand is None:
                raise MethodError(
                    "This project has no pooled component, so there is no demand to split by.",
                    field="weights",
                )
            values = dict(game.demand)
        elif weights == "weights":
            if game.weights is None:
                raise MethodError("This game has no weights.", field="weights")
            values = dict(game.weights)
        else:
            raise MethodError(
                f"Unknown measure {weights!r}: give weights per partner, or 'standalone', "
                "'demand' or 'weights'.",
                field="weights",
            )
    else:
        measure = "weights"
        checked = Game(game.players, game.components, weights=weights)  # validates
        values = dict(checked.weights or {})
    total = sum(values.values())
    if total <= 0:
        raise MethodError(f"The {measure} measure is zero for every partner.", field="weights")
    grand = game.grand_cost
    shares = {p: grand * values[p] / total for p in game.players}
    return Allocation("proportional", shares, details={"measure": measure, "weights": values})


def scrb(game: Game) -> Allocation:
    """Separable costs, remaining benefits (SCRB).

    Each partner first pays its *separable cost* ``s_i = c(N) - c(N - i)`` (what the
    partnership saves without it); the *non-separable* remainder ``c(N) - sum(s)`` is
    shared in proportion to the *remaining benefits* ``r_i = max(c(i) - s_i, 0)`` (what
    the partner saves by joining, beyond its separable cost). If every ``r_i`` is 0 the
    remainder is shared equally.

    Notes
    -----
    ``n + 1`` coalition costs, so it works at any scale. Long used by engineers for water
    projects (the TVA's allocation of the 1930s; Straffin & Heaney 1981; Young, Okada &
    Hashimoto 1982, whose Swedish municipal-water study compares it with the Shapley value
    and nucleolus). It may fall outside the core for four or more partners.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> scrb(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    players = game.players
    grand = game.grand_cost
    everyone = set(players)
    separable = np.array([grand - game.cost(everyone - {p}) for p in players])
    standalone = np.array([game.standalone_costs[p] for p in players])
    remaining = np.maximum(standalone - separable, 0.0)
    rest = grand - float(separable.sum())
    if remaining.sum() > 0:
        shares = separable + rest * remaining / remaining.sum()
    else:
        shares = separable + rest / game.n
    return Allocation(
        "scrb",
        _as_dict(game, shares),
        details={
            "separable": _as_dict(game, separable),
            "remaining": _as_dict(game, remaining),
            "non_separable": rest,
        },
    )


def shapley(
    game: Game,
    *,
    samples: int | None = None,
    seed: int | None = None,
    resolution: int = DEFAULT_RESOLUTION,
) -> Allocation:
    """The Shapley value: each partner's marginal cost averaged over all joining orders.

    Chooses the computation: with ``samples`` given, permutation sampling with antithetic
    pairs and standard errors (Castro et al. 2009); otherwise exact over all coalitions
    for up to 20 partners, and component by component beyond that (Littlechild & Owen
    1973 for airport components; dynamic programming over demand for pooled components,
    discretised when the demand does not fit in ``resolution`` units — then
    ``exact`` is False and ``details["notes"]`` says by how much).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> shapley(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    if samples is not None:
        result = shapley_sampled(game, samples, seed=0 if seed is None else seed)
        return Allocation(
            "shapley",
            result.shares,
            result.standard_errors,
            exact=False,
            details={"computation": "sampled", "samples": result.permutations, "seed": seed or 0},
        )
    if game.n <= SHAPLEY_BITMASK_LIMIT or not game.is_structured:
        return Allocation("shapley", shapley_exact(game), details={"computation": "all coalitions"})
    structured = shapley_structured(game, resolution=resolution)
    return Allocation(
        "shapley",
        structured.shares,
        exact=structured.exact,
        details={
            "computation": "structured",
            "notes": list(structured.notes),
            "max_adjustment": structured.max_adjustment,
        },
    )


def _airport_plus_own(game: Game) -> tuple[Airport, Standalone | None] | None:
    airports = [c for c in game.components if isinstance(c, Airport)]
    others = [c for c in game.components if not isinstance(c, Airport | Standalone)]
    own = [c for c in game.components if isinstance(c, Standalone)]
    if len(airports) == 1 and not others and len(own) <= 1:
        return airports[0], own[0] if own else None
    return None


def airport_nucleolus(requirements: Sequence[float]) -> np.ndarray:
    """Littlechild's (1974) nucleolus of the airport cost game ``c(S) = max_{i in S} r_i``.

    With requirements sorted ascending, the smallest users pay the lowest rate
    ``min_i (r_(i) - paid) / (i - start + 2)`` over the groups ``start..i`` that exclude the
    largest user; the group attaining it (the largest such) is fixed at that rate, and the
    procedure repeats on the rest. The largest user pays what is left.

    Notes
    -----
    ``O(n**2)`` in the worst case (``O(n)`` vectorised stages), exact. coopgame-py's
    ``airport`` gives the same values but slows down steeply beyond 20 partners.

    References
    ----------
    .. [1] Littlechild, S. C. (1974). A simple expression for the nucleolus in a special
       case. *International Journal of Game Theory* 3(1), 21-29.

    Examples
    --------
    >>> airport_nucleolus([1.0, 2.0, 3.0]).tolist()
    [0.5, 0.75, 1.75]
    """
    r = np.asarray(requirements, dtype=float)
    n = r.size
    order = np.argsort(r, kind="stable")
    s = r[order]
    x = np.zeros(n)
    start, paid = 0, 0.0
    while start < n - 1:
        idx = np.arange(start, n - 1)
        rates = (s[idx] - paid) / (idx - start + 2)
        rate = float(rates.min())
        last = int(idx[np.flatnonzero(rates <= rate + 1e-12 * max(1.0, abs(rate)))[-1]])
        x[start : last + 1] = rate
        paid += rate * (last + 1 - start)
        start = last + 1
    x[n - 1] = s[n - 1] - paid
    out = np.empty(n)
    out[order] = x
    return out


def _too_many(game: Game, method: str) -> MethodError:
    return MethodError(
        f"The {METHOD_LABELS[method]} is computed over every coalition, which is limited to "
        f"{NUCLEOLUS_LIMIT} partners; this partnership has {game.n}. Use the Shapley value "
        "or SCRB instead.",
        field="method",
        code="too_many_players",
    )


def _savings_game(game: Game) -> tuple[coopgame.Game, np.ndarray]:
    v = game.cost_vector()
    standalone = v[1 << np.arange(game.n)]
    from ._bits import additive_vector

    savings = additive_vector(standalone) - v
    # Exact ties (e.g. a partner adding nothing) must not turn into -1e-13 savings.
    savings[np.abs(savings) <= 1e-12 * max(1.0, float(np.max(np.abs(v))))] = 0.0
    return coopgame.Game(savings[1:].tolist()), standalone


def nucleolus(game: Game) -> Allocation:
    """The nucleolus: the split that makes the most aggrieved coalition as well off as
    possible, then the next, and so on (Schmeidler 1969).

    Computed by coopgame-py's sequential linear programs on the *savings game*
    ``v(S) = sum_{i in S} c(i) - c(S)``; partner ``i`` pays ``c(i) - x_i``. It lies in the
    core whenever the core is not empty. When the imputation set is empty (the grand
    coalition costs more than everyone alone) the prenucleolus is used, with a warning.
    For a project made of one airport component (plus own costs) it uses
    :func:`airport_nucleolus` (Littlechild 1974) beyond that; otherwise up to :data:`NUCLEOLUS_LIMIT` partners.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> nucleolus(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    if game.n > NUCLEOLUS_LIMIT:
        structure = _airport_plus_own(game)
        if structure is None:
            raise _too_many(game, "nucleolus")
        airport, own = structure
        shares = airport_nucleolus([airport.requirements.get(p, 0.0) for p in game.players])
        if own is not None:
            shares += [own.costs.get(p, 0.0) for p in game.players]
        return Allocation("nucleolus", _as_dict(game, shares), details={"computation": "airport"})
    if game.n == 1:
        return Allocation("nucleolus", {game.players[0]: game.grand_cost})
    savings, standalone = _savings_game(game)
    details: dict[str, Any] = {"computation": "sequential LP (coopgame)"}
    try:
        result = coopgame.nucleolus(savings)
    except ValueError:
        message = (
            "The partnership costs more than every partner going alone, so the nucleolus "
            "is not defined; the prenucleolus is given instead."
        )
        warnings.warn(message, FairshareWarning, stacklevel=2)
        result = coopgame.prenucleolus(savings)
        details["prenucleolus"] = True
        details["warning"] = message
    x = np.array(result["allocation"], dtype=float)
    details["levels"] = [float(level) for level in result.get("levels", [])]
    return Allocation("nucleolus", _as_dict(game, standalone - x), details=details)


def least_core(game: Game) -> Allocation:
    """A split in the least core: the smallest ``epsilon`` such that no coalition pays
    more than ``epsilon`` above its own cost (Maschler, Peleg & Shapley 1979).

    ``details["epsilon"]`` is that smallest worst excess (negative when the core has room
    to spare). The least core is a set; this returns the point coopgame-py's linear
    program finds (the nucleolus is the canonical point inside it).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> result = least_core(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}))
    >>> result.shares, result.details["epsilon"]
    ({'A': 4.5, 'B': 5.5}, -1.5)
    """
    if game.n > NUCLEOLUS_LIMIT:
        raise _too_many(game, "least_core")
    if game.n == 1:
        return Allocation(
            "least_core", {game.players[0]: game.grand_cost}, details={"epsilon": 0.0}
        )
    savings, standalone = _savings_game(game)
    result = coopgame.least_core(savings, domain="preimputation")
    x = np.array(result["allocation"], dtype=float)
    return Allocation(
        "least_core",
        _as_dict(game, standalone - x),
        details={"epsilon": float(result["epsilon"]), "computation": "LP (coopgame)"},
    )


# --------------------------------------------------------------------------- dispatch
def solve(
    game: Game,
    method: str,
    *,
    weights: Mapping[str, float] | str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> Allocation:
    """Split the partnership's cost by ``method``.

    Parameters
    ----------
    game : Game
    method : str
        One of :data:`METHODS`.
    weights : Mapping[str, float] or str, optional
        For ``"proportional"`` only (see :func:`proportional`).
    samples, seed : int, optional
        For ``"shapley"`` only: estimate from ``samples`` random orders.

    Raises
    ------
    MethodError
        Unknown method, or a method that does not apply to this game.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> solve(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}), "equal").shares
    {'A': 5.0, 'B': 5.0}
    """
    if method not in METHODS:
        raise MethodError(
            f"Unknown method {method!r}: choose one of {', '.join(METHODS)}.",
            field="method",
            code="unknown_method",
        )
    if method == "equal":
        return equal_split(game)
    if method == "proportional":
        return proportional(game, weights)
    if method == "scrb":
        return scrb(game)
    if method == "shapley":
        return shapley(game, samples=samples, seed=seed)
    if method == "nucleolus":
        return nucleolus(game)
    return least_core(game)


def compare_all(
    game: Game,
    *,
    weights: Mapping[str, float] | str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> dict[str, Allocation]:
    """Every method that applies, keyed by method; skipped ones raise a warning.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> results = compare_all(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}))
    >>> list(results)
    ['equal', 'proportional', 'scrb', 'shapley', 'nucleolus', 'least_core']
    """
    results: dict[str, Allocation] = {}
    for method in METHODS:
        try:
            results[method] = solve(game, method, weights=weights, samples=samples, seed=seed)
        except MethodError as error:
            warnings.warn(
                f"{METHOD_LABELS[method]} skipped: {error.message}", FairshareWarning, stacklevel=2
            )
    return results
