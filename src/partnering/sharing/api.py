"""Fair shares JSON API: the same selectors, permissions and services as the pages.

Reads are public for published partnerships (``optional_auth``); writes need a signed-in user or
an API key (``required_auth``) of a current member organisation, an assigned adviser, or staff.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.partnerships.access import partnership_for_editing, partnership_for_viewing
from partnering.partnerships.models import Partnership
from partnering.partnerships.selectors import members_on

from . import selectors
from .errors import SharingError as E
from .models import METHOD_NAMES, CostModel, ShareAgreement
from .permissions import can_edit_shares
from .schemas import (
    AgreementOut,
    ComparisonOut,
    CostModelIn,
    CostModelOut,
    CostModelSummaryOut,
    ResultsOut,
    RiskScenarioIn,
    RiskScenarioOut,
    ShareAgreementIn,
)
from .services import (
    ComponentSpec,
    CostModelSpec,
    EstimateSpec,
    MemberSpec,
    agreement_record,
    calculation_request,
    cost_model_create,
    cost_model_update,
    missing_in_version,
    risk_scenario_create,
    starting_weight,
)

router = Router(tags=["sharing"])
EDIT_DENIED = "Only the partnership's current members, its advisers and taskforce staff can change its shares."
BASE = "/partnerships/{slug}"


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _spec(
    partnership: Partnership, payload: CostModelIn, fixed: list[MemberSpec] | None = None
) -> CostModelSpec:
    current = {
        m.organisation.slug: m.organisation for m in members_on(partnership, payload.effective_on)
    }
    if fixed is not None:
        current = {m.organisation.slug: m.organisation for m in fixed}
    if payload.members is None and fixed is not None:
        members = fixed
    elif payload.members is None:
        members = [MemberSpec(o, starting_weight(o)) for o in current.values()]
    else:
        members = []
        for member in payload.members:
            organisation = current.get(member.organisation)
            if organisation is None:
                raise DomainError(
                    E.NOT_A_MEMBER,
                    f"‘{member.organisation}’ is not a member of the partnership on "
                    f"{govuk_date(payload.effective_on)}",
                    "members",
                )
            members.append(MemberSpec(organisation, _decimal(member.weight)))
    by_slug = {m.organisation.slug: m.organisation.pk for m in members}
    components = []
    for index, component in enumerate(payload.components):
        unknown = sorted(set(component.values) - set(by_slug))
        if unknown:
            raise DomainError(
                E.UNKNOWN_MEMBER,
                f"‘{component.name}’ has a figure for ‘{unknown[0]}’, which is not a member in this version",
                f"components[{index}].values",
            )
        curve = component.curve
        components.append(
            ComponentSpec(
                kind=component.kind,
                name=component.name,
                values={by_slug[s]: _decimal(v) for s, v in component.values.items()},
                fixed_cost=Decimal(str(component.fixed_cost)),
                needed_by_all=component.needed_by_all,
                curve_type=curve.type if curve else "",
                curve_scale=_decimal(curve.scale) if curve else None,
                curve_exponent=_decimal(curve.exponent) if curve else None,
                curve_breaks=[list(b) for b in curve.breaks] if curve else [],
            )
        )
    return CostModelSpec(
        title=payload.title,
        effective_on=payload.effective_on,
        demand_measure=payload.demand_measure,
        weight_measure=payload.weight_measure,
        proportional_basis=payload.proportional_basis,
        is_illustrative=payload.is_illustrative,
        members=members,
        components=components,
    )


def _summary(cost_model: CostModel) -> dict[str, Any]:
    calculation = selectors.calculation_of(cost_model)
    return {
        "version": cost_model.version,
        "title": cost_model.title,
        "effective_on": cost_model.effective_on,
        "status": cost_model.status,
        "change_kind": cost_model.change_kind,
        "change_organisation": cost_model.change_organisation.slug
        if cost_model.change_organisation
        else None,
        "change_reason": cost_model.change_reason,
        "is_illustrative": cost_model.is_illustrative,
        "calculation_status": calculation.status if calculation else None,
        "url": cost_model.get_absolute_url(),
    }


def _detail(cost_model: CostModel) -> dict[str, Any]:
    members = selectors.member_inputs(cost_model)
    slugs = {m.pk: m.organisation.slug for m in members}
    slugs_by_org = {m.organisation_id: m.organisation.slug for m in members}
    components = []
    for c in cost_model.components.prefetch_related("values"):
        curve = None
        if c.kind == "pooled":
            curve = {
                "type": c.curve_type,
                "scale": float(c.curve_scale) if c.curve_scale is not None else None,
                "exponent": float(c.curve_exponent) if c.curve_exponent is not None else None,
                "breaks": c.curve_breaks or [],
            }
        components.append(
            {
                "kind": c.kind,
                "name": c.name,
                "fixed_cost": float(c.fixed_cost),
                "curve": curve,
                "needed_by_all": c.needed_by_all,
                "values": {
                    slugs[v.member_id]: float(v.value) if v.value is not None else None
                    for v in c.values.all()
                },
            }
        )
    return {
        **_summary(cost_model),
        "demand_measure": cost_model.demand_measure,
        "weight_measure": cost_model.weight_measure,
        "proportional_basis": cost_model.proportional_basis,
        "members": [
            {
                "organisation": m.organisation.slug,
                "name": m.player_name,
                "weight": float(m.weight) if m.weight is not None else None,
            }
            for m in members
        ],
        "components": components,
        "figures_missing": [
            {
                "organisation": slugs_by_org.get(m.organisation_id, ""),
                "name": m.name,
                "what": m.what,
            }
            for m in missing_in_version(cost_model)
        ],
    }


def _results(cost_model: CostModel) -> dict[str, Any]:
    calculation = selectors.calculation_of(cost_model)
    if calculation is None:
        raise DomainError(E.NOT_CALCULATED, "The shares of this version have not been calculated")
    methods = []
    for method, label in METHOD_NAMES.items():
        result = calculation.results.get(method)
        if result is None:
            continue
        methods.append(
            {
                "method": method,
                "label": label,
                "available": result.get("available", False),
                "message": result.get("message", ""),
                "exact": result.get("exact", True),
                "shares": result.get("shares", {}),
                "standard_errors": result.get("standard_errors"),
                "core": calculation.core.get(method),
                "savings": calculation.savings.get(method, {}),
                "explanations": calculation.explanations.get(method, {}),
            }
        )
    return {
        "version": cost_model.version,
        "status": calculation.status,
        "is_fresh": calculation.is_fresh,
        "error_message": calculation.error_message,
        "grand_cost": float(calculation.grand_cost) if calculation.grand_cost is not None else None,
        "total_standalone": float(calculation.total_standalone)
        if calculation.total_standalone is not None
        else None,
        "warnings": calculation.warnings,
        "finished_at": calculation.finished_at,
        "members": calculation.players,
        "methods": methods,
    }


def _agreement(agreement: ShareAgreement) -> dict[str, Any]:
    return {
        "version": agreement.version,
        "cost_model_version": agreement.cost_model.version,
        "previous_version": agreement.previous.version if agreement.previous else None,
        "method": agreement.method,
        "agreed_on": agreement.agreed_on,
        "agreed_by": agreement.agreed_by_name,
        "recorded_at": agreement.recorded_at,
        "reason": agreement.reason,
        "total_pence": agreement.total_pence,
        "in_core": agreement.in_core,
        "max_excess": float(agreement.max_excess),
        "worst_coalition": agreement.worst_coalition,
        "shares": [
            {
                "organisation": s.organisation.slug,
                "name": s.player_name,
                "amount_pence": s.amount_pence,
            }
            for s in agreement.shares.all()
        ],
    }


# --- cost models ---------------------------------------------------------------------------------


@router.get(
    BASE + "/cost-models",
    response=list[CostModelSummaryOut],
    auth=optional_auth,
    summary="Versions of a partnership's cost model",
)
def cost_model_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return [_summary(cm) for cm in selectors.cost_model_list(partnership)]


@router.post(
    BASE + "/cost-models",
    response={201: CostModelOut},
    auth=required_auth,
    summary="Add a version of the cost model (and calculate it)",
)
def cost_model_create_endpoint(request: HttpRequest, slug: str, payload: CostModelIn):  # type: ignore[no-untyped-def]
    """Figures are keyed by organisation slug. Negative or missing figures, and models the
    fair-share engine rejects, are 422 with the engine's message; nothing is saved."""
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_edit_shares, message=EDIT_DENIED
    )
    cost_model = cost_model_create(
        partnership=partnership, spec=_spec(partnership, payload), actor=api_user(request)
    )
    return Status(201, _detail(selectors.cost_model_get(partnership, cost_model.version)))


@router.get(
    BASE + "/cost-models/{version}",
    response=CostModelOut,
    auth=optional_auth,
    summary="One version of the cost model",
)
def cost_model_detail_endpoint(request: HttpRequest, slug: str, version: int):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return _detail(selectors.cost_model_get(partnership, version))


@router.put(
    BASE + "/cost-models/{version}",
    response=CostModelOut,
    auth=required_auth,
    summary="Replace a draft version's components and figures (and recalculate)",
)
def cost_model_update_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, version: int, payload: CostModelIn
):
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_edit_shares, message=EDIT_DENIED
    )
    cost_model = selectors.cost_model_get(partnership, version)
    fixed = [MemberSpec(m.organisation, m.weight) for m in selectors.member_inputs(cost_model)]
    spec = _spec(partnership, payload, fixed)
    cost_model_update(
        cost_model=cost_model, spec=spec, reason="Changed through the API", actor=api_user(request)
    )
    return _detail(selectors.cost_model_get(partnership, version))


class CalculationOut(Schema):
    version: int
    status: str
    results_url: str


@router.post(
    BASE + "/cost-models/{version}/calculate",
    response={200: CalculationOut, 202: CalculationOut},
    auth=required_auth,
    summary="Calculate every method (202 when it runs in the background)",
)
def calculate_endpoint(request: HttpRequest, slug: str, version: int):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_edit_shares, message=EDIT_DENIED
    )
    cost_model = selectors.cost_model_get(partnership, version)
    calculation = calculation_request(cost_model=cost_model, actor=api_user(request))
    body = {
        "version": version,
        "status": calculation.status,
        "results_url": f"/api/v1/partnerships/{slug}/cost-models/{version}/results",
    }
    return Status(202 if calculation.is_pending else 200, body)


@router.get(
    BASE + "/cost-models/{version}/results",
    response=ResultsOut,
    auth=optional_auth,
    summary="Every method's shares, core check, savings and explanations",
)
def results_endpoint(request: HttpRequest, slug: str, version: int):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return _results(selectors.cost_model_get(partnership, version))


@router.get(
    BASE + "/cost-models/{version}/comparison",
    response=ComparisonOut,
    auth=optional_auth,
    summary="Each member's share before and after this version's change",
)
def comparison_endpoint(request: HttpRequest, slug: str, version: int, method: str = ""):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    result = selectors.comparison(selectors.cost_model_get(partnership, version), method or None)
    return {
        "version": version,
        "previous_version": result.previous.version if result.previous else None,
        "method": result.method,
        "old_basis": result.old_basis,
        "rows": result.rows,
    }


@router.get(
    BASE + "/cost-models/{version}/risk-scenarios",
    response=list[RiskScenarioOut],
    auth=optional_auth,
    summary="Risk and reward scenarios with each member's P50/P90",
)
def risk_list_endpoint(request: HttpRequest, slug: str, version: int):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return selectors.risk_scenarios(selectors.cost_model_get(partnership, version))


@router.post(
    BASE + "/cost-models/{version}/risk-scenarios",
    response={201: RiskScenarioOut},
    auth=required_auth,
    summary="Simulate a risk and reward scenario",
)
def risk_create_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, version: int, payload: RiskScenarioIn
):
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_edit_shares, message=EDIT_DENIED
    )
    cost_model = selectors.cost_model_get(partnership, version)
    scenario = risk_scenario_create(
        cost_model=cost_model,
        name=payload.name,
        split_basis=payload.split_basis,
        rule=payload.rule,
        estimates=[
            EstimateSpec(
                e.component, Decimal(str(e.low)), Decimal(str(e.likely)), Decimal(str(e.high))
            )
            for e in payload.estimates
        ],
        cap=_decimal(payload.cap),
        target=_decimal(payload.target),
        pain_bands=payload.pain_bands,
        gain_bands=payload.gain_bands,
        runs=payload.runs,
        seed=payload.seed,
        actor=api_user(request),
    )
    return Status(201, scenario)


# --- agreements ----------------------------------------------------------------------------------


class AgreementFilters(Schema):
    limit: int = 50


@router.get(
    BASE + "/agreements",
    response=list[AgreementOut],
    auth=optional_auth,
    summary="Agreement versions, newest first",
)
def agreement_list_endpoint(request: HttpRequest, slug: str, filters: Query[AgreementFilters]):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    qs = selectors.agreement_list(partnership).prefetch_related("shares__organisation")
    return [_agreement(a) for a in qs[: max(1, min(filters.limit, 500))]]


@router.post(
    BASE + "/agreements",
    response={201: AgreementOut},
    auth=required_auth,
    summary="Record the partners' agreement to one method's split",
)
def agreement_create_endpoint(request: HttpRequest, slug: str, payload: ShareAgreementIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_edit_shares, message=EDIT_DENIED
    )
    cost_model = selectors.cost_model_get(partnership, payload.version)
    agreement = agreement_record(
        cost_model=cost_model,
        method=payload.method,
        agreed_on=payload.agreed_on,
        reason=payload.reason,
        actor=api_user(request),
    )
    agreement = (
        selectors.agreement_list(partnership)
        .prefetch_related("shares__organisation")
        .get(pk=agreement.pk)
    )
    return Status(201, _agreement(agreement))
