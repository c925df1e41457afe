"""Is a split stable? The core check and the verifiers every solver is tested against.

For a cost game ``c`` and a split ``x`` (partner ``i`` pays ``x_i``), the *excess* of a
coalition ``S`` is ``e(S) = x(S) - c(S)``: how much more ``S`` pays under the split than it
would pay going ahead on its own. A split is in the *core* when it is efficient
(``x(N) = c(N)``) and no coalition has a positive excess: no group of partners could do
better by leaving (Gillies 1959; Shapley 1971 for cost games).

References
----------
.. [1] Gillies, D. B. (1959). Solutions to general non-zero-sum games. In A. W. Tucker &
   R. D. Luce (eds.), *Contributions to the Theory of Games IV*, Annals of Mathematics
   Studies 40, 47-85. Princeton University Press.
.. [2] Shapley, L. S. (1971). Cores of convex games. *International Journal of Game
   Theory* 1(1), 11-26.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._bits import additive_vector
from .errors import InvalidAllocationError, UnknownPlayerError
from .models import BITMASK_LIMIT, Game

__all__ = [
    "CoreCheck",
    "check_core",
    "default_tolerance",
    "is_efficient",
    "is_in_core",
    "validate_shares",
]


def default_tolerance(game: Game) -> float:
    """Tolerance for efficiency and excess checks: ``1e-9 * max(1, |c(N)|)`` GBP."""
    return 1e-9 * max(1.0, abs(game.grand_cost))


def validate_shares(game: Game, shares: Mapping[str, float]) -> dict[str, float]:
    """Shares as floats in the game's player order; every partner exactly once.

    Raises
    ------
    UnknownPlayerError, InvalidAllocationError
    """
    if not isinstance(shares, Mapping):
        raise InvalidAllocationError("An allocation must map each partner to its share.")
    unknown = sorted(set(shares) - set(game.players), key=str)
    if unknown:
        raise UnknownPlayerError(
            f"The allocation names {unknown[0]}, who is not one of the partners.",
            field=str(unknown[0]),
        )
    out = {}
    for p in game.players:
        if p not in shares:
            raise InvalidAllocationError(f"The allocation leaves out {p}.", field=p)
        value = shares[p]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(float(value))
        ):
            try:
                value = float(value)  # e.g. Decimal
            except (TypeError, ValueError):
                raise InvalidAllocationError(
                    f"The share of {p} is not a number.", field=p
                ) from None
            if not math.isfinite(value):
                raise InvalidAllocationError(f"The share of {p} is not a number.", field=p)
        out[p] = float(value)
    return out


@dataclass(frozen=True)
class CoreCheck:
    """Result of :func:`check_core`.

    Attributes
    ----------
    in_core : bool
        Efficient, and no coalition's excess is above the tolerance.
    max_excess : float
        Largest excess ``x(S) - c(S)`` over proper non-empty coalitions (GBP); positive
        means ``S`` would do better by leaving.
    worst_coalition : tuple[str, ...]
        A coalition with that excess (in player order); ``()`` for a single partner.
    efficient : bool
        The shares add up to the grand coalition's cost (within the tolerance).
    total : float
        Sum of the shares.
    grand_cost : float
        Cost of the whole partnership.
    exhaustive : bool
        True when every coalition was checked (``n`` up to the bitmask limit); otherwise
        a heuristic search found the worst coalition it could (see :func:`check_core`).
    tolerance : float
    worst_coalition_cost : float
        What ``worst_coalition`` would pay on its own.
    """

    in_core: bool
    max_excess: float
    worst_coalition: tuple[str, ...]
    efficient: bool
    total: float
    grand_cost: float
    exhaustive: bool
    tolerance: float
    worst_coalition_cost: float


def check_core(
    game: Game, shares: Mapping[str, float], *, tolerance: float | None = None
) -> CoreCheck:
    """Check whether a split is in the core, and find the coalition with the largest excess.

    Parameters
    ----------
    game : Game
    shares : Mapping[str, float]
        What each partner pays (every partner exactly once).
    tolerance : float, optional
        Slack in GBP for efficiency and excess; default :func:`default_tolerance`. Use
        about ``0.01 * n`` to check a split rounded to the penny.

    Returns
    -------
    CoreCheck

    Notes
    -----
    Up to :data:`~fairshare.models.BITMASK_LIMIT` partners every coalition is checked:
    ``O(2**n)`` with numpy. Beyond that the check is a heuristic (``exhaustive=False``):
    it evaluates every single partner, every partnership minus one partner, and every
    prefix of orders that put first the partners paying most relative to their
    stand-alone cost (plus seeded random orders), ``O(n**2)`` coalitions in all. For
    structured games (submodular costs) this finds the worst coalition in the common
    cases, but it cannot prove that none is worse.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
    >>> check = check_core(game, {"A": 7, "B": 3})
    >>> check.in_core, check.max_excess, check.worst_coalition
    (False, 1.0, ('A',))
    """
    x = validate_shares(game, shares)
    tol = default_tolerance(game) if tolerance is None else float(tolerance)
    n = game.n
    xs = np.array([x[p] for p in game.players])
    total = float(xs.sum())
    grand = game.grand_cost
    efficient = abs(total - grand) <= tol
    if n == 1:
        return CoreCheck(efficient, 0.0, (), efficient, total, grand, True, tol, grand)
    if n <= BITMASK_LIMIT:
        v = game.cost_vector()
        excess = additive_vector(xs)[1:-1] - v[1:-1]
        k = int(np.argmax(excess))
        mask = k + 1
        worst = tuple(p for i, p in enumerate(game.players) if mask >> i & 1)
        max_excess = float(excess[k])
        worst_cost = float(v[mask])
        exhaustive = True
    else:
        max_excess, worst, worst_cost = _heuristic_worst(game, xs)
        exhaustive = False
    in_core = efficient and max_excess <= tol
    return CoreCheck(
        in_core, max_excess, worst, efficient, total, grand, exhaustive, tol, worst_cost
    )


def _heuristic_worst(game: Game, xs: np.ndarray) -> tuple[float, tuple[str, ...], float]:
    n = game.n
    standalone = np.array([game.standalone_costs[p] for p in game.players])
    ratio = xs / np.maximum(standalone, 1e-300)
    rng = np.random.default_rng(0)
    base = [np.argsort(-ratio, kind="stable"), np.argsort(-(xs - standalone), kind="stable")]
    orders = np.array(base + [rng.permutation(n) for _ in range(32)])
    prefix = game.prefix_costs(orders)[:, 1:n]  # proper prefixes of size 1..n-1
    paid = np.cumsum(xs[orders], axis=1)[:, : n - 1]
    excess = paid - prefix
    k, j = np.unravel_index(int(np.argmax(excess)), excess.shape)
    best = float(excess[k, j])
    members = orders[k, : j + 1]
    best_cost = float(prefix[k, j])
    # every single partner
    singles = xs - standalone
    i = int(np.argmax(singles))
    if singles[i] > best:
        best, members, best_cost = float(singles[i]), np.array([i]), float(standalone[i])
    # every partnership minus one partner
    for i in range(n):
        rest = frozenset(p for m, p in enumerate(game.players) if m != i)
        cost = game.cost(rest)
        e = float(xs.sum() - xs[i] - cost)
        if e > best:
            best, members, best_cost = e, np.array([m for m in range(n) if m != i]), cost
    chosen = {int(m) for m in members}
    worst = tuple(p for m, p in enumerate(game.players) if m in chosen)
    return best, worst, best_cost


def is_efficient(
    game: Game, shares: Mapping[str, float], *, tolerance: float | None = None
) -> bool:
    """True when the shares add up to the grand coalition's cost (within the tolerance).

    Examples
    --------
    >>> from fairshare.models import Game
    >>> is_efficient(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}), {"A": 4, "B": 6})
    True
    """
    x = validate_shares(game, shares)
    tol = default_tolerance(game) if tolerance is None else float(tolerance)
    return abs(sum(x.values()) - game.grand_cost) <= tol


def is_in_core(game: Game, shares: Mapping[str, float], *, tolerance: float | None = None) -> bool:
    """True when the split is in the core (see :func:`check_core`)."""
    return check_core(game, shares, tolerance=tolerance).in_core
