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

import numpy as np

from .errors import FairshareWarning, MethodError
from .lexicographic import LexicographicResult, lexicographic_centre
from .models import EXPLICIT_LIMIT, Airport, Game, Standalone
from .money import format_gbp
from .shapley import DEFAULT_RESOLUTION, shapley_exact, shapley_sampled, shapley_structured

__all__ = [
    "EXPLICIT_NUCLEOLUS_LIMIT",
    "METHODS",
    "NUCLEOLUS_LIMIT",
    "Allocation",
    "airport_nucleolus",
    "compare_all",
    "equal_split",
    "least_core",
    "least_core_epsilon",
    "nucleolus",
    "proportional",
    "scrb",
    "shapley",
    "solve",
]

#: Every method :func:`solve` knows, in the order reports show them.
METHODS: tuple[str, ...] = ("equal", "proportional", "scrb", "shapley", "nucleolus", "least_core")

#: Largest partnership described by components (cost model) for the nucleolus and least
#: core over all coalitions: their ``2**n`` costs are tabulated first. Airport projects
#: have a closed form at any size.
NUCLEOLUS_LIMIT = 20

#: Largest explicit table (every coalition's cost given) for the nucleolus and least core:
#: sequential linear programmes with constraint generation (:mod:`fairshare.lexicographic`).
EXPLICIT_NUCLEOLUS_LIMIT = EXPLICIT_LIMIT

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
    method_used : str
        What was actually computed, when it differs from ``method``: ``"prenucleolus"``
        when the nucleolus is not defined, the least core's point (``"nucleolus"`` or
        ``"prenucleolus"``). Defaults to ``method``.
    error_bound : float or None
        For an approximate result (``exact`` False): the largest error in GBP of any
        partner's share, of the kind ``error_kind`` says; ``None`` when exact.
    error_kind : str
        ``""`` when exact; ``"proven"`` (a proven bound: the share is certainly within
        ``error_bound`` of the exact value, rounding aside), ``"estimated"`` (an
        a-posteriori estimate, not a proof) or ``"statistical"`` (three standard errors:
        exceeded about 3 times in 1,000).
    """

    method: str
    shares: dict[str, float]
    standard_errors: dict[str, float] | None = None
    exact: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    method_used: str = ""
    error_bound: float | None = None
    error_kind: str = ""

    def __post_init__(self) -> None:
        if not self.method_used:
            object.__setattr__(self, "method_used", self.method)

    @property
    def notes(self) -> list[str]:
        """Plain-English notes about how the result was computed."""
        return [str(note) for note in self.details.get("notes", [])]

    @property
    def total(self) -> float:
        """Sum of the shares."""
        return float(sum(self.shares.values()))

    @property
    def label(self) -> str:
        """Plain-English name of the method."""
        return METHOD_LABELS.get(self.method, self.method)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``method``, ``method_used``, ``allocation``, ``standard_errors``
        (sampled only), ``exact``, ``error_bound``, ``error_kind``,
        ``relative_error_bound`` (proven bounds only), ``computation``,
        ``notes`` (and ``epsilon`` for the least core)."""
        data: dict[str, Any] = {
            "method": self.method,
            "method_used": self.method_used,
            "allocation": dict(self.shares),
        }
        if self.standard_errors is not None:
            data["standard_errors"] = dict(self.standard_errors)
        data["exact"] = self.exact
        data["error_bound"] = self.error_bound
        data["error_kind"] = self.error_kind or None
        if "relative_error_bound" in self.details:
            data["relative_error_bound"] = self.details["relative_error_bound"]
        data["computation"] = self.details.get("computation")
        if "epsilon" in self.details:
            data["epsilon"] = self.details["epsilon"]
        data["notes"] = self.notes
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
    return Allocation(
        "equal", dict.fromkeys(game.players, share), details={"computation": "c(N) / n"}
    )


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
    return Allocation(
        "proportional",
        shares,
        details={
            "measure": measure,
            "weights": values,
            "computation": f"in proportion to {measure}",
        },
    )


def scrb(game: Game) -> Allocation:
    """Separable costs, remaining benefits (SCRB).

    Each partner first pays its *separable cost* ``s_i = c(N) - c(N - i)`` (what the
    partnership saves without it); the *non-separable* remainder ``c(N) - sum(s)`` is
    shared in proportion to the *remaining benefits* ``r_i = max(c(i) - s_i, 0)`` (what
    the partner saves by joining, beyond its separable cost).

    Notes
    -----
    ``n + 1`` coalition costs, so it works at any scale. Long used by engineers for water
    projects (the TVA's allocation of the 1930s; Straffin & Heaney 1981; Young, Okada &
    Hashimoto 1982, whose Swedish municipal-water study compares it with the Shapley value
    and nucleolus). It may fall outside the core for four or more partners.

    *Tolerance.* ``c(i) - s_i`` is computed from three costs, so floating-point residues
    of about ``1e-16`` of the costs appear where the true value is 0. Any ``|c(i) - s_i|``
    within :func:`~fairshare.core.default_tolerance` (``1e-9`` of the total) counts as 0,
    so a residue never decides who carries the non-separable cost.

    *When no partner has a remaining benefit* (only possible when the game is not
    subadditive: separable costs at least the stand-alone costs), the remainder is shared
    in proportion to ``|c(i) - s_i|``, how far each partner's separable cost is from its
    stand-alone cost; only if that is 0 for everyone is it shared equally. A partner that
    adds exactly its own cost to every group (a *dummy*: ``c(S + i) = c(S) + c(i)``) has
    ``s_i = c(i)``, so under either rule it pays exactly its own cost (the dummy property),
    and partners that are interchangeable pay the same (symmetry).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> scrb(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    from .core import default_tolerance

    players = game.players
    grand = game.grand_cost
    everyone = set(players)
    tol = default_tolerance(game)
    separable = np.array([grand - game.cost(everyone - {p}) for p in players])
    standalone = np.array([game.standalone_costs[p] for p in players])
    gap = standalone - separable
    gap[np.abs(gap) <= tol] = 0.0
    remaining = np.maximum(gap, 0.0)
    rest = grand - float(separable.sum())
    rule = "remaining benefits"
    if remaining.sum() > 0:
        shares = separable + rest * remaining / remaining.sum()
    elif np.abs(gap).sum() > 0:
        rule = "distance of separable from stand-alone cost"
        shares = separable + rest * np.abs(gap) / np.abs(gap).sum()
    else:
        rule = "equal"
        shares = separable + rest / game.n
    return Allocation(
        "scrb",
        _as_dict(game, shares),
        details={
            "separable": _as_dict(game, separable),
            "remaining": _as_dict(game, remaining),
            "non_separable": rest,
            "non_separable_shared_by": rule,
            "computation": "n + 1 coalition costs",
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
    1973 for airport components; Owen's 1972 multilinear extension for pooled components:
    exact for whole demands, a proven error bound for a power curve otherwise, and
    discretised in ``resolution`` units for a piecewise tariff with demands that are not
    whole — then ``exact`` is False and ``details["notes"]`` says by how much).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> shapley(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    if samples is not None:
        result = shapley_sampled(game, samples, seed=0 if seed is None else seed)
        bound = 3.0 * max(result.standard_errors.values(), default=0.0)
        return Allocation(
            "shapley",
            result.shares,
            result.standard_errors,
            exact=False,
            details={
                "computation": "sampled",
                "samples": result.permutations,
                "seed": seed or 0,
                "notes": [
                    f"Estimated from {result.permutations:,} sampled joining orders (seed "
                    f"{seed or 0}), not exact: each share is within {format_gbp(bound, pennies=True)} "
                    "of the exact value except about 3 times in 1,000 (three standard errors)."
                ],
            },
            error_bound=bound,
            error_kind="statistical",
        )
    if game.n <= SHAPLEY_BITMASK_LIMIT or not game.is_structured:
        return Allocation("shapley", shapley_exact(game), details={"computation": "all coalitions"})
    structured = shapley_structured(game, resolution=resolution)
    details: dict[str, Any] = {
        "computation": "component by component",
        "notes": list(structured.notes),
        "max_adjustment": structured.max_adjustment,
    }
    if structured.error_kind == "proven":
        details["relative_error_bound"] = structured.relative_bound
    return Allocation(
        "shapley",
        structured.shares,
        exact=structured.exact,
        details=details,
        error_bound=None if structured.exact else structured.error_estimate,
        error_kind=structured.error_kind,
    )


def _airport_plus_own(game: Game) -> tuple[Airport, Standalone | None] | None:
    airports = [c for c in game.components if isinstance(c, Airport)]
    others = [c for c in game.components if not isinstance(c, Airport | Standalone)]
    own = [c for c in game.components if isinstance(c, Standalone)]
    if len(airports) == 1 and not others and len(own) <= 1:
        return airports[0], own[0] if own else None
    return None


#: Stages of the airport nucleolus done by vectorised scans before the convex-hull method.
_VECTORISED_STAGES = 32


def airport_nucleolus(requirements: Sequence[float]) -> np.ndarray:
    """Littlechild's (1974) nucleolus of the airport cost game ``c(S) = max_{i in S} r_i``.

    With requirements sorted ascending, the smallest users pay the lowest rate
    ``min_i (r_(i) - paid) / (i - start + 2)`` over the groups ``start..i`` that exclude the
    largest user; the group attaining it (the largest such) is fixed at that rate, and the
    procedure repeats on the rest. The largest user pays what is left.

    Notes
    -----
    Each stage's rate is the smallest slope from the point ``(start, paid)`` to the points
    ``(i + 2, r_(i))``, ``i >= start``: the tangent from that point to the lower convex
    hull of those points, found by binary search. The hulls of every suffix come from one
    right-to-left pass in which each point is attached by binary search and the entry it
    overwrites is remembered; the stages move left to right, so each undoes the points it
    fixes (last in, first out). ``O(n log n)`` in all, exact up to floating-point
    rounding; ties go to the largest group, as in Littlechild's procedure. The first
    :data:`_VECTORISED_STAGES` stages are vectorised scans (``O(n)`` each), which is faster
    when, as usual, there are only a few.

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
    s = r[order].tolist()
    out = np.empty(n)
    if n <= 1:
        out[order] = s
        return out
    m = n - 1  # points P_i = (i + 2, s_i) for i = 0..n-2 (the largest user is left out)
    x = [0.0] * n
    # A few vectorised stages first: random requirements usually finish in a handful, and
    # numpy beats the Python hull below; many stages (e.g. convex requirements) go on to it.
    sorted_r = r[order]
    start, paid = 0, 0.0
    for _ in range(_VECTORISED_STAGES):
        if start >= m:
            break
        idx = np.arange(start, m)
        rates = (sorted_r[start:m] - paid) / (idx - start + 2)
        rate = float(rates.min())
        last = int(idx[np.flatnonzero(rates <= rate + 1e-12 * max(1.0, abs(rate)))[-1]])
        x[start : last + 1] = [rate] * (last + 1 - start)
        paid += rate * (last + 1 - start)
        start = last + 1
    if start >= m:
        x[n - 1] = s[n - 1] - paid
        out[order] = x
        return out
    py = s[:m]
    hull = [0] * m  # point indices: hull[0] is the rightmost, hull[size - 1] the leftmost
    size = 0
    history: list[tuple[int, int, int]] = [(0, 0, 0)] * m
    for i in range(m - 1, start - 1, -1):
        keep = size - 1
        if size >= 2:
            lo, hi, keep = 1, size - 1, 0
            while lo <= hi:  # largest k with (i, hull[k], hull[k - 1]) a strict left turn
                mid = (lo + hi) // 2
                a, b = hull[mid], hull[mid - 1]
                if (a - i) * (py[b] - py[i]) - (py[a] - py[i]) * (b - i) > 0:
                    keep, lo = mid, mid + 1
                else:
                    hi = mid - 1
        pos = keep + 1 if size else 0
        history[i] = (pos, hull[pos], size)  # stale entries too: an undo may need them
        hull[pos] = i
        size = pos + 1
    while start < m:
        ax, ay = start - 2.0, paid  # anchor, in the points' index coordinates (x = i + 2)
        lo, hi, best = 0, size - 2, size - 1
        while lo <= hi:  # smallest t with slope(L_t) < slope(L_t+1), left to right
            mid = (lo + hi) // 2
            a, b = hull[size - 1 - mid], hull[size - 2 - mid]
            if (a - ax) * (py[b] - ay) - (py[a] - ay) * (b - ax) > 0:
                best, hi = mid, mid - 1
            else:
                lo = mid + 1
        last = hull[size - 1 - best]
        rate = (py[last] - ay) / (last - ax)
        x[start : last + 1] = [rate] * (last + 1 - start)
        paid += rate * (last + 1 - start)
        for i in range(start, last + 1):  # undo the points now fixed
            pos, hull[pos], size = history[i]
        start = last + 1
    x[n - 1] = s[n - 1] - paid
    out[order] = x
    return out


def _too_many(game: Game, method: str) -> MethodError:
    return MethodError(
        f"The {METHOD_LABELS[method]} is computed over every coalition, which is limited to "
        f"{NUCLEOLUS_LIMIT} partners for a cost model ({EXPLICIT_NUCLEOLUS_LIMIT} for a table "
        f"of every coalition's cost); this partnership has {game.n}. Use the Shapley value "
        "or SCRB instead.",
        field="method",
        code="too_many_players",
    )


def _over_limit(game: Game) -> bool:
    limit = NUCLEOLUS_LIMIT if game.is_structured else EXPLICIT_NUCLEOLUS_LIMIT
    return game.n > limit


def nucleolus(game: Game) -> Allocation:
    """The nucleolus: the split that makes the most aggrieved coalition as well off as
    possible, then the next, and so on (Schmeidler 1969).

    Computed on the cost game directly by sequential linear programmes over HiGHS with
    constraint generation (:func:`fairshare.lexicographic.lexicographic_centre`; checked
    against coopgame-py's ``cost_nucleolus`` in the tests). It lies in the core whenever
    the core is not empty. When the imputation set is empty (the grand coalition costs
    more than everyone alone) the prenucleolus is used, with a warning, and
    ``method_used`` says ``"prenucleolus"``. For a project made of one airport component
    (plus own costs) it uses :func:`airport_nucleolus` (Littlechild 1974) at any size;
    otherwise up to :data:`NUCLEOLUS_LIMIT` partners for a cost model and
    :data:`EXPLICIT_NUCLEOLUS_LIMIT` for an explicit table.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> nucleolus(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})).shares
    {'A': 4.5, 'B': 5.5}
    """
    if game.n > NUCLEOLUS_LIMIT:
        structure = _airport_plus_own(game)
        if structure is not None:
            airport, own = structure
            shares = airport_nucleolus([airport.requirements.get(p, 0.0) for p in game.players])
            if own is not None:
                shares += [own.costs.get(p, 0.0) for p in game.players]
            return Allocation(
                "nucleolus",
                _as_dict(game, shares),
                details={"computation": "closed form for an airport project (Littlechild 1974)"},
            )
        if _over_limit(game):
            raise _too_many(game, "nucleolus")
    if game.n == 1:
        return Allocation(
            "nucleolus",
            {game.players[0]: game.grand_cost},
            details={"computation": "single partner"},
        )
    v = game.cost_vector()
    details: dict[str, Any] = {"computation": _LP_COMPUTATION}
    try:
        result = lexicographic_centre(v, imputation=True)
    except MethodError as error:
        if error.code != "empty_imputation_set":
            raise
        message = (
            "The partnership costs more than every partner going alone, so the nucleolus "
            "is not defined; the prenucleolus is given instead."
        )
        warnings.warn(message, FairshareWarning, stacklevel=2)
        result = lexicographic_centre(v, imputation=False)
        details["prenucleolus"] = True
        details["warning"] = message
        details["notes"] = [message]
    details["levels"] = result.levels
    details["linear_programmes"] = result.linear_programmes
    details["max_residual"] = result.max_residual
    return Allocation(
        "nucleolus",
        _as_dict(game, result.x),
        details=details,
        method_used="prenucleolus" if details.get("prenucleolus") else "nucleolus",
    )


_LP_COMPUTATION = "sequential linear programmes (HiGHS) with constraint generation"


def least_core_epsilon(game: Game) -> float:
    """The least core's ``epsilon``: the smallest worst excess any split can reach (one
    linear program over every coalition; positive exactly when the core is empty).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> costs = {"A": 3, "B": 3, "C": 3, "A+B": 3, "A+C": 3, "B+C": 3, "A+B+C": 6}
    >>> round(least_core_epsilon(Game.from_costs("ABC", costs)), 9)  # every pair 1 over
    1.0
    """
    if _over_limit(game):
        raise _too_many(game, "least_core")
    if game.n == 1:
        return 0.0
    return float(_prenucleolus(game).levels[0])


def _prenucleolus(game: Game) -> LexicographicResult:
    """The prenucleolus, cached on the game (the least core and its epsilon share it)."""
    cache: dict[str, LexicographicResult] = game.__dict__.setdefault("_fairshare_cache", {})
    if "prenucleolus" not in cache:
        cache["prenucleolus"] = lexicographic_centre(game.cost_vector(), imputation=False)
    return cache["prenucleolus"]


def least_core(game: Game) -> Allocation:
    """The least core's canonical point: the smallest ``epsilon`` such that no coalition
    pays more than ``epsilon`` above its own cost (Maschler, Peleg & Shapley 1979), and
    within that set the prenucleolus.

    ``details["epsilon"]`` is that smallest worst excess (negative when the core has room
    to spare, positive when the core is empty). The least core is a set, usually with
    many points; a linear program returns whichever vertex it lands on, which can charge
    interchangeable partners differently. This returns instead the set's canonical point,
    the prenucleolus (Schmeidler 1969): its first linear program *is* the least core, so
    it lies in it; it is unique, so interchangeable partners pay the same, and a partner
    adding nothing pays nothing. When the core is not empty it equals the nucleolus
    (``method_used`` says which: ``"nucleolus"`` or ``"prenucleolus"``).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> result = least_core(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}))
    >>> result.shares, result.details["epsilon"], result.method_used
    ({'A': 4.5, 'B': 5.5}, -1.5, 'nucleolus')
    """
    if _over_limit(game):
        raise _too_many(game, "least_core")
    if game.n == 1:
        return Allocation(
            "least_core",
            {game.players[0]: game.grand_cost},
            details={"epsilon": 0.0, "point": "nucleolus", "computation": "single partner"},
            method_used="nucleolus",
        )
    result = _prenucleolus(game)
    epsilon = float(result.levels[0])
    x = result.x
    from .core import default_tolerance

    point = "nucleolus" if epsilon <= default_tolerance(game) else "prenucleolus"
    note = (
        "The least core is a set of splits; this is its canonical point, the "
        f"{point}, which treats interchangeable partners alike."
    )
    return Allocation(
        "least_core",
        _as_dict(game, x),
        details={
            "epsilon": epsilon,
            "point": point,
            "computation": _LP_COMPUTATION,
            "levels": result.levels,
            "notes": [note],
        },
        method_used=point,
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
