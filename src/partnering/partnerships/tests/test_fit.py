"""Priorities-fit maths: hand-checked cases; never touches the database."""

import subprocess
import sys

import pytest

from partnering.partnerships.maths.fit import (
    MemberPriorities,
    WeightedPriority,
    fit_matrix,
    is_valid_score,
    member_fit,
)


def member(*weights: int, name: str = "m") -> MemberPriorities:
    return MemberPriorities(
        name, tuple(WeightedPriority(f"p{i}", w, f"P{i}") for i, w in enumerate(weights))
    )


class TestIsValidScore:
    @pytest.mark.parametrize("value", [0, 1, 2, 3])
    def test_whole_numbers_0_to_3_are_valid(self, value):
        assert is_valid_score(value)

    @pytest.mark.parametrize("value", [-1, 4, 1.5, "2", True, None])
    def test_anything_else_is_invalid(self, value):
        assert not is_valid_score(value)


class TestMemberFit:
    def test_weights_count_each_priority_by_importance(self):
        fit = member_fit(member(3, 1), ["a1", "a2"], {("a1", "p0"): 3, ("a2", "p1"): 3})
        assert fit.by_aim == {"a1": 75.0, "a2": 25.0}
        assert fit.overall == 100.0
        assert not fit.is_poor

    def test_overall_takes_the_best_aim_for_each_priority(self):
        scores = {("a1", "p0"): 1, ("a2", "p0"): 2, ("a1", "p1"): 0, ("a2", "p1"): 0}
        fit = member_fit(member(1, 1), ["a1", "a2"], scores)
        assert fit.overall == pytest.approx(100 * 2 / 6, abs=0.05)
        assert fit.is_poor
        assert [p.id for p in fit.unserved] == ["p1"]

    def test_missing_scores_count_as_zero_and_are_counted(self):
        fit = member_fit(member(2), ["a1", "a2"], {("a1", "p0"): 3})
        assert fit.overall == 100.0
        assert fit.unscored == 1

    def test_member_without_priorities_has_no_fit(self):
        fit = member_fit(member(), ["a1"], {})
        assert fit.overall is None
        assert fit.by_aim == {"a1": None}
        assert not fit.is_poor

    def test_no_aims_gives_zero_fit(self):
        fit = member_fit(member(5), [], {})
        assert fit.overall == 0.0
        assert fit.is_poor

    def test_exactly_half_is_not_poor(self):
        fit = member_fit(member(1, 1), ["a"], {("a", "p0"): 3, ("a", "p1"): 0})
        assert fit.overall == 50.0
        assert not fit.is_poor

    @pytest.mark.parametrize("weight", [0, -1, 2.5])
    def test_rejects_bad_weights(self, weight):
        with pytest.raises(ValueError, match="weight"):
            member_fit(MemberPriorities("m", (WeightedPriority("p", weight),)), ["a"], {})

    def test_rejects_out_of_range_scores(self):
        with pytest.raises(ValueError, match="score"):
            member_fit(member(1), ["a"], {("a", "p0"): 4})


class TestFitMatrix:
    def test_one_fit_per_member_in_order(self):
        fits = fit_matrix([member(2, name="x"), member(name="y")], ["a"], {("a", "p0"): 1})
        assert [(f.member, f.overall) for f in fits] == [("x", 33.3), ("y", None)]


def test_maths_does_not_import_django():
    code = (
        "import sys, partnering.partnerships.maths.fit as f; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
