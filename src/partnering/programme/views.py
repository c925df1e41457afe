"""Thin views of the programme room: fetch through the visibility rules, check the verb, call a
service, render. A GET never runs the optimiser: the selection page shows the stored runs."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.models import User
from partnering.core.permissions import is_taskforce_staff, require
from partnering.partnerships.access import partnership_for_editing
from partnering.partnerships.permissions import partnerships_editable_by

from . import selectors
from .forms import AdviceForm, ApplicationForm, AssessmentForm, ModerationForm, SelectionForm
from .models import Application, Assessment, Call, MatchRun, SelectionRun
from .permissions import (
    ASSESSABLE,
    can_apply,
    can_assess,
    can_edit_application,
    can_moderate,
    can_record_advice,
    can_run_selection,
    can_see_all_scores,
    can_view_advice,
)
from .services import (
    ActionSpec,
    advice_record,
    application_create,
    application_submit,
    assessment_submit,
    match_confirm,
    match_run,
    moderation_record,
    selection_confirm,
    selection_run,
)


def _call(request: HttpRequest, slug: str) -> Call:
    try:
        return selectors.call_get(request.user, slug)
    except Call.DoesNotExist:
        raise Http404("No such call") from None


def _application(request: HttpRequest, reference: str) -> Application:
    try:
        return selectors.application_get(request.user, reference)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


def call_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "programme/call_list.html", {"calls": list(selectors.call_list(request.user))}
    )


def call_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    rows = selectors.call_applications(request.user, call)
    context = {
        "call": call,
        "criteria": list(call.criteria.all()),
        "quotas": list(call.quotas.all()),
        "rows": rows,
        "can_apply": can_apply(request.user, call),
        "can_run": can_run_selection(request.user, call),
        "is_staff": is_taskforce_staff(request.user),
    }
    return render(request, "programme/call_detail.html", context)


@login_required
def application_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    require(
        can_apply(request.user, call),
        "This call is not open, or you have no partnership to apply for.",
    )
    form = ApplicationForm(
        request.POST or None, call=call, partnerships=partnerships_editable_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            app = application_create(
                call=call, partnership=form.cleaned_data["partnership"], title=form.cleaned_data["title"],
                themes=form.cleaned_data["themes"], answers=form.answers(),
                requested_amount=form.cleaned_data["requested_amount"], actor=request.user,
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Application {app.reference} saved as a draft")
            return redirect(app.get_absolute_url())
    return render(request, "programme/application_form.html", {"call": call, "form": form})


def application_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    app = _application(request, reference)
    user = request.user
    see_scores = can_see_all_scores(user, app)
    own = (
        Assessment.objects.filter(application=app, assessor=user).first()
        if user.is_authenticated
        else None
    )
    context: dict[str, Any] = {
        "application": app,
        "call": app.call,
        "answers": [(c, app.answers.get(str(c.pk), "")) for c in app.call.criteria.all()],
        "can_edit": can_edit_application(user, app),
        "can_assess": can_assess(user, app) and not (own and own.submitted_at),
        "can_moderate": can_moderate(user, app),
        "scored": selectors.application_scored(app) if see_scores else None,
        "own_assessment": own,
    }
    return render(request, "programme/application_detail.html", context)


@login_required
@require_POST
def application_submit_view(request: HttpRequest, reference: str) -> HttpResponse:
    app = _application(request, reference)
    require(
        can_edit_application(request.user, app),
        "Only a draft of your own partnership can be submitted.",
    )
    try:
        application_submit(application=app, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Application {app.reference} submitted")
    return redirect(app.get_absolute_url())


@login_required
def assess_view(request: HttpRequest, reference: str) -> HttpResponse:
    app = _application(request, reference)
    require(can_assess(request.user, app), "You cannot assess this application.")
    form = AssessmentForm(request.POST or None, call=app.call)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_submit(
                application=app, scores=form.scores(), assessor=request.user, actor=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, "Assessment submitted: you can now see the other assessors' scores"
            )
            return redirect(app.get_absolute_url())
    return render(
        request, "programme/assess.html", {"application": app, "call": app.call, "form": form}
    )


@login_required
def moderate_view(request: HttpRequest, reference: str) -> HttpResponse:
    app = _application(request, reference)
    require(can_moderate(request.user, app), "Only taskforce staff moderate the panel's scores.")
    scored = selectors.application_scored(app)
    posted = request.POST if request.method == "POST" else None
    form = ModerationForm(posted, call=app.call, rows=scored.rows)
    if request.method == "POST" and form.is_valid():
        try:
            for r in scored.rows:
                value = form.cleaned_data.get(f"score_{r.criterion.pk}")
                if value is not None:
                    moderation_record(
                        application=app, criterion=r.criterion, score=value,
                        note=form.cleaned_data["note"], actor=request.user,
                    )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Agreed scores recorded")
            return redirect(app.get_absolute_url())
    return render(
        request,
        "programme/moderate.html",
        {"application": app, "call": app.call, "scored": scored, "form": form},
    )


def _reference_choices(call: Call) -> list[tuple[str, str]]:
    apps = Application.objects.filter(call=call, status__in=ASSESSABLE).order_by("reference")
    return [(a.reference, f"{a.reference}: {a.title}") for a in apps]


@login_required
def selection_view(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    require(is_taskforce_staff(request.user), "Only taskforce staff see the selection.")
    run = selectors.latest_run(call)
    initial = (
        {"pinned": run.inputs.get("pinned", []), "excluded": run.inputs.get("excluded", [])}
        if run
        else {}
    )
    posted = request.POST if request.method == "POST" else None
    form = SelectionForm(posted, references=_reference_choices(call), initial=initial)
    if request.method == "POST":
        require(can_run_selection(request.user, call), "This call has been decided.")
        if form.is_valid():
            try:
                run = selection_run(
                    call=call, pinned=form.cleaned_data["pinned"], excluded=form.cleaned_data["excluded"],
                    actor=request.user,
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"Selection run {run.number}: {run.status}")
                return redirect("programme:selection", slug=call.slug)
    titles = dict(Application.objects.filter(call=call).values_list("reference", "title"))
    context = {
        "call": call,
        "run": run,
        "form": form,
        "titles": titles,
        "runs": list(call.selection_runs.order_by("-number")[:10]),
        "can_run": can_run_selection(request.user, call),
        "selected": [
            (ref, titles.get(ref, "")) for ref in (run.result.get("selected", []) if run else [])
        ],
        "left_out": sorted((run.result.get("reasons", {}) if run else {}).items()),
    }
    return render(request, "programme/selection.html", context)


@login_required
@require_POST
def selection_confirm_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    call = _call(request, slug)
    require(is_taskforce_staff(request.user), "Only taskforce staff confirm the selection.")
    run = SelectionRun.objects.filter(call=call, number=number).first()
    if run is None:
        raise Http404("No such run")
    try:
        chosen = selection_confirm(run=run, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programme:selection", slug=call.slug)
    messages.success(
        request, f"Selection confirmed: {len(chosen)} partnerships are now pathfinders"
    )
    return redirect(call.get_absolute_url())


# --- advisers, matching and the advice log --------------------------------------------------


@login_required
def adviser_list_view(request: HttpRequest) -> HttpResponse:
    require(is_taskforce_staff(request.user), "Only taskforce staff see the advisers.")
    return render(request, "programme/adviser_list.html", {"rows": selectors.adviser_load()})


@login_required
def matching_view(request: HttpRequest) -> HttpResponse:
    require(is_taskforce_staff(request.user), "Only taskforce staff match advisers.")
    error = None
    if request.method == "POST":
        try:
            run = match_run(actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Matching run {run.number}: {run.status}")
            return redirect("programme:matching")
    run = MatchRun.objects.order_by("-number").first()
    return render(request, "programme/matching.html", {"run": run, "error": error})


@login_required
@require_POST
def matching_confirm_view(request: HttpRequest, number: int) -> HttpResponse:
    require(is_taskforce_staff(request.user), "Only taskforce staff confirm the matching.")
    run = MatchRun.objects.filter(number=number).first()
    if run is None:
        raise Http404("No such run")
    try:
        count = match_confirm(run=run, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Mentors set for {count} pathfinders")
    return redirect("programme:matching")


@login_required
def actions_view(request: HttpRequest) -> HttpResponse:
    """Open actions: your own and your partnerships' (advisers), or every overdue one (staff)."""
    rows = selectors.open_actions(request.user)
    today = timezone.localdate()
    return render(request, "programme/actions.html", {"rows": rows, "today": today,
                  "overdue": sum(a.due_on < today for a in rows)})  # fmt: skip


def advice_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user,
        slug,
        allowed=can_view_advice,
        message="Only the partnership's members, advisers and staff see its advice.",
    )
    may_record = can_record_advice(request.user, partnership)
    owners = (
        User.objects.filter(
            pk__in=[request.user.pk, *partnership.advisers.values_list("pk", flat=True)]
        )
        if may_record
        else User.objects.none()
    )
    form = AdviceForm(request.POST if request.method == "POST" else None, owners=owners)
    if request.method == "POST":
        require(may_record, "Only the partnership's advisers and staff record advice.")
        if form.is_valid():
            d = form.cleaned_data
            actions = [ActionSpec(d["action"], d["owner"], d["due_on"])] if d.get("action") else []
            try:
                advice_record(
                    partnership=partnership, adviser=request.user, advice_type=d["advice_type"],
                    given_on=d["given_on"], summary=d["summary"],
                    attachment_titles=[t.strip() for t in d["attachments"].splitlines()],
                    actions=actions, actor=request.user,
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Advice recorded")
                return redirect("programme:advice", slug=partnership.slug)
    context = {
        "partnership": partnership,
        "advice": selectors.advice_of(partnership),
        "sessions": list(partnership.mentoring_sessions.select_related("adviser")[:50]),
        "form": form if may_record else None,
        "today": timezone.localdate(),
    }
    return render(request, "programme/advice.html", context)
