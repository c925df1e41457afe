"""Reads of the sharing room: versions, stored results shaped for pages, agreements, comparisons.

Pages read stored results only (a ``ShareCalculation``); nothing here runs the engine.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from partnering.partnerships.models import Partnership
from partnering.partnerships.permissions import partnerships_visible_to

from .engine import METHODS
from .models import (
    AgreedShare,
    ChangeKind,
    ComponentValue,
    CostComponent,
    CostModel,
    MemberInput,
    RiskScenario,
    ShareAgreement,
    ShareCalculation,
)


def cost_model_list(partnership: Partnership) -> QuerySet[CostModel]:
    """Every version, newest first, ready for a list (constant queries)."""
    return (
        CostModel.objects.filter(partnership=partnership)
        .select_related("partnership", "change_organisation", "created_by", "calculation")
        .annotate(member_total=Count("members", distinct=True))
        .order_by("-version")
    )


def cost_model_get(partnership: Partnership, version: int) -> CostModel:
    """One version; ``CostModel.DoesNotExist`` when there is no such version. Its partnership
    is the one given (already fetched, with the viewer's permission checked): not joined again."""
    cost_model = CostModel.objects.select_related(
        "calculation", "change_organisation", "previous", "created_by"
    ).get(partnership=partnership, version=version)
    cost_model.partnership = partnership
    return cost_model


def calculation_of(cost_model: CostModel) -> ShareCalculation | None:
    try:
        return cost_model.calculation
    except ShareCalculation.DoesNotExist:
        return None


def latest_agreement(cost_model: CostModel) -> ShareAgreement | None:
    """The version's latest agreement. A draft has none, so it costs no query: recording an
    agreement (``services.agreement_record``) makes its version agreed in the same transaction,
    and nothing makes an agreed version a draft again."""
    if cost_model.is_draft:
        return None
    return (
        ShareAgreement.objects.filter(cost_model=cost_model)
        .select_related("agreed_by")
        .prefetch_related("shares")
        .order_by("-version")
        .first()
    )


def agreements_outside_core(*, viewer: Any, limit: int = 10) -> list[ShareAgreement]:
    """Each visible partnership's latest agreement where that split is outside the core: some
    group of members would pay less on its own, a reason to leave. Two queries, any data size."""
    latest_version = (
        ShareAgreement.objects.filter(partnership=OuterRef("partnership"))
        .order_by("-version")
        .values("version")[:1]
    )
    return list(
        ShareAgreement.objects.filter(
            partnership__in=partnerships_visible_to(viewer),
            version=Subquery(latest_version),
            in_core=False,
        )
        .select_related("partnership", "cost_model")
        .order_by("-max_excess", "partnership__name")[:limit]
    )


def agreement_list(partnership: Partnership) -> QuerySet[ShareAgreement]:
    """Agreement versions, newest first, with their shares (constant queries)."""
    return (
        ShareAgreement.objects.filter(partnership=partnership)
        .select_related("cost_model__partnership", "agreed_by", "previous")
        .prefetch_related(Prefetch("shares", queryset=AgreedShare.objects.order_by("position")))
        .order_by("-version")
    )


# --- the inputs table -------------------------------------------------------------------------


@dataclass
class InputsTable:
    components: list[CostComponent]
    rows: list[dict[str, Any]]  # {"member": MemberInput, "values": [Decimal, ...]}
    totals: list[Any]


def inputs_table(cost_model: CostModel) -> InputsTable:
    members = list(cost_model.members.select_related("organisation"))
    components = list(
        cost_model.components.prefetch_related(
            Prefetch(
                "values", queryset=ComponentValue.objects.only("member_id", "value", "component_id")
            )
        )
    )
    by_component = [{v.member_id: v.value for v in c.values.all()} for c in components]
    rows = [{"member": m, "values": [values.get(m.pk) for values in by_component]} for m in members]
    totals = [
        sum((v for v in values.values() if v is not None), start=0) for values in by_component
    ]
    return InputsTable(components=components, rows=rows, totals=totals)


# --- comparing a version with the one before -----------------------------------------------------


@dataclass
class Comparison:
    current: CostModel
    previous: CostModel | None
    method: str
    old_basis: str  # "agreed" or "calculated"
    rows: list[dict[str, Any]]
    old_core: dict[str, Any] | None
    new_core: dict[str, Any] | None
    old_total: float | None
    new_total: float | None


def comparison(cost_model: CostModel, method: str | None = None) -> Comparison:
    """Each member's share before and after this version's change, under one method.

    The old share is the agreed one when the previous version was agreed (else that version's
    calculated share); the method defaults to the one the partners last agreed.
    """
    previous = cost_model.previous
    old_agreement = latest_agreement(previous) if previous else None
    if method not in METHODS:
        method = old_agreement.method if old_agreement else "shapley"
    new_calc = calculation_of(cost_model)
    old_calc = calculation_of(previous) if previous else None
    new_result = (new_calc.results.get(method) or {}) if new_calc and new_calc.is_done else {}
    new_shares = new_result.get("shares", {}) if new_result.get("available") else {}
    if old_agreement and old_agreement.method == method:
        old_shares = {s.organisation_id: s.amount_pence / 100 for s in old_agreement.shares.all()}
        old_basis = "agreed"
    else:
        old_shares = {}
        old_basis = "calculated"
        if old_calc and old_calc.is_done:
            result = old_calc.results.get(method) or {}
            by_name = {p["name"]: p["organisation_id"] for p in old_calc.players}
            old_shares = {by_name[n]: v for n, v in (result.get("shares") or {}).items()}
    old_names = {p["organisation_id"]: p["name"] for p in old_calc.players} if old_calc else {}
    # Members of a version not calculated yet (a new member's figures still to be entered)
    # are listed from the version itself, with no new share.
    new_players = (
        new_calc.players
        if new_calc and new_calc.players
        else [
            {"organisation_id": m.organisation_id, "name": m.player_name}
            for m in cost_model.members.all()
        ]
    )
    new_names = {p["organisation_id"]: p["name"] for p in new_players}
    explanations = (new_calc.explanations.get(method, {}) if new_calc else {}) or {}
    order = [p["organisation_id"] for p in new_players] + [
        oid for oid in old_names if oid not in new_names
    ]
    rows = []
    for oid in order:
        old = old_shares.get(oid)
        new = new_shares.get(new_names[oid]) if oid in new_names else None
        if oid not in old_names:
            status = "joined"
        elif oid not in new_names:
            status = "left"
        else:
            status = "continuing"
        name = new_names.get(oid) or old_names.get(oid, "")
        why = explanations.get(name, "") if oid in new_names else ""
        if status != "continuing" and cost_model.change_organisation_id == oid:
            why = f"{cost_model.change_reason}. {why}".strip()
        elif status == "left":
            why = f"{name} is not a member in this version."
        rows.append(
            {"name": name, "status": status, "old": old, "new": new,
             "change": (new or 0) - (old or 0) if (old is not None or new is not None) else None,
             "why": why}
        )  # fmt: skip
    return Comparison(
        current=cost_model,
        previous=previous,
        method=method,
        old_basis=old_basis,
        rows=rows,
        old_core=(old_calc.core.get(method) if old_calc and old_calc.is_done else None)
        if old_basis == "calculated"
        else _agreement_core(old_agreement),
        new_core=new_calc.core.get(method) if new_calc and new_calc.is_done else None,
        old_total=sum(old_shares.values()) if old_shares else None,
        new_total=sum(new_shares.values()) if new_shares else None,
    )


def _agreement_core(agreement: ShareAgreement | None) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "in_core": agreement.in_core,
        "max_excess": float(agreement.max_excess),
        "worst_coalition": agreement.worst_coalition,
    }


def risk_scenarios(cost_model: CostModel) -> list[RiskScenario]:
    return list(cost_model.risk_scenarios.select_related("created_by").order_by("created_at", "pk"))


def member_inputs(cost_model: CostModel) -> list[MemberInput]:
    return list(cost_model.members.select_related("organisation"))


def change_label(cost_model: CostModel) -> str:
    if (
        cost_model.change_kind in (ChangeKind.JOINED, ChangeKind.LEFT)
        and cost_model.change_organisation
    ):
        verb = "joined" if cost_model.change_kind == ChangeKind.JOINED else "left"
        return f"{cost_model.change_organisation.name} {verb}"
    return cost_model.get_change_kind_display()
