"""The nucleolus and prenucleolus of an explicit cost game by sequential linear programmes
over HiGHS, with constraint generation so that ``2**n`` coalitions never become rows.

For a cost game ``c`` and a split ``x``, the excess of a coalition is
``e(S) = x(S) - c(S)``. The prenucleolus minimises the largest excess, then the next
largest, and so on (Schmeidler 1969); the nucleolus does the same over the splits in which
nobody pays more than alone (``x_i <= c(i)``). Maschler, Peleg & Shapley (1979) compute it
as a sequence of linear programmes: minimise the level ``t`` with ``e(S) <= t`` for the
coalitions not yet fixed; the coalitions whose constraints carry a positive dual value are
tight in every optimum, so they are fixed at that level; repeat until the fixed coalitions
determine ``x``.

Each programme is solved by constraint generation: start from the single partners and
their complements, solve, scan the excess of every coalition in one vectorised pass
(``O(2**n)``), add the most violated coalitions (each with its complement, which keeps the
programme bounded), and repeat until none is violated. Coalitions whose excess the fixed
ones already determine (their indicator vector lies in the span of the fixed ones) are
dropped rather than fixed again.

References
----------
.. [1] Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM
   Journal on Applied Mathematics* 17(6), 1163-1170.
.. [2] Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the
   kernel, nucleolus, and related solution concepts. *Mathematics of Operations
   Research* 4(4), 303-338.
.. [3] Hallefjord, Å., Helming, R. & Jørnsten, K. (1995). Computing the nucleolus when the
   characteristic function is given implicitly: a constraint generation approach.
   *International Journal of Game Theory* 24(4), 357-372.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from ._bits import additive_vector
from .errors import MethodError

__all__ = ["LexicographicResult", "lexicographic_centre"]

FloatArray = NDArray[np.float64]

#: Coalitions added per round of constraint generation (each with its complement).
_BATCH = 64


@dataclass(frozen=True)
class LexicographicResult:
    """The point and the levels at which coalitions were fixed.

    Attributes
    ----------
    x : ndarray
        What each partner pays.
    levels : list[float]
        The successive largest excesses (the first is the least core's ``epsilon`` for the
        prenucleolus).
    linear_programmes : int
        Number of programmes solved.
    max_residual : float
        Largest violation of the final constraints by ``x`` (GBP), a check on the
        floating-point solution.
    """

    x: FloatArray
    levels: list[float]
    linear_programmes: int
    max_residual: float


def _bits_matrix(masks: NDArray[np.int64], n: int) -> FloatArray:
    return ((masks[:, None] >> np.arange(n)) & 1).astype(np.float64)


def lexicographic_centre(values: FloatArray, *, imputation: bool) -> LexicographicResult:
    """Prenucleolus (``imputation=False``) or nucleolus (``True``) of the cost game with
    coalition costs ``values`` in bitmask order (``values[0] = 0``).

    Raises
    ------
    MethodError
        If a linear programme fails (e.g. the imputation set is empty for the nucleolus).
    """
    from scipy.optimize import linprog  # imported on first use: it is slow to import

    v = np.asarray(values, dtype=np.float64)
    n = int(v.size).bit_length() - 1
    full = (1 << n) - 1
    # A power of two, so scaling is exact in floating point.
    scale = 2.0 ** math.ceil(math.log2(max(1.0, float(np.max(np.abs(v))))))
    c = v / scale
    tol = 1e-9
    standalone = c[1 << np.arange(n)]
    if imputation and c[full] > standalone.sum() + tol:
        raise MethodError(
            "The partnership costs more than every partner going alone, so the nucleolus "
            "is not defined.",
            code="empty_imputation_set",
        )
    if n == 1:
        return LexicographicResult(np.array([v[1]]), [], 0, 0.0)
    # Coalitions still free (not fixed, not determined by the fixed ones).
    free = np.ones(1 << n, dtype=bool)
    free[0] = free[full] = False
    fixed_masks: list[int] = [full]
    fixed_rhs: list[float] = [float(c[full])]
    singles = (1 << np.arange(n)).astype(np.int64)
    working = set(singles.tolist()) | {full ^ int(s) for s in singles}
    working.discard(full)
    levels: list[float] = []
    programmes = 0
    bounds = [(None, float(standalone[i]) if imputation else None) for i in range(n)] + [
        (None, None)
    ]
    x = np.full(n, c[full] / n)
    while True:
        fixed_array = np.array(fixed_masks, dtype=np.int64)
        a_eq = np.hstack([_bits_matrix(fixed_array, n), np.zeros((len(fixed_masks), 1))])
        b_eq = np.array(fixed_rhs)
        rank = np.linalg.matrix_rank(a_eq[:, :n], tol=1e-9)
        if rank >= n:
            break
        while True:  # constraint generation for this level
            rows = np.array(sorted(m for m in working if free[m]), dtype=np.int64)
            a_ub = np.hstack([_bits_matrix(rows, n), -np.ones((rows.size, 1))])
            objective = np.zeros(n + 1)
            objective[n] = 1.0
            result = linprog(
                objective,
                A_ub=a_ub,
                b_ub=c[rows],
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=bounds,
                method="highs",
            )
            programmes += 1
            if result.status != 0:
                raise MethodError(
                    f"A linear programme for the nucleolus failed ({result.message}).",
                    code="solver_failed",
                )
            x = result.x[:n]
            t = float(result.x[n])
            excess = additive_vector(x) - c
            excess[~free] = -np.inf
            excess[rows] = -np.inf  # in the programme already (met to HiGHS's tolerance)
            violated = np.flatnonzero(excess > t + tol)
            if violated.size == 0:
                break
            if violated.size > _BATCH:
                top = np.argpartition(-excess[violated], _BATCH)[:_BATCH]
                violated = violated[top]
            for m in violated.tolist():
                working.add(m)
                if full ^ m:
                    working.add(full ^ m)
        levels.append(t * scale)
        duals = -np.asarray(result.ineqlin.marginals)
        binding = rows[duals > 1e-10]
        if binding.size == 0:  # pragma: no cover - the level is bounded by some row
            binding = rows[np.abs(a_ub[:, :n] @ x - c[rows] - t) <= tol]
        basis = _bits_matrix(np.array(fixed_masks, dtype=np.int64), n)
        progressed = False
        for m in binding.tolist():
            row = _bits_matrix(np.array([m], dtype=np.int64), n)
            stacked = np.vstack([basis, row])
            free[m] = False
            if np.linalg.matrix_rank(stacked, tol=1e-9) > np.linalg.matrix_rank(basis, tol=1e-9):
                basis = stacked
                fixed_masks.append(m)
                fixed_rhs.append(float(c[m] + t))
                progressed = True
        if not progressed and not free.any():  # pragma: no cover - defensive
            break
    x_gbp = _solve_exactly(fixed_masks, [r * scale for r in fixed_rhs], n)
    if x_gbp is None:  # pragma: no cover - the fixed rows are independent by construction
        x_gbp = x * scale
    check = (
        _bits_matrix(np.array(fixed_masks, dtype=np.int64), n) @ x_gbp - np.array(fixed_rhs) * scale
    )
    return LexicographicResult(x_gbp, levels, programmes, float(np.max(np.abs(check))))


def _solve_exactly(masks: list[int], rhs: list[float], n: int) -> FloatArray | None:
    """Solve ``x(S) = rhs(S)`` for ``n`` independent coalitions ``S`` in exact rational
    arithmetic, so the final point has no rounding beyond that of its data; ``None`` if
    the rows are not independent.

    The 0/1 matrix is inverted by Gauss-Jordan over :class:`fractions.Fraction` (its
    inverse has small rational entries), then each ``x_i`` is the exact rational sum of
    the inverse's row times the right-hand sides, rounded once to a float."""
    if len(masks) != n:
        return None
    rows = [
        [Fraction((m >> j) & 1) for j in range(n)] + [Fraction(int(i == k)) for k in range(n)]
        for i, m in enumerate(masks)
    ]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        if lead != 1:
            rows[col] = [value / lead for value in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    exact_rhs = [Fraction(b) for b in rhs]
    return np.array(
        [
            float(
                sum((a * b for a, b in zip(rows[i][n:], exact_rhs, strict=True) if a), Fraction(0))
            )
            for i in range(n)
        ]
    )
