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


@register.simple_tag
def council_rows(councils: Any) -> list[list[dict[str, Any]]]:
    """The e-enablement pages' "By council" rows, built in Python (``core.cells``: with
    ``{% cell %}`` tags and a ``{% url %}`` a row, 50 councils were a fifth of the page)."""
    from partnering.core.cells import cell, link, url_maker

    url = url_maker("funding:council-e-enablement", "slug")
    numeric = {"format": "numeric"}
    rows = [
        [
            cell(link(url(c.organisation.slug), c.organisation.name), header=True),
            cell(str(c.services), **numeric),
            cell(str(c.enabled), **numeric),
            cell(f"{c.percent}%", **numeric),
        ]
        for c in councils
    ]
    return rows or [[cell("No council has e-enablement records yet.", colspan=4)]]
