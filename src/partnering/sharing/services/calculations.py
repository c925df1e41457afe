"""Calculating every method's split of a version: now for a small partnership, as a background
task for a large one; the engine's rejection is stored as a failed calculation."""

from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

import fairshare
from partnering.core.audit import audited_save

from .. import engine
from ..models import CalculationStatus, CostModel, ShareCalculation
from .inputs import engine_error, game_data, require_complete


def needs_background(cost_model: CostModel) -> bool:
    return cost_model.members.count() > engine.BACKGROUND_ABOVE_MEMBERS


def calculation_request(
    *, cost_model: CostModel, actor: Any, background: bool | None = None
) -> ShareCalculation:
    """Queue (large partnerships) or run now (small ones) the calculation of every method.

    Refused (``FIGURES_MISSING``) while any member's figures are still to be entered."""
    require_complete(cost_model)
    with transaction.atomic():
        calculation, _ = ShareCalculation.objects.select_for_update().get_or_create(
            cost_model=cost_model
        )
        run_in_background = needs_background(cost_model) if background is None else background
        calculation.status = CalculationStatus.QUEUED
        calculation.inputs_hash = cost_model.inputs_hash
        calculation.is_background = run_in_background
        calculation.error_message = ""
        calculation.requested_by = actor if getattr(actor, "is_authenticated", False) else None
        calculation.requested_at = timezone.now()
        calculation.started_at = calculation.finished_at = None
        audited_save(calculation, actor=actor, reason="Calculation requested")
        if run_in_background:
            from ..tasks import calculate_shares

            transaction.on_commit(partial(_enqueue, calculate_shares, calculation.pk))
            return calculation
    return calculation_run(calculation_id=calculation.pk)


def _enqueue(task: Any, calculation_id: int) -> None:
    result = task.enqueue(calculation_id)
    ShareCalculation.objects.filter(pk=calculation_id, task_id="").update(task_id=str(result.id))


def calculation_run(*, calculation_id: int) -> ShareCalculation:
    """Compute and store every method's split, core check, savings and explanations.

    The engine's rejection is stored as a failed calculation with its message (a background
    task has nobody to show an exception to)."""
    with transaction.atomic():
        calculation = ShareCalculation.objects.select_for_update().get(pk=calculation_id)
        calculation.status = CalculationStatus.RUNNING
        calculation.started_at = timezone.now()
        calculation.save(update_fields=["status", "started_at"])
    cost_model = CostModel.objects.get(pk=calculation.cost_model_id)
    members = list(cost_model.members.select_related("organisation"))
    data = game_data(cost_model)
    try:
        computed = engine.compute(data)
    except fairshare.FairshareError as error:
        with transaction.atomic():
            calculation.status = CalculationStatus.FAILED
            calculation.error_message = engine_error(error, data).message
            calculation.finished_at = timezone.now()
            audited_save(calculation, actor=None, reason="Calculation failed")
        return calculation
    with transaction.atomic():
        calculation.players = [
            {
                "organisation_id": m.organisation_id,
                "name": m.player_name,
                "slug": m.organisation.slug,
            }
            for m in members
        ]
        calculation.inputs_hash = data.digest()
        calculation.grand_cost = Decimal(str(round(computed.grand_cost, 2)))
        calculation.total_standalone = Decimal(str(round(computed.total_standalone, 2)))
        calculation.results = computed.results
        calculation.core = computed.core
        calculation.savings = computed.savings
        calculation.explanations = computed.explanations
        calculation.warnings = computed.warnings
        calculation.duration_ms = computed.duration_ms
        calculation.status = CalculationStatus.DONE
        calculation.finished_at = timezone.now()
        audited_save(calculation, actor=None, reason="Calculated")
    return calculation
