"""Procurement JSON API at /api/v1/procurement/: the same selectors, permissions and services
as the pages. Working papers (scope, appraisals) for the partnership's people, advisers and
staff; procurements as open contracting publishes them for whoever sees the partnership; the
evaluation scores for the panel and staff until the award; OCDS records for everyone."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.errors import DomainError
from partnering.organisations.models import Organisation
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.models import Partnership

from . import ocds, selectors, services
from .errors import ProcurementError as E
from .models import Appraisal, Procurement
from .open_data import published_procurements
from .permissions import can_edit_procurement, can_score, can_view_scores, can_view_workings
from .schemas import (
    AppraisalIn,
    BaselineIn,
    BidderIn,
    ContractChangeIn,
    ContractIn,
    CriteriaIn,
    EvaluationCriteriaIn,
    EvaluationScoreIn,
    OptionIn,
    ProcurementAgreementIn,
    ProcurementAwardIn,
    ProcurementIn,
    ProcurementScoreIn,
    ScopeIn,
    StageIn,
)

router = Router(tags=["procurement"])
BASE = "/partnerships/{slug}"
APPRAISAL = BASE + "/appraisals/{appraisal_id}"
PROC = BASE + "/procurements/{procurement_id}"
SCORE_DENIED = "Only the evaluation panel and taskforce staff can score the tenders."


def _workings(request: HttpRequest, slug: str) -> Partnership:
    partnership = partnership_for_viewing(api_user(request), slug)
    if not can_view_workings(api_user(request), partnership):
        raise Http404("No such partnership")
    return partnership


def _editable(request: HttpRequest, slug: str) -> Partnership:
    return partnership_for_editing(api_user(request), slug, allowed=can_edit_procurement)


def _org(slug: str, field: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise DomainError(E.VALUE, f"There is no organisation ‘{slug}’ in the registry", field)
    return org


def _panel(usernames: list[str]) -> list[Any]:
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(username__in=usernames, is_active=True))
    if len(users) != len(set(usernames)):
        raise DomainError(E.VALUE, "Name the evaluation panel by the usernames of active users",
                          "panel")  # fmt: skip
    return users


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


def scope_out(partnership: Partnership) -> dict[str, Any]:
    scope = selectors.scope_of(partnership)
    if scope is None:
        return {"services": [], "outcomes": "", "baselines": [], "constraints": []}
    return {
        "services": [{"lgsl_code": s.lgsl_code, "label": s.label} for s in scope.services.all()],
        "outcomes": scope.outcomes,
        "baselines": [{
            "organisation": b.organisation.slug, "name": b.organisation.name,
            "annual_cost": float(b.annual_cost), "staff": float(b.staff),
            "indicators": [{"name": i.name, "value": float(i.value), "unit": i.unit}
                           for i in b.indicators.all()],
        } for b in scope.baselines.all()],
        "constraints": [{"kind": c.kind, "description": c.description,
                         "ends_on": c.ends_on.isoformat() if c.ends_on else None}
                        for c in scope.constraints.all()],
    }  # fmt: skip


@router.get(BASE + "/scope", response=dict[str, Any], auth=optional_auth,
            summary="A partnership's scope: services, partners' baselines, outcomes, constraints")  # fmt: skip
def scope_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return scope_out(_workings(request, slug))


@router.put(BASE + "/scope", response=dict[str, Any], auth=required_auth,
            summary="Set the services in scope (LGSL codes of the partnership's) and outcomes")  # fmt: skip
def scope_put_endpoint(request: HttpRequest, slug: str, payload: ScopeIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    areas = list(partnership.service_areas.filter(lgsl_code__in=payload.services))
    if len(areas) != len(set(payload.services)):
        raise DomainError(E.VALUE, "Choose services from the partnership's own service areas",
                          "services")  # fmt: skip
    services.scope_save(partnership=partnership, services=areas, outcomes=payload.outcomes,
                        actor=api_user(request))  # fmt: skip
    return scope_out(partnership)


@router.post(BASE + "/scope/baselines", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record a partner's baseline (annual cost and staff)")  # fmt: skip
def baseline_endpoint(request: HttpRequest, slug: str, payload: BaselineIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    scope = selectors.scope_of(partnership) or services.scope_save(
        partnership=partnership, services=[], outcomes="", actor=api_user(request)
    )
    services.baseline_save(scope=scope, organisation=_org(payload.organisation, "organisation"),
                           annual_cost=payload.annual_cost, staff=payload.staff,
                           actor=api_user(request))  # fmt: skip
    return Status(201, scope_out(partnership))


def appraisal_out(appraisal: Appraisal) -> dict[str, Any]:
    results = selectors.appraisal_results(appraisal)
    return {
        "id": appraisal.pk, "title": appraisal.title, "term_years": appraisal.term_years,
        "discount_rate": float(appraisal.discount_rate), "scale": appraisal.scale,
        "is_illustrative": appraisal.is_illustrative,
        "criteria": [{"id": c.pk, "name": c.name, "kind": c.kind, "weight": float(c.weight)}
                     for c in results.criteria],
        "weights_off_by": float(results.weights_off),
        "options": [{
            "id": r.option.pk, "kind": r.option.kind, "name": r.option.name,
            "upfront_cost": float(r.option.upfront_cost), "annual_cost": float(r.option.annual_cost),
            "cost_source": r.option.cost_source, "whole_life_cost": float(r.whole_life_cost),
            "scores": {str(k): v for k, v in r.scores.items()}, "weighted_total": r.total,
            "rank": r.rank,
        } for r in results.options],
        "sensitivity": [{
            "criterion_id": c.pk, "weight": s.weight,
            "lead_changes_below": s.down.weight if s.down else None,
            "new_leader_below": int(s.down.option) if s.down else None,
            "lead_changes_above": s.up.weight if s.up else None,
            "new_leader_above": int(s.up.option) if s.up else None,
            "margin": s.margin,
        } for c, s in results.sensitivity],
        "recommended_option_id": appraisal.recommended_id,
        "rationale": appraisal.rationale,
        "agreed_on": appraisal.agreed_on.isoformat() if appraisal.agreed_on else None,
        "agreed_by": appraisal.agreed_by,
    }  # fmt: skip


def _appraisal(partnership: Partnership, appraisal_id: int) -> Appraisal:
    try:
        return selectors.appraisal_get(partnership, appraisal_id)
    except Appraisal.DoesNotExist:
        raise Http404("No such appraisal") from None


@router.get(BASE + "/appraisals", response=list[dict[str, Any]], auth=optional_auth,
            summary="A partnership's options appraisals")  # fmt: skip
def appraisal_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = _workings(request, slug)
    return [{"id": a.pk, "title": a.title, "options": a.option_count,
             "recommended_option_id": a.recommended_id}
            for a in selectors.appraisals_of(partnership)]  # fmt: skip


@router.post(BASE + "/appraisals", response={201: dict[str, Any]}, auth=required_auth,
             summary="Start an options appraisal")  # fmt: skip
def appraisal_create_endpoint(request: HttpRequest, slug: str, payload: AppraisalIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    a = services.appraisal_create(partnership=partnership, actor=api_user(request),
                                  **payload.dict())  # fmt: skip
    return Status(201, appraisal_out(_appraisal(partnership, a.pk)))


@router.get(APPRAISAL, response=dict[str, Any], auth=optional_auth,
            summary="An appraisal with whole-life costs, weighted totals, ranks and sensitivity")  # fmt: skip
def appraisal_endpoint(request: HttpRequest, slug: str, appraisal_id: int):  # type: ignore[no-untyped-def]
    return appraisal_out(_appraisal(_workings(request, slug), appraisal_id))


@router.put(APPRAISAL + "/criteria", response=dict[str, Any], auth=required_auth,
            summary="Set the criteria and weights (they must add up to 100)")  # fmt: skip
def criteria_endpoint(request: HttpRequest, slug: str, appraisal_id: int, payload: CriteriaIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    a = _appraisal(partnership, appraisal_id)
    services.criteria_set(appraisal=a, criteria=[c.dict() for c in payload.criteria],
                          actor=api_user(request))  # fmt: skip
    return appraisal_out(_appraisal(partnership, appraisal_id))


@router.post(APPRAISAL + "/options", response={201: dict[str, Any]}, auth=required_auth,
             summary="Add an option (a shared service may be costed from a cost model version)")  # fmt: skip
def option_endpoint(request: HttpRequest, slug: str, appraisal_id: int, payload: OptionIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    a = _appraisal(partnership, appraisal_id)
    data = payload.dict()
    version = data.pop("cost_model_version")
    cost_model = None
    if version is not None:
        from partnering.sharing.models import CostModel

        cost_model = CostModel.objects.filter(partnership=partnership, version=version).first()
        if cost_model is None:
            raise DomainError(E.VALUE, f"There is no cost model version {version}",
                              "cost_model_version")  # fmt: skip
    services.option_add(appraisal=a, cost_model=cost_model, actor=api_user(request), **data)
    return Status(201, appraisal_out(_appraisal(partnership, appraisal_id)))


@router.put(APPRAISAL + "/scores", response=dict[str, Any], auth=required_auth,
            summary="Score an option on a criterion, with the reason")  # fmt: skip
def score_endpoint(request: HttpRequest, slug: str, appraisal_id: int, payload: ProcurementScoreIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    a = _appraisal(partnership, appraisal_id)
    option = a.options.filter(pk=payload.option_id).first()
    criterion = a.criteria.filter(pk=payload.criterion_id).first()
    if option is None or criterion is None:
        raise DomainError(E.WRONG_APPRAISAL, "No such option or criterion in this appraisal",
                          "option_id" if option is None else "criterion_id")  # fmt: skip
    services.score_set(option=option, criterion=criterion, score=payload.score,
                       rationale=payload.rationale, actor=api_user(request))  # fmt: skip
    return appraisal_out(_appraisal(partnership, appraisal_id))


@router.post(APPRAISAL + "/agreement", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record the recommended option, its rationale, and who agreed it when")  # fmt: skip
def agreement_endpoint(
    request: HttpRequest, slug: str, appraisal_id: int, payload: ProcurementAgreementIn
):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    a = _appraisal(partnership, appraisal_id)
    option = a.options.filter(pk=payload.option_id).first()
    if option is None:
        raise DomainError(E.WRONG_APPRAISAL, "No such option in this appraisal", "option_id")
    services.appraisal_agree(appraisal=a, option=option, rationale=payload.rationale,
                             agreed_on=payload.agreed_on, agreed_by=payload.agreed_by,
                             actor=api_user(request))  # fmt: skip
    return Status(201, appraisal_out(_appraisal(partnership, appraisal_id)))


# --- procurements --------------------------------------------------------------------------


def procurement_out(procurement: Procurement, user: Any) -> dict[str, Any]:
    award, contract = selectors.award_and_contract(procurement)
    out: dict[str, Any] = {
        "id": procurement.pk, "process_id": procurement.process_id,
        "ocid": ocds.ocid_of(procurement.process_id) if ocds.is_publishing() else None,
        "title": procurement.title, "route": procurement.route,
        "procurement_method": procurement.route_info.method,
        "legal_basis": procurement.legal_basis, "rationale": procurement.rationale,
        "buyer": procurement.buyer.slug,
        "other_buyers": [o.slug for o in procurement.other_buyers.all()],
        "estimated_value": _money(procurement.estimated_value),
        "stages": [{"stage": s.stage, "on": s.on.isoformat()} for s in procurement.stages.all()],
        "bidders": [{"organisation": b.organisation.slug, "name": b.organisation.name,
                     "companies_house_number": b.companies_house_number, "is_sme": b.is_sme,
                     "is_vcse": b.is_vcse, "tendered": b.tendered}
                    for b in procurement.bidders.all()],
        "award": None if award is None else {
            "supplier": award.supplier.slug, "value": float(award.value),
            "term_months": award.term_months, "decided_on": award.decided_on.isoformat()},
        "contract": None if contract is None else {
            "title": contract.title, "starts_on": contract.starts_on.isoformat(),
            "ends_on": services.current_end(contract).isoformat(),
            "value": float(contract.value), "signed_on": contract.signed_on.isoformat()},
    }  # fmt: skip
    if can_view_scores(user, procurement):
        out["evaluation"] = [
            {"bidder": b.organisation.slug, "scores": [_money(v) for v in cells], "total": total}
            for b, cells, total in selectors.evaluation_table(procurement)
        ]
    return out


def _procurement(partnership: Partnership, procurement_id: int) -> Procurement:
    try:
        return selectors.procurement_get(partnership, procurement_id)
    except Procurement.DoesNotExist:
        raise Http404("No such procurement") from None


@router.get(BASE + "/procurements", response=list[dict[str, Any]], auth=optional_auth,
            summary="A partnership's procurements and exempt arrangements")  # fmt: skip
def procurement_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return [{"id": p.pk, "process_id": p.process_id, "title": p.title, "route": p.route,
             "last_stage": p.last_stage, "bidders": p.bidder_count}
            for p in selectors.procurements_of(partnership)]  # fmt: skip


@router.post(BASE + "/procurements", response={201: dict[str, Any]}, auth=required_auth,
             summary="Start a procurement or an exempt arrangement")  # fmt: skip
def procurement_create_endpoint(request: HttpRequest, slug: str, payload: ProcurementIn):  # type: ignore[no-untyped-def]
    partnership = _editable(request, slug)
    data = payload.dict()
    buyer = _org(data.pop("buyer"), "buyer")
    others = [_org(s, "other_buyers") for s in data.pop("other_buyers")]
    data["panel"] = _panel(data.pop("panel"))
    p = services.procurement_create(partnership=partnership, buyer=buyer, other_buyers=others,
                                    actor=api_user(request), **data)  # fmt: skip
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


@router.get(PROC, response=dict[str, Any], auth=optional_auth,
            summary="A procurement: stages, bidders, award, contract (scores only for the panel "
                    "and staff until the award)")  # fmt: skip
def procurement_endpoint(request: HttpRequest, slug: str, procurement_id: int):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return procurement_out(_procurement(partnership, procurement_id), api_user(request))


def _edit_proc(
    request: HttpRequest, slug: str, procurement_id: int
) -> tuple[Partnership, Procurement]:
    partnership = _editable(request, slug)
    return partnership, _procurement(partnership, procurement_id)


@router.post(PROC + "/stages", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record the next stage (only in the route's order)")  # fmt: skip
def stage_endpoint(request: HttpRequest, slug: str, procurement_id: int, payload: StageIn):  # type: ignore[no-untyped-def]
    partnership, p = _edit_proc(request, slug, procurement_id)
    services.stage_record(procurement=p, actor=api_user(request), **payload.dict())
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


@router.post(PROC + "/bidders", response={201: dict[str, Any]}, auth=required_auth,
             summary="Add a bidder from the organisations registry")  # fmt: skip
def bidder_endpoint(request: HttpRequest, slug: str, procurement_id: int, payload: BidderIn):  # type: ignore[no-untyped-def]
    partnership, p = _edit_proc(request, slug, procurement_id)
    data = payload.dict()
    org = _org(data.pop("organisation"), "organisation")
    services.bidder_add(procurement=p, organisation=org, actor=api_user(request), **data)
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


@router.put(PROC + "/evaluation/criteria", response=dict[str, Any], auth=required_auth,
            summary="Set the evaluation criteria (the panel and staff)")  # fmt: skip
def evaluation_criteria_endpoint(request: HttpRequest, slug: str, procurement_id: int,  # type: ignore[no-untyped-def]
                                 payload: EvaluationCriteriaIn):  # fmt: skip
    user = api_user(request)
    partnership = partnership_for_viewing(user, slug)
    p = _procurement(partnership, procurement_id)
    require_on(partnership, can_score(user, p), SCORE_DENIED)
    services.evaluation_criteria_set(procurement=p, criteria=[c.dict() for c in payload.criteria],
                                     actor=user)  # fmt: skip
    return procurement_out(_procurement(partnership, p.pk), user)


@router.put(PROC + "/evaluation/scores", response=dict[str, Any], auth=required_auth,
            summary="Score a tender on a criterion, 0 to 10 (the panel and staff)")  # fmt: skip
def evaluation_score_endpoint(request: HttpRequest, slug: str, procurement_id: int,  # type: ignore[no-untyped-def]
                              payload: EvaluationScoreIn):  # fmt: skip
    user = api_user(request)
    partnership = partnership_for_viewing(user, slug)
    p = _procurement(partnership, procurement_id)
    require_on(partnership, can_score(user, p), SCORE_DENIED)
    bidder = next((b for b in p.bidders.all() if b.organisation.slug == payload.bidder), None)
    criterion = p.evaluation_criteria.filter(name=payload.criterion).first()
    if bidder is None or criterion is None:
        raise DomainError(E.VALUE, "No such bidder or criterion in this procurement",
                          "bidder" if bidder is None else "criterion")  # fmt: skip
    services.evaluation_score_set(bidder=bidder, criterion=criterion, score=payload.score,
                                  actor=user)  # fmt: skip
    return procurement_out(_procurement(partnership, p.pk), user)


@router.post(PROC + "/award", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record the award decision")  # fmt: skip
def award_endpoint(
    request: HttpRequest, slug: str, procurement_id: int, payload: ProcurementAwardIn
):  # type: ignore[no-untyped-def]
    partnership, p = _edit_proc(request, slug, procurement_id)
    data = payload.dict()
    supplier = _org(data.pop("supplier"), "supplier")
    services.award_record(procurement=p, supplier=supplier, actor=api_user(request), **data)
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


@router.post(PROC + "/contract", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record the signed contract")  # fmt: skip
def contract_endpoint(request: HttpRequest, slug: str, procurement_id: int, payload: ContractIn):  # type: ignore[no-untyped-def]
    partnership, p = _edit_proc(request, slug, procurement_id)
    services.contract_sign(procurement=p, actor=api_user(request), **payload.dict())
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


@router.post(PROC + "/contract/changes", response={201: dict[str, Any]}, auth=required_auth,
             summary="Record an extension or an amendment of the contract")  # fmt: skip
def contract_change_endpoint(request: HttpRequest, slug: str, procurement_id: int,  # type: ignore[no-untyped-def]
                             payload: ContractChangeIn):  # fmt: skip
    partnership, p = _edit_proc(request, slug, procurement_id)
    from .models import Contract

    contract = Contract.objects.filter(procurement=p).first()
    if contract is None:
        raise DomainError(E.NO_CONTRACT, "Record the signed contract first", "kind")
    services.contract_change_add(contract=contract, actor=api_user(request), **payload.dict())
    return Status(201, procurement_out(_procurement(partnership, p.pk), api_user(request)))


# --- open contracting ----------------------------------------------------------------------


@router.get("/ocds/records/{ocid}", response=dict[str, Any], auth=optional_auth,
            summary="The OCDS record package of one contracting process")  # fmt: skip
def ocds_record_endpoint(request: HttpRequest, ocid: str):  # type: ignore[no-untyped-def]
    process_id = ocds.process_id_of(ocid)
    procurement = (published_procurements().filter(process_id=process_id).first()
                   if process_id else None)  # fmt: skip
    if procurement is None or not procurement.releases.exists():
        raise Http404("No such contracting process")
    return ocds.record_package(request.build_absolute_uri(), [procurement])
