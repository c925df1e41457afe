"""E-enablement progress over time: the share of services e-enabled on each date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Point:
    on: date
    enabled: int
    total: int

    @property
    def percent(self) -> Decimal:
        if self.total == 0:
            return Decimal("0.0")
        return (Decimal(100) * self.enabled / self.total).quantize(Decimal("0.1"))


def progress(enabled_dates: Iterable[date | None], total: int, on: Sequence[date]) -> list[Point]:
    """How many of ``total`` services were e-enabled on each day of ``on`` (a service counts from
    the day it was e-enabled; ``None`` = not yet).

    >>> [p.percent for p in progress([date(2003, 1, 1), None], 2, [date(2002, 12, 31), date(2004, 1, 1)])]
    [Decimal('0.0'), Decimal('50.0')]
    """
    dated = sorted(d for d in enabled_dates if d is not None)
    points, i = [], 0
    for day in sorted(on):
        while i < len(dated) and dated[i] <= day:
            i += 1
        points.append(Point(on=day, enabled=i, total=total))
    return points


def year_ends(first: int, last: int) -> list[date]:
    """31 December of each year from ``first`` to ``last``.

    >>> year_ends(2002, 2003)
    [datetime.date(2002, 12, 31), datetime.date(2003, 12, 31)]
    """
    return [date(y, 12, 31) for y in range(first, last + 1)]
