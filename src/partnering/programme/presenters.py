"""The programme dashboard's tables, built in Python (``core.cells``, as the organisations and
partnerships lists): drawn with ``{% cell %}`` tags, their 190 cells were half of the
dashboard's template time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from partnering.core.cells import cell, link, url_maker
from partnering.core.dates import govuk_date, govuk_datetime

from .selectors import Chart

Rows = list[list[dict[str, Any]]]

_FIRST_COLUMN = {"advisers": "Adviser", "portfolio": "Quota"}  # the other charts: by stage

OVERDUE_HEAD = [cell("Action"), cell("Partnership"), cell("Owner"), cell("Due")]
UPCOMING_HEAD = [
    cell("Event"), cell("When"), cell("Booked", format="numeric"), cell("Places", format="numeric"),
]  # fmt: skip


@dataclass(frozen=True)
class ChartTable:
    """A chart with the table of its figures (every chart has one, for those who cannot see it)."""

    chart: Chart
    head: list[dict[str, Any]]
    rows: Rows


def chart_table(chart: Chart) -> ChartTable:
    head = [
        cell(_FIRST_COLUMN.get(chart.key, "Stage")),
        cell(chart.value_label, format="numeric"),
        cell("Note"),
    ]
    rows = [
        [cell(b.label, header=True), cell(b.value, format="numeric"), cell(b.note)]
        for b in chart.bars
    ]
    return ChartTable(chart, head, rows)


def overdue_rows(actions: Iterable[Any]) -> Rows:
    url = url_maker("programme:advice", "slug")
    return [
        [
            cell(a.description, header=True),
            cell(link(url(a.advice.partnership.slug), a.advice.partnership.name)),
            cell(a.owner.get_full_name() or a.owner.username),
            cell(govuk_date(a.due_on)),
        ]
        for a in actions
    ]


def upcoming_rows(events: Iterable[Any]) -> Rows:
    return [
        [
            cell(link(e.get_absolute_url(), e.title), header=True),
            cell(govuk_datetime(e.starts_at)),
            cell(e.booked, format="numeric"),
            cell(e.places, format="numeric"),
        ]
        for e in events
    ]
