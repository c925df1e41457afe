"""Template filters of the funding room: exact money."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    """An exact amount as £1,234,567.89 (a negative one as −£12.00); empty for None."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


@register.filter
def fy(year: Any) -> str:
    """A financial year starting in April of ``year``: 2003 -> 2003-04."""
    y = int(year)
    return f"{y}-{(y + 1) % 100:02d}"
