"""The Shapley value: exact, structured and sampled."""

import itertools

import coopgame
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairshare import Airport, Game, PiecewiseCurve, Pooled, PowerCurve, Standalone
from fairshare import shapley as shapley_module
from fairshare.shapley import (
    airport_shapley,
    pooled_shapley,
    shapley_exact,
    shapley_from_vector,
    shapley_sampled,
    shapley_structured,
)

from .strategies import explicit_vectors, structured_games

FAST = settings(max_examples=40, deadline=None)


def _swap_bits(mask: np.ndarray, i: int, j: int) -> np.ndarray:
    bi, bj = (mask >> i) & 1, (mask >> j) & 1
    return mask ^ ((bi ^ bj) << i) ^ ((bi ^ bj) << j)


class TestShapleyFromVector:
    def test_three_council_example(self):
        """Hand computation over the six joining orders (Shapley 1953, eq. for phi_i):
        c(A)=6, c(B)=7, c(C)=8, c(AB)=10, c(AC)=12, c(BC)=13, c(ABC)=15 gives
        (23/6, 29/6, 38/6)."""
        v = np.array([0, 6, 7, 10, 8, 12, 13, 15.0])
        assert shapley_from_vector(v) == pytest.approx([23 / 6, 29 / 6, 38 / 6], abs=1e-12)

    @given(explicit_vectors(max_n=7))
    @FAST
    def test_agrees_with_coopgame(self, v):
        ours = shapley_from_vector(v)
        anchor = coopgame.shapley(coopgame.Game(v[1:].tolist()))
        assert np.max(np.abs(ours - anchor)) < 1e-9

    @given(explicit_vectors(min_n=1, max_n=6), st.integers(1, 3))
    @FAST
    def test_blocked_scan_agrees_with_every_order(self, v, block_bits):
        """Blocks smaller than the game exercise the high-bit folding that games over
        2**20 coalitions use; the reference averages marginal costs over all n! orders."""
        n = int(v.size).bit_length() - 1
        orders = list(itertools.permutations(range(n)))
        reference = np.zeros(n)
        for order in orders:
            mask = 0
            for i in order:
                reference[i] += v[mask | 1 << i] - v[mask]
                mask |= 1 << i
        reference /= len(orders)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shapley_module, "_BLOCK_BITS", block_bits)
            ours = shapley_from_vector(v)
        assert np.max(np.abs(ours - reference)) < 1e-9

    @given(explicit_vectors())
    @FAST
    def test_efficiency(self, v):
        assert shapley_from_vector(v).sum() == pytest.approx(v[-1], abs=1e-9)

    @given(explicit_vectors(min_n=2), st.data())
    @FAST
    def test_symmetric_players_pay_the_same(self, v, data):
        n = int(v.size).bit_length() - 1
        i = data.draw(st.integers(0, n - 1))
        j = data.draw(st.integers(0, n - 1).filter(lambda k: k != i))
        masks = np.arange(v.size)
        symmetric = (v + v[_swap_bits(masks, i, j)]) / 2
        phi = shapley_from_vector(symmetric)
        assert phi[i] == pytest.approx(phi[j], abs=1e-9)

    @given(explicit_vectors(min_n=1, max_n=5))
    @FAST
    def test_null_player_pays_nothing(self, v):
        n = int(v.size).bit_length() - 1
        extended = np.concatenate([v, v])  # a new last player who adds no cost
        phi = shapley_from_vector(extended)
        assert phi[n] == pytest.approx(0.0, abs=1e-9)
        assert phi[:n] == pytest.approx(shapley_from_vector(v), abs=1e-9)

    @given(explicit_vectors(min_n=3, max_n=3), explicit_vectors(min_n=3, max_n=3))
    @FAST
    def test_additivity(self, v, w):
        assert shapley_from_vector(v + w) == pytest.approx(
            shapley_from_vector(v) + shapley_from_vector(w), abs=1e-9
        )


class TestShapleyExact:
    def test_game_interface(self):
        game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
        assert shapley_exact(game) == {"A": 4.5, "B": 5.5}


class TestAirportShapley:
    def test_littlechild_owen_three_runways(self):
        """Littlechild & Owen (1973): each runway segment is split equally among the
        aircraft that need it; requirements 1, 2, 3 give 1/3, 1/3 + 1/2, 1/3 + 1/2 + 1."""
        assert airport_shapley(np.array([3.0, 1.0, 2.0])) == pytest.approx([11 / 6, 1 / 3, 5 / 6])

    def test_matches_coopgame_airport(self):
        """coopgame.airport implements the same Littlechild & Owen (1973) formula."""
        costs = np.random.default_rng(3).integers(1, 1000, 12).astype(float)
        anchor = coopgame.airport(costs.tolist())["shapley"]
        assert np.max(np.abs(airport_shapley(costs) - anchor)) < 1e-9

    def test_ties_share_equally(self):
        assert airport_shapley(np.array([2.0, 2.0])) == pytest.approx([1.0, 1.0])


class TestPooledShapley:
    def test_exact_for_whole_demands(self):
        demand = np.array([3.0, 5.0, 0.0, 9.0])
        players = tuple("ABCD")
        game = Game(
            players, (Pooled(dict(zip(players, demand, strict=True)), PowerCurve(2.0, 0.5)),)
        )
        phi, exact, adjustment = pooled_shapley(demand, PowerCurve(2.0, 0.5))
        assert exact and adjustment == 0.0
        assert phi == pytest.approx(list(shapley_exact(game).values()), abs=1e-9)

    def test_discretised_demand_is_close_and_efficient(self):
        rng = np.random.default_rng(0)
        demand = rng.uniform(1_000, 200_000, 12)
        players = tuple(f"P{i}" for i in range(12))
        curve = PiecewiseCurve(((0, 0), (3e5, 9e5), (3e6, 4e6)))
        game = Game(players, (Pooled(dict(zip(players, demand, strict=True)), curve),))
        phi, exact, _ = pooled_shapley(demand, curve, resolution=2048)
        reference = np.array(list(shapley_exact(game).values()))
        assert not exact
        assert phi.sum() == pytest.approx(game.grand_cost, rel=1e-12)
        assert np.max(np.abs(phi - reference) / reference) < 2e-3

    def test_fractional_demand_on_a_power_curve_is_proven(self):
        rng = np.random.default_rng(0)
        demand = rng.uniform(1_000, 200_000, 12)
        players = tuple(f"P{i}" for i in range(12))
        curve = PowerCurve(50.0, 0.7)
        game = Game(players, (Pooled(dict(zip(players, demand, strict=True)), curve),))
        phi, exact, adjustment = pooled_shapley(demand, curve)
        reference = np.array(list(shapley_exact(game).values()))
        assert not exact and adjustment == 0.0
        assert np.max(np.abs(phi - reference) / reference) < 1e-9


class TestShapleyStructured:
    @given(structured_games())
    @settings(max_examples=40, deadline=None)
    def test_structured_equals_explicit_for_small_n(self, game):
        structured = shapley_structured(game)
        exact = shapley_exact(game)
        assert structured.exact
        for p in game.players:
            assert structured.shares[p] == pytest.approx(
                exact[p], abs=1e-7 * max(1, game.grand_cost)
            )

    def test_national_scale_is_efficient(self):
        rng = np.random.default_rng(1)
        players = tuple(f"C{i}" for i in range(350))
        demand = dict(zip(players, rng.integers(2_000, 1_200_000, 350).astype(float), strict=True))
        game = Game(
            players,
            (
                Standalone(dict.fromkeys(players, 1000.0)),
                Pooled(demand, PowerCurve(50.0, 0.7), fixed=2e6),
                Airport(dict(zip(players, rng.uniform(1e5, 3e5, 350), strict=True))),
            ),
        )
        result = shapley_structured(game)
        assert sum(result.shares.values()) == pytest.approx(game.grand_cost, rel=1e-9)
        assert not result.exact and result.notes


class TestShapleySampled:
    def test_within_error_bars(self):
        """Castro, Gómez & Tejada (2009): the estimate is unbiased with standard error
        ~ 1/sqrt(samples); all 8 estimates lie within 4 standard errors."""
        rng = np.random.default_rng(7)
        players = tuple("ABCDEFGH")
        game = Game(
            players,
            (
                Pooled(
                    dict(zip(players, rng.integers(1, 50, 8).tolist(), strict=True)),
                    PowerCurve(10, 0.5),
                    fixed=30,
                ),
                Airport(dict(zip(players, rng.uniform(0, 40, 8), strict=True))),
            ),
        )
        exact = shapley_exact(game)
        sampled = shapley_sampled(game, 4000, seed=11)
        assert sampled.permutations == 4000
        for p in players:
            assert abs(sampled.shares[p] - exact[p]) <= 4 * sampled.standard_errors[p] + 1e-9
        assert sum(sampled.shares.values()) == pytest.approx(game.grand_cost)

    def test_same_seed_same_result(self):
        game = Game.from_costs(
            "ABC", {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15}
        )
        assert shapley_sampled(game, 100, seed=3) == shapley_sampled(game, 100, seed=3)

    def test_error_shrinks_with_samples(self):
        game = Game.from_costs(
            "ABC", {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15}
        )
        small = shapley_sampled(game, 100, seed=1).standard_errors["A"]
        large = shapley_sampled(game, 10_000, seed=1).standard_errors["A"]
        assert large < small / 5
