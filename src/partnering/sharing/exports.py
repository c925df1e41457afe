"""The sharing room's downloads: each table as typed columns, written as CSV or XLSX.

Every file says what it is from: the partnership, the cost-model version and its date, whether
the figures are illustrative, and when it was downloaded. In a spreadsheet these are lines above
the table and the cells are typed (money as money, dates as dates, so they sum and sort); in a
CSV they are the last columns of every row, so the header stays the first line and each row
stands alone. Money in a CSV is always written with two decimal places.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from partnering.core.exports import csv_response, xlsx_response
from partnering.partnerships.models import Partnership

from . import presenters, selectors
from .models import METHOD_NAMES, CostModel

TABLES = ("inputs", "methods", "core", "savings", "explanations", "comparison", "risk")
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | money | number | percent | date


@dataclass
class Table:
    sheet: str
    columns: list[Column]
    rows: list[list[Any]]
    about: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [c.title for c in self.columns]


def _money(value: Any) -> float | None:
    return round(float(value), 2) if value is not None else None


def figures_words(cost_model: CostModel) -> str:
    if cost_model.is_illustrative:
        return "Illustrative figures, not the partnership's real costs"
    return "The partnership's own figures"


def about_version(cost_model: CostModel) -> list[tuple[str, Any]]:
    return [
        ("Partnership", cost_model.partnership.name),
        ("Cost model version", f"Version {cost_model.version}: {cost_model.title}"),
        ("Members as on", cost_model.effective_on),
        ("Figures", figures_words(cost_model)),
        ("Downloaded on", timezone.localdate()),
    ]


def version_table(cost_model: CostModel, name: str, method: str | None = None) -> Table | None:
    """One of the version's tables, or None when there is no such table or it needs shares
    that have not been calculated yet."""
    table = _version_table(cost_model, name, method)
    if table is not None:
        table.about = about_version(cost_model)
    return table


def _version_table(cost_model: CostModel, name: str, method: str | None) -> Table | None:
    if name == "inputs":
        inputs = selectors.inputs_table(cost_model)
        kinds = ["number" if c.value_label == "demand" else "money" for c in inputs.components]
        return Table(
            "Inputs",
            [Column("member"), Column(cost_model.weight_measure or "measure", "number")]
            + [
                Column(f"{c.name} ({c.value_label})", k)
                for c, k in zip(inputs.components, kinds, strict=True)
            ],
            [[r["member"].player_name, r["member"].weight, *r["values"]] for r in inputs.rows],
        )
    if name == "comparison":
        result = selectors.comparison(cost_model, method)
        return Table(
            "Comparison",
            [Column("member"), Column("status"), Column(f"old share ({result.old_basis})", "money"),
             Column("new share", "money"), Column("change", "money"), Column("why")],
            [[r["name"], r["status"], _money(r["old"]), _money(r["new"]), _money(r["change"]),
              r["why"]] for r in result.rows],
        )  # fmt: skip
    if name == "risk":
        rows = []
        for scenario in selectors.risk_scenarios(cost_model):
            basis = presenters.scenario_basis(scenario.split_basis)
            for member, values in scenario.results.get("exposures", {}).items():
                rows.append([scenario.name, scenario.get_rule_display(), basis, member,
                             _money(values.get("mean")), _money(values.get("p50")),
                             _money(values.get("p90"))])  # fmt: skip
        return Table(
            "Risk",
            [Column("scenario"), Column("rule"), Column("split"), Column("member"),
             Column("mean", "money"), Column("P50", "money"), Column("P90", "money")],
            rows,
        )  # fmt: skip
    if name not in TABLES:
        return None
    calculation = selectors.calculation_of(cost_model)
    if calculation is None or not calculation.is_done:
        return None
    view = presenters.shares_view(calculation)
    if name == "methods":
        return Table(
            "Methods",
            [Column("member"), Column("stand-alone cost", "money")]
            + [Column(METHOD_NAMES[m], "money") for m in view.available],
            [[r["name"], _money(r["standalone"]), *[_money(c["value"]) for c in r["cells"]]]
             for r in view.rows],
        )  # fmt: skip
    if name == "core":
        return Table(
            "Core",
            [Column("method"), Column("in the core"),
             Column("largest gain from leaving (GBP)", "money"), Column("group that gains most"),
             Column("that group's own cost", "money")],
            [[r["label"], "yes" if r.get("in_core") else "no",
              _money(max(r.get("max_excess", 0), 0)), " + ".join(r.get("worst_coalition", [])),
              _money(r.get("worst_coalition_cost"))] for r in view.core_rows],
        )  # fmt: skip
    if name == "savings":
        rows = []
        for row in view.savings_rows:
            for cell in row["cells"]:
                rows.append([row["name"], METHOD_NAMES[cell["method"]],
                             _money(cell.get("standalone")), _money(cell.get("share")),
                             _money(cell.get("saving")), round(cell.get("saving_pct", 0), 1),
                             round(cell.get("share_of_total_saving", 0), 1)])  # fmt: skip
        return Table(
            "Savings",
            [Column("member"), Column("method"), Column("stand-alone cost", "money"),
             Column("share", "money"), Column("saving", "money"), Column("saving %", "percent"),
             Column("share of total saving %", "percent")],
            rows,
        )  # fmt: skip
    return Table(
        "Explanations",
        [Column("method"), Column("member"), Column("explanation")],
        [[group["label"], p["name"], p["text"]] for group in view.explanations
         for p in group["paragraphs"]],
    )  # fmt: skip


def agreements_table(partnership: Partnership) -> Table:
    rows = [
        [a.version, a.cost_model.version, a.get_method_display(), a.agreed_on, a.agreed_by_name,
         s.player_name, Decimal(s.amount_pence) / 100, "yes" if a.in_core else "no",
         figures_words(a.cost_model), a.reason]
        for a in selectors.agreement_list(partnership) for s in a.shares.all()
    ]  # fmt: skip
    return Table(
        "Agreements",
        [Column("agreement version", "number"), Column("cost model version", "number"),
         Column("method"), Column("agreed on", "date"), Column("agreed by"), Column("member"),
         Column("share (GBP)", "money"), Column("in the core"), Column("figures"),
         Column("reason")],
        rows,
        about=[("Partnership", partnership.name), ("Downloaded on", timezone.localdate())],
    )  # fmt: skip


def response(table: Table, filename: str, fmt: str) -> HttpResponse:
    """The table as a CSV or XLSX attachment."""
    kinds = [c.kind for c in table.columns]
    if fmt == "csv":
        return csv_response(filename, table.header, table.rows, about=table.about, kinds=kinds)
    return xlsx_response(
        filename, table.sheet, table.header, table.rows, about=table.about, kinds=kinds
    )
