"""Pages under /partnerships/<slug>/procurement/ (thin: forms in, services write, selectors
read). Working papers (scope, appraisals, arrangements) are for the partnership's own people,
advisers and staff; procurements show what open contracting publishes to anyone who may see
the partnership, and the evaluation scores to the panel and staff until the award."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.organisations.models import Organisation
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.models import Partnership

from . import ocds, selectors, services
from .forms import (
    AgreeForm,
    AppraisalForm,
    ArrangementForm,
    AwardForm,
    BaselineForm,
    BidderForm,
    BoardMemberForm,
    ConstraintForm,
    ContractChangeForm,
    ContractForm,
    CriteriaForm,
    EvaluationForm,
    KPIForm,
    KPIValueForm,
    OptionForm,
    ProcurementForm,
    ScopeForm,
    ScoreForm,
    StageForm,
)
from .models import Appraisal, Contract, CriterionKind, Option, Procurement
from .permissions import (
    can_edit_procurement,
    can_score,
    can_view_scores,
    can_view_workings,
)
from .routes import STAGE_LABELS, Stage, next_stage

SCORE_DENIED = "Only the evaluation panel and taskforce staff can score the tenders."


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _workings(request: HttpRequest, slug: str) -> Partnership:
    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_workings(request.user, partnership):
        raise Http404("No such page")
    return partnership


def _editable(request: HttpRequest, slug: str) -> Partnership:
    return partnership_for_editing(request.user, slug, allowed=can_edit_procurement)


def _members(partnership: Partnership) -> Any:
    return (
        Organisation.objects.filter(memberships__partnership=partnership)
        .distinct()
        .order_by("name")
    )


def _form_page(
    request: HttpRequest,
    partnership: Partnership,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    heading: str,
    button: str,
    back: str,
    success: str,
    context: dict[str, Any] | None = None,
    template: str = "procurement/form.html",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect(result if isinstance(result, str) else back)
    return render(request, template, {
        "partnership": partnership, "form": form, "heading": heading, "button": button,
        "back": back, **(context or {}),
    })  # fmt: skip


# --- overview and scope --------------------------------------------------------------------


@require_safe
def overview_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    workings = can_view_workings(request.user, partnership)
    return render(request, "procurement/overview.html", {
        "partnership": partnership,
        "workings": workings,
        "scope": selectors.scope_of(partnership) if workings else None,
        "appraisals": list(selectors.appraisals_of(partnership)) if workings else [],
        "procurements": list(selectors.procurements_of(partnership)),
        "can_edit": can_edit_procurement(request.user, partnership),
        "publishing": ocds.is_publishing(),
    })  # fmt: skip


@require_safe
def scope_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _workings(request, slug)
    return render(request, "procurement/scope.html", {
        "partnership": partnership, "scope": selectors.scope_of(partnership),
        "can_edit": can_edit_procurement(request.user, partnership),
    })  # fmt: skip


@login_required
def scope_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    scope = selectors.scope_of(partnership)
    initial = {"outcomes": scope.outcomes, "services": list(scope.services.all())} if scope else {}
    form = ScopeForm(_posted(request), initial=initial, services=partnership.service_areas.all())
    back = f"{partnership.get_absolute_url()}procurement/scope/"
    return _form_page(
        request, partnership, form,
        lambda d: services.scope_save(partnership=partnership, services=d["services"],
                                      outcomes=d["outcomes"], actor=request.user),
        heading="Services in scope and outcomes", button="Save scope", back=back,
        success="Scope saved",
    )  # fmt: skip


def _scope_or_new(partnership: Partnership, actor: Any) -> Any:
    return selectors.scope_of(partnership) or services.scope_save(
        partnership=partnership, services=[], outcomes="", actor=actor
    )


@login_required
def baseline_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    form = BaselineForm(_posted(request), organisations=_members(partnership))
    back = f"{partnership.get_absolute_url()}procurement/scope/"

    def save(d: dict[str, Any]) -> Any:
        scope = _scope_or_new(partnership, request.user)
        baseline = services.baseline_save(scope=scope, organisation=d["organisation"],
                                          annual_cost=d["annual_cost"], staff=d["staff"],
                                          actor=request.user)  # fmt: skip
        if d.get("indicator"):
            services.indicator_add(baseline=baseline, name=d["indicator"],
                                   value=d["indicator_value"], unit=d.get("indicator_unit", ""),
                                   actor=request.user)  # fmt: skip
        return back

    return _form_page(request, partnership, form, save, heading="Add a partner's baseline",
                      button="Save baseline", back=back, success="Baseline saved")  # fmt: skip


@login_required
def constraint_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    form = ConstraintForm(_posted(request))
    back = f"{partnership.get_absolute_url()}procurement/scope/"
    return _form_page(
        request, partnership, form,
        lambda d: services.constraint_add(scope=_scope_or_new(partnership, request.user),
                                          actor=request.user, **d) and back,
        heading="Add a constraint", button="Add constraint", back=back,
        success="Constraint added",
    )  # fmt: skip


# --- options appraisal ---------------------------------------------------------------------


@login_required
def appraisal_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    form = AppraisalForm(_posted(request))
    return _form_page(
        request, partnership, form,
        lambda d: services.appraisal_create(partnership=partnership, actor=request.user,
                                            **d).get_absolute_url(),
        heading="Start an options appraisal", button="Start the appraisal",
        back=f"{partnership.get_absolute_url()}procurement/", success="Options appraisal started",
    )  # fmt: skip


def _appraisal(
    request: HttpRequest, slug: str, pk: int, *, edit: bool
) -> tuple[Partnership, Appraisal]:
    partnership = _editable(request, slug) if edit else _workings(request, slug)
    try:
        return partnership, selectors.appraisal_get(partnership, pk)
    except Appraisal.DoesNotExist:
        raise Http404("No such appraisal") from None


@require_safe
def appraisal_detail_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, appraisal = _appraisal(request, slug, pk, edit=False)
    results = selectors.appraisal_results(appraisal)
    fit = None
    if any(c.kind == CriterionKind.FIT for c in results.criteria):
        from partnering.partnerships.selectors import partnership_fit

        fit = partnership_fit(partnership, viewer=request.user)
    return render(request, "procurement/appraisal.html", {
        "partnership": partnership, "appraisal": appraisal, "results": results, "fit": fit,
        "can_edit": can_edit_procurement(request.user, partnership) and not appraisal.is_agreed,
    })  # fmt: skip


@login_required
def criteria_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, appraisal = _appraisal(request, slug, pk, edit=True)
    initial = {}
    for i, c in enumerate(appraisal.criteria.all(), start=1):
        initial.update({f"name_{i}": c.name, f"kind_{i}": c.kind, f"weight_{i}": c.weight})
    form = CriteriaForm(_posted(request), initial=initial)
    return _form_page(
        request, partnership, form,
        lambda d: services.criteria_set(appraisal=appraisal, criteria=form.criteria(),
                                        actor=request.user) and appraisal.get_absolute_url(),
        heading="Criteria and weights", button="Save criteria", back=appraisal.get_absolute_url(),
        success="Criteria saved", template="procurement/criteria_form.html",
    )  # fmt: skip


@login_required
def option_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, appraisal = _appraisal(request, slug, pk, edit=True)
    from partnering.sharing.selectors import cost_model_list

    form = OptionForm(_posted(request), cost_models=cost_model_list(partnership))

    def save(d: dict[str, Any]) -> Any:
        services.option_add(appraisal=appraisal, actor=request.user, kind=d["kind"],
                            name=d["name"], description=d["description"],
                            upfront_cost=d["upfront_cost"] or 0, annual_cost=d["annual_cost"],
                            cost_source=d["cost_source"], cost_model=d["cost_model"])  # fmt: skip
        return appraisal.get_absolute_url()

    return _form_page(request, partnership, form, save, heading="Add an option",
                      button="Add option", back=appraisal.get_absolute_url(),
                      success="Option added")  # fmt: skip


@login_required
def option_score_view(request: HttpRequest, slug: str, pk: int, option_pk: int) -> HttpResponse:
    partnership, appraisal = _appraisal(request, slug, pk, edit=True)
    try:
        option = appraisal.options.get(pk=option_pk)
    except Option.DoesNotExist:
        raise Http404("No such option") from None
    criteria = [c for c in appraisal.criteria.all() if c.kind != CriterionKind.COST]
    form = ScoreForm(_posted(request), criteria=criteria, scale=appraisal.scale,
                     initial_scores={s.criterion_id: s for s in option.scores.all()})  # fmt: skip

    def save(d: dict[str, Any]) -> Any:
        from django.db import transaction

        with transaction.atomic():
            for c in criteria:
                try:
                    services.score_set(option=option, criterion=c, score=d[f"score_{c.pk}"],
                                       rationale=d[f"rationale_{c.pk}"], actor=request.user)  # fmt: skip
                except DomainError as error:
                    raise DomainError(error.code, f"{c.name}: {error.message}",
                                      f"{error.field}_{c.pk}") from None  # fmt: skip
        return appraisal.get_absolute_url()

    return _form_page(request, partnership, form, save, heading=f"Score ‘{option.name}’",
                      button="Save scores", back=appraisal.get_absolute_url(),
                      success="Scores saved")  # fmt: skip


@login_required
def appraisal_agree_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, appraisal = _appraisal(request, slug, pk, edit=True)
    form = AgreeForm(_posted(request), options=appraisal.options.all())
    return _form_page(
        request, partnership, form,
        lambda d: services.appraisal_agree(appraisal=appraisal, actor=request.user,
                                           **d).get_absolute_url(),
        heading="Record the recommended option", button="Record the agreement",
        back=appraisal.get_absolute_url(), success="Recommended option recorded",
    )  # fmt: skip


# --- procurement ---------------------------------------------------------------------------


@login_required
def procurement_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    people = (
        get_user_model().objects.filter(is_active=True)
        .filter(Q(role__in=["staff", "adviser"])
                | Q(organisations__memberships__partnership=partnership))
        .distinct().order_by("last_name", "first_name", "username")
    )  # fmt: skip
    form = ProcurementForm(_posted(request), organisations=_members(partnership), panel=people)

    def save(d: dict[str, Any]) -> Any:
        return services.procurement_create(partnership=partnership, actor=request.user,
                                           **d).get_absolute_url()  # fmt: skip

    return _form_page(request, partnership, form, save, heading="Start a procurement",
                      button="Start the procurement",
                      back=f"{partnership.get_absolute_url()}procurement/",
                      success="Procurement started")  # fmt: skip


def _procurement(
    request: HttpRequest, slug: str, pk: int, *, edit: bool
) -> tuple[Partnership, Procurement]:
    partnership = _editable(request, slug) if edit else partnership_for_viewing(request.user, slug)
    try:
        return partnership, selectors.procurement_get(partnership, pk)
    except Procurement.DoesNotExist:
        raise Http404("No such procurement") from None


@require_safe
def procurement_detail_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=False)
    award, contract = selectors.award_and_contract(procurement)
    done = [s.stage for s in procurement.stages.all()]
    upcoming = next_stage(procurement.route_info, done)
    show_scores = can_view_scores(request.user, procurement)
    return render(request, "procurement/procurement.html", {
        "partnership": partnership, "procurement": procurement, "award": award,
        "contract": contract, "next_stage": upcoming,
        "next_label": STAGE_LABELS.get(upcoming or "", ""),
        "route_stages": [STAGE_LABELS[s] for s in procurement.route_info.stages],
        "evaluation": selectors.evaluation_table(procurement) if show_scores else None,
        "show_scores": show_scores, "can_score": can_score(request.user, procurement)
        and not procurement.is_awarded,
        "can_edit": can_edit_procurement(request.user, partnership),
        "workings": can_view_workings(request.user, partnership),
        "ocid": ocds.ocid_of(procurement.process_id) if ocds.is_publishing() else "",
        "end": services.current_end(contract) if contract else None,
    })  # fmt: skip


@login_required
def stage_record_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    upcoming = next_stage(procurement.route_info, [s.stage for s in procurement.stages.all()])
    if upcoming == Stage.AWARD and request.method == "GET":
        return redirect(f"{procurement.get_absolute_url()}award/")
    if upcoming == Stage.SIGNED and request.method == "GET":
        return redirect(f"{procurement.get_absolute_url()}contract/")
    form = StageForm(_posted(request), stages=procurement.route_info.stages,
                     initial={"stage": upcoming})  # fmt: skip
    return _form_page(
        request, partnership, form,
        lambda d: services.stage_record(procurement=procurement, actor=request.user, **d)
        and procurement.get_absolute_url(),
        heading="Record a stage", button="Record the stage", back=procurement.get_absolute_url(),
        success="Stage recorded",
        context={"intro": f"Stages of the {procurement.get_route_display()} come in this order: "
                 + ", ".join(STAGE_LABELS[s] for s in procurement.route_info.stages) + "."},
    )  # fmt: skip


@login_required
def bidder_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    organisations = Organisation.objects.exclude(
        kind__in=["county", "district", "unitary"]
    ).order_by("name")
    form = BidderForm(_posted(request), organisations=organisations)
    return _form_page(
        request, partnership, form,
        lambda d: services.bidder_add(procurement=procurement, actor=request.user, **d)
        and procurement.get_absolute_url(),
        heading="Add a bidder", button="Add bidder", back=procurement.get_absolute_url(),
        success="Bidder added",
    )  # fmt: skip


@login_required
def evaluation_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=False)
    require_on(partnership, can_score(request.user, procurement), SCORE_DENIED)
    criteria = list(procurement.evaluation_criteria.all())
    bidders = [b for b in procurement.bidders.all() if b.tendered]
    form = EvaluationForm(_posted(request), bidders=bidders, criteria=criteria,
                          scores=selectors.evaluation_scores(procurement))  # fmt: skip

    def save(d: dict[str, Any]) -> Any:
        from django.db import transaction

        with transaction.atomic():
            for name, b, c in form.cells:
                if d.get(name) is None:
                    continue
                try:
                    services.evaluation_score_set(bidder=b, criterion=c, score=d[name],
                                                  actor=request.user)  # fmt: skip
                except DomainError as error:
                    raise DomainError(error.code, error.message, name) from None
        return procurement.get_absolute_url()

    return _form_page(request, partnership, form, save, heading="Evaluation scores",
                      button="Save scores", back=procurement.get_absolute_url(),
                      success="Scores saved", template="procurement/evaluation.html",
                      context={"criteria": criteria, "procurement": procurement})  # fmt: skip


@login_required
def evaluation_criteria_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=False)
    require_on(partnership, can_score(request.user, procurement), SCORE_DENIED)
    initial = {}
    for i, c in enumerate(procurement.evaluation_criteria.all(), start=1):
        initial.update({f"name_{i}": c.name, f"kind_{i}": "other", f"weight_{i}": c.weight})
    form = CriteriaForm(_posted(request), initial=initial)
    for i in range(1, 7):
        form.fields.pop(f"kind_{i}")
    return _form_page(
        request, partnership, form,
        lambda d: services.evaluation_criteria_set(procurement=procurement,
                                                   criteria=form.criteria(), actor=request.user)
        and procurement.get_absolute_url(),
        heading="Evaluation criteria and weights", button="Save criteria",
        back=procurement.get_absolute_url(), success="Evaluation criteria saved",
        template="procurement/criteria_form.html",
    )  # fmt: skip


@login_required
def award_record_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    if procurement.is_exempt:
        suppliers = Organisation.objects.filter(sector="public").order_by("name")
    else:
        suppliers = Organisation.objects.filter(
            pk__in=procurement.bidders.filter(tendered=True).values("organisation")
        )
    form = AwardForm(_posted(request), suppliers=suppliers)
    return _form_page(
        request, partnership, form,
        lambda d: services.award_record(procurement=procurement, actor=request.user, **d)
        and procurement.get_absolute_url(),
        heading="Record the award decision", button="Record the award",
        back=procurement.get_absolute_url(), success="Award recorded",
    )  # fmt: skip


@login_required
def contract_sign_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    form = ContractForm(_posted(request), initial={"title": procurement.title})
    return _form_page(
        request, partnership, form,
        lambda d: services.contract_sign(procurement=procurement, actor=request.user, **d)
        and procurement.get_absolute_url(),
        heading="Record the signed contract", button="Record the contract",
        back=procurement.get_absolute_url(), success="Contract recorded",
    )  # fmt: skip


def _contract(procurement: Procurement) -> Contract:
    try:
        return Contract.objects.select_related("award", "procurement").get(procurement=procurement)
    except Contract.DoesNotExist:
        raise Http404("No contract yet") from None


@login_required
def contract_change_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    contract = _contract(procurement)
    form = ContractChangeForm(_posted(request))

    def save(d: dict[str, Any]) -> Any:
        services.contract_change_add(contract=contract, actor=request.user, kind=d["kind"],
                                     on=d["on"], description=d["description"],
                                     new_end=d["new_end"], value_change=d["value_change"] or 0)  # fmt: skip
        return procurement.get_absolute_url()

    return _form_page(request, partnership, form, save, heading="Record an extension or amendment",
                      button="Record the change", back=procurement.get_absolute_url(),
                      success="Change recorded")  # fmt: skip


# --- management arrangements ---------------------------------------------------------------


@require_safe
def arrangement_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _workings(request, slug)
    _, procurement = _procurement(request, slug, pk, edit=False)
    contract = _contract(procurement)
    arrangement = selectors.arrangement_of(contract)
    kpis = []
    if arrangement is not None:
        for kpi in arrangement.kpis.all():
            values = list(kpi.values.all())
            top = max([float(kpi.target), *(float(v.value) for v in values)]) or 1.0
            bars = [(v, round(160 * float(v.value) / top, 1),
                     (v.value >= kpi.target) == kpi.higher_is_better or v.value == kpi.target)
                    for v in values]  # fmt: skip
            kpis.append((kpi, bars, round(160 * float(kpi.target) / top, 1)))
    return render(request, "procurement/arrangement.html", {
        "partnership": partnership, "procurement": procurement, "contract": contract,
        "arrangement": arrangement, "kpis": kpis,
        "can_edit": can_edit_procurement(request.user, partnership),
    })  # fmt: skip


@login_required
def arrangement_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    contract = _contract(procurement)
    current = selectors.arrangement_of(contract)
    initial = {f: getattr(current, f) for f in ("board_name", "meeting_frequency", "client_team",
               "payment_mechanism", "next_review_on")} if current else {}  # fmt: skip
    form = ArrangementForm(_posted(request), initial=initial)
    back = f"{procurement.get_absolute_url()}arrangements/"
    return _form_page(
        request, partnership, form,
        lambda d: services.arrangement_save(contract=contract, actor=request.user, **d) and back,
        heading="Management arrangements", button="Save arrangements", back=back,
        success="Management arrangements saved",
    )  # fmt: skip


def _arrangement_or_404(procurement: Procurement) -> Any:
    arrangement = selectors.arrangement_of(_contract(procurement))
    if arrangement is None:
        raise Http404("Set the management arrangements first")
    return arrangement


@login_required
def board_member_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    arrangement = _arrangement_or_404(procurement)
    contract = arrangement.contract
    ids = {procurement.buyer_id, contract.award.supplier_id,
           *procurement.other_buyers.values_list("pk", flat=True)}  # fmt: skip
    form = BoardMemberForm(_posted(request),
                           organisations=Organisation.objects.filter(pk__in=ids).order_by("name"))  # fmt: skip
    back = f"{procurement.get_absolute_url()}arrangements/"
    return _form_page(
        request, partnership, form,
        lambda d: services.board_member_add(arrangement=arrangement, actor=request.user, **d)
        and back,
        heading="Add a board member", button="Add member", back=back, success="Member added",
    )  # fmt: skip


@login_required
def kpi_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    arrangement = _arrangement_or_404(procurement)
    form = KPIForm(_posted(request))
    back = f"{procurement.get_absolute_url()}arrangements/"
    return _form_page(
        request, partnership, form,
        lambda d: services.kpi_add(arrangement=arrangement, actor=request.user, **d) and back,
        heading="Add a performance indicator", button="Add indicator", back=back,
        success="Indicator added",
    )  # fmt: skip


@login_required
def kpi_value_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership, procurement = _procurement(request, slug, pk, edit=True)
    arrangement = _arrangement_or_404(procurement)
    form = KPIValueForm(_posted(request), kpis=arrangement.kpis.all())
    back = f"{procurement.get_absolute_url()}arrangements/"
    return _form_page(
        request, partnership, form,
        lambda d: services.kpi_value_record(actor=request.user, **d) and back,
        heading="Report performance", button="Save the value", back=back,
        success="Value recorded",
    )  # fmt: skip
