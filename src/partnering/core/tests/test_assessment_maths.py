"""The assessment arithmetic the programme and funding rooms share (core.maths.assessment):
the scale check, each criterion's spread and moderation, the weighted score from the bottom of
the scale."""

import doctest
from decimal import Decimal

import pytest

from partnering.core.maths import assessment
from partnering.core.maths.assessment import criterion_result, score_problem, weighted_score


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(assessment).failed == 0


@pytest.mark.parametrize("value", [-1, 11, 5.0, "5", None, True, False])
def test_a_score_off_the_scale_or_not_a_whole_number_is_a_problem(value):
    assert score_problem(value, 0, 10) == "Enter a whole number from 0 to 10"


@pytest.mark.parametrize("value", [0, 5, 10])
def test_a_whole_number_on_the_scale_is_no_problem(value):
    assert score_problem(value, 0, 10) is None


def test_a_wide_spread_needs_moderation_until_the_panel_agrees():
    wide = criterion_result(1, [2, 9], None, 3)
    assert wide.disagrees and wide.spread == 7 and wide.used == Decimal("5.5")
    agreed = criterion_result(1, [2, 9], 6, 3)
    assert not agreed.disagrees and agreed.used == Decimal(6)
    assert not criterion_result(1, [2, 5], None, 3).disagrees  # a spread of 3 is within 3


def test_an_unscored_criterion_has_no_score_and_no_weighted_score():
    unscored = criterion_result(1, [], None, 3)
    assert unscored.used is None and unscored.spread == 0
    scored = criterion_result(2, [8], None, 3)
    assert weighted_score([unscored, scored], {1: Decimal(1), 2: Decimal(1)}, 0, 10) is None
    assert weighted_score([], {}, 0, 10) is None


def test_the_weighted_score_is_a_percentage_of_the_most_possible():
    results = [criterion_result(1, [8, 6], None, 3), criterion_result(2, [10], None, 3)]
    # (1 * 7 + 3 * 10) / (1 * 10 + 3 * 10) = 37 / 40
    assert weighted_score(results, {1: Decimal(1), 2: Decimal(3)}, 0, 10) == Decimal("92.50")


def test_the_weighted_score_is_measured_from_the_bottom_of_the_scale():
    """The score_min the two rooms once treated differently: on a 1-to-5 scale an application
    scored 1 everywhere is 0%, and 3 everywhere is 50%, not 20% and 60%."""
    weights = {1: Decimal(2), 2: Decimal(1)}
    bottom = [criterion_result(1, [1], None, 1), criterion_result(2, [1], None, 1)]
    middle = [criterion_result(1, [3], None, 1), criterion_result(2, [3], None, 1)]
    assert weighted_score(bottom, weights, 1, 5) == Decimal("0.00")
    assert weighted_score(middle, weights, 1, 5) == Decimal("50.00")
    # from 0, the bottom of the scale is the same as before: score / max
    assert weighted_score(middle, weights, 0, 5) == Decimal("60.00")


def test_the_weighted_score_counts_the_moderated_score_and_rounds_to_the_places_asked():
    results = [criterion_result(1, [2, 9], 6, 3), criterion_result(2, [7, 8], None, 3)]
    weights = {1: Decimal(2), 2: Decimal(1)}
    # (2 * 6 + 7.5) / (3 * 10) = 65%
    assert weighted_score(results, weights, 0, 10) == Decimal("65.00")
    thirds = [criterion_result(1, [1], None, 3), criterion_result(2, [1], None, 3)]
    assert weighted_score(thirds, {1: Decimal(1), 2: Decimal(2)}, 0, 3, places=1) == Decimal("33.3")


def test_nothing_to_weigh_is_no_score():
    results = [criterion_result(1, [5], None, 3)]
    assert weighted_score(results, {1: Decimal(0)}, 0, 10) is None
    assert weighted_score(results, {1: Decimal(1)}, 10, 10) is None
