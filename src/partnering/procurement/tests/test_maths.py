"""The pure appraisal maths and the OCDS merge, without the database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnering.procurement.maths import (
    AppraisalError,
    compile_releases,
    cost_scores,
    discount_factors,
    rank,
    sensitivity,
    weighted_totals,
    weights_check,
    whole_life_cost,
)
from partnering.procurement.maths.appraisal import _reweighted


class TestWholeLifeCost:
    def test_undiscounted_is_the_plain_sum(self):
        assert whole_life_cost(upfront=Decimal(500), annual=Decimal(100), term_years=10,
                               rate_percent=Decimal(0)) == Decimal("1500.00")  # fmt: skip

    def test_green_book_rate_over_three_years(self):
        # 100/1.035 + 100/1.035^2 + 100/1.035^3 = 280.16 (annuity factor 2.8016)
        assert whole_life_cost(upfront=Decimal(0), annual=Decimal(100), term_years=3,
                               rate_percent=Decimal("3.5")) == Decimal("280.16")  # fmt: skip

    def test_discounting_lowers_later_years(self):
        factors = discount_factors(5, Decimal(5))
        assert factors == sorted(factors, reverse=True)
        assert all(f < 1 for f in factors)

    @pytest.mark.parametrize(("term", "rate", "field"), [(0, 3, "term_years"),
                             (5, -1, "discount_rate"), (5, 100, "discount_rate")])  # fmt: skip
    def test_bad_terms_and_rates_are_refused(self, term, rate, field):
        with pytest.raises(AppraisalError) as error:
            discount_factors(term, Decimal(rate))
        assert error.value.field == field


class TestWeights:
    def test_short_and_over(self):
        assert weights_check({"a": Decimal(40), "b": Decimal(50)}) == -10
        assert weights_check({"a": Decimal(60), "b": Decimal(50)}) == 10
        assert weights_check({"a": Decimal("33.34"), "b": Decimal("66.66")}) == 0


class TestCostScores:
    def test_cheapest_scores_full_marks_others_in_proportion(self):
        scores = cost_scores({"a": Decimal(100), "b": Decimal(200)}, 10)
        assert scores == {"a": 10.0, "b": 5.0}


class TestWeightedTotalsAndRank:
    def test_totals_out_of_100(self):
        totals = weighted_totals({"q": 60.0, "r": 40.0},
                                 {"A": {"q": 10, "r": 5}, "B": {"q": 5, "r": 10}}, 10)  # fmt: skip
        assert totals == {"A": 80.0, "B": 70.0}
        assert rank(totals) == ["A", "B"]

    def test_ties_break_by_id(self):
        assert rank({"b": 50.0, "a": 50.0}) == ["a", "b"]


class TestSensitivity:
    def test_two_options_cross_where_the_lines_meet(self):
        # A = x, B = 100 - x as the cost weight x moves: they meet at 50.
        result = sensitivity({"cost": 60.0, "quality": 40.0},
                             {"A": {"cost": 10, "quality": 0}, "B": {"cost": 0, "quality": 10}},
                             10)  # fmt: skip
        cost, quality = result
        assert cost.down is not None and cost.down.weight == pytest.approx(50)
        assert cost.down.option == "B" and cost.up is None
        assert cost.margin == pytest.approx(10)
        assert quality.up is not None and quality.up.weight == pytest.approx(50)

    def test_a_dominant_option_never_loses_the_lead(self):
        result = sensitivity({"a": 50.0, "b": 50.0},
                             {"X": {"a": 9, "b": 9}, "Y": {"a": 1, "b": 2}}, 10)  # fmt: skip
        assert all(s.down is None and s.up is None and s.margin is None for s in result)

    def test_one_option_has_nothing_to_compare(self):
        assert sensitivity({"a": 100.0}, {"X": {"a": 5}}, 10)[0].margin is None

    @given(
        st.lists(st.integers(1, 10), min_size=3, max_size=3),
        st.lists(st.lists(st.integers(0, 10), min_size=3, max_size=3), min_size=2, max_size=4),
    )
    def test_the_leader_changes_just_past_each_reported_crossing(self, raw, rows):
        total = sum(raw)
        weights = {f"c{i}": 100.0 * w / total for i, w in enumerate(raw)}
        scores = {f"o{j}": {f"c{i}": float(s) for i, s in enumerate(r)} for j, r in enumerate(rows)}
        leader = rank(weighted_totals(weights, scores, 10))[0]
        for s in sensitivity(weights, scores, 10):
            for crossing, step in ((s.down, -1e-4), (s.up, 1e-4)):
                if crossing is None or not 1e-3 < crossing.weight < 100 - 1e-3:
                    continue
                at = _reweighted(weights, s.criterion, crossing.weight + step)
                totals = weighted_totals(at, scores, 10)
                assert totals[crossing.option] >= totals[leader] - 1e-6
            # and between the current weight and the nearest crossings the leader holds
            low = s.down.weight if s.down else 0.0
            high = s.up.weight if s.up else 100.0
            for x in (low + (s.weight - low) / 2, s.weight + (high - s.weight) / 2):
                totals = weighted_totals(_reweighted(weights, s.criterion, x), scores, 10)
                assert totals[leader] >= max(totals.values()) - 1e-6


class TestCompileReleases:
    def test_later_values_win_and_identified_arrays_merge_by_id(self):
        r1 = {"ocid": "o", "id": "o-1", "date": "2004-01-01T00:00:00Z", "tag": ["tender"],
              "parties": [{"id": "p1", "name": "A", "roles": ["buyer"]}],
              "tender": {"id": "t", "status": "active", "title": "ICT"}}  # fmt: skip
        r2 = {"ocid": "o", "id": "o-2", "date": "2004-07-01T00:00:00Z", "tag": ["award"],
              "parties": [{"id": "p1", "name": "A", "roles": ["buyer"]},
                          {"id": "p2", "name": "B", "roles": ["supplier"]}],
              "tender": {"id": "t", "status": "complete"}}  # fmt: skip
        compiled = compile_releases([r2, r1])
        assert compiled["tender"] == {"id": "t", "status": "complete", "title": "ICT"}
        assert [p["id"] for p in compiled["parties"]] == ["p1", "p2"]
        assert compiled["id"] == "o-compiled" and compiled["tag"] == ["compiled"]
        assert r1["tender"]["status"] == "active"  # inputs untouched

    def test_null_removes_a_field(self):
        compiled = compile_releases([
            {"ocid": "o", "id": "1", "date": "1", "tender": {"id": "t", "value": 1}},
            {"ocid": "o", "id": "2", "date": "2", "tender": {"value": None}},
        ])  # fmt: skip
        assert compiled["tender"] == {"id": "t"}
