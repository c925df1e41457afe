"""Every read of the procurement room that needs more than ``.get()``: appraisal results (whole-
life cost, weighted totals, ranking, sensitivity), procurements with their parts, the contracts
register; each in a fixed number of queries."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

from .maths import (
    Sensitivity,
    cost_scores,
    rank,
    sensitivity,
    weighted_totals,
    weights_check,
    whole_life_cost,
)
from .models import (
    Appraisal,
    Arrangement,
    Bidder,
    Contract,
    Criterion,
    CriterionKind,
    EvaluationScore,
    Option,
    Procurement,
    Scope,
)

REGISTER_THRESHOLD = Decimal("5000")


def scope_of(partnership: Partnership) -> Scope | None:
    return (
        Scope.objects.filter(partnership=partnership)
        .prefetch_related(
            "services", "baselines__organisation", "baselines__indicators", "constraints"
        )
        .first()
    )


def appraisals_of(partnership: Partnership) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(partnership=partnership)
        .select_related("recommended")
        .annotate(option_count=Count("options", distinct=True))
        .order_by("-pk")
    )


def appraisal_get(partnership: Partnership, pk: int) -> Appraisal:
    return (
        Appraisal.objects.filter(partnership=partnership)
        .select_related("recommended")
        .prefetch_related(
            "criteria",
            Prefetch(
                "options", Option.objects.prefetch_related("scores").select_related("cost_model")
            ),
        )
        .get(pk=pk)
    )


@dataclass
class OptionResult:
    option: Option
    whole_life_cost: Decimal
    scores: dict[int, float | None]  # criterion pk -> score (cost computed)
    rationales: dict[int, str]
    total: float
    rank: int


@dataclass
class AppraisalResults:
    appraisal: Appraisal
    criteria: list[Criterion]
    options: list[OptionResult]
    weights_off: Decimal
    sensitivity: list[tuple[Criterion, Sensitivity]]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def leader(self) -> OptionResult | None:
        ranked = sorted(self.options, key=lambda r: r.rank)
        return ranked[0] if ranked and self.weights_off == 0 else None

    @property
    def complete(self) -> bool:
        manual = [c for c in self.criteria if c.kind != CriterionKind.COST]
        return all(r.scores.get(c.pk) is not None for r in self.options for c in manual)


def appraisal_results(appraisal: Appraisal) -> AppraisalResults:
    """Whole-life costs, the scores (cost from the whole-life cost), weighted totals, ranks and
    the sensitivity of the leading option to each weight (appraisal fetched by ``appraisal_get``)."""
    criteria = list(appraisal.criteria.all())
    options = list(appraisal.options.all())
    costs = {
        str(o.pk): whole_life_cost(
            upfront=o.upfront_cost,
            annual=o.annual_cost,
            term_years=appraisal.term_years,
            rate_percent=appraisal.discount_rate,
        )
        for o in options
    }
    by_cost = cost_scores(costs, appraisal.scale)
    table: dict[str, dict[str, float]] = {}
    shown: dict[int, dict[int, float | None]] = {}
    rationales: dict[int, dict[int, str]] = {}
    for o in options:
        given = {s.criterion_id: s for s in o.scores.all()}
        row: dict[str, float] = {}
        shown[o.pk], rationales[o.pk] = {}, {}
        for c in criteria:
            if c.kind == CriterionKind.COST:
                value: float | None = round(by_cost[str(o.pk)], 2)
                rationales[o.pk][c.pk] = f"Whole-life cost £{costs[str(o.pk)]:,.0f}"
            else:
                s = given.get(c.pk)
                value = float(s.score) if s else None
                rationales[o.pk][c.pk] = s.rationale if s else ""
            shown[o.pk][c.pk] = value
            row[str(c.pk)] = value or 0.0
        table[str(o.pk)] = row
    weights = {str(c.pk): float(c.weight) for c in criteria}
    totals = weighted_totals(weights, table, appraisal.scale)
    order = rank(totals)
    results = [
        OptionResult(
            o,
            costs[str(o.pk)],
            shown[o.pk],
            rationales[o.pk],
            round(totals[str(o.pk)], 2),
            order.index(str(o.pk)) + 1,
        )
        for o in options
    ]
    off = weights_check({c.name: c.weight for c in criteria}) if criteria else Decimal(-100)
    by_pk = {str(c.pk): c for c in criteria}
    sens = sensitivity(weights, table, appraisal.scale) if off == 0 else []
    return AppraisalResults(
        appraisal,
        criteria,
        results,
        off,
        [(by_pk[s.criterion], s) for s in sens],
        names={str(o.pk): o.name for o in options},
    )


def procurements_of(partnership: Partnership) -> QuerySet[Procurement]:
    return (
        Procurement.objects.filter(partnership=partnership)
        .select_related("buyer", "partnership", "award__supplier")
        .annotate(bidder_count=Count("bidders", distinct=True))
        .order_by("-pk")
    )


def procurement_get(partnership: Partnership, pk: int) -> Procurement:
    return (
        Procurement.objects.filter(partnership=partnership)
        .select_related("buyer", "partnership", "option")
        .prefetch_related(
            "stages",
            "other_buyers",
            "evaluation_criteria",
            Prefetch(
                "bidders", Bidder.objects.select_related("organisation").prefetch_related("scores")
            ),
        )
        .get(pk=pk)
    )


def award_and_contract(procurement: Procurement) -> tuple[Any, Contract | None]:
    from .models import Award

    award = Award.objects.filter(procurement=procurement).select_related("supplier").first()
    contract = (
        Contract.objects.filter(procurement=procurement).prefetch_related("changes").first()
        if award
        else None
    )
    return award, contract


def evaluation_table(procurement: Procurement) -> list[tuple[Bidder, list[Any], float]]:
    """Each bidder who tendered with its score per criterion and weighted total (out of 100)."""
    criteria = list(procurement.evaluation_criteria.all())
    rows = []
    for b in procurement.bidders.all():
        if not b.tendered:
            continue
        given = {s.criterion_id: s.score for s in b.scores.all()}
        cells = [given.get(c.pk) for c in criteria]
        total = sum(float(c.weight) * float(given.get(c.pk) or 0) for c in criteria) / 10
        rows.append((b, cells, round(total, 2)))
    return sorted(rows, key=lambda r: -r[2])


def evaluation_scores(procurement: Procurement) -> dict[tuple[int, int], Decimal]:
    return {
        (s.bidder_id, s.criterion_id): s.score
        for s in EvaluationScore.objects.filter(bidder__procurement=procurement)
    }


def arrangement_of(contract: Contract) -> Arrangement | None:
    return (
        Arrangement.objects.filter(contract=contract)
        .prefetch_related("members__organisation", "kpis__values")
        .first()
    )


# --- the contracts register (Local Government Transparency Code 2015) ----------------------

REGISTER_HEADER = [
    "Reference", "Title", "Department", "Supplier", "Supplier registration number",
    "Start date", "End date", "Review date", "Value (£)", "Procedure", "SME", "Voluntary sector",
    "Illustrative",
]  # fmt: skip


def register_councils() -> QuerySet[Organisation]:
    """Councils that buy (or share as a buyer) a contract over £5,000."""
    over = Q(value__gt=REGISTER_THRESHOLD, procurement__partnership__is_published=True)
    buyer_ids = Contract.objects.filter(over).values("procurement__buyer")
    other_ids = Contract.objects.filter(over).values("procurement__other_buyers")
    return Organisation.objects.filter(Q(pk__in=buyer_ids) | Q(pk__in=other_ids)).order_by("name")


def register_contracts(council: Organisation) -> QuerySet[Contract]:
    mine = Contract.objects.filter(
        Q(procurement__buyer=council) | Q(procurement__other_buyers=council)
    ).values("pk")
    return (
        Contract.objects.filter(
            value__gt=REGISTER_THRESHOLD, pk__in=mine, procurement__partnership__is_published=True
        )
        .select_related("procurement", "award__supplier", "arrangement")
        .prefetch_related("changes")
        .order_by("-starts_on", "pk")
    )


@dataclass(frozen=True)
class RegisterRow:
    reference: str
    title: str
    department: str
    supplier: str
    registration: str
    starts_on: date
    ends_on: date
    review_on: date | None
    value: Decimal
    procedure: str
    sme: bool
    vcse: bool
    illustrative: bool = False

    def cells(self) -> list[Any]:
        return [
            self.reference, self.title, self.department, self.supplier, self.registration,
            self.starts_on.isoformat(), self.ends_on.isoformat(),
            self.review_on.isoformat() if self.review_on else "", f"{self.value:.2f}",
            self.procedure, "Yes" if self.sme else "No", "Yes" if self.vcse else "No",
            "Yes" if self.illustrative else "No",
        ]  # fmt: skip


def register_rows(council: Organisation) -> Iterator[RegisterRow]:
    """The register's rows, from the same records OCDS publishes (one pass, fixed queries)."""
    contracts = list(register_contracts(council))
    bidders = {
        (b.procurement_id, b.organisation_id): b
        for b in Bidder.objects.filter(procurement__in=[c.procurement_id for c in contracts])
    }
    for c in contracts:
        p, supplier = c.procurement, c.award.supplier
        bidder = bidders.get((p.pk, supplier.pk))
        registration = ""
        if bidder and bidder.companies_house_number:
            registration = f"Companies House {bidder.companies_house_number}"
        elif supplier.org_id:
            registration = supplier.org_id
        ends = [c.ends_on, *(ch.new_end for ch in c.changes.all() if ch.new_end)]
        value = c.value + sum((ch.value_change for ch in c.changes.all()), Decimal(0))
        arrangement = getattr(c, "arrangement", None)
        yield RegisterRow(
            reference=p.process_id, title=c.title, department=p.department or "",
            supplier=supplier.name, registration=registration, starts_on=c.starts_on,
            ends_on=max(ends), review_on=arrangement.next_review_on if arrangement else None,
            value=value, procedure=p.get_route_display(),
            sme=bool(bidder and bidder.is_sme),
            vcse=bool(bidder and bidder.is_vcse) or supplier.sector == "voluntary",
            illustrative=p.is_illustrative or p.is_demo,
        )  # fmt: skip
