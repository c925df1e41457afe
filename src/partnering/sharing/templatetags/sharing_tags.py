"""Money and percentages as a councillor reads them."""

from decimal import Decimal
from typing import Any

from django import template

from partnering.sharing import formats
from partnering.sharing.engine import format_gbp

register = template.Library()
register.filter("gbp", formats.gbp)
register.filter("gbp_abs", formats.gbp_abs)
register.filter("pct", formats.pct)
register.filter("join_plus", formats.join_plus)


@register.filter
def pence(value: Any) -> str:
    """An amount in pence as £1,234,567.89."""
    if value is None:
        return "–"
    amount = Decimal(int(value)) / 100
    return f"£{amount:,.2f}"


@register.filter
def positive(value: Any) -> float:
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0


@register.filter
def signed_gbp(value: Any) -> str:
    if value is None or value == "":
        return "–"
    number = float(value)
    if abs(number) < 0.5:
        return "no change"
    return ("+" if number > 0 else "−") + format_gbp(abs(number))
