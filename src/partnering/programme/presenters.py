"""The programme dashboard's tables and chart bars, built in Python (``core.cells``, as the
organisations and partnerships lists): drawn with ``{% cell %}`` tags and a template loop, their
190 cells and 36 bars were most of the dashboard's template time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from partnering.core.cells import cell, link, url_maker
from partnering.core.dates import govuk_date, govuk_datetime

from .models import Call, CallStatus
from .selectors import Bar, Chart
from .services import CALL_MOVES

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
    bars: SafeString  # the SVG of its bars
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
    return ChartTable(chart, _bars(chart.bars), head, rows)


_BAR = (
    '<g transform="translate(0 {})">\n'
    '  <text x="0" y="18" font-size="13" fill="#0b0c0c">{}</text>\n'
    '  <rect x="260" y="4" width="{}" height="18" fill="#1d70b8"></rect>\n'
    "  {}\n  {}\n"
    '  <text x="{}" y="18" dx="266" font-size="13" fill="#0b0c0c">{}</text>\n'
    "</g>"
)
_LINE = '<line x1="{0}" x2="{0}" y1="0" y2="26" stroke-width="2" transform="translate(260 0)" '
_MIN = _LINE + 'stroke="#0b0c0c"></line>'  # a quota's minimum: a solid line
_MAX = _LINE + 'stroke="#d4351c" stroke-dasharray="3 2"></line>'  # its maximum: dashed red


def _mark(line: str, at: int | None) -> SafeString | str:
    return "" if at is None else format_html(line, at)


def _bars(bars: list[Bar]) -> SafeString:
    return format_html_join("", _BAR, (
        (b.top, Truncator(b.label).chars(34), b.length, _mark(_MIN, b.min_at),
         _mark(_MAX, b.max_at), b.length, b.value)
        for b in bars
    ))  # fmt: skip


def _source_url(action: Any, advice: Any, sessions: Any) -> str:
    """The page that lists an action: its advice log or its sessions, at the action."""
    page = advice if action.advice_id else sessions
    return f"{page(action.partnership.slug)}#action-{action.pk}"


def overdue_rows(actions: Iterable[Any]) -> Rows:
    advice = url_maker("programme:advice", "slug")
    sessions = url_maker("programme:sessions", "slug")
    return [
        [
            cell(a.description, header=True),
            cell(link(_source_url(a, advice, sessions), a.partnership.name)),
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


# --- a call's status moves ---------------------------------------------------------------

#: The status moves a page offers: the word in the URL, the status, the button and its story.
MOVES = {
    "open": (CallStatus.OPEN, "Open the call", "Partnerships can apply until it closes."),
    "close": (CallStatus.CLOSED, "Close the call",
              "No more applications can be submitted; drafts stay drafts. The panel assesses "
              "what was submitted. You can reopen it."),
    "decide": (CallStatus.DECIDED, "Decide the call",
               "The latest selection run is confirmed: its applications are selected, the rest "
               "not selected, and the chosen partnerships become pathfinders. This is final."),
}  # fmt: skip


def call_moves(call: Call) -> list[tuple[str, str]]:
    """The status moves the call can make next, as (word in the URL, button text)."""
    words = {status: word for word, (status, _, _) in MOVES.items()}
    return [
        (words[s], "Reopen the call" if s == CallStatus.OPEN and call.status == CallStatus.CLOSED
         else MOVES[words[s]][1])
        for s in CALL_MOVES[call.status]
    ]  # fmt: skip
