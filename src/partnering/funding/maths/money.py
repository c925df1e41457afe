"""Exact money: pennies as integers, split by the largest-remainder rule, financial years.

Everything here works on ``Decimal`` pounds or ``int`` pence; nothing is a float, so sums are
exact to the penny.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")


def to_pence(amount: Decimal) -> int:
    """Pounds (a finite ``Decimal`` with at most 2 places) as whole pence.

    >>> to_pence(Decimal("12.34"))
    1234
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError("an amount must be a finite Decimal")
    if amount != amount.quantize(PENNY):
        raise ValueError("an amount has at most two decimal places (pence)")
    return int(amount * 100)


def from_pence(pence: int) -> Decimal:
    """Whole pence as pounds with two places.

    >>> from_pence(1234)
    Decimal('12.34')
    """
    return (Decimal(pence) / 100).quantize(PENNY)


def parse_amount(text: object) -> Decimal:
    """A positive amount of money from text such as "£1,250.50"; ValueError with a reason."""
    raw = str(text).strip().replace(",", "").removeprefix("£").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("must be an amount of money, like 1250.50") from None
    if not value.is_finite():
        raise ValueError("must be an amount of money, like 1250.50")
    if value <= 0:
        raise ValueError("must be more than £0")
    if value >= Decimal("1e12"):
        raise ValueError("must be less than £1,000,000,000,000")
    if value != value.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise ValueError("must be in pounds and pence (at most two decimal places)")
    return value.quantize(PENNY)


def split_largest_remainder(total: Decimal, weights: Mapping[str, int]) -> dict[str, Decimal]:
    """``total`` split in proportion to integer ``weights`` (e.g. agreed shares in pence), to the
    penny, by the largest-remainder (Hamilton) rule; ties go to the key that sorts first.

    The parts always add up to ``total`` exactly.

    >>> split_largest_remainder(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})
    {'a': Decimal('33.34'), 'b': Decimal('33.33'), 'c': Decimal('33.33')}
    """
    pence = to_pence(total)
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    whole = sum(weights.values())
    if not weights or whole == 0:
        raise ValueError("weights must not all be zero")
    floors = {k: pence * w // whole for k, w in weights.items()}
    remainders = sorted(weights, key=lambda k: (-(pence * weights[k] % whole), k))
    left = pence - sum(floors.values())
    for key in remainders[:left]:
        floors[key] += 1
    return {k: from_pence(floors[k]) for k in weights}


def financial_year(day: date) -> int:
    """The year in which the UK public-sector financial year containing ``day`` starts (April).

    >>> financial_year(date(2003, 3, 31)), financial_year(date(2003, 4, 1))
    (2002, 2003)
    """
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    """>>> financial_year_label(2003)
    '2003-04'
    """
    return f"{year}-{(year + 1) % 100:02d}"


def total(amounts: Sequence[Decimal]) -> Decimal:
    """An exact sum (0.00 when empty)."""
    return sum(amounts, Decimal("0.00")).quantize(PENNY)
