"""The three unfair answers of the first edition, reproduced (each failed before the fix),
and the honest flags every result now carries."""

import warnings

import numpy as np
import pytest

import fairshare
from fairshare import Game, PiecewiseCurve, Pooled, PowerCurve, check_core, explain, solve
from fairshare.shapley import shapley_exact, shapley_structured

INTERCHANGEABLE = {
    "players": ["A", "B", "C"],
    "costs": {
        "A": 240000,
        "B": 240000,
        "A+B": 292411,
        "C": 260000,
        "A+C": 471106,
        "B+C": 471106,
        "A+B+C": 323650,
    },
}
DUMMY = {
    "players": ["A", "B", "D"],
    "costs": {"A": 1, "B": 1, "D": 0.1, "A+B": 5, "A+D": 1.1, "B+D": 1.1, "A+B+D": 5.1},
}


def quiet_load(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fairshare.FairshareWarning)
        return fairshare.load_game(data)


class TestLeastCoreIsCanonical:
    def test_interchangeable_partners_pay_the_same(self):
        """The audit's game: A and B are interchangeable; the LP vertex charged A £52,411
        and B £125,620. The canonical point charges both the nucleolus's £89,015.25."""
        result = solve(quiet_load(INTERCHANGEABLE), "least_core")
        assert result.shares["A"] == pytest.approx(result.shares["B"], abs=1e-6)
        assert result.shares == pytest.approx({"A": 89015.25, "B": 89015.25, "C": 145619.5})
        assert result.method_used == "nucleolus" and result.details["point"] == "nucleolus"
        assert result.details["epsilon"] == pytest.approx(-114380.5)

    def test_lies_in_the_least_core(self):
        game = quiet_load(INTERCHANGEABLE)
        result = solve(game, "least_core")
        check = check_core(game, result.shares)
        assert check.max_excess <= result.details["epsilon"] + 1e-6

    def test_empty_core_uses_the_prenucleolus_and_says_so(self):
        result = solve(quiet_load(DUMMY), "least_core")
        assert result.method_used == "prenucleolus"
        assert result.shares == pytest.approx({"A": 2.5, "B": 2.5, "D": 0.1})
        assert "prenucleolus" in explain(quiet_load(DUMMY), result)["A"]

    def test_no_partner_pays_more_than_alone_when_the_core_is_not_empty(self):
        """Four councils (the audit's second case): a vertex charged one council more than
        it would pay alone; a point of a non-empty least core never does."""
        rng = np.random.default_rng(4)
        for _ in range(30):
            n = 4
            r = rng.uniform(1, 10, n)
            players = tuple("ABCD")
            game = Game(
                players,
                (Pooled(dict(zip(players, r, strict=True)), PowerCurve(5.0, 0.6), fixed=3.0),),
            )
            result = solve(game, "least_core")
            for p in players:
                assert result.shares[p] <= game.standalone(p) + 1e-7


class TestScrbTolerance:
    def test_float_residue_does_not_decide_who_pays(self):
        """D adds exactly £0.10 to every group; a 3.6e-16 residue made it the only partner
        with a remaining benefit, charged -£2.90."""
        result = solve(quiet_load(DUMMY), "scrb")
        assert result.shares["D"] == pytest.approx(0.1, abs=1e-12)
        assert result.shares["A"] == pytest.approx(result.shares["B"], abs=1e-12)
        assert sum(result.shares.values()) == pytest.approx(5.1)
        assert result.details["remaining"]["D"] == 0.0

    def test_dummy_pays_its_own_cost_in_a_subadditive_game(self):
        costs = {"A": 6, "B": 7, "D": 2, "A+B": 10, "A+D": 8, "B+D": 9, "A+B+D": 12}
        result = solve(fairshare.load_game({"players": ["A", "B", "D"], "costs": costs}), "scrb")
        assert result.shares["D"] == pytest.approx(2.0)


class TestPooledAccuracyIsFlagged:
    TARIFF = PiecewiseCurve(((0, 0), (1e5, 4e5), (5e6, 3e6)))

    def skewed(self, n=60, curve=None):
        rng = np.random.default_rng(7)
        demand = np.concatenate([[5e6], rng.uniform(1, 500, n - 1)])
        players = tuple(f"P{i}" for i in range(n))
        return Game(
            players,
            (Pooled(dict(zip(players, demand, strict=True)), curve or PowerCurve(50.0, 0.7)),),
        )

    def test_skewed_power_curve_has_a_proven_bound(self):
        """The audit's case: discretised, this skewed game erred by up to 6.6e-3 of a share;
        the Laplace engine proves every share to 1e-9 and is within that of brute force."""
        game = self.skewed(12)
        result = shapley_structured(game)
        exact = shapley_exact(game)
        assert not result.exact and result.error_kind == "proven"
        assert result.relative_bound <= 1e-9
        for p in game.players:
            assert abs(result.shares[p] - exact[p]) <= result.proven_bound + 1e-12 * exact[p]

    def test_discretised_result_is_not_exact_and_carries_an_error_estimate(self):
        game = self.skewed(curve=self.TARIFF)
        coarse = shapley_structured(game)
        assert not coarse.exact and coarse.error_estimate > 0
        assert coarse.error_kind == "estimated" and coarse.proven_bound is None
        fine = shapley_structured(game, resolution=1 << 14)
        true_error = max(abs(coarse.shares[p] - fine.shares[p]) for p in game.players)
        # the estimate covers the error measured against a grid 16 times finer
        assert coarse.error_estimate >= true_error
        assert "estimated error" in coarse.notes[0]

    def test_allocation_and_explanation_say_so(self):
        game = self.skewed(30, curve=self.TARIFF)
        result = solve(game, "shapley")
        assert game.n > 20  # beyond the all-coalitions route
        assert not result.exact and result.error_kind == "estimated"
        assert result.error_bound is not None and result.error_bound > 0
        data = result.to_dict()
        assert data["exact"] is False and data["error_bound"] == result.error_bound
        assert "relative_error_bound" not in data
        assert "not exact" in explain(game, result)["P0"]

    def test_whole_small_demands_stay_exact(self):
        players = tuple(f"P{i}" for i in range(30))
        game = Game(players, (Pooled(dict.fromkeys(players, 3), PowerCurve(1.0, 0.5)),))
        result = solve(game, "shapley")
        assert result.exact and result.error_bound is None
        assert result.shares["P0"] == pytest.approx(game.grand_cost / 30)


class TestHonestFlags:
    def test_every_result_says_how_it_was_computed(self):
        game = quiet_load(INTERCHANGEABLE)
        for method, result in fairshare.compare_all(game).items():
            data = result.to_dict()
            assert data["method"] == method
            assert data["method_used"]
            assert data["exact"] is True and data["error_bound"] is None
            assert data["computation"]

    def test_sampled_shapley_has_a_statistical_bound(self):
        game = quiet_load(INTERCHANGEABLE)
        result = solve(game, "shapley", samples=400, seed=3)
        assert not result.exact and result.error_kind == "statistical"
        assert result.error_bound == pytest.approx(3 * max(result.standard_errors.values()))

    def test_empty_core_explanation_says_no_split_can_be_stable(self):
        game = quiet_load(DUMMY)
        texts = explain(game, solve(game, "shapley"))
        assert all("No split of this partnership can be stable" in t for t in texts.values())
        assert "the best any split can do is leave some group £1.50 better off" in texts["A"]

    def test_non_empty_core_explanation_does_not_claim_it(self):
        game = quiet_load(INTERCHANGEABLE)
        unfair = {"A": 1.0, "B": 1.0, "C": 323648.0}
        texts = explain(game, unfair, "proportional")
        assert "not stable" in texts["C"]
        assert not any("No split of this partnership" in t for t in texts.values())

    def test_prenucleolus_is_named_when_it_stands_in(self):
        game = quiet_load(DUMMY)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", fairshare.FairshareWarning)
            result = solve(game, "nucleolus")
        assert result.method_used == "prenucleolus"
        text = explain(game, result)["A"]
        assert "under the prenucleolus" in text and "under the nucleolus" not in text

    def test_structured_core_check_is_exact_beyond_the_bitmask_limit(self):
        players = tuple(f"C{i}" for i in range(40))
        rng = np.random.default_rng(1)
        game = Game(
            players,
            (
                Pooled(
                    dict(zip(players, rng.uniform(1, 100, 40), strict=True)),
                    PowerCurve(10.0, 0.5),
                    fixed=5,
                ),
            ),
        )
        check = check_core(game, solve(game, "shapley").shares)
        assert check.in_core and check.exact and check.method == "structure"
        assert not check.exhaustive
