"""Risk and reward: each member's exposure to overruns and savings under a sharing rule (the
engine's seeded Monte Carlo). Not the assurance room's risk register."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

import fairshare
from partnering.core.audit import audited_save
from partnering.core.errors import DomainError

from .. import engine
from ..errors import SharingError as E
from ..models import CostModel, RiskScenario, ShareCalculation, SharingRuleKind


@dataclass
class EstimateSpec:
    component: str
    low: Decimal
    likely: Decimal
    high: Decimal


@transaction.atomic
def risk_scenario_create(
    *,
    cost_model: CostModel,
    name: str,
    split_basis: str,
    rule: str,
    estimates: Sequence[EstimateSpec],
    cap: Decimal | None = None,
    target: Decimal | None = None,
    pain_bands: Sequence[tuple[float | None, float]] = (),
    gain_bands: Sequence[tuple[float | None, float]] = (),
    runs: int = 10_000,
    seed: int = 0,
    actor: Any,
) -> RiskScenario:
    """Simulate each member's exposure to overruns and savings under a sharing rule."""
    name = name.strip()
    if not name:
        raise DomainError(E.MISSING_VALUE, "Enter a name for the scenario", "name")
    if RiskScenario.objects.filter(cost_model=cost_model, name=name).exists():
        raise DomainError(
            E.SCENARIO_NAME_TAKEN, f"There is already a scenario called ‘{name}’", "name"
        )
    if rule not in SharingRuleKind.values:
        raise DomainError(E.RISK_REJECTED, "Choose how overruns and savings are shared", "rule")
    if rule == SharingRuleKind.CAPPED and (cap is None or cap <= 0):
        raise DomainError(
            E.RISK_REJECTED, "Enter the most any member will bear of an overrun", "cap"
        )
    if rule == SharingRuleKind.PAIN_GAIN and (target is None or target <= 0):
        raise DomainError(
            E.RISK_REJECTED, "Enter the target cost the bands are measured against", "target"
        )
    shares = _shares_for(cost_model, split_basis)
    if not estimates:
        raise DomainError(E.RISK_REJECTED, "Give at least one three-point estimate", "estimates")
    estimate_json = [
        {
            "component": e.component,
            "low": float(e.low),
            "likely": float(e.likely),
            "high": float(e.high),
        }
        for e in estimates
    ]
    try:
        results = engine.simulate(
            engine.RiskInput(
                shares=shares,
                estimates=estimate_json,
                rule=rule,
                cap=cap,
                target=target,
                pain_bands=pain_bands,
                gain_bands=gain_bands,
                runs=runs,
                seed=seed,
            )
        )
    except fairshare.FairshareError as error:
        raise DomainError(E.RISK_REJECTED, error.message, None) from error
    scenario = RiskScenario(
        cost_model=cost_model,
        name=name,
        split_basis=split_basis,
        rule=rule,
        cap=cap,
        target=target,
        pain_bands=[list(b) for b in pain_bands],
        gain_bands=[list(b) for b in gain_bands],
        estimates=estimate_json,
        shares=shares,
        runs=runs,
        seed=seed,
        results=results,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    scenario.full_clean()
    audited_save(scenario, actor=actor, reason="Risk scenario added")
    return scenario


def _shares_for(cost_model: CostModel, split_basis: str) -> dict[str, float]:
    if split_basis == "agreed":
        agreement = cost_model.agreements.order_by("-version").first()
        if agreement is None:
            raise DomainError(
                E.NO_AGREEMENT,
                "No split has been agreed for this version yet: choose a method",
                "split_basis",
            )
        return {s.player_name: s.amount_pence / 100 for s in agreement.shares.all()}
    calculation = ShareCalculation.objects.filter(cost_model=cost_model).first()
    if calculation is None or not calculation.is_done:
        raise DomainError(
            E.NOT_CALCULATED, "The shares have not been calculated yet", "split_basis"
        )
    result = calculation.results.get(split_basis)
    if not result or not result.get("available"):
        raise DomainError(E.METHOD_UNAVAILABLE, "Choose a method that is available", "split_basis")
    return dict(result["shares"])
