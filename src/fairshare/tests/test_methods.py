"""The sharing methods and solve/compare_all."""

import warnings

import coopgame
import numpy as np
import pytest
from hypothesis import given, settings

import fairshare
from fairshare import Airport, Game, MethodError, Standalone, check_core, solve
from fairshare.methods import airport_nucleolus, least_core, nucleolus, proportional, scrb

from .strategies import explicit_vectors, structured_games

TVA = {
    # Straffin & Heaney (1981), Table 1: the Tennessee Valley Authority's costs (in $1000)
    # of dams serving navigation (1), flood control (2) and power (3).
    "players": ["navigation", "flood", "power"],
    "costs": {
        "navigation": 163520,
        "flood": 140826,
        "power": 250096,
        "navigation+flood": 301607,
        "navigation+power": 378821,
        "flood+power": 367370,
        "navigation+flood+power": 412584,
    },
}
THREE = Game.from_costs(
    "ABC", {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15}
)


def _bankruptcy_cost_game(estate, claims):
    """Cost form of the bankruptcy game: c(S) = d(S) - max(0, E - d(N \\ S))."""
    n = len(claims)
    costs = {}
    for mask in range(1, 1 << n):
        inside = sum(claims[i] for i in range(n) if mask >> i & 1)
        outside = sum(claims) - inside
        costs["+".join(f"P{i}" for i in range(n) if mask >> i & 1)] = inside - max(
            0, estate - outside
        )
    return Game.from_costs([f"P{i}" for i in range(n)], costs)


class TestEqualSplit:
    def test_everyone_pays_the_same(self):
        assert solve(THREE, "equal").shares == {"A": 5.0, "B": 5.0, "C": 5.0}


class TestProportional:
    def test_default_measure_is_standalone_cost(self):
        result = proportional(THREE)
        assert result.shares["C"] == pytest.approx(15 * 8 / 21)
        assert result.details["measure"] == "standalone"

    def test_explicit_weights_and_game_weights(self):
        assert proportional(THREE, {"A": 1, "B": 1, "C": 3}).shares["C"] == pytest.approx(9)
        weighted = Game(THREE.players, THREE.components, weights={"A": 2, "B": 1, "C": 2})
        assert solve(weighted, "proportional").shares["A"] == pytest.approx(6)

    def test_demand_measure_needs_a_pooled_component(self):
        with pytest.raises(MethodError):
            proportional(THREE, "demand")

    def test_unknown_partner_in_weights(self):
        with pytest.raises(fairshare.UnknownPlayerError):
            proportional(THREE, {"A": 1, "B": 1, "C": 1, "Z": 1})


class TestScrb:
    def test_tennessee_valley_authority(self):
        """Straffin & Heaney (1981), Table 2: the SCRB allocation of the TVA's joint costs is
        117,475 (navigation), 99,157 (flood control) and 195,952 (power), in $1000."""
        result = scrb(fairshare.load_game(TVA))
        assert result.shares["navigation"] == pytest.approx(117475, abs=2)
        assert result.shares["flood"] == pytest.approx(99157, abs=2)
        assert result.shares["power"] == pytest.approx(195952, abs=2)
        assert sum(result.shares.values()) == pytest.approx(412584)

    def test_two_players_split_savings_equally(self):
        """With two partners SCRB coincides with the Shapley value and the nucleolus
        (Young, Okada & Hashimoto 1982): each keeps half the joint saving."""
        game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
        assert scrb(game).shares == {"A": 4.5, "B": 5.5}


class TestNucleolus:
    def test_talmud_bankruptcy_examples(self):
        """Aumann & Maschler (1985): the nucleolus of the bankruptcy game with claims
        100, 200, 300 is the Talmud's division (33 1/3 each; 50, 75, 75; 50, 100, 150) for
        estates 100, 200, 300. In cost form each pays its claim minus its award."""
        claims = [100, 200, 300]
        for estate, award in [(100, [100 / 3] * 3), (200, [50, 75, 75]), (300, [50, 100, 150])]:
            result = nucleolus(_bankruptcy_cost_game(estate, claims))
            expected = [c - a for c, a in zip(claims, award, strict=True)]
            assert list(result.shares.values()) == pytest.approx(expected, abs=1e-7)

    def test_matches_coopgame_cost_nucleolus(self):
        """Sign convention check: our savings-game route equals coopgame.cost_nucleolus."""
        anchor = coopgame.cost_nucleolus(coopgame.Game([6, 7, 10, 8, 12, 13, 15]))
        assert list(nucleolus(THREE).shares.values()) == pytest.approx(anchor, abs=1e-9)
        assert list(nucleolus(THREE).shares.values()) == pytest.approx([3.75, 4.75, 6.5])

    @given(structured_games(max_n=6))
    @settings(max_examples=25, deadline=None)
    def test_in_the_core_of_concave_games(self, game):
        """Structured projects are submodular (Shapley 1971), so the core is not empty and
        contains the nucleolus (Schmeidler 1969)."""
        result = nucleolus(game)
        check = check_core(game, result.shares, tolerance=1e-7 * max(1, game.grand_cost))
        assert check.in_core

    @given(explicit_vectors(min_n=2, max_n=5))
    @settings(max_examples=25, deadline=None)
    def test_in_the_core_when_the_core_is_not_empty(self, v):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = Game.from_vector([f"P{i}" for i in range(len(v).bit_length() - 1)], v[1:])
            if least_core(game).details["epsilon"] > 0:
                return  # empty core
            result = nucleolus(game)
        assert check_core(game, result.shares, tolerance=1e-6 * max(1, v.max())).in_core

    def test_airport_closed_form_matches_linear_programming(self):
        """Littlechild (1974): closed-form nucleolus of the airport game; checked against
        coopgame's sequential LP on the explicit game."""
        rng = np.random.default_rng(5)
        for _ in range(20):
            n = int(rng.integers(2, 8))
            r = rng.integers(0, 30, n).astype(float)
            game = Game(
                tuple(f"P{i}" for i in range(n)), (Airport({f"P{i}": r[i] for i in range(n)}),)
            )
            assert airport_nucleolus(r) == pytest.approx(
                list(nucleolus(game).shares.values()), abs=1e-7
            )

    def test_airport_at_national_scale(self):
        players = tuple(f"C{i}" for i in range(300))
        r = np.random.default_rng(0).uniform(1e5, 3e5, 300)
        game = Game(
            players,
            (Airport(dict(zip(players, r, strict=True))), Standalone(dict.fromkeys(players, 10.0))),
        )
        result = nucleolus(game)
        assert sum(result.shares.values()) == pytest.approx(game.grand_cost)

    def test_too_many_partners_for_a_general_game(self):
        players = tuple(f"C{i}" for i in range(25))
        game = Game(
            players, (fairshare.Pooled(dict.fromkeys(players, 1.0), fairshare.PowerCurve(1, 0.5)),)
        )
        with pytest.raises(MethodError) as caught:
            nucleolus(game)
        assert caught.value.code == "too_many_players"

    def test_empty_imputation_set_falls_back_to_prenucleolus(self):
        with pytest.warns(fairshare.FairshareWarning):
            game = Game.from_costs("AB", {"A": 1, "B": 1, "A+B": 5})
            result = nucleolus(game)
        assert result.details["prenucleolus"]
        assert result.shares == pytest.approx({"A": 2.5, "B": 2.5})


class TestLeastCore:
    def test_epsilon_of_three_council_example(self):
        """Maschler, Peleg & Shapley (1979): the least core's epsilon is the nucleolus's
        first excess level, -1.5 here (A+B and C each keep at least 1.5 to spare)."""
        result = least_core(THREE)
        assert result.details["epsilon"] == pytest.approx(-1.5)
        check = check_core(THREE, result.shares)
        assert check.max_excess == pytest.approx(-1.5)


class TestSolve:
    def test_unknown_method(self):
        with pytest.raises(MethodError) as caught:
            solve(THREE, "haggle")
        assert caught.value.code == "unknown_method"

    def test_sampled_shapley_has_standard_errors(self):
        result = solve(THREE, "shapley", samples=200, seed=4)
        assert not result.exact and result.standard_errors is not None

    @given(structured_games(max_n=6))
    @settings(max_examples=15, deadline=None)
    @pytest.mark.filterwarnings("ignore::fairshare.FairshareWarning")
    def test_every_method_is_efficient(self, game):
        for method, result in fairshare.compare_all(game).items():
            assert fairshare.is_efficient(
                game, result.shares, tolerance=1e-7 * max(1, game.grand_cost)
            ), method

    def test_full_recompute_of_sixteen_partners(self):
        rng = np.random.default_rng(2)
        players = tuple(f"P{i}" for i in range(16))
        game = Game(
            players,
            (
                fairshare.Pooled(
                    dict(zip(players, rng.uniform(1e4, 1e5, 16), strict=True)),
                    fairshare.PowerCurve(50, 0.7),
                    fixed=2e5,
                ),
                Airport(dict(zip(players, rng.uniform(1e5, 3e5, 16), strict=True))),
            ),
        )
        results = fairshare.compare_all(game)
        assert set(results) == set(fairshare.METHODS)
        assert check_core(game, results["nucleolus"].shares).in_core


class TestCompareAll:
    def test_skips_methods_that_do_not_apply_with_a_warning(self):
        players = tuple(f"C{i}" for i in range(25))
        game = Game(
            players, (fairshare.Pooled(dict.fromkeys(players, 1.0), fairshare.PowerCurve(1, 0.5)),)
        )
        with pytest.warns(fairshare.FairshareWarning, match="skipped"):
            results = fairshare.compare_all(game)
        assert "nucleolus" not in results and "shapley" in results
        assert results["shapley"].shares["C0"] == pytest.approx(game.grand_cost / 25)
