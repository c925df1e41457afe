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

from . import _pooled
from ._bits import popcount
from .errors import MethodError
from .models import Airport, Explicit, Game, Pooled, PowerCurve, Standalone

__all__ = [
    "DEFAULT_RESOLUTION",
    "PooledShapley",
    "SampledShapley",
    "StructuredShapley",
    "airport_shapley",
    "pooled_shapley",
    "pooled_shapley_detail",
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
        False when a pooled component's shares are approximate: computed with a proven
        error bound (``error_kind == "proven"``) or discretised (``"estimated"``).
    max_adjustment : float
        Largest amount (GBP) the discretised pooled shares were rescaled by to add up
        exactly to the component's cost (0 when not discretised).
    notes : tuple[str, ...]
    error_estimate : float
        When not exact: the largest error (GBP) of any share, of the kind ``error_kind``
        says: a proven bound, or for a discretised component the largest change in any
        share between the discretisation used and one half as fine (an a-posteriori
        estimate, not a proof); 0 when exact.
    error_kind : str
        ``""`` when exact, ``"proven"`` when every approximate component has a proven
        bound, ``"estimated"`` when some component was discretised.
    proven_bound : float or None
        Proven bound (GBP) on the error of every share: 0 when exact, ``None`` when some
        component was discretised (only estimated).
    relative_bound : float or None
        ``proven_bound`` per partner relative to that partner's share, the largest over
        partners (``None`` when not proven).
    """

    shares: dict[str, float]
    exact: bool
    max_adjustment: float
    notes: tuple[str, ...]
    error_estimate: float = 0.0
    error_kind: str = ""
    proven_bound: float | None = 0.0
    relative_bound: float | None = 0.0


@dataclass(frozen=True)
class PooledShapley:
    """Shapley value of one pooled component from :func:`pooled_shapley_detail`.

    Attributes
    ----------
    shares : ndarray
        Each user's share of ``h(D(S))``.
    exact : bool
        True when exact up to floating-point rounding.
    adjustment : float
        Largest rescaling (GBP) applied to discretised shares to add up; 0 otherwise.
    method : str
        ``"exact"`` (whole units, spectral), ``"proven"`` (Laplace transform of a power
        curve, with ``bounds``), ``"discretised"`` or a trivial case.
    bounds : ndarray or None
        Proven bound on each share's absolute error when ``method == "proven"``.
    truncation : float
        For the exact engine: proven bound on the largest change in any share from the
        spectrum terms it drops (far below rounding).
    fft_size : int
        FFT length of the exact engine (0 when not used).
    note : str
        Why the exact engine was not used, when it was not.
    unit : float
        The demand unit of the exact or discretised engine.
    """

    shares: FloatArray
    exact: bool
    adjustment: float = 0.0
    method: str = "exact"
    bounds: FloatArray | None = None
    truncation: float = 0.0
    fft_size: int = 0
    note: str = ""
    unit: float = 1.0

    @property
    def proven_bound(self) -> float | None:
        """Largest proven absolute error of any share (0 when exact; None if estimated)."""
        if self.exact:
            return 0.0
        if self.bounds is None:
            return None
        return float(np.max(self.bounds, initial=0.0))

    @property
    def relative_bound(self) -> float | None:
        """Largest proven error relative to the share it bounds (0 when exact)."""
        if self.exact:
            return 0.0
        if self.bounds is None:
            return None
        shares = np.abs(self.shares)
        nonzero = shares > 0
        if not np.any(nonzero):
            return 0.0
        return float(np.max(self.bounds[nonzero] / shares[nonzero]))


#: Decimal places tried when looking for a demand unit that makes every demand whole.
_DECIMALS = 6


def _whole_units(demand: FloatArray) -> tuple[NDArray[np.int64], float] | None:
    """``(q, unit)`` with ``demand == q * unit`` (``q`` whole, coprime), to rounding.

    Tries the demands as given, then as decimals of up to :data:`_DECIMALS` places (a
    float like ``0.1`` is the decimal to within half a unit in the last place, which
    moves no share beyond rounding). The unit is the greatest common divisor, so
    populations rounded to thousands need a thousandth of the FFT.
    """
    eps = 4.0 * np.finfo(float).eps
    for places in range(_DECIMALS + 1):
        scaled = demand * 10.0**places
        whole = np.rint(scaled)
        if places == 0:
            fits = bool(np.all(scaled == whole))
        else:
            fits = bool(np.all(np.abs(scaled - whole) <= eps * scaled))
        if fits:
            if float(whole.max()) >= 2.0**53:
                return None
            q = whole.astype(np.int64)
            divisor = int(np.gcd.reduce(q))
            return q // divisor, divisor / 10.0**places
    return None


def _marginals(
    h: Callable[[FloatArray], FloatArray],
    power: tuple[float, float] | None,
    base: FloatArray,
    own: float,
) -> FloatArray:
    """``h(base + own) - h(base)``; for a power curve without cancellation."""
    if power is not None:
        scale, exponent = power
        marginal = np.empty_like(base)
        zero = base <= 0
        marginal[zero] = scale * own**exponent
        b = base[~zero]
        marginal[~zero] = scale * np.power(b, exponent) * np.expm1(exponent * np.log1p(own / b))
        return marginal
    return np.asarray(h(base + own), dtype=np.float64) - np.asarray(h(base), dtype=np.float64)


def pooled_shapley_detail(
    demand: FloatArray,
    curve_minus_base: Callable[[FloatArray], FloatArray],
    *,
    resolution: int = DEFAULT_RESOLUTION,
    power: tuple[float, float] | None = None,
) -> PooledShapley:
    """Shapley value of ``h(D(S))`` with ``h`` concave, ``h(0) = 0``, ``D`` total demand.

    Parameters
    ----------
    demand : ndarray, shape (m,)
        Each user's demand (non-negative).
    curve_minus_base : callable
        ``h`` on arrays of total demand, with ``h(0) = 0``.
    resolution : int
        Units the total is discretised into when neither exact engine applies.
    power : (scale, exponent), optional
        When ``h(D) = scale * D**exponent`` (taken from ``curve_minus_base`` itself if it
        is a :class:`~fairshare.models.PowerCurve`).

    Notes
    -----
    Owen's multilinear extension (Owen 1972) with Gauss-Legendre quadrature, exact for
    the degree ``m - 1`` polynomial in ``t``; see :mod:`fairshare._pooled`. In order:

    1. Users with no demand add nothing to any coalition (dummies): they get 0 and the
       others' values do not depend on them.
    2. Whole demands (or decimals of up to six places; measured in their greatest common
       divisor) whose total fits an FFT of at most ``2**24`` points: **exact** (to
       rounding), by the generating function of the others' demand at the roots of unity,
       band-limited with a proven bound on what is dropped (below ``1e-25`` of a share).
    3. Otherwise, a power curve: the Laplace transform of ``D**p`` turns the expectation
       into an integral of products of real factors in ``(0, 1]``, summed by a
       trapezoidal rule with a **proven** error bound per partner (aimed at ``1e-11`` of
       the share; ``exact`` False, ``bounds`` given).
    4. Otherwise (a piecewise tariff with demands that are not whole): the others' demand
       is rounded to ``resolution`` units of the total (each partner's own demand is
       exact) and the shares rescaled to add up; the error is only estimated.
    """
    d = np.asarray(demand, dtype=np.float64)
    if power is None and isinstance(curve_minus_base, PowerCurve):
        power = (float(curve_minus_base.scale), float(curve_minus_base.exponent))
    phi = np.zeros(d.size)
    users = np.flatnonzero(d > 0)
    if users.size == 0:
        return PooledShapley(phi, True, method="no demand")
    du = d[users]
    if users.size == 1:
        phi[users] = np.asarray(curve_minus_base(du), dtype=np.float64)
        return PooledShapley(phi, True, method="one user")
    if power is not None and power[1] == 1.0:
        phi[users] = power[0] * du  # a straight line: each pays its own demand's cost
        return PooledShapley(phi, True, method="linear curve")
    note = ""
    whole = _whole_units(du)
    if whole is None:
        note = "the demands are not whole numbers (nor decimals of up to six places)"
    else:
        q, unit = whole
        try:
            if float(q.sum()) + 1 > _pooled.FFT_LIMIT:
                raise _pooled.SpectralTooLarge(
                    f"the total demand is {float(q.sum()):,.0f} units of {unit:g}, more "
                    f"than an FFT of {_pooled.FFT_LIMIT:,} points holds"
                )
            values, inverse, counts = np.unique(q, return_inverse=True, return_counts=True)
            weights, truncation, size = _pooled.spectral_weights(values, counts)
        except _pooled.SpectralTooLarge as exc:
            note = str(exc)
        else:
            grid = unit * np.arange(int(q.sum()) + 1, dtype=np.float64)
            worst = 0.0
            for k, v in enumerate(values):
                span = weights[int(v)].size
                marginal = _marginals(curve_minus_base, power, grid[:span], float(unit * v))
                # an explicit sum, not BLAS: a threaded dot stalls on a busy machine
                phi[users[inverse == k]] = float(np.einsum("i,i->", weights[int(v)], marginal))
                pointwise, mass = truncation
                spread = float(np.abs(marginal).sum()) * pointwise
                worst = max(worst, spread + mass * float(np.max(np.abs(marginal))))
            return PooledShapley(
                phi, True, method="exact", truncation=worst, fft_size=size, unit=unit
            )
    if power is not None:
        shares, bounds = _pooled.laplace_power_shapley(du, power[1])
        phi[users] = power[0] * shares
        full = np.zeros(d.size)
        full[users] = power[0] * bounds
        return PooledShapley(phi, False, method="proven", bounds=full, note=note)
    return _discretised(d, curve_minus_base, resolution, note)


def _discretised(
    d: FloatArray, h: Callable[[FloatArray], FloatArray], resolution: int, note: str
) -> PooledShapley:
    """Others' demand rounded to ``resolution`` units of the total (own demand exact),
    weights by the exact engine on the rounded demands, shares rescaled to add up."""
    total = float(d.sum())
    unit = max(total / resolution, np.finfo(float).tiny)
    q = np.rint(d / unit).astype(np.int64)
    values, _inverse, counts = np.unique(q, return_inverse=True, return_counts=True)
    try:
        weights, _, size = _pooled.spectral_weights(values, counts, max_work=np.inf)
    except _pooled.SpectralTooLarge as exc:
        raise MethodError(
            f"Pooled demand cannot be discretised into {resolution:,} units: {exc}.",
            field="resolution",
        ) from exc
    grid = unit * np.arange(int(q.sum()) + 1, dtype=np.float64)
    h_grid = np.asarray(h(grid), dtype=np.float64)
    phi = np.zeros(d.size)
    for i in np.flatnonzero(d > 0):
        w = weights[int(q[i])]
        base = grid[: w.size]
        phi[i] = float(w @ (np.asarray(h(base + d[i]), dtype=np.float64) - h_grid[: w.size]))
    target = float(np.asarray(h(np.array([total])))[0])
    current = float(phi.sum())
    adjustment = 0.0
    if current > 0:
        scaled = phi * (target / current)
        adjustment = float(np.max(np.abs(scaled - phi)))
        phi = scaled
    return PooledShapley(
        phi, False, adjustment, method="discretised", fft_size=size, note=note, unit=unit
    )


def pooled_shapley(
    demand: FloatArray,
    curve_minus_base: Callable[[FloatArray], FloatArray],
    *,
    resolution: int = DEFAULT_RESOLUTION,
    power: tuple[float, float] | None = None,
) -> tuple[FloatArray, bool, float]:
    """``(shares, exact, adjustment)`` of :func:`pooled_shapley_detail`.

    Examples
    --------
    >>> phi, exact, _ = pooled_shapley(np.array([1.0, 2.0, 3.0]), PowerCurve(1.0, 0.5))
    >>> exact, round(float(phi.sum()), 12) == round(6 ** 0.5, 12)
    (True, True)
    """
    result = pooled_shapley_detail(demand, curve_minus_base, resolution=resolution, power=power)
    return result.shares, result.exact, result.adjustment


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
    proven = True
    bounds: FloatArray | None = None
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
            power = (
                (float(curve.scale), float(curve.exponent))
                if isinstance(curve, PowerCurve)
                else None
            )
            result = pooled_shapley_detail(demand, h, resolution=resolution, power=power)
            part = result.shares
            phi[users] += part + base / len(users)
            largest = float(np.max(np.abs(part))) or 1.0
            if result.exact:
                if result.method == "exact" and result.unit != 1.0:
                    notes.append(
                        f"{component.name}: exact, with demand measured in units of "
                        f"{result.unit:g} (every demand is a whole number of them)."
                    )
            elif result.method == "proven":
                exact = False
                bound_part = np.zeros(game.n)
                bound_part[users] = result.bounds if result.bounds is not None else 0.0
                bounds = bound_part if bounds is None else bounds + bound_part
                part_bound = result.proven_bound or 0.0
                error_estimate += part_bound
                notes.append(
                    f"{component.name}: not exact ({result.note}); computed by the Laplace "
                    f"transform of the power curve with a proven error of at most "
                    f"{part_bound:,.2g} in a share ({result.relative_bound:.1e} of that "
                    "share at most)."
                )
            else:
                exact = False
                proven = False
                adjustment = max(adjustment, result.adjustment)
                coarse = pooled_shapley_detail(
                    demand, h, resolution=max(2, resolution // 2), power=power
                ).shares
                # Two symptoms of discretisation error, whichever is larger: the change
                # from a grid half as fine, and how far the shares were from adding up
                # before rescaling (demands much smaller than the unit round to zero and
                # leave both grids equally wrong; the rescaling then shows it).
                estimate = max(float(np.max(np.abs(coarse - part))), result.adjustment)
                error_estimate += estimate
                notes.append(
                    f"{component.name}: demand discretised into {resolution} units of "
                    f"{demand.sum() / resolution:,.4g} (not exact: {result.note}); "
                    f"estimated error up to {estimate:,.2f} in a share ({estimate / largest:.1e} "
                    f"of the largest share), shares rescaled by at most "
                    f"{result.adjustment:,.2f} to add up."
                )
        elif isinstance(component, Explicit):
            phi += shapley_from_vector(component.vector(players))
        else:  # pragma: no cover - the Component protocol is closed in practice
            raise MethodError(f"No structured Shapley value for component {component!r}.")
    proven_bound: float | None = 0.0
    relative_bound: float | None = 0.0
    kind = ""
    if not exact:
        kind = "proven" if proven else "estimated"
        if proven and bounds is not None:
            proven_bound = error_estimate
            nonzero = np.abs(phi) > 0
            relative_bound = float(np.max(bounds[nonzero] / np.abs(phi[nonzero]), initial=0.0))
        else:
            proven_bound = relative_bound = None
    return StructuredShapley(
        dict(zip(players, phi.tolist(), strict=True)),
        exact,
        adjustment,
        tuple(notes),
        error_estimate,
        kind,
        proven_bound,
        relative_bound,
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
