"""Pages where taskforce staff create, change, open, close and decide a call, and where
applicants change or withdraw their application (thin: form -> permission -> service).

The call's criteria, quotas and own tags are repeating rows (formsets): "Add another ..." posts
the form back with one more empty row and nothing saved, and each row has a "Remove" box, so
the page works without JavaScript."""

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.permissions import require
from partnering.core.templatetags.govuk import form_errors
from partnering.partnerships.access import require_on

from . import selectors
from .forms import (
    ApplicationEditForm,
    ApplicationTagsForm,
    CallForm,
    CallTagForms,
    CriteriaForms,
    QuotaForms,
)
from .models import Call, CallStatus
from .permissions import (
    can_edit_application,
    can_edit_call,
    can_manage_calls,
    can_tag_application,
    can_withdraw_application,
)
from .presenters import MOVES
from .services import (
    CALL_MOVED,
    CallTagSpec,
    CriterionSpec,
    QuotaSpec,
    application_tags_set,
    application_update,
    application_withdraw,
    call_create,
    call_move_check,
    call_set_status,
    call_update,
)
from .views import _application, _call

#: The repeating lists of the call's form: (formset prefix, formset class, how a row is named).
ROWS = (("criteria", CriteriaForms, "Criterion"), ("quotas", QuotaForms, "Quota"),
        ("tags", CallTagForms, "Tag"))  # fmt: skip
_ROW_SAID = re.compile(r"^(Criterion|Quota|Tag) \d+: ")


def _initial_rows(call: Call | None) -> dict[str, list[dict[str, Any]]]:
    if call is None:
        return {"criteria": [], "quotas": [], "tags": []}
    return {
        "criteria": [{"id": c.pk, "title": c.title, "weight": c.weight, "guidance": c.guidance}
                     for c in call.criteria.all()],
        "quotas": [{"tag": q.tag, "label": q.label, "minimum": q.minimum, "maximum": q.maximum}
                   for q in call.quotas.all()],
        "tags": [{"original": t.slug, "label": t.label, "applicants_choose": t.applicants_choose}
                 for t in call.tags.all()],
    }  # fmt: skip


def _formsets(request: HttpRequest, call: Call | None) -> dict[str, Any]:
    """The three formsets, bound to the post; with "Add another ..." the one asked for has one
    more empty row, and no form shows errors yet (the person is still filling it in)."""
    initial = _initial_rows(call)
    data = request.POST.copy() if request.method == "POST" else None
    adding = request.POST.get("add") if request.method == "POST" else None
    if data is not None and adding in initial:
        try:
            total = int(data.get(f"{adding}-TOTAL_FORMS", ""))
        except ValueError:
            total = 0
        data[f"{adding}-TOTAL_FORMS"] = str(max(0, total + 1))
    sets = {}
    for prefix, factory, _ in ROWS:
        formset = factory(data, prefix=prefix, initial=initial[prefix])
        if data is not None and not formset.management_form.is_valid():
            formset = factory(prefix=prefix, initial=initial[prefix])
        sets[prefix] = formset
    return sets


def _not_yet_checked(forms: list[Any], sets: dict[str, Any]) -> None:
    for form in forms:
        form._errors = ErrorDict()
        form.cleaned_data = {}
    for formset in sets.values():
        formset._non_form_errors = formset.error_class()
        formset._errors = [ErrorDict() for _ in formset.forms]


def _kept(formset: Any) -> list[tuple[int, dict[str, Any]]]:
    """(row index, cleaned data) of the rows to save: neither removed nor left empty."""
    return [
        (i, form.cleaned_data)
        for i, form in enumerate(formset.forms)
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
    ]


def _specs(sets: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, list[int]]]:
    """The services' specs from the rows, and for each list which page row each spec is."""
    rows = {prefix: _kept(sets[prefix]) for prefix, _, _ in ROWS}
    specs = {
        "criteria": [CriterionSpec(d["title"].strip(), d["weight"], d.get("guidance", ""), d.get("id"))
                     for _, d in rows["criteria"]],
        "quotas": [QuotaSpec(d["tag"].strip(), d.get("minimum"), d.get("maximum"), d.get("label", ""))
                   for _, d in rows["quotas"]],
        "tags": [CallTagSpec(d["label"], d.get("original") or "", bool(d.get("applicants_choose")))
                 for _, d in rows["tags"]],
    }  # fmt: skip
    return specs, {prefix: [i for i, _ in kept] for prefix, kept in rows.items()}


def _place_error(
    exc: DomainError, details: Any, sets: dict[str, Any], where: dict[str, list[int]]
) -> list[tuple[str, str]]:
    """Show a service's error on its row's field ("quotas.1.minimum": the second quota kept,
    wherever it is on the page) or on the call's own field; else in the summary."""
    parts = (exc.field or "").split(".")
    if len(parts) == 3 and parts[0] in sets and parts[1].isdigit():
        rows = where[parts[0]]
        index = int(parts[1])
        if index < len(rows):
            form = sets[parts[0]].forms[rows[index]]
            name = parts[2] if parts[2] in form.fields else None
            form.add_error(name, _ROW_SAID.sub("", exc.message))
            form.mark_errors()
            return []
    if exc.field in sets:
        return [(f"#{exc.field}", exc.message)]
    if exc.field and exc.field in details.fields:
        add_domain_error(details, exc)
        return []
    return [("#main-content", exc.message)]


def _error_list(
    details: Any, sets: dict[str, Any], problems: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(href, message) of every error on the page; a row's names its row ("Quota 2: ...")."""
    found = [(item["href"], item["text"]) for item in form_errors(details)]
    for prefix, _, noun in ROWS:
        formset = sets[prefix]
        found.extend((f"#{prefix}", str(e)) for e in formset.non_form_errors())
        for n, form in enumerate(formset.forms, start=1):
            found.extend(
                (item["href"], f"{noun} {n}: {item['text']}") for item in form_errors(form)
            )
    return found + problems


@login_required
def call_form_view(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Create a call (in draft) or change one, with its criteria, quotas and own tags."""
    call = _call(request, slug) if slug else None
    if call is None:
        require(can_manage_calls(request.user), "Only taskforce staff create calls.")
    else:
        require(
            can_edit_call(request.user, call),
            "Only taskforce staff change a call, until it is decided.",
        )
    posted = request.POST if request.method == "POST" else None
    details = CallForm(posted, initial=CallForm.initial_of(call))
    sets = _formsets(request, call)
    problems: list[tuple[str, str]] = []
    if request.method == "POST" and request.POST.get("add"):
        _not_yet_checked([details, *(f for s in sets.values() for f in s.forms)], sets)
    elif (
        request.method == "POST" and details.is_valid() and all(s.is_valid() for s in sets.values())
    ):
        specs, where = _specs(sets)
        data = dict(details.cleaned_data)
        panel = list(data.pop("assessors"))
        try:
            if call is None:
                call = call_create(**data, criteria=specs["criteria"], quotas=specs["quotas"],
                                   tags=specs["tags"], assessors=panel, actor=request.user)  # fmt: skip
                messages.success(request, f"Call ‘{call.title}’ created as a draft")
            else:
                call_update(call=call, data=data, criteria=specs["criteria"], quotas=specs["quotas"],
                            tags=specs["tags"], assessors=panel, actor=request.user)  # fmt: skip
                messages.success(request, f"Call ‘{call.title}’ saved")
        except DomainError as exc:
            problems = _place_error(exc, details, sets, where)
        else:
            return redirect(call.get_absolute_url())
    return render(request, "programme/call_form.html", {
        "call": call, "form": details, "sets": [(sets[p], p, noun) for p, _, noun in ROWS],
        "error_list": _error_list(details, sets, problems) if request.method == "POST" else [],
        "tags": selectors.known_tags(call) if call else selectors.known_tags(Call()),
        "scoring_begun": bool(call and selectors.scoring_begun(call)),
        "max_rows": CriteriaForms.max_num,
    })  # fmt: skip


@login_required
def call_status_view(request: HttpRequest, slug: str, move: str) -> HttpResponse:
    """A confirmation page for opening, closing or deciding a call; a move the call cannot make
    says why and offers no button."""
    call = _call(request, slug)
    require(can_manage_calls(request.user), "Only taskforce staff open, close and decide calls.")
    if move not in MOVES:
        raise Http404("No such move")
    status, button, story = MOVES[move]
    problem = None
    if request.method == "POST":
        try:
            call_set_status(call=call, status=status, actor=request.user)
        except DomainError as exc:
            problem = exc.message
        else:
            messages.success(request, f"Call ‘{call.title}’ {CALL_MOVED[status]}")
            return redirect(call.get_absolute_url())
    if problem is None:
        try:
            call_move_check(call, status)
        except DomainError as exc:
            problem = exc.message
    run = selectors.latest_run(call) if status == CallStatus.DECIDED else None
    return render(request, "programme/call_status.html", {
        "call": call, "move": move, "button": button, "story": story, "problem": problem,
        "run": run, "reopening": call.status == CallStatus.CLOSED and status == CallStatus.OPEN,
    })  # fmt: skip


@login_required
def application_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    app = _application(request, reference)
    require_on(app.partnership, can_edit_application(request.user, app),
               "Only a draft of your own partnership can be changed.")  # fmt: skip
    posted = request.POST if request.method == "POST" else None
    form = ApplicationEditForm(posted, call=app.call, initial=ApplicationEditForm.initial_of(app))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = {"title": d["title"], "themes": d["themes"], "answers": form.answers(),
                "requested_amount": d["requested_amount"]}  # fmt: skip
        if "call_tags" in form.fields:
            data["call_tags"] = form.chosen_call_tags()
        try:
            application_update(application=app, data=data, actor=request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Application {app.reference} saved as a draft")
            return redirect(app.get_absolute_url())
    return render(request, "programme/application_edit.html",
                  {"application": app, "call": app.call, "form": form})  # fmt: skip


@login_required
def application_withdraw_view(request: HttpRequest, reference: str) -> HttpResponse:
    """A confirmation page, then the application is withdrawn (it stays on record)."""
    app = _application(request, reference)
    require_on(app.partnership, can_withdraw_application(request.user, app),
               "Only your own partnership's application can be withdrawn, until it is decided.")  # fmt: skip
    problem = None
    if request.method == "POST":
        try:
            application_withdraw(application=app, actor=request.user)
        except DomainError as exc:
            problem = exc.message
        else:
            messages.success(request, f"Application {app.reference} withdrawn")
            return redirect(app.get_absolute_url())
    return render(request, "programme/application_withdraw.html",
                  {"application": app, "call": app.call, "problem": problem})  # fmt: skip


@login_required
def application_tags_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Staff attach the call's own tags to a submitted application."""
    app = _application(request, reference)
    require(can_tag_application(request.user, app),
            "Only taskforce staff tag a submitted application, until the call is decided.")  # fmt: skip
    posted = request.POST if request.method == "POST" else None
    form = ApplicationTagsForm(posted, call=app.call, initial={"call_tags": app.call_tags})
    if request.method == "POST" and form.is_valid():
        try:
            application_tags_set(application=app, call_tags=form.cleaned_data["call_tags"],
                                 actor=request.user)  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Tags of {app.reference} saved")
            return redirect(app.get_absolute_url())
    return render(request, "programme/application_tags.html",
                  {"application": app, "call": app.call, "form": form,
                   "has_tags": bool(form.fields["call_tags"].choices)})  # fmt: skip
