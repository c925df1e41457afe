"""The pure arithmetic (no database): exact money splits, progress (scores: core.maths)."""

from datetime import date
from decimal import Decimal

import pytest

from partnering.funding.maths import money, progress


class TestSplitLargestRemainder:
    def test_parts_add_up_to_the_total_to_the_penny(self):
        parts = money.split_largest_remainder(
            Decimal("50000000.00"), {str(i): i + 1 for i in range(64)}
        )
        assert sum(parts.values()) == Decimal("50000000.00")
        assert all(p.as_tuple().exponent == -2 for p in parts.values())

    def test_the_odd_penny_goes_to_the_largest_remainder_then_the_first_key(self):
        assert money.split_largest_remainder(Decimal("0.05"), {"b": 1, "a": 1}) == {
            "b": Decimal("0.02"),
            "a": Decimal("0.03"),
        }

    def test_proportional_to_the_weights(self):
        assert money.split_largest_remainder(Decimal("100.00"), {"x": 3, "y": 1}) == {
            "x": Decimal("75.00"),
            "y": Decimal("25.00"),
        }

    def test_zero_weights_are_refused(self):
        with pytest.raises(ValueError):
            money.split_largest_remainder(Decimal("1.00"), {"a": 0})

    def test_fractions_of_a_penny_are_refused(self):
        with pytest.raises(ValueError):
            money.to_pence(Decimal("1.005"))


class TestParseAmount:
    @pytest.mark.parametrize(
        "text", ["NaN", "Infinity", "-1", "0", "abc", "1.001", "1e13", "1e999", ""]
    )
    def test_what_is_not_a_positive_amount_in_pence_is_refused(self, text):
        with pytest.raises(ValueError):
            money.parse_amount(text)

    def test_pounds_as_people_type_them(self):
        assert money.parse_amount("£1,250.5") == Decimal("1250.50")


class TestFinancialYear:
    def test_april_starts_the_year(self):
        assert money.financial_year(date(2004, 3, 31)) == 2003
        assert money.financial_year(date(2004, 4, 1)) == 2004
        assert money.financial_year_label(2009) == "2009-10"


class TestProgress:
    def test_a_service_counts_from_the_day_it_was_e_enabled(self):
        points = progress.progress(
            [date(2003, 5, 1), date(2004, 12, 31), None], 3, progress.year_ends(2002, 2005)
        )
        assert [(p.on.year, p.enabled) for p in points] == [
            (2002, 0),
            (2003, 1),
            (2004, 2),
            (2005, 2),
        ]
        assert points[-1].percent == Decimal("66.7")

    def test_no_services_is_zero_percent_not_an_error(self):
        assert progress.progress([], 0, [date(2005, 12, 31)])[0].percent == Decimal("0.0")
