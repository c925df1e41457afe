"""Loading and validating games, and the cost of coalitions."""

import warnings

import numpy as np
import pytest

import fairshare
from fairshare import (
    Airport,
    EmptyPartnershipError,
    FairshareWarning,
    Game,
    InvalidGameError,
    MissingCoalitionError,
    NegativeCostError,
    PiecewiseCurve,
    Pooled,
    PowerCurve,
    Standalone,
    UnknownPlayerError,
    load_game,
)

THREE = {
    "players": ["A", "B", "C"],
    "costs": {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15},
}


class TestLoadGame:
    def test_explicit_game_gives_every_coalition_cost(self):
        game = load_game(THREE)
        assert game.players == ("A", "B", "C")
        assert game.cost(["C", "A"]) == 12
        assert game.cost("A+B") == 10
        assert game.cost([]) == 0
        assert game.grand_cost == 15
        assert game.standalone("B") == 7

    def test_coalition_members_may_be_in_any_order(self):
        data = {"players": ["A", "B"], "costs": {"A": 1, "B": 2, "B + A": 3, "": 0}}
        assert load_game(data).grand_cost == 3

    def test_components_game_adds_components(self):
        game = load_game(
            {
                "players": ["A", "B"],
                "components": [
                    {"kind": "standalone", "name": "Own", "costs": {"A": 100, "B": 50}},
                    {
                        "kind": "pooled",
                        "name": "CRM",
                        "fixed": 10,
                        "demand": {"A": 9, "B": 16},
                        "curve": {"type": "power", "scale": 2, "exponent": 0.5},
                    },
                    {"kind": "airport", "requirements": {"A": 30, "B": 20}},
                    {"kind": "explicit", "costs": {"A": 1, "B": 1, "A+B": 1}},
                ],
                "weights": {"A": 1, "B": 3},
            }
        )
        assert game.cost(["A"]) == 100 + 10 + 6 + 30 + 1
        assert game.grand_cost == 150 + 10 + 10 + 30 + 1
        assert game.weights == {"A": 1.0, "B": 3.0}

    def test_piecewise_tariff_round_trips_through_to_dict(self):
        data = {
            "players": ["A", "B"],
            "components": [
                {
                    "kind": "pooled",
                    "name": "Shared CRM",
                    "fixed": 200,
                    "demand": {"A": 120, "B": 80},
                    "curve": {"type": "piecewise", "breaks": [[0, 0], [100, 400], [500, 900]]},
                }
            ],
        }
        game = load_game(data)
        assert game.grand_cost == 200 + 400 + 100 * 500 / 400
        assert load_game(game.to_dict()).grand_cost == game.grand_cost

    @pytest.mark.parametrize(
        ("data", "error", "code"),
        [
            ({"players": [], "costs": {}}, EmptyPartnershipError, "empty_partnership"),
            (
                {"players": ["A", "B"], "costs": {"A": 1, "B": 2}},
                MissingCoalitionError,
                "missing_coalition",
            ),
            ({"players": ["A"], "costs": {"A": 1, "Z": 2}}, UnknownPlayerError, "unknown_player"),
            ({"players": ["A"], "costs": {"A": -1}}, NegativeCostError, "negative_cost"),
            ({"players": ["A"], "costs": {"A": "ten"}}, InvalidGameError, "not_a_number"),
            ({"players": ["A"], "costs": {"A": True}}, InvalidGameError, "not_a_number"),
            ({"players": ["A"], "costs": {"A": float("nan")}}, InvalidGameError, "not_a_number"),
            (
                {"players": ["A", "B"], "costs": {"A": 1, "B": 1, "A+B": 2, "B+A": 2}},
                InvalidGameError,
                "duplicate_coalition",
            ),
            ({"players": ["A", "A"], "costs": {"A": 1}}, InvalidGameError, "duplicate_player"),
            ({"players": ["A"]}, InvalidGameError, "invalid_game"),
            (
                {"players": ["A"], "costs": {"A": 1}, "components": []},
                InvalidGameError,
                "invalid_game",
            ),
            ({"players": ["A"], "costs": {"A": 1}, "weight": {}}, InvalidGameError, "invalid_game"),
            ([1, 2], InvalidGameError, "invalid_game"),
            (
                {"players": ["A"], "components": [{"kind": "airport", "requirements": {"B": 1}}]},
                UnknownPlayerError,
                "unknown_player",
            ),
            (
                {"players": ["A"], "components": [{"kind": "rocket", "costs": {"A": 1}}]},
                InvalidGameError,
                "invalid_game",
            ),
            (
                {
                    "players": ["A"],
                    "components": [
                        {
                            "kind": "pooled",
                            "demand": {"A": 1},
                            "curve": {"type": "power", "scale": 1, "exponent": 1.5},
                        }
                    ],
                },
                InvalidGameError,
                "curve_not_concave",
            ),
            (
                {
                    "players": ["A"],
                    "components": [
                        {
                            "kind": "pooled",
                            "demand": {"A": 1},
                            "curve": {"type": "piecewise", "breaks": [[0, 0], [1, 1], [2, 3]]},
                        }
                    ],
                },
                InvalidGameError,
                "curve_not_concave",
            ),
            (
                {"players": ["A"], "costs": {"A": 1}, "weights": {"A": 1, "Q": 2}},
                UnknownPlayerError,
                "unknown_player",
            ),
        ],
    )
    def test_bad_input_raises_one_family_with_a_stable_code(self, data, error, code):
        with pytest.raises(error) as caught:
            load_game(data)
        assert isinstance(caught.value, fairshare.FairshareError)
        assert caught.value.code == code
        assert caught.value.message

    def test_error_names_the_field_of_a_bad_component(self):
        data = {
            "players": ["A"],
            "components": [
                {"kind": "standalone", "costs": {"A": 1}},
                {
                    "kind": "pooled",
                    "demand": {"A": 1},
                    "curve": {"type": "power", "scale": 1, "exponent": 2},
                },
            ],
        }
        with pytest.raises(InvalidGameError) as caught:
            load_game(data)
        assert caught.value.field == "components[1].curve.exponent"

    def test_missing_coalitions_are_listed(self):
        with pytest.raises(MissingCoalitionError, match="A\\+B"):
            load_game({"players": ["A", "B"], "costs": {"A": 1, "B": 2}})


class TestGameValidation:
    def test_non_subadditive_game_names_the_coalition_better_apart(self):
        data = {"players": ["A", "B", "C"], "costs": dict(THREE["costs"], **{"A+B": 20})}
        with pytest.warns(FairshareWarning, match="A and B would be £7 better off apart"):
            game = load_game(data)
        assert "not subadditive" in game.warnings[0]

    def test_subadditive_game_has_no_warnings(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert load_game(THREE).warnings == []

    def test_unknown_player_in_cost_query(self):
        with pytest.raises(UnknownPlayerError):
            load_game(THREE).cost(["A", "Z"])


class TestCostVector:
    def test_components_vector_matches_cost_of_each_coalition(self):
        players = ("A", "B", "C")
        game = Game(
            players,
            (
                Standalone({"A": 5.0, "C": 1.0}),
                Pooled({"A": 4, "B": 9}, PowerCurve(1.0, 0.5), fixed=3.0),
                Pooled({"B": 10, "C": 30}, PiecewiseCurve(((0, 5), (20, 25), (40, 35)))),
                Airport({"A": 7.0, "B": 2.0, "C": 4.0}),
            ),
        )
        v = game.cost_vector()
        for mask in range(8):
            members = [p for i, p in enumerate(players) if mask >> i & 1]
            assert v[mask] == pytest.approx(game.cost(members))
        orders = np.array([[2, 0, 1], [1, 2, 0]])
        prefixes = game.prefix_costs(orders)
        assert prefixes[0].tolist() == pytest.approx([0, v[4], v[5], v[7]])
        assert prefixes[1].tolist() == pytest.approx([0, v[2], v[6], v[7]])

    def test_pooled_component_costs_nothing_to_non_users(self):
        component = Pooled({"A": 1}, PowerCurve(1.0, 1.0), fixed=100)
        game = Game(("A", "B"), (component,))
        assert game.standalone("B") == 0
        assert game.standalone("A") == 101
