"""Penny rounding and GBP formatting."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairshare import InvalidAllocationError, format_gbp, round_money


class TestRoundMoney:
    @given(st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=20))
    @settings(max_examples=60, deadline=None)
    def test_adds_up_to_the_penny(self, values):
        shares = {f"P{i}": v for i, v in enumerate(values)}
        rounded = round_money(shares)
        target = sum(Decimal(repr(v)) for v in values).quantize(Decimal("0.01"))
        assert sum(rounded.values()) == target
        for name, value in shares.items():
            assert abs(rounded[name] - Decimal(repr(value))) < Decimal("0.01")

    def test_largest_remainder_gets_the_penny(self):
        assert round_money({"A": 1.004, "B": 1.006}, total=2.01) == {
            "A": Decimal("1.00"),
            "B": Decimal("1.01"),
        }

    def test_unreachable_total(self):
        with pytest.raises(InvalidAllocationError):
            round_money({"A": 1.0}, total=5)


class TestFormatGbp:
    @pytest.mark.parametrize(
        ("amount", "text"),
        [(1234567.4, "£1,234,567"), (3.75, "£3.75"), (-2500, "-£2,500"), (0, "£0"), (12, "£12")],
    )
    def test_format(self, amount, text):
        assert format_gbp(amount) == text
