"""The risk tables' cells, built in Python (``presenters.risk_table``)."""

from typing import Any

from django import template

from partnering.assurance.presenters import RiskRow, risk_table

register = template.Library()


@register.simple_tag(name="risk_table")
def risk_table_tag(rows: list[RiskRow], show_partnership: Any = False) -> dict[str, list[Any]]:
    return risk_table(rows, show_partnership=bool(show_partnership))
