"""Thin views of the sharing room: fetch through the partnership's visibility rule, check the verb,
call a service, render stored results (a GET never runs the engine)."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from partnering.core.audit import history_entries
from partnering.core.dates import govuk_month
from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.permissions import require
from partnering.core.templatetags.govuk import form_errors
from partnering.partnerships.access import partnership_for_editing, partnership_for_viewing
from partnering.partnerships.models import Partnership
from partnering.partnerships.selectors import members_on

from . import exports, presenters, selectors
from .forms import (
    MAX_COMPONENTS,
    AgreementForm,
    ComponentFormSet,
    CostModelDetailsForm,
    FiguresForm,
    NewVersionForm,
    RiskScenarioForm,
)
from .models import METHOD_NAMES, CostModel, ProportionalBasis, SharingRuleKind
from .permissions import can_edit_shares, can_view_shares_history
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
    spec_for_members,
    spec_from_cost_model,
    starting_value,
    starting_weight,
)

EDIT_MESSAGE = "Only the partnership's current members, its advisers and taskforce staff can change its shares."


def _version(partnership: Partnership, version: int) -> CostModel:
    try:
        return selectors.cost_model_get(partnership, version)
    except CostModel.DoesNotExist:
        raise Http404("No such version of the cost model") from None


def _errors_of(forms: Iterable[Any], extra: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(href, message) for a page with several forms (formsets included)."""
    found: list[tuple[str, str]] = []
    for form in forms:
        # In the summary a component's error names its component ("Component 2: ..."). Each
        # field gives its first error only, as on a single form (GOV.UK: one error per field).
        index = (form.prefix or "").removeprefix("components-")
        named = f"Component {int(index) + 1}: " if index.isdigit() else ""
        found.extend((item["href"], named + item["text"]) for item in form_errors(form))
    found.extend(("#main-content", message) for message in extra)
    return found


def _common(partnership: Partnership, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "can_edit": can_edit_shares(request.user, partnership),
        **extra,
    }


# --- overview ----------------------------------------------------------------------------------


@require_safe
def overview_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    versions = list(selectors.cost_model_list(partnership))
    agreements = list(selectors.agreement_list(partnership)[:5])
    context = _common(
        partnership, request, versions=versions, agreements=agreements,
        latest=versions[0] if versions else None,
    )  # fmt: skip
    return render(request, "sharing/overview.html", context)


# --- creating and editing cost models ---------------------------------------------------------------


def _component_specs(formset: Any, old: dict[str, ComponentSpec]) -> list[ComponentSpec]:
    specs = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get("name") or data.get("kind")):
            continue
        before = old.get(data.get("original") or "") or old.get(data["name"])
        specs.append(
            ComponentSpec(
                kind=data["kind"],
                name=data["name"],
                values=dict(before.values) if before else {},
                fixed_cost=data.get("fixed_cost") or Decimal(0),
                curve_type=data.get("curve_type") or "",
                curve_scale=data.get("curve_scale"),
                curve_exponent=data.get("curve_exponent"),
                curve_breaks=data.get("curve_breaks") or [],
                needed_by_all=bool(data.get("needed_by_all")),
            )
        )
    return specs


def _adding_a_component(request: HttpRequest) -> bool:
    return request.method == "POST" and "add_component" in request.POST


def _with_another_component(request: HttpRequest, details: Any, **kwargs: Any) -> Any:
    """ "Add another component" (works without script): the same form again with one more empty
    component and what was typed kept, nothing saved and no errors shown yet."""
    data = request.POST.copy()
    try:
        total = int(data.get("components-TOTAL_FORMS", ""))
    except ValueError:
        total = 0
    data["components-TOTAL_FORMS"] = str(max(0, min(total + 1, MAX_COMPONENTS)))
    formset = ComponentFormSet(data, prefix="components", **kwargs)
    if not formset.management_form.is_valid():
        return ComponentFormSet(prefix="components", **kwargs)
    for form in [details, *formset.forms]:
        form._errors = ErrorDict()  # not validated yet: the person is still filling it in
        form.cleaned_data = {}
    formset._non_form_errors = formset.error_class()
    formset._errors = [ErrorDict() for _ in formset.forms]
    return formset


def _component_initial(spec: CostModelSpec) -> list[dict[str, Any]]:
    return [
        {
            "original": c.name,
            "name": c.name,
            "kind": c.kind,
            "fixed_cost": c.fixed_cost if c.kind == "pooled" else None,
            "curve_type": c.curve_type,
            "curve_scale": c.curve_scale,
            "curve_exponent": c.curve_exponent,
            "curve_breaks": ", ".join(f"{d:g}:{v:g}" for d, v in c.curve_breaks),
            "needed_by_all": c.needed_by_all,
        }
        for c in spec.components
    ]


@login_required
def cost_model_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The first version (details and components), or a new version copied from the latest."""
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_edit_shares, message=EDIT_MESSAGE
    )
    latest = CostModel.objects.filter(partnership=partnership).order_by("-version").first()
    if latest is not None:
        return _new_version(request, partnership, latest)
    today = timezone.localdate()
    details = CostModelDetailsForm(
        request.POST or None,
        initial={
            "title": f"Shared services cost model for {partnership.name}",
            "effective_on": min(partnership.start_date or today, today),
            "proportional_basis": ProportionalBasis.WEIGHTS,
            "weight_measure": "population",
            "is_illustrative": True,
        },
    )
    formset = ComponentFormSet(request.POST or None, prefix="components")
    adding = _adding_a_component(request)
    if adding:
        formset = _with_another_component(request, details)
    problems: list[str] = []
    if request.method == "POST" and not adding and details.is_valid() and formset.is_valid():
        data = details.cleaned_data
        organisations = [m.organisation for m in members_on(partnership, data["effective_on"])]
        spec = CostModelSpec(
            title=data["title"],
            effective_on=data["effective_on"],
            demand_measure=data["demand_measure"],
            weight_measure=data["weight_measure"],
            proportional_basis=data["proportional_basis"],
            is_illustrative=data["is_illustrative"],
            members=[MemberSpec(o, starting_weight(o)) for o in organisations],
            components=_component_specs(formset, {}),
        )
        for component in spec.components:
            component.values = {o.pk: starting_value() for o in organisations}
        try:
            cost_model = cost_model_create(
                partnership=partnership, spec=spec, calculate=False, allow_missing=True,
                actor=request.user, change_reason="First version of the cost model",
            )  # fmt: skip
        except DomainError as error:
            if error.field in details.fields:
                details.add_error(error.field, error.message)
            else:
                problems.append(error.message)
        else:
            messages.success(request, "Cost model created: now enter each member's figures")
            return redirect("sharing:figures-edit", slug=slug, version=cost_model.version)
    context = _common(
        partnership, request, details=details, formset=formset,
        error_list=_errors_of([details, *formset.forms], [*formset.non_form_errors(), *problems]),
        heading="Set up the cost model", max_components=MAX_COMPONENTS,
    )  # fmt: skip
    return render(request, "sharing/cost_model_form.html", context)


def _new_version(request: HttpRequest, partnership: Partnership, latest: CostModel) -> HttpResponse:
    today = timezone.localdate()
    form = NewVersionForm(
        request.POST or None,
        initial={
            "title": f"{partnership.name}: revised {govuk_month(today)}",
            "effective_on": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisations = [m.organisation for m in members_on(partnership, data["effective_on"])]
        spec = spec_for_members(
            base=latest, organisations=organisations, effective_on=data["effective_on"]
        )
        spec.title = data["title"]
        try:
            cost_model = cost_model_create(
                partnership=partnership, spec=spec, change_reason=data["reason"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Version {cost_model.version} started from version {latest.version}"
            )
            return redirect(cost_model)
    return render(
        request, "sharing/new_version.html", _common(partnership, request, form=form, latest=latest)
    )


@login_required
def cost_model_edit_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_edit_shares, message=EDIT_MESSAGE
    )
    cost_model = _version(partnership, version)
    if not cost_model.is_draft:
        return render(
            request, "sharing/locked.html", _common(partnership, request, cost_model=cost_model)
        )
    spec = spec_from_cost_model(cost_model)
    details = CostModelDetailsForm(
        request.POST or None,
        initial={
            "title": spec.title, "effective_on": spec.effective_on,
            "demand_measure": spec.demand_measure, "weight_measure": spec.weight_measure,
            "proportional_basis": spec.proportional_basis, "is_illustrative": spec.is_illustrative,
        },
    )  # fmt: skip
    formset = ComponentFormSet(
        request.POST or None, prefix="components", initial=_component_initial(spec)
    )
    adding = _adding_a_component(request)
    if adding:
        formset = _with_another_component(request, details, initial=_component_initial(spec))
    problems: list[str] = []
    if request.method == "POST" and not adding and details.is_valid() and formset.is_valid():
        data = details.cleaned_data
        old = {c.name: c for c in spec.components}
        new_spec = CostModelSpec(
            title=data["title"], effective_on=data["effective_on"],
            demand_measure=data["demand_measure"], weight_measure=data["weight_measure"],
            proportional_basis=data["proportional_basis"], is_illustrative=data["is_illustrative"],
            members=spec.members, components=_component_specs(formset, old),
        )  # fmt: skip
        for component in new_spec.components:
            for member in spec.members:
                component.values.setdefault(member.organisation.pk, starting_value())
        try:
            cost_model_update(
                cost_model=cost_model,
                spec=new_spec,
                reason="Components changed",
                allow_missing=True,
                actor=request.user,
            )
        except DomainError as error:
            if error.field in details.fields:
                details.add_error(error.field, error.message)
            else:
                problems.append(error.message)
        else:
            messages.success(request, "Cost model saved")
            return redirect(cost_model)
    context = _common(
        partnership, request, cost_model=cost_model, details=details, formset=formset,
        error_list=_errors_of([details, *formset.forms], [*formset.non_form_errors(), *problems]),
        heading=f"Change version {cost_model.version}", max_components=MAX_COMPONENTS,
    )  # fmt: skip
    return render(request, "sharing/cost_model_form.html", context)


@login_required
def figures_edit_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_edit_shares, message=EDIT_MESSAGE
    )
    cost_model = _version(partnership, version)
    if not cost_model.is_draft:
        return render(
            request, "sharing/locked.html", _common(partnership, request, cost_model=cost_model)
        )
    spec = spec_from_cost_model(cost_model)
    members = selectors.member_inputs(cost_model)
    components = list(cost_model.components.all())
    uses_weights = cost_model.proportional_basis == ProportionalBasis.WEIGHTS
    initial: dict[str, Any] = {}
    for member in spec.members:
        oid = member.organisation.pk
        initial[f"weight_{oid}"] = member.weight
        for index, component in enumerate(spec.components):
            initial[f"value_{index}_{oid}"] = component.values.get(oid)
    form = FiguresForm(
        request.POST or None, initial=initial, members=members, components=components,
        weight_measure=cost_model.weight_measure, uses_weights=uses_weights,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for member in spec.members:
            oid = member.organisation.pk
            if uses_weights:
                member.weight = data[f"weight_{oid}"]
            for index, component in enumerate(spec.components):
                component.values[oid] = data[f"value_{index}_{oid}"]
        try:
            updated = cost_model_update(
                cost_model=cost_model, spec=spec, reason="Figures changed", actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            calculation = selectors.calculation_of(updated)
            messages.success(request, "Figures saved. " + _calculation_message(calculation))
            return redirect(cost_model)
    context = _common(partnership, request, cost_model=cost_model, form=form, components=components)
    return render(request, "sharing/figures_form.html", context)


# --- the shares page ----------------------------------------------------------------------------------


@require_safe
def shares_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """Every method side by side, the chart, core check, savings and explanations (stored)."""
    partnership = partnership_for_viewing(request.user, slug)
    cost_model = _version(partnership, version)
    calculation = selectors.calculation_of(cost_model)
    agreement = selectors.latest_agreement(cost_model)
    inputs = selectors.inputs_table(cost_model)
    missing = missing_in_version(cost_model, inputs)
    view = (
        presenters.shares_view(calculation, agreement)
        if calculation and calculation.is_done and not missing
        else None
    )
    tables = {"inputs": presenters.inputs_cells(inputs, cost_model)}
    if view:
        tables |= {
            "methods": presenters.methods_table(view, agreed=agreement is not None),
            "core": presenters.core_table(view),
            "savings": presenters.savings_table(view),
        }
    chart_marks = presenters.chart_marks(view.chart) if view else ""
    context = _common(
        partnership, request, cost_model=cost_model, calculation=calculation, view=view,
        tables=tables, chart_marks=chart_marks,
        missing=missing, fixed_cost_notes=presenters.fixed_cost_notes(inputs) if view else [],
        zero_share_warning=presenters.zero_share_warning(calculation, cost_model) if view else "",
        decision=presenters.decision(view, agreement) if view else None,
        agreement=agreement, inputs=inputs,
        is_fresh=bool(calculation and calculation.is_fresh),
        change_label=selectors.change_label(cost_model),
    )  # fmt: skip
    return render(request, "sharing/shares.html", context)


@require_POST
@login_required
def calculate_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_edit_shares, message=EDIT_MESSAGE
    )
    cost_model = _version(partnership, version)
    try:
        calculation = calculation_request(cost_model=cost_model, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sharing:figures-edit", slug=slug, version=version)
    messages.success(request, _calculation_message(calculation))
    return redirect(cost_model)


def _calculation_message(calculation: Any) -> str:
    """What the person is told after asking for shares: done now, or queued for the worker."""
    if calculation is not None and calculation.is_pending:
        return "Calculating the shares in the background: refresh the page to see them"
    if calculation is not None and calculation.is_done:
        return "Shares calculated"
    return "The shares could not be calculated: see the message on the page"


@login_required
def agreement_create_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_edit_shares, message=EDIT_MESSAGE
    )
    cost_model = _version(partnership, version)
    calculation = selectors.calculation_of(cost_model)
    missing = missing_in_version(cost_model)
    ready = bool(calculation and calculation.is_fresh and not missing)
    view = presenters.shares_view(calculation) if ready and calculation else None
    form = AgreementForm(
        request.POST or None,
        methods=view.available if view else [],
        amounts=presenters.amounts_by_method(view) if view else None,
        initial={"agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and ready and form.is_valid():
        try:
            agreement = agreement_record(
                cost_model=cost_model, method=form.cleaned_data["method"],
                agreed_on=form.cleaned_data["agreed_on"], reason=form.cleaned_data["reason"],
                actor=request.user,
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Agreement version {agreement.version} recorded: {agreement.get_method_display()}",
            )
            return redirect("sharing:agreement-list", slug=slug)
    context = _common(
        partnership, request, cost_model=cost_model, form=form, view=view, ready=ready,
        missing=missing,
    )  # fmt: skip
    return render(request, "sharing/agreement_form.html", context)


@require_safe
def agreement_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    agreements = list(selectors.agreement_list(partnership))
    return render(
        request, "sharing/agreement_list.html", _common(partnership, request, agreements=agreements)
    )


@require_safe
def compare_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    cost_model = _version(partnership, version)
    result = selectors.comparison(cost_model, request.GET.get("method"))
    context = _common(
        partnership, request, cost_model=cost_model, comparison=result,
        methods=[(m, METHOD_NAMES[m]) for m in METHOD_NAMES],
        change_label=selectors.change_label(cost_model),
    )  # fmt: skip
    return render(request, "sharing/compare.html", context)


# --- risk and reward ---------------------------------------------------------------------------------


def _risk_bases(cost_model: CostModel) -> list[tuple[str, str]]:
    bases = []
    if cost_model.agreements.exists():
        bases.append(("agreed", "The agreed split"))
    calculation = selectors.calculation_of(cost_model)
    if calculation and calculation.is_done:
        bases += [
            (m, METHOD_NAMES[m])
            for m in METHOD_NAMES
            if calculation.results.get(m, {}).get("available")
        ]
    return bases


def risk_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    cost_model = _version(partnership, version)
    can_edit = can_edit_shares(request.user, partnership)
    if request.method == "POST":
        require(can_edit, EDIT_MESSAGE)
    components = list(cost_model.components.all())
    form = None
    if can_edit:
        form = RiskScenarioForm(
            request.POST or None, bases=_risk_bases(cost_model), components=components,
            initial={"rule": SharingRuleKind.PROPORTIONAL, "band_limit": 10, "band_share": 50},
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            estimates = [
                EstimateSpec(component.name, data[low], data[likely], data[high])
                for component, (low, likely, high) in form.estimate_rows
            ]
            pain: list[tuple[float | None, float]] = []
            gain: list[tuple[float | None, float]] = []
            if data["rule"] == SharingRuleKind.PAIN_GAIN:
                share = float(data["band_share"]) / 100
                pain = [(float(data["band_limit"]) / 100, share), (None, 1.0)]
                gain = [(None, share)]
            try:
                risk_scenario_create(
                    cost_model=cost_model, name=data["name"], split_basis=data["split_basis"],
                    rule=data["rule"], estimates=estimates, cap=data.get("cap"),
                    target=data.get("target"), pain_bands=pain, gain_bands=gain, actor=request.user,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Scenario ‘{data['name']}’ added")
                return redirect("sharing:risk", slug=slug, version=version)
    context = _common(
        partnership, request, cost_model=cost_model, form=form,
        scenarios=presenters.scenario_rows(selectors.risk_scenarios(cost_model)),
    )  # fmt: skip
    return render(request, "sharing/risk.html", context)


# --- downloads ------------------------------------------------------------------------------------


@require_safe
def download_view(
    request: HttpRequest, slug: str, version: int, table: str, fmt: str
) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    cost_model = _version(partnership, version)
    found = (
        exports.version_table(cost_model, table, request.GET.get("method"))
        if table in exports.TABLES and fmt in exports.FORMATS
        else None
    )
    if found is None:
        raise Http404("No such download, or the shares have not been calculated yet")
    filename = f"{partnership.slug}-v{cost_model.version}-{table}.{fmt}"
    return exports.response(found, filename, fmt)


@require_safe
def agreement_download_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404("No such download")
    return exports.response(
        exports.agreements_table(partnership), f"{partnership.slug}-agreements.{fmt}", fmt
    )


@require_safe
def history_view(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    require(can_view_shares_history(request.user), "Only taskforce staff can see change history.")
    partnership = partnership_for_viewing(request.user, slug)
    cost_model = _version(partnership, version)
    context = _common(
        partnership, request, cost_model=cost_model, entries=history_entries(cost_model),
        agreements=[(a, history_entries(a)) for a in cost_model.agreements.all()],
    )  # fmt: skip
    return render(request, "sharing/history.html", context)
