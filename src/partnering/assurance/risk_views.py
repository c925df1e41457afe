"""Pages of the risk registers, the programme view and the matrices (thin: forms in, services
write, selectors read)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.paging import paginate
from partnering.core.permissions import require
from partnering.partnerships.access import partnership_for_viewing, require_on
from partnering.partnerships.models import Partnership, Stage

from . import presenters, selectors, services
from .forms import (
    MatrixForm,
    RiskAcceptForm,
    RiskActionForm,
    RiskActionStatusForm,
    RiskEscalateForm,
    RiskForm,
)
from .models import Recommendation, Risk, RiskCategory, RiskMatrix, RiskRegister
from .permissions import (
    can_edit_register,
    can_manage_matrices,
    can_view_assurance,
    can_view_programme,
)
from .views import _posted, owner_choices

REGISTER_DENIED = "Only the partnership's current members, its advisers and taskforce staff can change its risk register."


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = partnership_for_viewing(request.user, slug)
    if not can_view_assurance(request.user, partnership):
        raise Http404("No such register")
    return partnership


def _editable(request: HttpRequest, slug: str) -> Partnership:
    partnership = _partnership(request, slug)
    require_on(partnership, can_edit_register(request.user, partnership), REGISTER_DENIED)
    return partnership


def _risk(partnership: Partnership, number: int) -> Risk:
    register = selectors.register_of(partnership)
    if register is None:
        raise Http404("No such risk")
    try:
        return selectors.risk_detail(register, number)
    except Risk.DoesNotExist:
        raise Http404("No such risk") from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 3 else None


@login_required
@require_safe
def register_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    register = selectors.register_of(partnership)
    likelihood, impact = _int(request.GET.get("likelihood")), _int(request.GET.get("impact"))
    context: dict[str, Any] = {
        "partnership": partnership,
        "register": register,
        "can_edit": can_edit_register(request.user, partnership),
        "likelihood": likelihood,
        "impact": impact,
    }
    if register is not None:
        risks = selectors.risks_of(register, likelihood=likelihood, impact=impact)
        rows = presenters.risk_rows(risks, register.matrix, partnership)
        newest = services.matrix_current(register.matrix.programme)
        context |= {
            "newer_matrix": newest if newest.version > register.matrix.version else None,
            "risks": rows,
            "top": rows[:5] if not (likelihood or impact) else [],
            "heat": selectors.heat_map(register),
        }  # fmt: skip
    return render(request, "assurance/register.html", context)


@login_required
def register_matrix_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the register onto the programme's newest matrix: what changes for each risk first."""
    partnership = _editable(request, slug)
    register = selectors.register_of(partnership)
    if register is None:
        raise Http404("This partnership has no risk register yet")
    newest = services.matrix_current(register.matrix.programme)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.register_move_matrix(register=register, matrix=newest, actor=request.user)
        except DomainError as error:
            problems.append(error.message)
        else:
            messages.success(
                request, f"The register is now scored on matrix version {newest.version}"
            )
            return redirect("assurance:risk-register", partnership.slug)
    preview = services.register_rebase_preview(register, newest)

    def yes_no(value: bool | None) -> str:
        return "Not on this scale" if value is None else ("Yes" if value else "No")

    rows = [
        [
            {"text": f"R{r.number}", "header": True},
            {"text": r.current_score, "format": "numeric"},
            {"text": r.old_band},
            {"text": r.new_band or "Not on this scale"},
            {"text": yes_no(r.was_above)},
            {"text": yes_no(r.now_above)},
        ]
        for r in preview
    ]
    return render(request, "assurance/register_matrix.html", {
        "partnership": partnership, "register": register, "newest": newest,
        "is_newer": newest.version > register.matrix.version, "rows": rows,
        "head": [{"text": "Risk"}, {"text": "Current score", "format": "numeric"},
                 {"text": f"Band on version {register.matrix.version}"},
                 {"text": f"Band on version {newest.version}"},
                 {"text": f"Above tolerance on {register.matrix.version}"},
                 {"text": f"Above tolerance on {newest.version}"}],
        "move_label": f"Move the register to version {newest.version}",
        "changed": sum(1 for r in preview if r.fits and (r.old_band != r.new_band or r.was_above != r.now_above)),
        "beyond": [f"R{r.number}" for r in preview if not r.fits],
        "error_list": [{"text": m, "href": "#move"} for m in problems],
    })  # fmt: skip


def _risk_form(request: HttpRequest, partnership: Partnership, matrix: RiskMatrix,
               **kwargs: Any) -> RiskForm:  # fmt: skip
    from partnering.sharing.models import RiskScenario

    return RiskForm(
        _posted(request),
        matrix=matrix,
        owners=owner_choices(partnership),
        scenarios=RiskScenario.objects.filter(cost_model__partnership=partnership),
        recs=Recommendation.objects.filter(review__partnership=partnership).select_related(
            "review"
        ),
        **kwargs,
    )


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], list[Any], str]:
    data = dict(data)
    recs = list(data.pop("recommendations", []) or [])
    note = data.pop("note", "") or ""
    return data, recs, note


@login_required
def risk_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _editable(request, slug)
    register = selectors.register_of(partnership)
    matrix = register.matrix if register else services.matrix_current()
    form = _risk_form(request, partnership, matrix)
    if request.method == "POST" and form.is_valid():
        data, recs, _note = _split(form.cleaned_data)
        try:
            risk = services.risk_create(partnership=partnership, data=data, recommendations=recs,
                                        actor=request.user)  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Risk R{risk.number} added")
            return redirect("assurance:risk-detail", partnership.slug, risk.number)
    return render(request, "assurance/risk_form.html",
                  {"form": form, "partnership": partnership, "risk": None, "matrix": matrix})  # fmt: skip


@login_required
@require_safe
def risk_detail_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    risk = _risk(partnership, number)
    matrix = risk.register.matrix
    return render(
        request,
        "assurance/risk_detail.html",
        {
            "partnership": partnership,
            "risk": risk,
            "row": presenters.risk_rows([risk], matrix, partnership)[0],
            "trend": presenters.trend(list(risk.scores.all()), matrix),
            "can_edit": can_edit_register(request.user, partnership),
            "matrix": matrix,
        },
    )


@login_required
def risk_edit_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    partnership = _editable(request, slug)
    risk = _risk(partnership, number)
    initial = {f: getattr(risk, f) for f in services.RISK_FIELDS}
    initial["recommendations"] = list(risk.recommendations.all())
    form = _risk_form(request, partnership, risk.register.matrix, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, recs, note = _split(form.cleaned_data)
        try:
            services.risk_update(risk=risk, data=data, recommendations=recs, note=note,
                                 actor=request.user)  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Risk R{risk.number} saved")
            return redirect("assurance:risk-detail", partnership.slug, risk.number)
    return render(request, "assurance/risk_form.html",
                  {"form": form, "partnership": partnership, "risk": risk,
                   "matrix": risk.register.matrix})  # fmt: skip


def _risk_step(template: str, form_class: Any, act: Any, done: str, **form_kwargs: Any) -> Any:
    @login_required
    def view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
        partnership = _editable(request, slug)
        risk = _risk(partnership, number)
        extra = {"owners": owner_choices(partnership)} if form_kwargs.get("owners") else {}
        form = form_class(_posted(request), **extra)
        if request.method == "POST" and form.is_valid():
            try:
                act(risk, form.cleaned_data, request)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return redirect("assurance:risk-detail", partnership.slug, risk.number)
        return render(request, template, {"form": form, "partnership": partnership, "risk": risk,
                                          "escalating": not risk.is_escalated})  # fmt: skip

    return view


risk_action_add_view = _risk_step(
    "assurance/risk_step.html", RiskActionForm,
    lambda risk, data, request: services.risk_action_add(risk=risk, actor=request.user, **data),
    "Action added", owners=True,
)  # fmt: skip


@login_required
def risk_action_status_view(
    request: HttpRequest, slug: str, number: int, action_id: int
) -> HttpResponse:
    """Mark an action treating a risk open, in progress or done."""
    partnership = _editable(request, slug)
    risk = _risk(partnership, number)
    action = get_object_or_404(risk.actions.select_related("owner"), pk=action_id)
    form = RiskActionStatusForm(_posted(request), initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.risk_action_update(
                action=action, status=form.cleaned_data["status"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Action marked {action.get_status_display().lower()}")
            return redirect("assurance:risk-detail", partnership.slug, risk.number)
    return render(request, "assurance/risk_action_status.html",
                  {"form": form, "partnership": partnership, "risk": risk, "action": action})  # fmt: skip


risk_accept_view = _risk_step(
    "assurance/risk_accept.html", RiskAcceptForm,
    lambda risk, data, request: services.risk_accept(risk=risk, actor=request.user, **data),
    "Acceptance recorded",
)  # fmt: skip
risk_escalate_view = _risk_step(
    "assurance/risk_escalate.html", RiskEscalateForm,
    lambda risk, data, request: services.risk_escalate(
        risk=risk, reason=data["reason"], escalate=not risk.is_escalated, actor=request.user),
    "Escalation recorded",
)  # fmt: skip


REGISTER_HEADER = ["Number", "Title", "Cause", "Event", "Effect", "Category", "Owner", "Proximity",
                   "Inherent likelihood", "Inherent impact", "Inherent score",
                   "Current likelihood", "Current impact", "Current score",
                   "Target likelihood", "Target impact", "Target score", "Band",
                   "Above tolerance", "Treatment", "Status", "Escalated", "Escalation reason"]  # fmt: skip


@login_required
@require_safe
def register_download_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from partnering.core.exports import about_lines, csv_response, figures_words, xlsx_response

    partnership = _partnership(request, slug)
    register = selectors.register_of(partnership)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("No such download")
    risks = list(
        selectors.risks_of(register, include_closed=True) if register else Risk.objects.none()
    )
    rows = presenters.register_rows(risks, register.matrix if register else None)
    name = f"{partnership.slug}-risk-register.{fmt}"
    about = about_lines(
        f"Strategic Partnering Platform: risk register of {partnership.name}",
        figures_words(r.is_demo for r in risks),
        ("Partnership", partnership.name),
        ("Risk matrix", f"{register.matrix.programme}, version {register.matrix.version}"
         if register else "none yet"),
    )  # fmt: skip
    if fmt == "csv":
        return csv_response(name, REGISTER_HEADER, rows, about=about)
    return xlsx_response(name, "Risk register", REGISTER_HEADER, rows, about=about)


# --- programme -----------------------------------------------------------------------------------


@login_required
def programme_risks_view(request: HttpRequest) -> HttpResponse:
    require(can_view_programme(request.user), "The programme risk view is for taskforce staff.")
    get = request.GET
    categories, stages = dict(RiskCategory.choices), dict(Stage.choices)
    filters = selectors.ProgrammeFilters(
        category=get.get("category", "") if get.get("category") in categories else "",
        region=get.get("region", "")[:64],
        stage=get.get("stage", "") if get.get("stage") in stages else "",
        owner=get.get("owner", "")[:150],
        which=get.get("which", "both") if get.get("which") in {"escalated", "above"} else "both",
    )
    paging = paginate(request, selectors.programme_risks(filters), per_page=25)
    regions = (
        Partnership.objects.exclude(region="").order_by("region")
        .values_list("region", flat=True).distinct()
    )  # fmt: skip
    return render(
        request,
        "assurance/programme_risks.html",
        {
            **paging,
            "rows": presenters.programme_rows(paging["page_obj"].object_list),
            "filters": filters,
            "categories": RiskCategory.choices,
            "stages": Stage.choices,
            "regions": list(regions),
        },
    )


@login_required
def matrix_list_view(request: HttpRequest) -> HttpResponse:
    require(can_manage_matrices(request.user), "Risk matrices are managed by taskforce staff.")
    matrices = RiskMatrix.objects.order_by("programme", "-version")
    from django.db.models import Count

    matrices = matrices.annotate(register_count=Count("registers"))
    return render(
        request, "assurance/matrix_list.html", {"matrices": presenters.matrices(matrices)}
    )


@login_required
def matrix_create_view(request: HttpRequest) -> HttpResponse:
    require(can_manage_matrices(request.user), "Risk matrices are managed by taskforce staff.")
    current = services.matrix_current()
    initial = {
        "likelihood_labels": ", ".join(current.likelihood_labels),
        "impact_labels": ", ".join(current.impact_labels),
        "bands": "\n".join(", ".join(str(x) for x in b) for b in current.bands),
        "tolerance": current.tolerance,
    } if current else {}  # fmt: skip
    form = MatrixForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matrix = services.matrix_create(
                likelihood_labels=list(data["likelihood_labels"].split(",")),
                impact_labels=list(data["impact_labels"].split(",")),
                bands=data["bands"], tolerance=data["tolerance"], actor=request.user,
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Version {matrix.version} of the risk matrix saved")
            return redirect("assurance_programme:matrix-list")
    return render(request, "assurance/matrix_form.html", {"form": form})


__all__ = ["RiskRegister"]
