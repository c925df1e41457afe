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
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ._bits import largest_excess
from .errors import InvalidAllocationError, UnknownPlayerError
from .models import BITMASK_LIMIT, MAX_AMOUNT, Airport, Game, Pooled, Standalone

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
        out[p] = _share_number(p, shares[p])
    return out


def _share_number(partner: str, value: object) -> float:
    """A share as a finite float: numbers (int, float, Decimal, NumPy) only; never text,
    ``True``/``False``, NaN, infinity or an amount too large for a float."""
    if isinstance(value, bool | str | bytes) or value is None:
        raise InvalidAllocationError(
            f"The share of {partner} must be a number, not {value!r}.", field=partner
        )
    if not isinstance(value, numbers.Real | Decimal):
        raise InvalidAllocationError(
            f"The share of {partner} must be a number, not {type(value).__name__}.",
            field=partner,
        )
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise InvalidAllocationError(
            f"The share of {partner} is too large to be an amount of money.", field=partner
        ) from None
    if not math.isfinite(number):
        raise InvalidAllocationError(
            f"The share of {partner} must be a finite number, not {value!r}.", field=partner
        )
    if abs(number) > MAX_AMOUNT:
        raise InvalidAllocationError(
            f"The share of {partner} ({number:.3g}) is beyond any real budget (the limit is "
            f"{MAX_AMOUNT:.0e} GBP).",
            field=partner,
        )
    return number


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
    exact : bool
        True when the verdict ``in_core`` is certain: every coalition was checked, or the
        game's structure proves it (a single airport or pooled component plus own costs:
        see :func:`check_core`). False for the heuristic search.
    method : str
        How the coalitions were searched: ``"every coalition"``, ``"structure"`` or
        ``"heuristic"``.
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
    exact: bool = True
    method: str = "every coalition"


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
    ``O(2**n)`` with numpy (``exhaustive``, ``exact``).

    Beyond that, a project made of own costs plus **one** airport or **one** pooled
    component is checked exactly by its structure (``exact``, ``method="structure"``), in
    ``O(n log n)``. Own costs are additive, so they are taken off the shares first. For
    an airport, the best coalition whose largest requirement is ``r_k`` holds ``k`` and
    every smaller user with a positive share. For a pooled component with concave
    ``f``, ``f`` is the lower envelope of its tangents, so
    ``max_S x(S) - f(D(S)) = max_b max_S sum_{i in S} (x_i - b d_i) + const(b)``, and for
    each slope ``b`` the best ``S`` holds the users with ``x_i / d_i > b``: a prefix of
    the users sorted by share per unit of demand. Checking those ``n + 1`` prefixes (and
    the non-users with positive shares, who cost nothing) finds the largest excess over
    all coalitions: a violation it reports is real, and when it finds none there is none.
    For an in-core split, the closest group it names is the closest among those prefixes.

    Otherwise the check is a heuristic (``exhaustive=False``, ``exact=False``): every
    single partner, every partnership minus one partner, and every prefix of orders that
    put first the partners paying most relative to their stand-alone cost (plus seeded
    random orders), ``O(n**2)`` coalitions in all, vectorised. It cannot prove that no
    coalition is worse.

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
    exact, method = True, "every coalition"
    if n <= BITMASK_LIMIT:
        v = game.cost_vector()
        mask, max_excess = largest_excess(xs, v)
        worst = tuple(p for i, p in enumerate(game.players) if mask >> i & 1)
        worst_cost = float(v[mask])
    else:
        structural = _structural_worst(game, xs)
        if structural is not None:
            method = "structure"
        else:
            exact, method = False, "heuristic"
            structural = _heuristic_worst(game, xs)
        max_excess, worst, worst_cost = structural
    in_core = efficient and max_excess <= tol
    exhaustive = method == "every coalition"
    return CoreCheck(
        in_core,
        max_excess,
        worst,
        efficient,
        total,
        grand,
        exhaustive,
        tol,
        worst_cost,
        exact,
        method,
    )


def _structural_worst(game: Game, xs: np.ndarray) -> tuple[float, tuple[str, ...], float] | None:
    """Exact largest excess for own costs plus one airport or pooled component (see
    :func:`check_core`); ``None`` for any other project.

    The candidates contain a coalition of largest excess over all non-empty coalitions;
    the whole partnership is left out (its excess is the efficiency gap), which cannot
    change the verdict: an efficient split is in the core exactly when no proper
    candidate's excess is positive."""
    others = [c for c in game.components if not isinstance(c, Standalone)]
    if len(others) != 1 or not isinstance(others[0], Airport | Pooled):
        return None
    n = game.n
    own = np.zeros(n)
    for c in game.components:
        if isinstance(c, Standalone):
            own += [c.costs.get(p, 0.0) for p in game.players]
    y = xs - own  # what each pays towards the shared component
    component = others[0]
    # candidates: (excess, members as a boolean mask)
    candidates: list[tuple[float, np.ndarray]] = []
    if isinstance(component, Airport):
        r = np.array([component.requirements.get(p, 0.0) for p in game.players])
        order = np.argsort(r, kind="stable")
        positive = np.maximum(y[order], 0.0)
        before = np.concatenate([[0.0], np.cumsum(positive)[:-1]])
        values = y[order] + before - r[order]
        best = np.argsort(-values, kind="stable")[:2]
        for k in best:
            members = np.zeros(n, dtype=bool)
            chosen = order[: k + 1]
            members[chosen[(y[chosen] > 0) | (chosen == order[k])]] = True
            candidates.append((float(values[k]), members))
    else:
        users = np.array([p in component.demand for p in game.players])
        d = np.array([component.demand.get(p, 0.0) for p in game.players])
        free = ~users | (d == 0)  # no demand: adds nothing to the curve
        # non-users cost nothing; zero-demand users cost nothing once a user is in
        nonuser_positive = ~users & (y > 0)
        pos = float(y[nonuser_positive].sum())
        if np.any(~users):
            if np.any(nonuser_positive):
                candidates.append((pos, nonuser_positive.copy()))
            else:
                i = int(np.flatnonzero(~users)[np.argmax(y[~users])])
                single = np.zeros(n, dtype=bool)
                single[i] = True
                candidates.append((float(y[i]), single))
        user_idx = np.flatnonzero(users & ~free)
        zero_users = np.flatnonzero(users & free)
        ratio = y[user_idx] / d[user_idx]
        order = user_idx[np.argsort(-ratio, kind="stable")]
        zero_take = zero_users[y[zero_users] > 0]
        base_pay = float(y[zero_take].sum()) + pos
        paid = base_pay + np.concatenate([[0.0], np.cumsum(y[order])])
        demand = np.concatenate([[0.0], np.cumsum(d[order])])
        values = paid - component.fixed - component.curve(demand)
        has_user = np.ones(values.size, dtype=bool)
        if zero_take.size == 0:
            has_user[0] = False  # the empty prefix has no user: not a pooled coalition
        if not has_user[0] and zero_users.size:
            # one zero-demand user makes the empty prefix a pooled coalition
            j = int(zero_users[np.argmax(y[zero_users])])
            members = nonuser_positive.copy()
            members[j] = True
            candidates.append(
                (
                    pos + float(y[j]) - component.fixed - float(component.curve(np.zeros(1))[0]),
                    members,
                )
            )
        valid = np.flatnonzero(has_user)
        if valid.size:
            top = valid[np.argsort(-values[valid], kind="stable")[:2]]
            for k in top:
                members = nonuser_positive.copy()
                members[zero_take] = True
                members[order[:k]] = True
                candidates.append((float(values[k]), members))
    proper = [c for c in candidates if c[1].any() and not c[1].all()]
    if any(c[1].all() for c in candidates) and n > 1:
        # The whole partnership came out worst: its excess is the efficiency gap, so the
        # verdict stands; for the report, also try it without its cheapest member.
        i = int(np.argmin(y))
        members = np.ones(n, dtype=bool)
        members[i] = False
        rest = tuple(p for p, m in zip(game.players, members, strict=True) if m)
        proper.append((float(xs[members].sum()) - game.cost(rest), members))
    if not proper:
        return None
    best_value, best_members = max(proper, key=lambda c: c[0])
    worst = tuple(p for p, m in zip(game.players, best_members, strict=True) if m)
    return float(best_value), worst, game.cost(worst)


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
    # every partnership minus one partner: orders that put partner i last, in blocks
    without = np.empty(n)
    block = max(1, 2_000_000 // n)
    for first in range(0, n, block):
        rows = np.arange(first, min(n, first + block))
        orders_i = np.tile(np.arange(n), (rows.size, 1))
        orders_i[np.arange(rows.size), rows] = n - 1
        orders_i[:, n - 1] = rows
        without[rows] = game.prefix_costs(orders_i)[:, n - 1]
    gaps = xs.sum() - xs - without
    i = int(np.argmax(gaps))
    if gaps[i] > best:
        best, members, best_cost = float(gaps[i]), np.delete(np.arange(n), i), float(without[i])
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
