"""Stored results shaped for pages: the methods side by side, the core check, savings,
explanations and the chart's geometry and colours. Plain data in, plain data out: no queries
beyond what the caller passes (the calculation and the agreement's prefetched shares)."""

from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import floatformat, truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from partnering.core.cells import cell, join, tag

from .engine import METHODS, format_gbp
from .formats import MISSING, gbp, gbp_abs, join_plus, pct
from .models import METHOD_NAMES, ShareAgreement, ShareCalculation

#: Colours of the methods in the chart (GOV.UK palette), with a class for the legend key.
METHOD_COLOURS = {
    "equal": "#1d70b8",
    "proportional": "#d4351c",
    "scrb": "#00703c",
    "shapley": "#4c2c92",
    "nucleolus": "#b58840",
    "least_core": "#28a197",
}


@dataclass
class Bar:
    method: str
    label: str
    value: float
    width: float
    y: float
    colour: str
    text: str


@dataclass
class ChartGroup:
    name: str
    y: float
    label_y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class SharesView:
    calculation: ShareCalculation
    methods: list[dict[str, Any]]  # available and unavailable, in order
    available: list[str]
    rows: list[dict[str, Any]]
    core_rows: list[dict[str, Any]]
    savings_rows: list[dict[str, Any]]
    explanations: list[dict[str, Any]]
    chart: dict[str, Any]
    better_off_alone: list[dict[str, Any]]
    total_saving: float


BAR_HEIGHT = 9
GROUP_GAP = 16
LABEL_WIDTH = 200
CHART_WIDTH = 760


def shares_view(
    calculation: ShareCalculation, agreement: ShareAgreement | None = None
) -> SharesView:
    """Every method side by side, the core check, savings and explanations from stored results."""
    names = [p["name"] for p in calculation.players]
    methods = []
    for method in METHODS:
        result = calculation.results.get(method, {})
        methods.append(
            {
                "key": method,
                "label": METHOD_NAMES.get(method, method),
                "available": bool(result.get("available")),
                "message": result.get("message", ""),
                "exact": result.get("exact", True),
                "colour": METHOD_COLOURS.get(method, "#505a5f"),
                "notes": result.get("notes", []),
                "one_line": METHOD_ONE_LINERS.get(method, ""),
            }
        )
    available = [m["key"] for m in methods if m["available"]]
    agreed = (
        {s.player_name: s.amount_pence / 100 for s in agreement.shares.all()} if agreement else {}
    )
    rows = []
    for p in calculation.players:
        name = p["name"]
        cells = []
        for method in available:
            result = calculation.results[method]
            error = (result.get("standard_errors") or {}).get(name)
            cells.append(
                {"method": method, "value": result["shares"].get(name, 0.0), "error": error}
            )
        standalone = _standalone(calculation, name)
        rows.append(
            {"name": name, "slug": p.get("slug", ""), "standalone": standalone, "cells": cells,
             "agreed": agreed.get(name)}
        )  # fmt: skip
    core_rows = []
    for method in available:
        check = calculation.core.get(method, {})
        core_rows.append({"method": method, "label": METHOD_NAMES[method], **check})
    savings_rows = []
    better_off_alone = []
    for p in calculation.players:
        name = p["name"]
        cells = []
        for method in available:
            s = calculation.savings.get(method, {}).get(name, {})
            cells.append({"method": method, **s})
            if s and s.get("saving", 0) < -0.005:
                better_off_alone.append(
                    {
                        "name": name,
                        "method": method,
                        "label": METHOD_NAMES[method],
                        "by": -s["saving"],
                    }
                )
        savings_rows.append({"name": name, "cells": cells})
    explanations = [
        {
            "method": method,
            "label": METHOD_NAMES[method],
            "paragraphs": [
                {"name": n, "text": calculation.explanations.get(method, {}).get(n, "")}
                for n in names
            ],
        }
        for method in available
    ]
    grand = float(calculation.grand_cost or 0)
    total_saving = float(calculation.total_standalone or 0) - grand
    return SharesView(
        calculation=calculation,
        methods=methods,
        available=available,
        rows=rows,
        core_rows=core_rows,
        savings_rows=savings_rows,
        explanations=explanations,
        chart=_chart(calculation, names, available),
        better_off_alone=better_off_alone,
        total_saving=total_saving,
    )


def _standalone(calculation: ShareCalculation, name: str) -> float | None:
    for method_savings in calculation.savings.values():
        if name in method_savings:
            return method_savings[name].get("standalone")
    return None


def _chart(calculation: ShareCalculation, names: list[str], available: list[str]) -> dict[str, Any]:
    peak = max(
        (calculation.results[m]["shares"].get(n, 0.0) for m in available for n in names),
        default=0.0,
    )
    scale = (CHART_WIDTH - LABEL_WIDTH - 110) / peak if peak > 0 else 0.0
    groups = []
    y = 10.0
    for name in names:
        group = ChartGroup(name=name, y=y, label_y=y + BAR_HEIGHT * len(available) / 2 + 4)
        for index, method in enumerate(available):
            value = calculation.results[method]["shares"].get(name, 0.0)
            group.bars.append(
                Bar(
                    method=method,
                    label=METHOD_NAMES[method],
                    value=value,
                    width=round(max(value * scale, 1.0 if value > 0 else 0.0), 1),
                    y=y + index * BAR_HEIGHT,
                    colour=METHOD_COLOURS.get(method, "#505a5f"),
                    text=format_gbp(value),
                )
            )
        groups.append(group)
        y += BAR_HEIGHT * len(available) + GROUP_GAP
    axis_y = y
    ticks = [
        {"x": round(LABEL_WIDTH + value * scale, 1), "text": format_gbp(value)}
        for value in ((0.0, peak / 2, peak) if peak > 0 else (0.0,))
    ]
    return {
        "groups": groups,
        "axis_y": axis_y,
        "axis_end": CHART_WIDTH - 110,
        "ticks": ticks,
        "height": int(y) + 30,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT - 1,
        "legend": [
            {"label": METHOD_NAMES[m], "colour": METHOD_COLOURS.get(m, "#505a5f")}
            for m in available
        ],
    }


def _bar_marks(group: ChartGroup, left: int, bar_height: int) -> SafeString:
    return format_html_join(
        "\n",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>\n'
        '<text class="app-chart__value" x="{}" dx="{}" y="{}">{}</text>',
        (
            (left, bar.y, bar.width, bar_height, bar.colour, group.name, bar.label, bar.text,
             left + 4, bar.width, int(bar.y) + 7, bar.text)
            for bar in group.bars
        ),
    )  # fmt: skip


def chart_marks(chart: dict[str, Any]) -> SafeString:
    """The chart's bars, labels and axis as SVG (the page draws the ``<svg>`` around them):
    members x methods bars, built here as the tables are (in the template they were a tenth of
    the page)."""
    left, bar_height, axis_y = chart["label_width"], chart["bar_height"], chart["axis_y"]
    groups = format_html_join(
        "\n",
        '<g>\n<text class="app-chart__label" x="0" y="{}">{}</text>\n{}\n</g>',
        (
            (g.label_y, truncatechars(g.name, 26), _bar_marks(g, left, bar_height))
            for g in chart["groups"]
        ),
    )
    ticks = format_html_join(
        "\n",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0b0c0c" stroke-width="1"/>\n'
        '<text class="app-chart__value" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (t["x"], axis_y, t["x"], int(axis_y) + 5, t["x"], int(axis_y) + 18, t["text"])
            for t in chart["ticks"]
        ),
    )
    return format_html(
        '{}\n<g class="app-chart__axis" aria-hidden="true">\n<line x1="{}" y1="{}" x2="{}" '
        'y2="{}" stroke="#0b0c0c" stroke-width="1"/>\n{}\n</g>',
        groups, left, axis_y, chart["axis_end"], axis_y, ticks,
    )  # fmt: skip


# --- the shares page's four tables -------------------------------------------------------------
# Built here rather than with {% cell %} tags: the tag costs the template engine about 30 µs a
# cell, and these tables are members x methods (core.cells).

Table = dict[str, list[Any]]
NUM = "app-num"
MORE_THAN_ALONE = mark_safe('<span class="govuk-visually-hidden"> (more than alone)</span>')


def methods_table(view: SharesView, agreed: bool) -> Table:
    """What each member pays under each method (and the agreed split), against going alone."""
    labels = [m["label"] for m in view.methods if m["available"]]
    head = [cell("Member"), cell("Alone", classes=NUM), *(cell(x, classes=NUM) for x in labels)]
    if agreed:
        head.append(cell("Agreed", classes=NUM))
    rows = []
    for row in view.rows:
        alone = row["standalone"]
        cells = [cell(row["name"], header=True), cell(gbp(alone), classes=NUM)]
        for share in row["cells"]:
            loss = alone is not None and share["value"] > alone
            cells.append(
                cell(
                    join(
                        gbp(share["value"]),
                        share["error"]
                        and format_html(
                            '<br><span class="govuk-body-s">± {}</span>', gbp(share["error"])
                        ),
                        loss and MORE_THAN_ALONE,
                        sep="",
                    ),
                    classes=f"{NUM} app-loss" if loss else NUM,
                )
            )
        if agreed:
            cells.append(cell(gbp(row["agreed"]), classes=NUM))
        rows.append(cells)
    return {"head": head, "rows": rows}


def core_table(view: SharesView) -> Table:
    """Each method's core check: who, if anyone, would pay less without the others."""
    head = [cell("Method"), cell("In the core?"), cell("Who would do better alone"),
            cell("By how much", classes=NUM)]  # fmt: skip
    rows = []
    for r in view.core_rows:
        worst = join_plus(r.get("worst_coalition"))
        if r.get("in_core"):
            checked = "" if r.get("exhaustive") else " (of the groups checked)"
            who = f"Nobody{checked}: the group closest to leaving ({worst}) would pay {gbp_abs(r.get('max_excess'))} more alone"
            verdict, by = tag("Yes", "govuk-tag--green"), "–"
        else:
            who, verdict, by = (
                worst,
                tag("No", "govuk-tag--red"),
                f"{gbp(r.get('max_excess'))} a year",
            )
        rows.append([cell(r["label"], header=True), cell(verdict), cell(who, classes="app-names"),
                     cell(by, classes=NUM)])  # fmt: skip
    return {"head": head, "rows": rows}


def savings_table(view: SharesView) -> Table:
    """Each member's saving against going alone, by method."""
    head = [
        cell("Member"),
        *(cell(m["label"], classes=NUM) for m in view.methods if m["available"]),
    ]
    rows = []
    for row in view.savings_rows:
        cells = [cell(row["name"], header=True)]
        for s in row["cells"]:
            saving = s.get("saving")
            loss = saving is not None and saving < 0
            cells.append(
                cell(
                    format_html(
                        '{}<br><span class="govuk-body-s">{}; {} of the total</span>',
                        f"pays {gbp_abs(saving)} more" if loss else gbp(saving),
                        pct(s.get("saving_pct")),
                        pct(s.get("share_of_total_saving")),
                    ),
                    classes=f"{NUM} app-loss" if loss else NUM,
                )
            )
        rows.append(cells)
    return {"head": head, "rows": rows}


def inputs_cells(inputs: Any, cost_model: Any) -> Table:
    """Each member's figures: the weight, then one column per cost component."""
    head = [cell("Member"), cell(capfirst(cost_model.weight_measure), classes=NUM)]
    for c in inputs.components:
        unit = (cost_model.demand_measure or "demand") if c.kind == "pooled" else c.value_label
        head.append(cell(f"{c.name} ({unit})", classes=NUM))
    rows = [
        [
            cell(row["member"].player_name, header=True),
            cell(floatformat(row["member"].weight, "0g") or MISSING, classes=NUM),
            *(cell(floatformat(v, "0g"), classes=NUM) for v in row["values"]),
        ]
        for row in inputs.rows
    ]
    return {"head": head, "rows": rows}


# --- risk scenarios ------------------------------------------------------------------------------


def scenario_basis(split_basis: str) -> str:
    """ "The agreed split" or the method's name: what a scenario's shares follow."""
    if split_basis == "agreed":
        return "The agreed split"
    return METHOD_NAMES.get(split_basis, split_basis)


def basis_phrase(split_basis: str) -> str:
    """ "the agreed split", "the Shapley value", "the SCRB (…)", "the nucleolus": for a sentence."""
    if split_basis == "agreed":
        return "the agreed split"
    name = METHOD_NAMES.get(split_basis, split_basis)
    keeps_capital = name[:4].isupper() or name.startswith("Shapley")
    return "the " + (name if keeps_capital else name[0].lower() + name[1:])


def scenario_rows(scenarios: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for scenario in scenarios:
        exposures = scenario.results.get("exposures", {})
        rows.append(
            {
                "scenario": scenario,
                "basis": scenario_basis(scenario.split_basis),
                "basis_phrase": basis_phrase(scenario.split_basis),
                "members": [{"name": name, **values} for name, values in exposures.items()],
                "total": scenario.results.get("total", {}),
                "counterparty": scenario.results.get("counterparty", {}),
            }
        )  # fmt: skip
    return rows


# --- warnings a split needs beside it ------------------------------------------------------------


def zero_share_warning(calculation: ShareCalculation, cost_model: Any) -> str:
    """Who pays nothing under the proportional split, and why (their measure is zero: a
    company or a police force has no population), or "" when everyone pays something."""
    result = calculation.results.get("proportional") or {}
    if not result.get("available"):
        return ""
    zero = [n for n, v in result.get("shares", {}).items() if abs(v) < 0.005]
    if not zero:
        return ""
    basis = getattr(cost_model, "proportional_basis", "weights")
    measure = {
        "weights": getattr(cost_model, "weight_measure", "") or "measure",
        "demand": "demand",
        "standalone": "stand-alone cost",
    }.get(basis, "measure")
    who = ", ".join(zero)
    verb = "pays" if len(zero) == 1 else "pay"
    return (
        f"Under the proportional split {who} {verb} nothing, because the split follows "
        f"{measure} and theirs is zero. Choose another method, or enter a {measure} for them, "
        "if they should pay a share."
    )


def fixed_cost_notes(inputs: Any) -> list[str]:
    """For each pooled service with a fixed cost: who shares it (the members who use it, or
    every member when the model says every member needs it)."""
    notes = []
    for index, component in enumerate(inputs.components):
        if component.kind != "pooled" or not component.fixed_cost:
            continue
        users = [r["member"].player_name for r in inputs.rows if (r["values"][index] or 0) > 0]
        everyone = len(inputs.rows)
        if component.needed_by_all or len(users) in (0, everyone):
            notes.append(
                f"The fixed cost of {format_gbp(component.fixed_cost)} for ‘{component.name}’ is "
                f"shared by all {everyone} members."
            )
        else:
            notes.append(
                f"The fixed cost of {format_gbp(component.fixed_cost)} for ‘{component.name}’ is "
                f"shared by the {len(users)} members who use it ({', '.join(users)}); a member "
                "with no demand does not pay towards it."
            )
    return notes


# --- the decision first ----------------------------------------------------------------------------

#: Each method in one line, shown next to the table.
METHOD_ONE_LINERS = {
    "equal": "Every member pays the same, whatever it uses or would spend alone.",
    "proportional": "Each member pays in proportion to one measure (such as population).",
    "scrb": "Each member pays what it alone adds, and the rest is split by what it would save.",
    "shapley": "Each member pays its average extra cost over every order the members could join in.",
    "nucleolus": "The split that leaves the worst-off group of members as well off as possible.",
    "least_core": "The split that keeps the largest gain any group could make by leaving smallest.",
}

#: Which method to recommend first, when it keeps everyone better off (in the core).
RECOMMENDATION_ORDER = ("shapley", "nucleolus", "scrb", "least_core", "proportional", "equal")
RECOMMENDATION_WHY = {
    "shapley": "it is in the core and charges each member its average extra cost, a rule "
    "partners can check and explain",
    "nucleolus": "it is in the core and leaves the worst-off group as well off as possible",
    "scrb": "it is in the core and shares out the savings in line with what each member saves",
    "least_core": "it is in the core and keeps any group's gain from leaving as small as possible",
    "proportional": "it is in the core and follows a measure everyone can see",
    "equal": "it is in the core and is the simplest split",
}


@dataclass
class Decision:
    in_core: list[str]
    recommended: str
    recommended_label: str
    why: str
    agreed_outside_core: str


def decision(view: "SharesView", agreement: ShareAgreement | None = None) -> Decision:
    """What the page leads with: the methods in the core, a recommendation with one line of
    why, and a flag when the agreed split is outside the core."""
    in_core = [r["method"] for r in view.core_rows if r.get("in_core")]
    recommended = next((m for m in RECOMMENDATION_ORDER if m in in_core), "")
    flag = ""
    if agreement is not None and not agreement.in_core:
        who = " + ".join(agreement.worst_coalition)
        flag = (
            f"The agreed split ({agreement.get_method_display()}) is outside the core: "
            f"{who} would pay {format_gbp(agreement.max_excess)} a year less on their own."
        )
    return Decision(
        in_core=[METHOD_NAMES[m] for m in in_core],
        recommended=recommended,
        recommended_label=METHOD_NAMES.get(recommended, ""),
        why=RECOMMENDATION_WHY.get(recommended, ""),
        agreed_outside_core=flag,
    )


def amounts_by_method(view: "SharesView") -> dict[str, str]:
    """Each method's split in words, for the agreement form: "Worcester £120,000; ..."."""
    return {
        method: "; ".join(
            f"{row['name']} {format_gbp(row['cells'][index]['value'])}" for row in view.rows
        )
        for index, method in enumerate(view.available)
    }
