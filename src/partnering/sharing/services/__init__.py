"""Writes of the sharing room, by sub-domain: each in one transaction, validated (by the forms,
these rules and the fair-share engine), audited; nothing is saved when any check fails.

- ``inputs``: the specs a version is made of, their checks, the engine's input;
- ``cost_models``: versions created, edited, and made for membership changes;
- ``calculations``: every method's split, now or in the background;
- ``agreements``: the partners' agreed split, in pence;
- ``risk``: risk-and-reward scenarios.

Callers import from here (``from partnering.sharing.services import X``).
"""

from .agreements import agreement_record
from .calculations import (
    calculation_request,
    calculation_run,
    needs_background,
)
from .cost_models import (
    cost_model_create,
    cost_model_update,
    cost_model_version_for_change,
    cost_model_versions_from_history,
    spec_for_members,
    spec_from_cost_model,
)
from .inputs import (
    ComponentSpec,
    CostModelSpec,
    MemberSpec,
    Missing,
    engine_error,
    game_data,
    missing_in_version,
    player_names,
    starting_value,
    starting_weight,
)
from .risk import EstimateSpec, risk_scenario_create

__all__ = [
    "ComponentSpec",
    "CostModelSpec",
    "EstimateSpec",
    "MemberSpec",
    "Missing",
    "agreement_record",
    "calculation_request",
    "calculation_run",
    "cost_model_create",
    "cost_model_update",
    "cost_model_version_for_change",
    "cost_model_versions_from_history",
    "engine_error",
    "game_data",
    "missing_in_version",
    "needs_background",
    "player_names",
    "risk_scenario_create",
    "spec_for_members",
    "spec_from_cost_model",
    "starting_value",
    "starting_weight",
]
