"""The two engines behind :func:`fairshare.shapley.pooled_shapley`.

Both start from Owen's multilinear extension (Owen 1972): the Shapley value of
``v(S) = h(D(S))`` is

    phi_i = integral_0^1 E[h(D_t + d_i) - h(D_t)] dt,

where ``D_t`` is the total demand of the *other* users, each of whom joins independently
with probability ``t``. Whatever the demands, the integrand is a polynomial in ``t`` of
degree ``m - 1`` (``m`` users with a positive demand), so Gauss-Legendre quadrature with
``ceil(m / 2)`` nodes integrates it exactly.

:func:`spectral_weights` (whole-number demands). The generating function of ``D_t`` is
``prod_k (1 - t + t z^{v_k})^{c_k}`` over the distinct demands ``v_k`` (held by ``c_k``
users). Evaluated at the roots of unity of an FFT longer than the total demand, summed
over the nodes with their weights (linearity) and transformed back once per distinct own
demand, it gives the exact Shapley weight ``W(D)`` of every total ``D`` of the others;
``phi_i = sum_D W(D) (h(D + d_i) - h(D))``. Band limit: with ``theta`` the root's angle,
``|1 - t + t z^v|^2 = 1 - 2 t (1 - t) (1 - cos(theta v)) <= exp(-2 t (1 - t) (1 - cos(theta v)))``,
so a product without one own factor has modulus at most
``exp(-t (1 - t) (Q(theta) - 2))`` with ``Q(theta) = sum_k c_k (1 - cos(theta v_k))`` (one
FFT of the demand histogram). Every (node, root) term below ``exp(-cut)`` is dropped;
each moves any ``W(D)`` by at most ``2 exp(-cut) w_t / N``, so all of them together by at
most ``(1 + 2 / N) exp(-cut)`` (the node weights add up to 1), a proven bound far below
floating-point rounding for the default ``cut = 60``. For ``t`` away from 0 only a few per
cent of the roots are kept. The nodes ``t > 1/2`` come from ``t < 1/2`` by symmetry: a
coalition drawn with probability ``1 - t`` is the complement of one drawn with ``t``, so
its others' total is ``T' - D`` (``T'`` the others' total demand).

:func:`laplace_power_shapley` (a power curve ``h(D) = a D^p``, any positive demands).
``D^p = p / Gamma(1 - p) * integral_0^inf (1 - exp(-s D)) s^(-p-1) ds``, so

    phi_i = a p / Gamma(1 - p) * integral (1 - exp(-s d_i)) s^-p F_i(s) ds / s,
    F_i(s) = integral_0^1 prod_{j != i} (1 - t A_j(s)) dt,  A_j = 1 - exp(-s d_j),

every factor real and in ``(0, 1]`` (no cancellation). ``F_i`` is again exact by
Gauss-Legendre. The outer integral, in ``x = log s``, is a trapezoidal sum with a proven
error: the integrand is analytic in the strip ``|Im x| < pi / 2`` where its modulus is at
most ``exp(-p x) min(e^x d_i, 2)``, whose integral is ``M_i = 2^(1-p) d_i^p / (p (1 - p))``,
so the sum over the whole line errs by at most ``2 M_i / (exp(pi^2 / h) - 1)``
(Trefethen & Weideman 2014, Theorem 5.1). The two tails of that sum are enclosed in
closed form: for small ``s``, ``(s d_i - s^2 d_i^2 / 2)(1 - s T_i / 2) <= (1 - e^{-s d_i}) F_i <= s d_i``;
for large ``s``, ``F_i`` falls towards ``1 / m`` (it is decreasing in ``s``). Nodes ``t``
with ``t (sum_j A_j - max_j A_j) > cut`` are dropped (each such product is below
``exp(-cut)``), and the products are expanded in power sums of the ``A_j`` where
``t A_j <= 1/4`` with the remainder bounded. Every one of these bounds is added up per
partner; floating-point rounding (about ``1e-13`` relative here) comes on top.

References
----------
.. [1] Owen, G. (1972). Multilinear extensions of games. *Management Science* 18(5),
   P64-P79.
.. [2] Trefethen, L. N. & Weideman, J. A. C. (2014). The exponentially convergent
   trapezoidal rule. *SIAM Review* 56(3), 385-458.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import scipy.fft
from numpy.typing import NDArray
from scipy.special import gammaln, jn_zeros, roots_legendre

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Largest FFT the exact whole-number engine uses (beyond it the total demand in units is
#: too large: another engine is used and the result says so).
FFT_LIMIT = 1 << 24

#: Terms of modulus at most ``exp(-SPECTRUM_CUT)`` are dropped (proven bound, see module).
SPECTRUM_CUT = 60.0

#: Largest amount of work (about one elementary operation on one array element each) the
#: exact engine takes on; beyond it (very many distinct demands on a long FFT) the result
#: falls back and says so.
MAX_WORK = 1.5e9

#: Largest number of (own demand, others' total) weights held at once (8 bytes each).
_MAX_CELLS = 2e7

#: Most terms of the series in ``u = t / (1 - t)`` used instead of one logarithm per
#: distinct demand.
_SERIES_TERMS = 40

#: (node, root) pairs processed at once (a few MB per temporary array).
_CHUNK = 1 << 19


class SpectralTooLarge(Exception):
    """The exact engine would need an FFT beyond :data:`FFT_LIMIT` or too much work."""


@lru_cache(maxsize=8)
def gauss_legendre(order: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes (ascending) and weights on ``[0, 1]``: exact for polynomials
    of degree ``2 * order - 1``. Cached: the nodes depend only on ``order``.

    In the angle ``theta`` (``x = cos theta``): initial guesses from Olver's Bessel-zero
    formula for the 60 nodes nearest each end and Tricomi's elsewhere (both within about
    ``5e-14``), one Newton step with ``P_n``, ``P_{n-1}``, ``P_{n-2}`` from the three-term
    recurrence (vectorised over half the nodes, which are symmetric), and the weights
    ``2 / ((1 - x^2) P_n'(x)^2)`` from ``P_{n-1}`` carried to the corrected node to first
    order (the error is second order in a step of ``1e-13``). ``O(order^2)`` in one pass of
    the recurrence: 0.1 s at 5,000 nodes against about 2 s for the eigenvalue method. The
    nodes near 0 are ``sin^2(theta / 2)``, so they keep their relative accuracy.
    """
    n = int(order)
    if n <= 100:
        x, w = roots_legendre(n)
        t = (x + 1.0) / 2.0
        half_w = w / 2.0
    else:
        k = np.arange(1, n // 2 + 1, dtype=np.float64)
        guess = np.pi * (4.0 * k - 1.0) / (4.0 * n + 2.0)
        tricomi = (
            1.0 - (n - 1.0) / (8.0 * n**3) - (39.0 - 28.0 / np.sin(guess) ** 2) / (384.0 * n**4)
        )
        theta = np.arccos(tricomi * np.cos(guess))
        edge = min(60, theta.size)
        nu = n + 0.5
        psi = jn_zeros(0, edge) / nu
        theta[:edge] = psi + (psi / np.tan(psi) - 1.0) / (8.0 * psi * nu**2)
        x = np.cos(theta)
        sine = np.sin(theta)
        p_n, p_1, p_2 = _legendre_three(n, x)
        step = -p_n * sine / (n * (x * p_n - p_1))  # Newton: -P_n / (dP_n / dtheta)
        slope_1 = (n - 1.0) * (x * p_1 - p_2) / sine  # dP_{n-1} / dtheta
        theta = theta + step
        p_1 = p_1 + step * slope_1
        weights = np.sin(theta) ** 2 / (n * n * p_1**2)
        # theta < pi/2 are the nodes x > 0; t = (1 + x) / 2 = cos^2, mirror 1 - t = sin^2.
        low = np.sin(theta / 2.0) ** 2  # ascending from near 0
        high = np.cos(theta / 2.0) ** 2
        middle_t: list[float] = []
        middle_w: list[float] = []
        if n % 2:
            _, p_mid, _ = _legendre_three(n, np.zeros(1))
            middle_t, middle_w = [0.5], [1.0 / (n * n * p_mid[0] ** 2)]
        t = np.concatenate([low, middle_t, high[::-1]])
        half_w = np.concatenate([weights, middle_w, weights[::-1]])
    t = np.ascontiguousarray(t, dtype=np.float64)
    half_w = np.ascontiguousarray(half_w, dtype=np.float64)
    t.flags.writeable = False
    half_w.flags.writeable = False
    return t, half_w


def _legendre_three(n: int, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(P_n(x), P_{n-1}(x), P_{n-2}(x))`` by the three-term recurrence (``n >= 2``)."""
    older = np.ones_like(x)  # P_{j-2}
    previous = x.copy()  # P_{j-1}
    scratch = np.empty_like(x)
    part = np.empty_like(x)
    for j in range(2, n + 1):
        # P_j = ((2j - 1) x P_{j-1} - (j - 1) P_{j-2}) / j
        np.multiply(previous, x, out=scratch)
        scratch *= (2.0 * j - 1.0) / j
        np.multiply(older, (j - 1.0) / j, out=part)
        scratch -= part
        older, previous, scratch = previous, scratch, older
    return previous, older, scratch


def _half_nodes(players: int) -> tuple[FloatArray, FloatArray]:
    """Nodes ``t < 1/2`` and their weights for a polynomial of degree ``players - 1``,
    with an even order (no node at 1/2, mirror pairs ``t``, ``1 - t``)."""
    order = max(2, (players + 1) // 2)
    order += order % 2
    t, w = gauss_legendre(order)
    half = order // 2
    return t[:half], w[:half]


def _tail_cut(t: float, kinds: IntArray, multiplicity: FloatArray, cut: float) -> float:
    """A total ``a`` with ``P(D_t >= a) <= exp(-cut)`` for all users' demand ``D_t``
    (Chernoff: ``P(D >= a) <= exp(-lam a) E exp(lam D)`` for every ``lam > 0``; the best
    ``a`` over a grid of ``lam``). It also bounds every leave-one-out total, which is smaller."""
    lam = np.geomspace(1e-7, 60.0, 600) / float(kinds.max())
    log_mgf = (
        multiplicity[None, :]
        * np.logaddexp(math.log1p(-t), math.log(t) + lam[:, None] * kinds[None, :])
    ).sum(axis=1)
    return float(np.min((log_mgf + cut) / lam))


def _plan(
    size: int, kinds: IntArray, multiplicity: FloatArray, tt: FloatArray, cut: float
) -> tuple[IntArray, IntArray]:
    """Roots of an FFT of ``size`` points that any node keeps, and how many nodes (a
    prefix of the nodes sorted by ``t (1 - t)``) each keeps: ``t (1 - t) (Q - 2) <= cut``."""
    half = size // 2 + 1
    histogram = np.zeros(size)
    np.add.at(histogram, kinds % size, multiplicity)
    q = float(multiplicity.sum()) - scipy.fft.rfft(histogram).real
    excess = q - 2.0 - 1e-9 * float(multiplicity.sum())
    limit = np.full(half, np.inf)
    far = excess > 0
    limit[far] = cut / excess[far]
    kept = np.searchsorted(tt, limit, side="right")
    roots = np.flatnonzero(kept > 0)
    return roots, kept[roots]


def _series_terms(users: int, t_max: float) -> int | None:
    """Terms ``R`` of ``log(1 - t + t z) = log(1 - t) + sum_r (-1)^(r+1) u^r z^r / r``
    (``u = t / (1 - t)``, ``|z| = 1``) for all ``users`` factors to within ``1e-16`` at every
    ``t <= t_max``: the remainder is at most ``users u^(R+1) / ((R+1)(1-u))``. ``None`` when
    more than :data:`_SERIES_TERMS` would be needed."""
    u = t_max / (1.0 - t_max)
    for terms in range(1, _SERIES_TERMS + 1):
        if users * u ** (terms + 1) / ((terms + 1) * (1.0 - u)) <= 1e-16:
            return terms
    return None


def _series_reach(users: int) -> float:
    """Largest ``t`` at which the series needs at most :data:`_SERIES_TERMS` terms."""
    low, high = 0.0, 0.5
    for _ in range(50):
        mid = (low + high) / 2.0
        if _series_terms(users, mid) is None:
            high = mid
        else:
            low = mid
    return low


def _angle_terms(users: int, phi: float) -> int | None:
    """Terms ``R`` of the power series in ``w`` of ``log(1 - t + t e^w)`` (the Bernoulli
    cumulant generating function) and of ``1 / (1 - t + t e^w)`` for ``|w| <= phi``, to
    within ``1e-16`` for all ``users`` factors. For ``t <= 1/2`` and ``|w| = 1``,
    ``|t (e^w - 1)| <= t (e - 1) < 0.86``, so the log is at most ``-log(1 - t (e - 1))
    <= 1.97`` and the reciprocal at most ``1 / (1 - t (e - 1)) <= 7.1`` in modulus; by
    Cauchy's estimate each remainder is at most that times ``phi^(R+1) / (1 - phi)``."""
    if phi >= 0.6:
        return None
    worst = 1.0 / (1.0 - 0.5 * math.expm1(1.0))
    for terms in range(1, 61):
        if max(users, 1) * worst * phi ** (terms + 1) / (1.0 - phi) <= 1e-16:
            return terms
    return None


def _angle_coefficients(t: FloatArray, terms: int) -> tuple[FloatArray, FloatArray]:
    """Power-series coefficients in ``w`` of ``log f`` and ``1 / f``, ``f = 1 + t (e^w - 1)``,
    one column per node: ``f_n = t / n!``; ``(log f)_n = f_n - sum_k (k / n) (log f)_k f_{n-k}``
    and ``(1/f)_n = -sum_k f_k (1/f)_{n-k}``."""
    f = np.empty((terms + 1, t.size))
    f[0] = 1.0
    factorial = 1.0
    for n in range(1, terms + 1):
        factorial *= n
        f[n] = t / factorial
    log_f = np.zeros((terms + 1, t.size))
    inverse = np.zeros((terms + 1, t.size))
    inverse[0] = 1.0
    for n in range(1, terms + 1):
        k = np.arange(1, n)[:, None]
        log_f[n] = f[n] - ((k / n) * log_f[1:n] * f[n - 1 : 0 : -1]).sum(axis=0)
        inverse[n] = -(f[1 : n + 1] * inverse[n - 1 :: -1]).sum(axis=0)
    return log_f, inverse


def _matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a @ b`` in slices of at most about a million multiply-adds each: small enough that
    BLAS stays on one thread (many threads fighting over a shared machine's cores made
    these products 20 times slower)."""
    rows, inner = a.shape
    width = max(1, int(1e6 // max(rows * inner, 1)))
    if width >= b.shape[1]:
        return a @ b
    out = np.empty((rows, b.shape[1]))
    for first in range(0, b.shape[1], width):
        out[:, first : first + width] = a @ b[:, first : first + width]
    return out


def _weighted_exp(
    w: FloatArray, log_re: FloatArray, log_im: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Real and imaginary parts of ``w[:, None] * exp(log_re + i log_im)``."""
    modulus = w[:, None] * np.exp(log_re)
    return modulus * np.cos(log_im), modulus * np.sin(log_im)


def _powers_of_minus_i(terms: int) -> NDArray[np.complex128]:
    return np.array([(-1j) ** n for n in range(terms + 1)])


def _band_spectra(
    size: int,
    t: FloatArray,
    w: FloatArray,
    roots: IntArray,
    per_root: IntArray,
    kinds: IntArray,
    multiplicity: FloatArray,
    values: IntArray,
) -> NDArray[np.complex128]:
    """Node-weighted spectra, one row per own demand in ``values``, at the kept roots.

    Dense blocks of (nodes, roots), a block's nodes being the most any of its roots keeps
    (keeping more terms than needed only adds accuracy). The product ``G`` of all users'
    factors and its quotient by one own factor ``b_v`` come from whichever converges:

    - small ``u = t / (1 - t)``: ``log G = sum_r (-1)^(r+1) u^r / r * sum_k c_k (z^{r v_k} - 1)``
      (the ``z = 1`` value taken out, so nothing cancels) and
      ``1 / b_v = sum_r (-u)^r z^{r v} / (1 - t)``;
    - small angles ``|theta v| < 0.6``: the power series in ``w = -i theta v`` of
      ``log(1 - t + t e^w)`` and ``1 / (1 - t + t e^w)``, with ``S_n = sum_k c_k v_k^n``;
    - otherwise each distinct demand's ``log1p`` and ``arctan2``, and a division.

    With a series, the sum over nodes of ``G / b_v`` is one matrix product for every own
    demand at once (the node coefficients against ``G``), then a short sum per demand.
    """
    users = int(multiplicity.sum())
    u_terms = _series_terms(users, float(t[-1]))
    spectra = np.zeros((values.size, size // 2 + 1), dtype=np.complex128)
    order = np.argsort(-per_root, kind="stable")
    widest = 2.0 * np.pi / size * float(kinds.max())  # largest angle theta v per root index
    angle_terms = _angle_terms(users, widest * float(roots.max())) if u_terms is None else None
    if angle_terms is not None:
        log_f, inverse_f = _angle_coefficients(t, angle_terms)
        log_rows = np.ascontiguousarray(log_f.T)  # (nodes, terms): prefixes are contiguous
        inverse_rows = np.ascontiguousarray(inverse_f.T)
        minus_i = _powers_of_minus_i(angle_terms)
        scale = float(kinds.max())
        moments = np.array(
            [float((multiplicity * (kinds / scale) ** n).sum()) for n in range(angle_terms + 1)]
        )
    start = 0
    while start < order.size:
        depth = int(per_root[order[start]])
        width = max(1, _CHUNK // depth)
        stop = start + 1
        while stop < order.size and stop - start < width and per_root[order[stop]] * 4 >= depth:
            stop += 1
        block = roots[order[start:stop]]
        start = stop
        tn = t[:depth]
        if u_terms is not None:
            r = np.arange(1, u_terms + 1)
            rturns = (r[:, None, None] * block[None, None, :] * kinds[None, :, None]) % size
            rangle = (2.0 * np.pi / size) * rturns
            mult = multiplicity[None, :, None]
            # sum_k c_k (z^{r v_k} - 1), z = exp(-i theta): real part -2 c sin^2, imag -c sin
            h = -2.0 * (mult * np.square(np.sin(rangle / 2.0))).sum(axis=1) - 1j * (
                mult * np.sin(rangle)
            ).sum(axis=1)
            u = tn / (1.0 - tn)
            coefficients = np.power(u[:, None], r[None, :]) * (np.where(r % 2 == 1, 1.0, -1.0) / r)
            product_re, product_im = _weighted_exp(
                w[:depth],
                _matmul(coefficients, np.ascontiguousarray(h.real)),
                _matmul(coefficients, np.ascontiguousarray(h.imag)),
            )
            # sum_t G (-u)^r / (1 - t), r = 0..R, then per own demand sum_r (.) z^{r v}
            r0 = np.arange(u_terms + 1)
            node_rows = np.power(-u[:, None], r0[None, :]) / (1.0 - tn)[:, None]
            node_part = _matmul(node_rows.T, product_re) + 1j * _matmul(node_rows.T, product_im)
            for o, v in enumerate(values):
                if v == 0:
                    spectra[o, block] += product_re.sum(axis=0) + 1j * product_im.sum(axis=0)
                    continue
                zr = np.exp(-2j * np.pi / size * ((r0[:, None] * block[None, :] * int(v)) % size))
                spectra[o, block] += (node_part * zr).sum(axis=0)
        elif angle_terms is not None:
            theta = (2.0 * np.pi / size) * block.astype(np.float64)
            x = theta * scale
            powers = np.power(x[None, :], np.arange(angle_terms + 1)[:, None])
            basis = powers * moments[:, None]  # theta^n S_n, times (-i)^n below
            rows = log_rows[:depth]
            product_re, product_im = _weighted_exp(
                w[:depth],
                _matmul(rows, basis * minus_i.real[:, None]),
                _matmul(rows, basis * minus_i.imag[:, None]),
            )
            inv = inverse_rows[:depth].T
            node_part = _matmul(inv, product_re) + 1j * _matmul(inv, product_im)  # sum_t G (1/f)_n
            for o, v in enumerate(values):
                if v == 0:
                    spectra[o, block] += product_re.sum(axis=0) + 1j * product_im.sum(axis=0)
                    continue
                own = np.power((v / scale) * x[None, :], np.arange(angle_terms + 1)[:, None])
                spectra[o, block] += (node_part * own * minus_i[:, None]).sum(axis=0)
        else:
            turns = (block[None, :] * kinds[:, None]) % size  # theta_j v_k reduced exactly
            angle = (2.0 * np.pi / size) * turns
            one_minus_cos = 2.0 * np.square(np.sin(angle / 2.0))
            sine = np.sin(angle)
            column = tn[:, None]
            ttn = column * (1.0 - column)
            log_re = np.zeros((depth, block.size))
            log_im = np.zeros((depth, block.size))
            for a in range(kinds.size):
                s2 = one_minus_cos[a][None, :]
                sn = sine[a][None, :]
                log_re += multiplicity[a] * 0.5 * np.log1p(-2.0 * ttn * s2)
                log_im += multiplicity[a] * np.arctan2(-column * sn, 1.0 - column * s2)
            modulus = w[:depth, None] * np.exp(log_re)
            product = modulus * np.cos(log_im) + 1j * (modulus * np.sin(log_im))
            for o, v in enumerate(values):
                if v == 0:
                    spectra[o, block] += product.sum(axis=0)
                    continue
                a = int(np.searchsorted(kinds, v))
                divisor = (1.0 - column * one_minus_cos[a][None, :]) - 1j * (
                    column * sine[a][None, :]
                )
                spectra[o, block] += (product / divisor).sum(axis=0)
    return spectra


def _band_work(
    band: tuple[int, int, int, IntArray, IntArray],
    t: FloatArray,
    kinds: IntArray,
    values: IntArray,
    users: int,
) -> float:
    """Rough operation count of one band (as :func:`_band_spectra` will compute it)."""
    size, first, last, roots, _ = band
    dense = float((last - first) * roots.size)
    fft = values.size * size * (3 + math.log2(size))
    terms = _series_terms(users, float(t[last - 1]))
    if terms is None and roots.size:
        terms = _angle_terms(users, 2.0 * np.pi / size * float(kinds.max()) * float(roots.max()))
    if terms is not None:  # matrix products (a tenth of an operation a term) and one exp
        return dense * (0.4 * terms + 30.0) + values.size * terms * roots.size * 4.0 + fft
    return dense * (14.0 * kinds.size + 8.0 * values.size) + fft


def spectral_weights(
    values: IntArray, counts: IntArray, *, cut: float = SPECTRUM_CUT, max_work: float = MAX_WORK
) -> tuple[dict[int, FloatArray], tuple[float, float], int]:
    """Exact Shapley weights of the others' total demand, per distinct own demand.

    Parameters
    ----------
    values : ndarray of int
        Distinct non-negative whole demands (a 0 is a user whose demand counts as none).
    counts : ndarray of int
        How many users hold each.
    cut : float
        Terms of modulus at most ``exp(-cut)`` are dropped, and small-``t`` nodes use a
        shorter FFT whose wrap-around carries probability at most ``exp(-cut)``.

    Returns
    -------
    weights : dict
        ``weights[v][D]`` for ``D = 0 .. T - v``: the probability, over a random joining
        order, that the users before one of demand ``v`` hold ``D`` in all.
    truncation : (float, float)
        Proven bounds: every ``weights[v][D]`` is within ``truncation[0]`` of the exact
        weight after removing ``truncation[1]`` of probability mass in all (so a share
        ``sum_D W(D) g(D)`` is within ``truncation[0] * sum |g| + truncation[1] * max |g|``).
    size : int
        FFT length of the full band.

    Notes
    -----
    Nodes are processed in bands of ``t`` (doubling). For a band whose largest ``t`` has
    all users' total below ``a`` except with probability ``exp(-cut)`` (a Chernoff bound),
    an FFT of ``a`` points suffices: the wrap-around moves at most that mass, counted twice
    (once where it lands, once where it is missing) and twice again for the mirror nodes.
    Beyond that, the full FFT of the total demand.

    Raises
    ------
    SpectralTooLarge
        If the FFT would exceed :data:`FFT_LIMIT` or the work :data:`MAX_WORK`.
    """
    values = np.asarray(values, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    total = int((values * counts).sum())
    positive = values > 0
    users = int(counts[positive].sum())
    if users == 0:
        return {int(v): np.ones(1) for v in values}, (0.0, 0.0), 1
    size = scipy.fft.next_fast_len(total + 1, real=True)
    if size > FFT_LIMIT:
        raise SpectralTooLarge(
            f"the total demand is {total:,} units, which needs an FFT of {size:,} points "
            f"(more than {FFT_LIMIT:,})"
        )
    t, w = _half_nodes(users + 1)
    kinds = values[positive]
    multiplicity = counts[positive].astype(np.float64)
    bands: list[tuple[int, int, int, IntArray, IntArray]] = []
    first = 0
    aliased = 0.0
    series_limit = _series_reach(users)
    while first < t.size:
        last = int(np.searchsorted(t, 2.0 * t[first], side="right"))
        if t[first] <= series_limit:  # keep the series' nodes in bands of their own
            last = min(last, int(np.searchsorted(t, series_limit, side="right")))
        band_size = size
        if cut < np.inf:
            reach = _tail_cut(float(t[last - 1]), kinds, multiplicity, cut)
            if reach + 1 < size / 2:
                band_size = scipy.fft.next_fast_len(math.ceil(reach) + 1, real=True)
        if band_size >= size:
            last = t.size if t[first] > series_limit else last
            if t[first] <= series_limit:
                last = int(np.searchsorted(t, series_limit, side="right"))
            band_size = size
        else:
            aliased += 4.0 * float(w[first:last].sum()) * math.exp(-cut)
        tt = t[first:last] * (1.0 - t[first:last])
        roots, per_root = _plan(band_size, kinds, multiplicity, tt, cut)
        bands.append((band_size, first, last, roots, per_root))
        first = last
    work = sum(_band_work(b, t, kinds, values, users) for b in bands)
    if values.size * (total + 1) > _MAX_CELLS:
        raise SpectralTooLarge(
            f"{values.size:,} distinct demands over a total of {total:,} units would need "
            f"{values.size * (total + 1) * 8 / 2**20:,.0f} MB of weights"
        )
    if work > max_work:
        raise SpectralTooLarge(
            f"{values.size:,} distinct demands on an FFT of {size:,} points would take "
            f"about {work:.1e} operations"
        )
    low = np.zeros((values.size, total + 1))
    pointwise = 0.0
    for band_size, first, last, roots, per_root in bands:
        spectra = _band_spectra(
            band_size, t[first:last], w[first:last], roots, per_root, kinds, multiplicity, values
        )
        span = min(band_size, total + 1)
        low[:, :span] += scipy.fft.irfft(spectra, band_size, axis=1)[:, :span]
        pointwise += (1.0 + 2.0 / band_size) * 2.0 * float(w[first:last].sum()) * math.exp(-cut)
    weights: dict[int, FloatArray] = {}
    for o, v in enumerate(values):
        part = low[o, : total - int(v) + 1]
        weights[int(v)] = part + part[::-1]
    return weights, (pointwise, aliased), size


def laplace_power_shapley(
    demand: FloatArray,
    exponent: float,
    *,
    target: float = 1e-11,
    cut: float = SPECTRUM_CUT,
    max_nodes: int = 20_000,
) -> tuple[FloatArray, FloatArray]:
    """Shapley value of ``D(S)^exponent`` with a proven error bound per partner.

    Parameters
    ----------
    demand : ndarray
        Positive demands (at least two users).
    exponent : float
        ``0 < exponent < 1``.
    target : float
        Relative accuracy aimed at for each part of the bound (the step and the ends of
        the outer sum are chosen for it); the returned bound is what was achieved.

    Returns
    -------
    phi : ndarray
        Shares of ``h(D) = D^exponent`` (multiply by the curve's scale).
    bound : ndarray
        Proven bound on each share's absolute error (rounding aside).
    """
    d = np.asarray(demand, dtype=np.float64)
    p = float(exponent)
    m = d.size
    total = float(d.sum())
    x = d / total
    const = math.exp(math.log(p) - gammaln(1.0 - p))  # p / Gamma(1 - p)
    # phi_i >= h(T) - h(T - d_i) (the marginal is non-increasing): relative targets.
    floor = -np.expm1(p * np.log1p(-np.minimum(x, 1.0 - 1e-300)))
    floor = np.maximum(floor, np.finfo(float).tiny)
    strip = 2.0 ** (1.0 - p) * np.power(x, p) / (p * (1.0 - p))
    ratio = float(np.max(2.0 * const * strip / (floor * target)))
    step = math.pi**2 / math.log1p(ratio)
    step = min(step, 1.0)
    q2 = math.exp(-(2.0 - p) * step)
    # Left end: the enclosure's half-width h x_i / 4 e^{(2-p) X} q2 / (1 - q2).
    need = target * floor * (1.0 - q2) / (const * step * x / 4.0 * q2)
    left = float(np.min(np.log(need))) / (2.0 - p)
    left = min(left, math.log(1e-3))
    order = (m + 1) // 2
    t, w = gauss_legendre(order)
    acc = np.zeros(m)
    err = np.zeros(m)
    xmin = float(x.min())
    right_start = math.log(40.0 / xmin)
    r_geo = math.exp(-p * step)
    k = 0
    while True:
        xk = left + k * step
        s = math.exp(xk)
        a = -np.expm1(-s * x)
        f_i, f_err = _leave_one_out(a, t, w, cut)
        weight = step * math.exp(-p * xk) * a
        acc += weight * f_i
        err += weight * f_err
        k += 1
        if xk >= right_start:
            # Right tail: F_i decreasing towards 1/m, (1 - e^{-s x_i}) increasing to 1.
            tail = step * math.exp(-p * xk) * r_geo / (1.0 - r_geo)
            upper = tail * (f_i + f_err)
            lower = tail * a / m
            half_width = (upper - lower) / 2.0
            if np.all(const * half_width <= target * floor) or k >= max_nodes:
                acc += (upper + lower) / 2.0
                err += half_width
                break
    # Left tail: the nodes left - j * step, j >= 1.
    q1 = math.exp(-(1.0 - p) * step)
    upper = step * x * math.exp((1.0 - p) * left) * q1 / (1.0 - q1)
    half_width = step * x / 4.0 * math.exp((2.0 - p) * left) * q2 / (1.0 - q2)
    acc += upper - half_width
    err += half_width
    # The trapezoidal sum over the whole line against the integral.
    err += 2.0 * strip / math.expm1(math.pi**2 / step)
    scale = const * total**p
    return acc * scale, err * scale


def _leave_one_out(
    a: FloatArray, t: FloatArray, w: FloatArray, cut: float
) -> tuple[FloatArray, FloatArray]:
    """``F_i = sum_t w_t prod_{j != i} (1 - t a_j)`` for every ``i``, and a bound on each
    one's absolute error (dropped nodes and truncated series)."""
    m = a.size
    total = float(a.sum())
    rest = total - float(a.max())
    t_max = min(1.0, cut / rest) if rest > 0 else 1.0
    kept = int(np.searchsorted(t, t_max, side="right"))
    tk, wk = t[:kept], w[:kept]
    big = a * t_max > 0.25
    small_a = a[~big]
    big_a = a[big]
    log_prod = np.zeros(kept)
    rel = 0.0
    rho = t_max * float(small_a.max()) if small_a.size else 0.0
    if small_a.size and rho > 0:
        # log prod (1 - t a) = -sum_r t^r P_r / r - E,  0 <= E <= t^{R+1} P_{R+1} / ((R+1)(1-rho)).
        terms = 1
        while rho ** (terms + 1) * small_a.size / ((terms + 1) * (1.0 - rho)) > 1e-18:
            terms += 1
        power = small_a.copy()
        coefficients = np.zeros(terms + 1)
        for r in range(1, terms + 1):
            coefficients[r] = -power.sum() / r
            power *= small_a
        next_sum = float(power.sum())
        log_prod += np.polynomial.polynomial.polyval(tk, coefficients)
        rel += math.expm1(t_max ** (terms + 1) * next_sum / ((terms + 1) * (1.0 - rho)))
    if big_a.size:
        log_prod += np.log1p(-np.outer(tk, big_a)).sum(axis=1)
    weighted = wk * np.exp(log_prod)
    f = np.empty(m)
    if small_a.size:
        # 1 / (1 - t a_i) = sum_r (t a_i)^r + remainder <= rho^{R+1} / (1 - rho), relative.
        terms = 0
        while rho ** (terms + 1) / (1.0 - rho) > 1e-18 and rho > 0:
            terms += 1
        moments = np.empty(terms + 1)
        current = weighted.copy()
        for r in range(terms + 1):
            moments[r] = current.sum()
            current *= tk
        f[~big] = np.polynomial.polynomial.polyval(small_a, moments)
        rel += rho ** (terms + 1) / (1.0 - rho) if rho > 0 else 0.0
    if big_a.size:
        f[big] = (weighted[:, None] / (1.0 - np.outer(tk, big_a))).sum(axis=0)
    dropped = math.exp(-cut) if kept < t.size else 0.0
    return f, f * rel + dropped
