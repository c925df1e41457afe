"""Money and percentages as a councillor reads them: the template filters (``sharing_tags``) and
the tables built in Python (``presenters``) share these."""

from typing import Any

from .engine import format_gbp

MISSING = "–"


def gbp(value: Any) -> str:
    """£1,234,567 (whole pounds); a dash for nothing."""
    if value is None or value == "":
        return MISSING
    return format_gbp(float(value))


def gbp_abs(value: Any) -> str:
    if value is None or value == "":
        return MISSING
    return format_gbp(abs(float(value)))


def pct(value: Any) -> str:
    if value is None or value == "":
        return MISSING
    return f"{float(value):.1f}%"


def join_plus(value: Any) -> str:
    return " + ".join(value or [])
