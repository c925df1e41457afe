"""Shapes for the risk pages: band labels and colour classes (the label is always written, so
colour is never the only cue), the score trend as SVG points with its table, export rows."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .maths import band_for

COLOURS = {"green", "yellow", "orange", "red", "blue", "grey"}


def band_class(colour: str) -> str:
    return f"assurance-band--{colour if colour in COLOURS else 'grey'}"


@dataclass(frozen=True)
class RiskRow:
    """One risk as its table row shows it: every cell already a string, so a page of rows is
    rendered without the template engine resolving lookups, choices or URLs per cell."""

    risk: Any
    band: str
    band_class: str
    above: bool
    href: str = ""
    name: str = ""
    category: str = ""
    owner: str = ""
    partnership: str = ""
    place: str = ""


_CATEGORIES: dict[str, str] = {}
_STAGES: dict[str, str] = {}


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    if not _CATEGORIES:
        from partnering.partnerships.models import Stage

        from .models import RiskCategory

        _CATEGORIES.update({k: str(v) for k, v in RiskCategory.choices})
        _STAGES.update({k: str(v) for k, v in Stage.choices})
    return _CATEGORIES, _STAGES


def _row(risk: Any, spec: Any, partnership: Any, *, show_partnership: bool) -> RiskRow:
    from django.urls import reverse

    categories, stages = _labels()
    band = band_for(spec, risk.current_score)
    place = ""
    if show_partnership and partnership.region:
        place = f"{partnership.region}, {stages.get(partnership.stage, partnership.stage).lower()}"
    return RiskRow(
        risk, band.label, band_class(band.colour), risk.is_above_tolerance,
        href=reverse("assurance:risk-detail", args=[partnership.slug, risk.number]),
        name=f"R{risk.number}: {risk.title}",
        category=categories.get(risk.category, risk.category),
        owner=risk.owner.display_name,
        partnership=partnership.name if show_partnership else "",
        place=place,
    )  # fmt: skip


def _score(value: Any) -> str:
    return "" if value is None else f"{value:d}"


def risk_table(rows: Iterable[RiskRow], *, show_partnership: bool) -> dict[str, list[Any]]:
    """``govukTable``'s head and rows for risks (``core.cells``: a page of 25 risks drawn with
    ``{% cell %}`` tags was 3.6 ms of the programme view's 18 ms of CPU)."""
    from django.utils.html import format_html

    from partnering.core.cells import cell, join, link

    numeric = {"format": "numeric"}
    head = [cell("Partnership")] if show_partnership else []
    head += [cell("Risk"), cell("Category"), cell("Owner"), cell("Inherent", **numeric),
             cell("Current", **numeric), cell("Target", **numeric), cell("Band"),
             cell("Escalated")]  # fmt: skip
    body = []
    for row in rows:
        r = row.risk
        cells = []
        if show_partnership:
            place = format_html('<br><span class="govuk-body-s">{}</span>', row.place)
            cells.append(cell(join(row.partnership, place if row.place else "", sep="")))
        cells += [
            cell(link(row.href, row.name), header=True),
            cell(row.category),
            cell(row.owner),
            cell(_score(r.inherent_score), **numeric),
            cell(_score(r.current_score), **numeric),
            cell(_score(r.target_score), **numeric),
            cell(f"{row.band} (above tolerance)" if row.above else row.band,
                 classes=row.band_class),
            cell("Yes" if r.is_escalated else "No"),
        ]  # fmt: skip
        body.append(cells)
    return {"head": head, "rows": body}


def risk_rows(risks: Iterable[Any], matrix: Any, partnership: Any = None) -> list[RiskRow]:
    """Rows of one register (``partnership`` given: the risks' own register is not fetched)."""
    spec = matrix.spec
    return [_row(r, spec, partnership or r.register.partnership, show_partnership=False)
            for r in risks]  # fmt: skip


@dataclass(frozen=True)
class TrendPoint:
    when: Any
    inherent: int
    current: int
    target: int
    note: str
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    polyline: str
    width: int
    height: int
    max_score: int
    tolerance_y: float
    gridlines: list[tuple[int, float]]


def trend(scores: list[Any], matrix: Any) -> Trend:
    """The current score over time, oldest first, as an SVG polyline with a tolerance line."""
    width, height, pad = 600, 200, 30
    top = matrix.spec.size**2
    n = len(scores)

    def y(value: float) -> float:
        return round(height - pad - (height - 2 * pad) * value / top, 1)

    points = []
    for index, s in enumerate(scores):
        x = pad + (width - 2 * pad) * (index / (n - 1) if n > 1 else 0.5)
        points.append(TrendPoint(s.recorded_at, s.inherent_score, s.current_score, s.target_score,
                                 s.note, round(x, 1), y(s.current_score)))  # fmt: skip
    grid = [(v, y(v)) for v in range(0, top + 1, 5)]
    return Trend(points, " ".join(f"{p.x},{p.y}" for p in points), width, height, top,
                 y(matrix.tolerance), grid)  # fmt: skip


def register_rows(risks: Iterable[Any], matrix: Any) -> Iterator[list[Any]]:
    spec = matrix.spec if matrix else None
    for r in risks:
        band = band_for(spec, r.current_score).label if spec else ""
        yield [
            r.number, r.title, r.cause, r.event, r.effect, r.get_category_display(),
            r.owner.display_name, r.proximity, r.inherent_likelihood, r.inherent_impact,
            r.inherent_score, r.current_likelihood, r.current_impact, r.current_score,
            r.target_likelihood, r.target_impact, r.target_score, band,
            "Yes" if r.is_above_tolerance else "No", r.get_treatment_display(),
            r.get_status_display(), "Yes" if r.is_escalated else "No", r.escalation_reason,
        ]  # fmt: skip


def programme_rows(risks: Iterable[Any]) -> list[RiskRow]:
    return [_row(r, r.register.matrix.spec, r.register.partnership, show_partnership=True)
            for r in risks]  # fmt: skip


@dataclass(frozen=True)
class MatrixView:
    matrix: Any
    bands: list[tuple[int, str, str]]


def matrices(rows: Iterable[Any]) -> list[MatrixView]:
    return [MatrixView(m, [(int(b[0]), str(b[1]), band_class(str(b[2]))) for b in m.bands])
            for m in rows]  # fmt: skip
