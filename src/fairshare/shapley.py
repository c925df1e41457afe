"""The Shapley value of a cost game: exact over all coalitions, exact for structured
models at national scale, and sampled with standard errors for anything else.

The Shapley value charges each partner its marginal cost averaged over every order in
which the partnership could have been assembled (Shapley 1953). It is the only rule that
is efficient, symmetric, additive and charges nothing to a partner who adds no cost.

References
----------
.. [1] Shapley, L. S. (1953). A value for n-person games. In H. W. Kuhn & A. W. Tucker
   (eds.), *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   307-317. Princeton University Press.
.. [2] Littlechild, S. C. & Owen, G. (1973). A simple expression for the Shapley value in
   a special case. *Management Science* 20(3), 370-372.
.. [3] Owen, G. (1972). Multilinear extensions of games. *Management Science* 18(5),
   P64-P79.
.. [4] Castro, J., Gómez, D. & Tejada, J. (2009). Polynomial calculation of the Shapley
   value based on sampling. *Computers & Operations Research* 36(5), 1726-1730.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

from ._bits import popcount
from .errors import MethodError
from .models import Airport, Explicit, Game, Pooled, Standalone

__all__ = [
    "DEFAULT_RESOLUTION",
    "SampledShapley",
    "StructuredShapley",
    "airport_shapley",
    "pooled_shapley",
    "shapley_exact",
    "shapley_from_vector",
    "shapley_sampled",
    "shapley_structured",
]

FloatArray = NDArray[np.float64]

#: Default number of demand units a pooled component's total demand is discretised into.
DEFAULT_RESOLUTION = 1024


#: Coalitions are processed in blocks of ``2**_BLOCK_BITS`` (8 MiB of float64), small
#: enough to stay in cache while each block is read once.
_BLOCK_BITS = 20


def shapley_from_vector(values: FloatArray) -> FloatArray:
    """Exact Shapley value of the game with coalition values ``values`` (bitmask order).

    Parameters
    ----------
    values : ndarray, shape (2**n,)
        ``values[S]`` for every bitmask ``S``; ``values[0]`` is ignored (taken as 0).

    Returns
    -------
    ndarray, shape (n,)

    Notes
    -----
    Rewrites ``phi_i = sum_{S not containing i} w(|S|) (v(S + i) - v(S))`` with
    ``w(s) = s! (n - s - 1)! / n!`` as
    ``phi_i = sum_{S containing i} g(S) - sum_S b(S)`` where
    ``g(S) = (w(|S| - 1) + w(|S|)) v(S)`` and ``b(S) = w(|S|) v(S)``.

    The vector is read once, in blocks of ``2**20`` coalitions that share their high
    bits ``H``: within a block ``|S| = |H| + |L|`` for the low bits ``L``, so the weights
    are one of a few precomputed rows (no gather over ``2**n`` entries, no copy of the
    vector). Per block, one matrix-vector product gives the block's sums of ``g`` and
    ``b``; the block is also added to an accumulator for its ``|H|``. The sums over the
    coalitions containing a high player come from folding the block sums; those for a
    low player from folding ``sum_h row_h * accumulator_h`` (``2**20`` entries). About
    two reads of the vector, ``O(2**n)`` time, and ``O(2**20 * n)`` extra memory: at
    ``n = 26`` the 512 MiB vector plus about 100 MiB. Floating point, exact to rounding
    (BLAS sums in blocks).

    Examples
    --------
    >>> shapley_from_vector(np.array([0, 1, 2, 3.0])).tolist()
    [1.0, 2.0]
    """
    values = np.asarray(values, dtype=np.float64)
    n = int(values.size).bit_length() - 1
    if values.size != 1 << n:
        raise ValueError("values must have length 2**n")
    if n == 0:
        return np.zeros(0)
    sizes = np.arange(n + 1)
    # w(s) = 1 / (n * C(n-1, s)) for s = 0..n-1, and 0 for s = n (no one left to join).
    log_w = gammaln(sizes + 1) + gammaln(np.maximum(n - sizes, 1)) - gammaln(n + 1)
    w_minus = np.where(sizes < n, np.exp(log_w), 0.0)
    w_plus = np.concatenate([[0.0], w_minus[:-1]])  # a-weight for |S| = s is w(s - 1)
    low_bits = min(n, _BLOCK_BITS)
    high_bits = n - low_bits
    block = 1 << low_bits
    low_pop = popcount(low_bits).astype(np.intp)
    # rows[h] = the (g, b) weights of a block whose high bits hold h players.
    rows = np.empty((high_bits + 1, 2, block))
    for h in range(high_bits + 1):
        rows[h, 0] = (w_plus + w_minus)[low_pop + h]
        rows[h, 1] = w_minus[low_pop + h]
    rows[0, :, 0] = 0.0  # the empty coalition carries no value
    high_pop = popcount(high_bits)
    blocks = values.reshape(1 << high_bits, block)
    accumulators = np.zeros((high_bits + 1, block))
    block_g = np.empty(1 << high_bits)
    b_total = 0.0
    for hi in range(1 << high_bits):
        h = int(high_pop[hi])
        g_sum, b_sum = rows[h] @ blocks[hi]
        block_g[hi] = g_sum
        b_total += b_sum
        accumulators[h] += blocks[hi]
    low_g = np.einsum("hl,hl->l", rows[:, 0, :], accumulators)
    del accumulators
    phi = np.empty(n)
    phi[:low_bits] = _containing_sums(low_g, low_bits)
    phi[low_bits:] = _containing_sums(block_g, high_bits)
    return phi - b_total


def _containing_sums(g: FloatArray, n: int) -> FloatArray:
    """``out[i] = sum of g[S] over the masks S with bit i set``, by folding in half."""
    out = np.empty(n)
    folded = g
    for i in range(n - 1, -1, -1):
        half = 1 << i
        out[i] = folded[half:].sum()
        folded = folded[:half] + folded[half:]
    return out


def shapley_exact(game: Game) -> dict[str, float]:
    """Exact Shapley value over all ``2**n`` coalitions (``n`` up to 26).

    See :func:`shapley_from_vector` for the method; the cost vector is built component by
    component in ``O(2**n)``.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
    >>> shapley_exact(game)
    {'A': 4.5, 'B': 5.5}
    """
    phi = shapley_from_vector(game.cost_vector())
    return dict(zip(game.players, phi.tolist(), strict=True))


# --------------------------------------------------------------------------- structured
def airport_shapley(requirements: FloatArray) -> FloatArray:
    """Littlechild-Owen Shapley value of the airport game ``c(S) = max_{i in S} r_i``.

    Each segment of the asset between consecutive requirements is shared equally by the
    partners who need it: with ``r_(1) <= ... <= r_(n)``, the partner in position ``k``
    pays ``sum_{j <= k} (r_(j) - r_(j-1)) / (n - j + 1)``.

    Notes
    -----
    ``O(n log n)`` (a sort and a cumulative sum); exact.

    References
    ----------
    .. [1] Littlechild, S. C. & Owen, G. (1973). A simple expression for the Shapley value
       in a special case. *Management Science* 20(3), 370-372.

    Examples
    --------
    >>> airport_shapley(np.array([1.0, 2.0, 3.0])).round(4).tolist()
    [0.3333, 0.8333, 1.8333]
    """
    r = np.asarray(requirements, dtype=np.float64)
    n = r.size
    order = np.argsort(r, kind="stable")
    sorted_r = r[order]
    increments = np.diff(np.concatenate([[0.0], sorted_r])) / (n - np.arange(n))
    phi = np.empty(n)
    phi[order] = np.cumsum(increments)
    return phi


@dataclass(frozen=True)
class StructuredShapley:
    """Shapley value from :func:`shapley_structured`, with how exact it is.

    Attributes
    ----------
    shares : dict[str, float]
    exact : bool
        False when a pooled component's demand was discretised.
    max_adjustment : float
        Largest amount (GBP) the discretised pooled shares were rescaled by to add up
        exactly to the component's cost (0 when exact).
    notes : tuple[str, ...]
    error_estimate : float
        When not exact: the largest change (GBP) in any partner's share between the
        discretisation used and one half as fine, an a-posteriori estimate of the
        discretisation error (the error falls roughly in proportion to the unit); 0 when
        exact.
    """

    shares: dict[str, float]
    exact: bool
    max_adjustment: float
    notes: tuple[str, ...]
    error_estimate: float = 0.0


def pooled_shapley(
    demand: FloatArray,
    curve_minus_base: Callable[[FloatArray], FloatArray],
    *,
    resolution: int = DEFAULT_RESOLUTION,
) -> tuple[FloatArray, bool, float]:
    """Shapley value of ``h(D(S))`` with ``h`` concave, ``h(0) = 0``, ``D`` total demand.

    Parameters
    ----------
    demand : ndarray, shape (m,)
        Each user's demand (non-negative).
    curve_minus_base : callable
        ``h`` on arrays of total demand, with ``h(0) = 0``.
    resolution : int
        Number of demand units the total is discretised into when the demands are not
        whole numbers adding up to at most ``resolution``.

    Returns
    -------
    phi : ndarray, shape (m,)
    exact : bool
        True when no discretisation was needed.
    adjustment : float
        Largest absolute rescaling applied to restore efficiency after discretisation.

    Notes
    -----
    Uses Owen's multilinear extension: ``phi_i = integral_0^1 E[h(D_t + d_i) - h(D_t)] dt``
    where ``D_t`` is the demand of a random coalition containing each other partner
    independently with probability ``t`` (Owen 1972). For integer demands the
    distribution of ``D_t`` is a polynomial in ``t`` of degree ``m - 1``, so Gauss-Legendre
    quadrature with ``ceil(m / 2)`` nodes integrates it exactly. The distribution of the
    others' demand is built once for all nodes by dynamic programming over the partners
    (``O(m K L)`` for ``K`` nodes and ``L`` demand units), then each distinct own demand is
    removed by a deconvolution that is stable for ``t < 1/2``; the nodes ``t > 1/2`` follow
    by symmetry (a coalition drawn with probability ``1 - t`` is the complement of one drawn
    with ``t``), which also halves the work.

    Exactness: when every demand is a whole number and the total is at most
    ``resolution``, the result is exact to floating-point rounding. Otherwise demand is
    measured in units of ``total / resolution``: the *others'* demand is rounded to whole
    units (each partner's own marginal uses its exact demand), then the shares are
    rescaled to add up to the component's cost. The error is of the order of the curve's
    slope times the rounding of the others' total, about
    ``h'(D) * sqrt(m / 12) * total / resolution``.
    """
    d = np.asarray(demand, dtype=np.float64)
    m = d.size
    if m == 0:
        return np.zeros(0), True, 0.0
    if m == 1:
        return np.array([float(curve_minus_base(d)[0])]), True, 0.0
    total = float(d.sum())
    whole = bool(np.all(d == np.round(d)))
    exact = whole and total <= resolution
    unit = 1.0 if exact else max(total / resolution, np.finfo(float).tiny)
    q = np.rint(d / unit).astype(np.int64)
    length = int(q.sum()) + 1
    order = (m + 1) // 2
    order += order % 2  # even: no node at t = 1/2, nodes in mirror pairs t, 1 - t
    nodes, node_weights = np.polynomial.legendre.leggauss(order)
    half = nodes < 0
    t = (nodes[half] + 1.0) / 2.0  # t < 1/2; the mirror node 1 - t is used by symmetry
    wt = node_weights[half] / 2.0
    # Distribution over quantised demand of a random coalition of all m users, per node.
    dist = np.zeros((t.size, length))
    dist[:, 0] = 1.0
    keep = (1.0 - t)[:, None]
    take = t[:, None]
    filled = 1
    for qj in np.sort(q):
        if qj == 0:
            continue
        new_filled = filled + qj
        shifted = take * dist[:, : new_filled - qj]  # a copy, taken before the update
        upper = dist[:, qj:new_filled]
        upper *= keep
        upper += shifted
        dist[:, :qj] *= keep
        filled = new_filled
    grid = np.arange(length, dtype=np.float64) * unit
    h_grid = curve_minus_base(grid)
    phi = np.empty(m)
    ratio = take / keep
    for qu in np.unique(q):
        # Remove one partner of quantised demand qu: Y = X / (1 - t + t z^qu), computed
        # forward (stable for t < 1/2): Y[D] = (X[D] - t Y[D - qu]) / (1 - t).
        if qu == 0:
            others_t = dist
        else:
            others_t = dist / keep
            for begin in range(qu, length, qu):
                stop = min(begin + qu, length)
                others_t[:, begin:stop] -= ratio * others_t[:, begin - qu : stop - qu]
        span = length - qu  # others' total demand is at most (length - 1) - qu
        low_half = wt @ others_t[:, :span]
        # Mirror node 1 - t: the others' demand distribution reflected, D -> span - 1 - D.
        others = low_half + low_half[::-1]
        for i in np.flatnonzero(q == qu):
            marginal = curve_minus_base(grid[:span] + d[i]) - h_grid[:span]
            phi[i] = float(others @ marginal)
    adjustment = 0.0
    if not exact:
        target = float(curve_minus_base(np.array([total]))[0])
        current = float(phi.sum())
        if current > 0:
            scaled = phi * (target / current)
            adjustment = float(np.max(np.abs(scaled - phi)))
            phi = scaled
    return phi, exact, adjustment


def shapley_structured(game: Game, *, resolution: int = DEFAULT_RESOLUTION) -> StructuredShapley:
    """Shapley value of a game made of components, component by component.

    The Shapley value is additive, so the value of a project is the sum of its
    components' values: stand-alone costs are each partner's own; airport components use
    :func:`airport_shapley` (``O(n log n)``); pooled components split their fixed cost
    equally among their users and the rest by :func:`pooled_shapley`; explicit tables
    (small ``n`` only) use :func:`shapley_from_vector`.

    Examples
    --------
    >>> from fairshare.models import Game, Airport, Standalone
    >>> game = Game(("A", "B"), (Airport({"A": 1.0, "B": 3.0}), Standalone({"A": 5.0})))
    >>> shapley_structured(game).shares
    {'A': 5.5, 'B': 2.5}
    """
    players = game.players
    phi = np.zeros(game.n)
    exact = True
    adjustment = 0.0
    error_estimate = 0.0
    notes: list[str] = []
    for component in game.components:
        if isinstance(component, Standalone):
            phi += [component.costs.get(p, 0.0) for p in players]
        elif isinstance(component, Airport):
            phi += airport_shapley(np.array([component.requirements.get(p, 0.0) for p in players]))
        elif isinstance(component, Pooled):
            users = [i for i, p in enumerate(players) if p in component.demand]
            base = component.fixed + float(component.curve(np.zeros(1))[0])
            curve = component.curve
            zero = float(curve(np.zeros(1))[0])

            def h(
                x: FloatArray, curve: Callable[[FloatArray], FloatArray] = curve, zero: float = zero
            ) -> FloatArray:
                return curve(x) - zero

            demand = np.array([component.demand[players[i]] for i in users])
            part, was_exact, adj = pooled_shapley(demand, h, resolution=resolution)
            phi[users] += part + base / len(users)
            if not was_exact:
                exact = False
                adjustment = max(adjustment, adj)
                coarse, _, _ = pooled_shapley(demand, h, resolution=max(2, resolution // 2))
                # Two symptoms of discretisation error, whichever is larger: the change
                # from a grid half as fine, and how far the shares were from adding up
                # before rescaling (demands much smaller than the unit round to zero and
                # leave both grids equally wrong; the rescaling then shows it).
                estimate = max(float(np.max(np.abs(coarse - part))), adj)
                error_estimate += estimate
                largest = float(np.max(np.abs(part))) or 1.0
                notes.append(
                    f"{component.name}: demand discretised into {resolution} units of "
                    f"{demand.sum() / resolution:,.4g} (not exact); estimated error up to "
                    f"{estimate:,.2f} in a share ({estimate / largest:.1e} of the largest "
                    f"share), shares rescaled by at most {adj:,.2f} to add up."
                )
        elif isinstance(component, Explicit):
            phi += shapley_from_vector(component.vector(players))
        else:  # pragma: no cover - the Component protocol is closed in practice
            raise MethodError(f"No structured Shapley value for component {component!r}.")
    return StructuredShapley(
        dict(zip(players, phi.tolist(), strict=True)),
        exact,
        adjustment,
        tuple(notes),
        error_estimate,
    )


# --------------------------------------------------------------------------- sampled
@dataclass(frozen=True)
class SampledShapley:
    """Shapley value estimated by permutation sampling.

    Attributes
    ----------
    shares : dict[str, float]
        Estimates, rescaled to add up exactly to the grand coalition's cost.
    standard_errors : dict[str, float]
        Standard error of each (unrescaled) estimate.
    permutations : int
        Number of orders sampled (antithetic pairs count twice).
    """

    shares: dict[str, float]
    standard_errors: dict[str, float]
    permutations: int


def shapley_sampled(game: Game, samples: int = 2000, *, seed: int | None = 0) -> SampledShapley:
    """Estimate the Shapley value from random orders of the partners.

    Parameters
    ----------
    game : Game
    samples : int
        Number of orders to draw (rounded up to an even number: antithetic pairs).
    seed : int, optional
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same result.

    Notes
    -----
    Castro, Gómez & Tejada (2009): each sampled order gives every partner one marginal
    cost, an unbiased estimate of its Shapley value; the mean over orders converges at
    ``O(1 / sqrt(samples))``. Variance reduction by antithetic orders: every order is used
    together with its reverse, and the standard error is computed from the pair means
    (independent across pairs). A partner that joins early in one order joins late in the
    other, which cancels much of the variance for the concave cost games councils state.
    Prefix costs are evaluated for a block of orders at once (``O(samples * n)`` per
    component). The estimates are finally rescaled to be efficient; the rescaling is tiny
    because every order's marginals already add up to the grand cost.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
    >>> result = shapley_sampled(game, 100, seed=1)
    >>> result.shares, result.standard_errors
    ({'A': 4.5, 'B': 5.5}, {'A': 0.0, 'B': 0.0})
    """
    if samples is None or samples < 2:
        raise MethodError("Sampling needs at least 2 samples.", field="samples")
    n = game.n
    pairs = (int(samples) + 1) // 2
    rng = np.random.default_rng(seed)
    block = max(1, min(pairs, 2_000_000 // max(n, 1)))
    total = np.zeros(n)
    total_sq = np.zeros(n)
    done = 0
    while done < pairs:
        k = min(block, pairs - done)
        orders = rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1)
        both = np.concatenate([orders, orders[:, ::-1]])
        marginals_in_order = np.diff(game.prefix_costs(both), axis=1)
        marginals = np.empty_like(marginals_in_order)
        np.put_along_axis(marginals, both, marginals_in_order, axis=1)
        pair_means = (marginals[:k] + marginals[k:]) / 2.0
        total += pair_means.sum(axis=0)
        total_sq += np.square(pair_means).sum(axis=0)
        done += k
    mean = total / pairs
    variance = np.maximum(total_sq / pairs - mean**2, 0.0) * pairs / max(pairs - 1, 1)
    errors = np.sqrt(variance / pairs)
    errors[errors < 1e-12 * max(1.0, float(np.max(np.abs(mean))))] = 0.0
    grand = game.grand_cost
    if abs(mean.sum()) > 0:
        mean = mean * (grand / mean.sum())
    return SampledShapley(
        dict(zip(game.players, mean.tolist(), strict=True)),
        dict(zip(game.players, errors.tolist(), strict=True)),
        2 * pairs,
    )
