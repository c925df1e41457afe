"""The core check and the verifiers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairshare import (
    Game,
    InvalidAllocationError,
    Pooled,
    PowerCurve,
    UnknownPlayerError,
    _bits,
    check_core,
    is_efficient,
    is_in_core,
)

from .strategies import explicit_vectors

THREE = Game.from_costs(
    "ABC", {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15}
)


class TestCheckCore:
    def test_nucleolus_of_three_council_example_is_in_core(self):
        check = check_core(THREE, {"A": 3.75, "B": 4.75, "C": 6.5})
        assert check.in_core and check.efficient and check.exhaustive
        assert check.max_excess == pytest.approx(-1.5)

    def test_names_the_coalition_that_would_do_better(self):
        check = check_core(THREE, {"A": 1, "B": 1, "C": 13})
        assert not check.in_core
        assert check.worst_coalition == ("C",)
        assert check.max_excess == pytest.approx(5)
        assert check.worst_coalition_cost == 8

    def test_inefficient_split_is_not_in_core(self):
        check = check_core(THREE, {"A": 1, "B": 1, "C": 1})
        assert not check.efficient and not check.in_core

    def test_rejects_bad_allocations(self):
        with pytest.raises(UnknownPlayerError):
            check_core(THREE, {"A": 5, "B": 5, "C": 5, "Z": 0})
        with pytest.raises(InvalidAllocationError):
            check_core(THREE, {"A": 5, "B": 5})
        with pytest.raises(InvalidAllocationError):
            check_core(THREE, {"A": 5, "B": 5, "C": "five"})

    def test_large_partnership_uses_heuristic_search(self):
        players = tuple(f"C{i}" for i in range(30))
        game = Game(players, (Pooled(dict.fromkeys(players, 1.0), PowerCurve(10.0, 0.5), fixed=5),))
        unfair = dict.fromkeys(players, 0.0)
        unfair["C0"] = game.grand_cost
        check = check_core(game, unfair)
        assert not check.exhaustive and not check.in_core
        assert check.worst_coalition == ("C0",)
        fair = dict.fromkeys(players, game.grand_cost / 30)
        assert check_core(game, fair).in_core

    def test_single_partner(self):
        game = Game.from_costs(["A"], {"A": 4})
        assert check_core(game, {"A": 4}).in_core


class TestIsEfficient:
    def test_tolerance(self):
        assert is_efficient(THREE, {"A": 5, "B": 5, "C": 5.004}, tolerance=0.01)
        assert not is_efficient(THREE, {"A": 5, "B": 5, "C": 5.004})


class TestIsInCore:
    def test_equal_split(self):
        assert is_in_core(THREE, {"A": 5, "B": 5, "C": 5})
        assert not is_in_core(THREE, {"A": 7, "B": 4, "C": 4})
        assert np.isclose(check_core(THREE, {"A": 7, "B": 4, "C": 4}).max_excess, 1)


@given(explicit_vectors(min_n=2, max_n=6), st.integers(1, 3), st.data())
@settings(max_examples=40, deadline=None)
def test_blocked_excess_scan_finds_the_worst_coalition(v, block_bits, data):
    """The one-pass blocked scan agrees with every proper coalition checked one by one."""
    n = int(v.size).bit_length() - 1
    xs = np.array(data.draw(st.lists(st.floats(0, 1000), min_size=n, max_size=n)))
    excess = {m: sum(xs[i] for i in range(n) if m >> i & 1) - v[m] for m in range(1, (1 << n) - 1)}
    best = max(excess.values())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_bits, "BLOCK_BITS", block_bits)
        mask, value = _bits.largest_excess(xs, v)
    assert value == pytest.approx(best, abs=1e-9)
    assert excess[mask] == pytest.approx(best, abs=1e-9)
