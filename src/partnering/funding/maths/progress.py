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


def tallies(
    records: Iterable[tuple[int, date | None, str, bool]],
) -> dict[int, tuple[dict[str, int], dict[str, int], int]]:
    """Each council's records (council, e-enabled on, route, illustrative) counted: the e-enabled
    ones by year and by route, and the illustrative ones.

    >>> tallies([(1, date(2003, 5, 1), "own_site", True), (1, None, "", False)])
    {1: ({'2003': 1}, {'own_site': 1}, 1)}
    """
    out: dict[int, tuple[dict[str, int], dict[str, int], int]] = {}
    for council, on, route, illustrative in records:
        by_year, by_route, shown = out.get(council, ({}, {}, 0))
        if on is not None:
            by_year[str(on.year)] = by_year.get(str(on.year), 0) + 1
            by_route[route] = by_route.get(route, 0) + 1
        out[council] = (by_year, by_route, shown + bool(illustrative))
    return out


def progress_by_year(counts: dict[int, int], total: int, on: Sequence[date]) -> list[Point]:
    """``progress`` from how many services were e-enabled in each year, each counted from the end
    of its year (as ``progress`` of those year ends).

    >>> [p.enabled for p in progress_by_year({2003: 2, 2001: 1}, 4, year_ends(2002, 2003))]
    [1, 3]
    """
    return [
        Point(
            on=day, enabled=sum(n for y, n in counts.items() if date(y, 12, 31) <= day), total=total
        )
        for day in sorted(on)
    ]
