"""Hypothesis strategies shared by the fair-share tests (small n keeps the suite fast)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from fairshare import Airport, Game, PiecewiseCurve, Pooled, PowerCurve, Standalone

NAMES = tuple("ABCDEFGHIJKLMNOP")


@st.composite
def explicit_vectors(draw, min_n: int = 2, max_n: int = 6) -> np.ndarray:
    """Coalition values in bitmask order (with the empty coalition, 0)."""
    n = draw(st.integers(min_n, max_n))
    values = draw(
        st.lists(
            st.floats(0, 1000, allow_nan=False, allow_infinity=False),
            min_size=(1 << n) - 1,
            max_size=(1 << n) - 1,
        )
    )
    return np.concatenate([[0.0], values])


@st.composite
def curves(draw):
    if draw(st.booleans()):
        return PowerCurve(draw(st.floats(0.1, 100)), draw(st.floats(0.2, 1.0)))
    slopes = sorted(draw(st.lists(st.floats(0, 50), min_size=1, max_size=4)), reverse=True)
    widths = draw(st.lists(st.integers(1, 40), min_size=len(slopes), max_size=len(slopes)))
    start = draw(st.floats(0, 100))
    points = [(0.0, start)]
    for slope, width in zip(slopes, widths, strict=True):
        x, y = points[-1]
        points.append((x + width, y + slope * width))
    return PiecewiseCurve(tuple(points))


@st.composite
def structured_games(draw, min_n: int = 2, max_n: int = 7) -> Game:
    """Random projects of stand-alone, pooled (integer demand) and airport components."""
    n = draw(st.integers(min_n, max_n))
    players = NAMES[:n]
    ints = st.integers(0, 30)
    components = []
    if draw(st.booleans()):
        components.append(Standalone({p: float(draw(ints)) for p in players}))
    users = draw(st.lists(st.sampled_from(players), min_size=1, max_size=n, unique=True))
    components.append(
        Pooled(
            {p: draw(ints) for p in users}, draw(curves()), fixed=float(draw(st.integers(0, 50)))
        )
    )
    if draw(st.booleans()):
        components.append(Airport({p: float(draw(ints)) for p in players}))
    return Game(players, tuple(components))
