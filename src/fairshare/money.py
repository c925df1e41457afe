"""Money at the boundary: penny rounding by largest remainder and GBP formatting."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from .errors import InvalidAllocationError

__all__ = ["format_gbp", "round_money"]

_PENNY = Decimal("0.01")


def round_money(shares: Mapping[str, float], total: float | None = None) -> dict[str, Decimal]:
    """Round shares to the penny so that they add up exactly to the total.

    Uses the largest-remainder (Hamilton) rule: every share is first rounded down to the
    penny, then the pennies still missing go one each to the shares with the largest
    remainders (ties broken by the order of ``shares``).

    Parameters
    ----------
    shares : Mapping[str, float]
        Unrounded shares in GBP, keyed by partner.
    total : float, optional
        The total the rounded shares must add up to, rounded to the penny (half to even).
        Defaults to the sum of ``shares``.

    Returns
    -------
    dict[str, Decimal]
        Shares to the penny, in the order of ``shares``, adding up exactly to the total.

    Raises
    ------
    InvalidAllocationError
        If a share is not finite, or the total cannot be reached (it differs from the sum
        of the shares by more than one penny per partner).

    Notes
    -----
    ``O(n log n)``. The rule is the one used to apportion seats (Balinski & Young 2001);
    each rounded share differs from the unrounded one by less than a penny when ``total``
    is the sum of the shares.

    References
    ----------
    .. [1] Balinski, M. L. & Young, H. P. (2001). *Fair Representation: Meeting the Ideal
       of One Man, One Vote* (2nd ed.). Brookings Institution Press.

    Examples
    --------
    >>> round_money({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3}, total=1)
    {'A': Decimal('0.34'), 'B': Decimal('0.33'), 'C': Decimal('0.33')}
    """
    if not shares:
        return {}
    for name, value in shares.items():
        if not isinstance(value, int | float | Decimal) or not math.isfinite(float(value)):
            raise InvalidAllocationError(f"The share of {name} is not a number.", field=name)
    exact = {name: Decimal(repr(float(value))) for name, value in shares.items()}
    target_total = sum(exact.values(), Decimal(0)) if total is None else Decimal(repr(float(total)))
    target = target_total.quantize(_PENNY, rounding=ROUND_HALF_EVEN)
    floors = {
        name: (v / _PENNY).to_integral_value(rounding="ROUND_FLOOR") for name, v in exact.items()
    }
    missing = int(target / _PENNY - sum(floors.values()))
    if missing < 0 or missing > len(shares):
        raise InvalidAllocationError(
            f"The shares add up to {format_gbp(float(sum(exact.values())), pennies=True)}, "
            f"which cannot be rounded to a total of {format_gbp(float(target), pennies=True)}."
        )
    order = sorted(
        enumerate(shares),
        key=lambda item: (-(exact[item[1]] / _PENNY - floors[item[1]]), item[0]),
    )
    extra = {name for _, name in order[:missing]}
    return {name: (floors[name] + (1 if name in extra else 0)) * _PENNY for name in shares}


def format_gbp(amount: float | Decimal, *, pennies: bool | None = None) -> str:
    """Format an amount in pounds sterling, e.g. ``"£1,234,567"``.

    Parameters
    ----------
    amount : float or Decimal
        The amount in GBP.
    pennies : bool, optional
        Show pence. By default pence are shown only for amounts under £100 that are not
        whole pounds (so toy examples stay readable and real budgets stay short).

    Examples
    --------
    >>> format_gbp(1234567.4)
    '£1,234,567'
    >>> format_gbp(3.75)
    '£3.75'
    >>> format_gbp(-2500)
    '-£2,500'
    """
    value = float(amount)
    if pennies is None:
        pennies = abs(value) < 100 and abs(value - round(value)) > 0.005
    sign = "-" if value < 0 and round(abs(value), 2 if pennies else 0) != 0 else ""
    body = f"{abs(value):,.2f}" if pennies else f"{abs(value):,.0f}"
    return f"{sign}£{body}"
