"""Thin views of the programme room: fetch through the visibility rules, check the verb, call a
service, render. A GET never runs the optimiser: the selection page shows the stored runs."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from partnering.core.audit import history_entries
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.models import User
from partnering.core.paging import paginate
from partnering.core.permissions import is_taskforce_staff, require
from partnering.organisations.models import Organisation
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.permissions import partnerships_editable_by

from . import presenters, selectors
from .calendar import calendar_of
from .forms import (
    AdviceForm,
    AdviserProfileForm,
    ApplicationForm,
    AssessmentForm,
    AssignAdviserForm,
    CohortForm,
    CompletionForm,
    EnrolForm,
    EventForm,
    MentoringNeedsForm,
    ModerationForm,
    ModuleForm,
    PeerOfferForm,
    SelectionForm,
    SessionForm,
)
from .models import (
    Application,
    Assessment,
    Booking,
    Call,
    Discipline,
    Event,
    MatchRun,
    ModuleSession,
    PeerOffer,
    PeerTopic,
    SelectionRun,
    TrainingModule,
)
from .permissions import (
    ACTION_DENIED,
    ASSESSABLE,
    actions_visible_to,
    can_apply,
    can_assess,
    can_assign_advisers,
    can_book,
    can_complete_action,
    can_edit_application,
    can_edit_call,
    can_enrol,
    can_manage_calls,
    can_manage_events,
    can_manage_training,
    can_moderate,
    can_offer_peer_support,
    can_record_advice,
    can_run_selection,
    can_see_adviser_assignment,
    can_see_all_scores,
    can_see_dashboard,
    can_tag_application,
    can_view_advice,
    can_withdraw_application,
    enrolments_visible_to,
    mark_completable,
)
from .selectors import AdviserLoad, size_band_text, size_of
from .services import (
    ActionSpec,
    InterestSpec,
    action_complete,
    advice_record,
    adviser_assign,
    adviser_profile_update,
    adviser_unassign,
    application_create,
    application_submit,
    assessment_submit,
    attendance_record,
    booking_cancel,
    booking_create,
    enrolment_complete,
    enrolment_create,
    event_create,
    event_update,
    match_confirm,
    match_run,
    mentoring_needs_set,
    moderation_record,
    module_create,
    module_session_create,
    module_session_update,
    module_update,
    peer_offer_set,
    selection_confirm,
    selection_run,
    session_record,
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
        "can_edit": can_edit_call(request.user, call),
        "moves": presenters.call_moves(call) if can_manage_calls(request.user) else [],
        "tags": list(call.tags.all()),
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
                themes=form.cleaned_data["themes"], answers=form.answers(), call_tags=form.chosen_call_tags(),
                requested_amount=form.cleaned_data["requested_amount"], actor=request.user,
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Application {app.reference} saved as a draft")
            return redirect(app.get_absolute_url())
    return render(request, "programme/application_form.html", {"call": call, "form": form})


@require_safe
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
        "can_withdraw": can_withdraw_application(user, app),
        "can_tag": can_tag_application(user, app) and app.call.tags.exists(),
        "call_tags": [t for t in app.call.tags.all() if t.slug in app.call_tags],
        "size": size_of(app.served),
        "size_text": size_band_text(size_of(app.served)) if app.served is not None else "",
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
    require_on(
        app.partnership,
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
    n = len(chosen)
    messages.success(
        request,
        f"Selection confirmed: {n} partnership{' is now a pathfinder' if n == 1 else 's are now pathfinders'}",
    )
    return redirect(call.get_absolute_url())


# --- advisers, matching and the advice log --------------------------------------------------


@login_required
def adviser_list_view(request: HttpRequest) -> HttpResponse:
    require(is_taskforce_staff(request.user), "Only taskforce staff see the advisers.")
    paging = paginate(request, selectors.adviser_list(), per_page=ADVISERS_PER_PAGE)
    rows = [AdviserLoad(p, p.assigned) for p in paging["page_obj"].object_list]
    return render(request, "programme/adviser_list.html", {"rows": rows, "paging": paging})


@login_required
def adviser_edit_view(request: HttpRequest, username: str) -> HttpResponse:
    """Change an adviser's disciplines, sectors, regions, capacity and declared interests (staff,
    or the adviser themself); anyone else finds no such adviser."""
    try:
        adviser, profile = selectors.adviser_to_edit(request.user, username)
    except LookupError:
        raise Http404("No such adviser") from None
    interests = list(profile.interests.select_related("organisation")) if profile else []
    form = AdviserProfileForm(
        _posted(request), initial=AdviserProfileForm.initial_of(profile),
        organisations=Organisation.objects.order_by("name"),
        regions=selectors.adviser_regions(profile), interests=interests,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        added = d["interest_organisation"]
        try:
            adviser_profile_update(
                user=adviser, disciplines=d["disciplines"], sectors=d["sectors"],
                regions=d["regions"], capacity=d["capacity"],
                add_interests=[InterestSpec(added, d["interest_description"])] if added else [],
                remove_interests=[int(pk) for pk in d.get("remove_interests", [])],
                actor=request.user,
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, _on_profile_form(exc))
        else:
            staff = is_taskforce_staff(request.user)
            messages.success(request, f"{'The' if staff else 'Your'} adviser profile is saved")
            if staff:
                return redirect("programme:adviser-list")
            return redirect("programme:adviser-edit", username=adviser.username)
    return render(request, "programme/adviser_form.html", {
        "adviser": adviser, "profile": profile, "form": form,
        "advising": adviser.advised_partnerships.count(),
        "entries": history_entries(profile) if profile and is_taskforce_staff(request.user) else [],
    })  # fmt: skip


def _on_profile_form(exc: DomainError) -> DomainError:
    """The service names an interest's fields ``organisation`` / ``description``."""
    return _on_fields(
        exc, {"organisation": "interest_organisation", "description": "interest_description"}
    )


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
        messages.success(request, f"Mentors set for {count} pathfinder{'' if count == 1 else 's'}")
    return redirect("programme:matching")


ASSIGN_DENIED = "Only taskforce staff assign advisers."


@login_required
def partnership_advisers_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A partnership's advisers with their load (staff): assign one more, checked as the
    matching checks (capacity, conflicts of interest), or remove one."""
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_see_adviser_assignment, message=ASSIGN_DENIED
    )
    may_change = can_assign_advisers(request.user, partnership)
    users, loads = selectors.adviser_choices()
    removing = request.method == "POST" and "remove" in request.POST
    form = AssignAdviserForm(None if removing else _posted(request), advisers=users, loads=loads)
    if request.method == "POST":
        require_on(partnership, may_change, ASSIGN_DENIED)
        if removing:
            adviser = partnership.advisers.filter(username=request.POST["remove"]).first()
            if adviser is None:
                raise Http404("No such adviser of this partnership")
            adviser_unassign(partnership=partnership, adviser=adviser, actor=request.user)
            messages.success(
                request, f"{adviser.display_name} no longer advises {partnership.name}"
            )
            return redirect("programme:partnership-advisers", slug=partnership.slug)
        if form.is_valid():
            adviser = form.cleaned_data["adviser"]
            try:
                adviser_assign(partnership=partnership, adviser=adviser, actor=request.user)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{adviser.display_name} now advises {partnership.name}")
                return redirect("programme:partnership-advisers", slug=partnership.slug)
    mentors, disciplines, set_by_staff = selectors.mentoring_needs_of(partnership)
    return render(request, "programme/partnership_advisers.html", {
        "partnership": partnership, "advisers": selectors.advisers_of(partnership),
        "changes": selectors.adviser_changes_of(partnership),
        "form": form if may_change else None, "mentors": mentors,
        "disciplines": [Discipline(d).label for d in disciplines], "set_by_staff": set_by_staff,
    })  # fmt: skip


@login_required
def mentoring_needs_view(request: HttpRequest, slug: str) -> HttpResponse:
    """How many mentors a pathfinder needs and the disciplines each must hold (staff)."""
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_assign_advisers,
        message="Only taskforce staff set what a pathfinder needs from its mentors.",
    )  # fmt: skip
    mentors, disciplines, _ = selectors.mentoring_needs_of(partnership)
    form = MentoringNeedsForm(
        _posted(request), initial={"mentors": mentors, "disciplines": disciplines}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            mentoring_needs_set(partnership=partnership, mentors=d["mentors"],
                                disciplines=d["disciplines"], actor=request.user)  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Mentoring needs of {partnership.name} saved: the next "
                             "matching run uses them")  # fmt: skip
            return redirect("programme:partnership-advisers", slug=partnership.slug)
    return render(
        request, "programme/mentoring_needs.html", {"partnership": partnership, "form": form}
    )


@login_required
def actions_view(request: HttpRequest) -> HttpResponse:
    """Open actions: your own and your partnerships' (advisers), or every overdue one (staff),
    each with "Mark as done" for those you may mark."""
    rows = selectors.open_actions(request.user)
    today = timezone.localdate()
    mark_completable(request.user, rows)
    return render(request, "programme/actions.html", {"rows": rows, "today": today,
                  "overdue": sum(a.due_on < today for a in rows)})  # fmt: skip


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def action_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up action done today, as the signed-in person (its owner, the
    partnership's advisers, staff); back to the page the button was on."""
    action = actions_visible_to(request.user).select_related("partnership").filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    require_on(action.partnership, can_complete_action(request.user, action), ACTION_DENIED)
    try:
        action_complete(action=action, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"‘{action.description}’ is marked as done")
    return redirect(_safe_next(request, reverse("programme:actions")))


def _mark_completable(user: Any, partnership: Any, actions: Any) -> None:
    """``can_complete`` on the actions of one partnership's page (one query)."""
    for action in actions:
        action.partnership = partnership
    mark_completable(user, actions)


def _action_form(request: HttpRequest, form_class: Any, owners: Any) -> tuple[Any, bool]:
    """The advice or session form with its action rows; ``True`` with it when the person
    pressed "Add another action" (the form is drawn again with one more row, nothing saved)."""
    posted = _posted(request)
    more = posted is not None and "add_action" in posted
    rows = form_class.rows_wanted(posted, more=more)
    form = form_class(posted, owners=owners, rows=rows)
    return (form.as_draft() if more else form), more


def _specs(form: Any) -> list[ActionSpec]:
    return [ActionSpec(what, owner, due) for what, owner, due in form.actions()]


def advice_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(
        request.user,
        slug,
        allowed=can_view_advice,
        message="Only the partnership's members, advisers and staff see its advice.",
    )
    may_record = can_record_advice(request.user, partnership)
    owners = (
        selectors.action_owners(partnership, request.user) if may_record else User.objects.none()
    )
    form, more = _action_form(request, AdviceForm, owners)
    if request.method == "POST":
        require_on(
            partnership, may_record, "Only the partnership's advisers and staff record advice."
        )
        if not more and form.is_valid():
            d = form.cleaned_data
            try:
                advice_record(
                    partnership=partnership, adviser=request.user, advice_type=d["advice_type"],
                    given_on=d["given_on"], summary=d["summary"],
                    attachment_titles=[t.strip() for t in d["attachments"].splitlines()],
                    actions=_specs(form), actor=request.user,
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Advice recorded")
                return redirect("programme:advice", slug=partnership.slug)
    advice = selectors.advice_of(partnership)
    _mark_completable(request.user, partnership, [x for a in advice for x in a.actions.all()])
    context = {
        "partnership": partnership,
        "advice": advice,
        "sessions": list(partnership.mentoring_sessions.select_related("adviser")[:50]),
        "form": form if may_record else None,
        "today": timezone.localdate(),
    }
    return render(request, "programme/advice.html", context)


# --- training modules ----------------------------------------------------------------------


def _module(request: HttpRequest, slug: str) -> Any:
    try:
        return selectors.module_get(request.user, slug)
    except TrainingModule.DoesNotExist:
        raise Http404("No such module") from None


MODULES_PER_PAGE = 10
EVENTS_PER_PAGE = 20
ADVISERS_PER_PAGE = 25


def module_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue: published modules for everyone (staff see drafts too), a page at a time."""
    paging = paginate(request, selectors.module_list(request.user), per_page=MODULES_PER_PAGE)
    return render(request, "programme/module_list.html", {
        "modules": paging["page_obj"].object_list,
        "paging": paging,
        "mine": selectors.my_enrolments(request.user),
        "is_staff": is_taskforce_staff(request.user),
    })  # fmt: skip


def module_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module(request, slug)
    user = request.user
    staff = is_taskforce_staff(user)
    return render(request, "programme/module_detail.html", {
        "module": module,
        "sessions": selectors.module_sessions(module),
        "mine": [e for e in selectors.my_enrolments(user) if e.session.module_id == module.pk],
        "enrolments": selectors.enrolments_of_module(module) if staff else [],
        "can_enrol": can_enrol(user) and module.is_published,
        "is_staff": staff,
    })  # fmt: skip


@login_required
def module_enrol_view(request: HttpRequest, slug: str) -> HttpResponse:
    module = _module(request, slug)
    require(can_enrol(request.user), "Only people of a partner organisation can enrol.")
    if is_taskforce_staff(request.user) and not request.user.organisations.exists():
        organisations = Organisation.objects.none()
    else:
        organisations = request.user.organisations.order_by("name")
    form = EnrolForm(
        request.POST if request.method == "POST" else None, sessions=module.sessions.order_by("starts_on", "pk"),
        organisations=organisations,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_create(session=form.cleaned_data["session"], person=request.user,
                             organisation=form.cleaned_data["organisation"], actor=request.user)  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"You are enrolled in ‘{module.title}’")
            return redirect(module.get_absolute_url())
    return render(request, "programme/module_enrol.html", {"module": module, "form": form})


@login_required
def enrolment_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_manage_training(request.user), "Only taskforce staff record completion.")
    enrolment = (
        enrolments_visible_to(request.user)
        .select_related("session__module", "person", "organisation")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404("No such enrolment")
    form = CompletionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_complete(enrolment=enrolment, completed_on=form.cleaned_data["completed_on"],
                               actor=request.user)  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Completion recorded for {enrolment.person}")
            return redirect(enrolment.session.module.get_absolute_url())
    return render(
        request, "programme/enrolment_complete.html", {"enrolment": enrolment, "form": form}
    )


@login_required
def training_progress_view(request: HttpRequest) -> HttpResponse:
    """Which councils have completed which modules (staff)."""
    require(can_manage_training(request.user), "Only taskforce staff see the programme's training.")
    return render(
        request, "programme/training_progress.html", {"grid": selectors.completion_grid()}
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def module_form_view(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Add a module, or change one (staff)."""
    require(can_manage_training(request.user), "Only taskforce staff add and change modules.")
    module = _module(request, slug) if slug else None
    initial = ModuleForm.initial_of(module) if module else {"audience": "officers"}
    form = ModuleForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("title", "summary", "learning_outcomes", "audience",
                                    "duration_hours", "format", "is_published")}  # fmt: skip
        try:
            if module is None:
                module = module_create(**fields, actor=request.user)
                done = f"Module ‘{module.title}’ added"
            else:
                module_update(module=module, **fields, actor=request.user)
                done = f"Module ‘{d['title']}’ saved"
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(module.get_absolute_url())
    return render(request, "programme/module_form.html", {"module": module, "form": form})


@login_required
def cohort_form_view(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Schedule a cohort of a module, or change its dates, place or places (staff)."""
    require(can_manage_training(request.user), "Only taskforce staff schedule cohorts.")
    module = _module(request, slug)
    cohort = None
    if pk is not None:
        cohort = ModuleSession.objects.filter(module=module, pk=pk).first()
        if cohort is None:
            raise Http404("No such cohort")
    initial = (
        {"starts_on": cohort.starts_on, "ends_on": cohort.ends_on, "venue": cohort.venue,
         "places": cohort.places}
        if cohort else {}
    )  # fmt: skip
    form = CohortForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("starts_on", "ends_on", "venue", "places")}
        try:
            if cohort is None:
                module_session_create(module=module, **fields, actor=request.user)
                done = "Cohort scheduled"
            else:
                module_session_update(session=cohort, **fields, actor=request.user)
                done = "Cohort saved"
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{done}: {govuk_date(d['starts_on'])}, {d['venue']}")
            return redirect(module.get_absolute_url())
    return render(
        request, "programme/cohort_form.html", {
            "module": module, "cohort": cohort, "form": form,
            "taken": cohort.enrolments.exclude(status="withdrawn").count() if cohort else 0,
        },
    )  # fmt: skip


# --- events --------------------------------------------------------------------------------


@login_required
def event_form_view(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Add an event, or change one (staff)."""
    require(can_manage_events(request.user), "Only taskforce staff add and change events.")
    event = _event(request, slug) if slug else None
    initial = EventForm.initial_of(event) if event else {"kind": "workshop", "is_published": True}
    form = EventForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("title", "kind", "summary", "starts_at", "ends_at",
                                    "location", "places", "is_published")}  # fmt: skip
        try:
            if event is None:
                event = event_create(**fields, actor=request.user)
                done = f"Event ‘{event.title}’ added"
            else:
                promoted = event_update(event=event, **fields, actor=request.user)
                done = f"Event ‘{d['title']}’ saved"
                if promoted:
                    done += f": {len(promoted)} on the waiting list now have a place"
        except DomainError as exc:
            add_domain_error(form, _on_event_form(exc))
        else:
            messages.success(request, done)
            return redirect("programme:event-detail", slug=event.slug)
    return render(request, "programme/event_form.html", {"event": event, "form": form})


def _on_event_form(exc: DomainError) -> DomainError:
    """The service names the times ``starts_at`` / ``ends_at``; the form asks for a time."""
    return _on_fields(exc, {"ends_at": "end_time", "starts_at": "start_time"})


def _on_fields(exc: DomainError, fields: dict[str, str]) -> DomainError:
    """The error on the form's field where the service's field has another name there."""
    if exc.field in fields:
        return DomainError(exc.code, exc.message, fields[exc.field])
    return exc


def _event(request: HttpRequest, slug: str) -> Any:
    try:
        return selectors.event_get(request.user, slug)
    except Event.DoesNotExist:
        raise Http404("No such event") from None


def event_list_view(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    paging = paginate(
        request, selectors.event_list(request.user, upcoming_only=not past), EVENTS_PER_PAGE
    )
    events = list(paging["page_obj"].object_list)
    for e in events:
        e.left = max(e.places - e.booked, 0)
    return render(request, "programme/event_list.html", {
        "events": events, "paging": paging, "past": past,
        "is_staff": can_manage_events(request.user),
    })  # fmt: skip


def event_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    booking = selectors.booking_of(request.user, event)
    staff = can_manage_events(request.user)
    return render(request, "programme/event_detail.html", {
        "event": event,
        "booking": booking,
        "position": selectors.waiting_position(booking),
        "can_book": can_book(request.user),
        "is_past": event.ends_at <= timezone.now(),
        "bookings": selectors.event_bookings(event) if staff else [],
        "is_staff": staff,
        "places_left": max(event.places - event.booked, 0),
    })  # fmt: skip


@login_required
@require_POST
def event_book_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    require(can_book(request.user), "Sign in to book.")
    try:
        booking = booking_create(event=event, person=request.user, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if booking.status == "booked":
            messages.success(request, f"You have a place at ‘{event.title}’")
        else:
            messages.success(request, f"‘{event.title}’ is full: you are on the waiting list")
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_cancel_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    booking = selectors.booking_of(request.user, event)
    if booking is None:
        messages.error(request, "You have no booking for this event")
    else:
        booking_cancel(booking=booking, actor=request.user)
        messages.success(request, "Your booking is cancelled")
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def attendance_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(can_manage_events(request.user), "Only taskforce staff record attendance.")
    event = _event(request, slug)
    booking = Booking.objects.filter(event=event, pk=pk).first()
    if booking is None:
        raise Http404("No such booking")
    try:
        attendance_record(booking=booking, attended=request.POST.get("attended") == "yes",
                          actor=request.user)  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Attendance recorded for {booking.person}")
    return redirect(event.get_absolute_url())


def _ics(request: HttpRequest, events: Any, name: str, filename: str) -> HttpResponse:
    body = calendar_of(events, base_url=request.build_absolute_uri("/"), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def events_ics_view(request: HttpRequest) -> HttpResponse:
    """Every event the viewer may see, as one iCalendar feed to subscribe to."""
    return _ics(request, selectors.event_list(request.user), "Partnering programme events",
                "programme-events.ics")  # fmt: skip


def event_ics_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    return _ics(request, [event], event.title, f"{event.slug}.ics")


# --- peer support --------------------------------------------------------------------------


@login_required
def peer_directory_view(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic") or ""
    if topic not in PeerTopic.values:
        topic = ""
    return render(request, "programme/peer_directory.html", {
        "offers": selectors.peer_directory(request.user, topic or None),
        "topics": PeerTopic.choices,
        "topic": topic,
        "topic_label": PeerTopic(topic).label if topic else "",
        "can_offer": can_offer_peer_support(request.user),
    })  # fmt: skip


@login_required
def peer_offer_view(request: HttpRequest) -> HttpResponse:
    require(
        can_offer_peer_support(request.user),
        "Only people of a partner organisation offer peer support.",
    )
    offer = PeerOffer.objects.filter(person=request.user).first()
    initial = (
        {"organisation": offer.organisation_id, "job_title": offer.job_title, "topics": offer.topics,
         "summary": offer.summary, "is_listed": offer.is_listed}
        if offer else {"is_listed": True}
    )  # fmt: skip
    form = PeerOfferForm(request.POST if request.method == "POST" else None, initial=initial,
                         organisations=request.user.organisations.order_by("name"))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            peer_offer_set(person=request.user, organisation=d["organisation"], topics=d["topics"],
                           summary=d["summary"], job_title=d["job_title"], is_listed=d["is_listed"],
                           actor=request.user)  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your peer support offer is saved")
            return redirect("programme:peer-directory")
    return render(request, "programme/peer_offer.html", {"form": form, "offer": offer})


@require_safe
def partnerships_like_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    return render(request, "programme/like_mine.html", {
        "partnership": partnership,
        "similar": selectors.partnerships_like(request.user, partnership),
    })  # fmt: skip


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    require(can_see_dashboard(request.user), "Only taskforce staff see the programme dashboard.")
    data = selectors.dashboard()
    return render(request, "programme/dashboard.html", {
        "data": data,
        "charts": [presenters.chart_table(chart) for chart in data.charts],
        "overdue_head": presenters.OVERDUE_HEAD,
        "overdue_rows": presenters.overdue_rows(data.overdue),
        "upcoming_head": presenters.UPCOMING_HEAD,
        "upcoming_rows": presenters.upcoming_rows(data.upcoming),
    })  # fmt: skip


# --- mentoring sessions --------------------------------------------------------------------


def sessions_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A partnership's mentoring sessions with their follow-up actions; its advisers and staff
    record one."""
    partnership = partnership_for_editing(
        request.user, slug, allowed=can_view_advice,
        message="Only the partnership's members, advisers and staff see its mentoring sessions.",
    )  # fmt: skip
    may_record = can_record_advice(request.user, partnership)
    owners = (
        selectors.action_owners(partnership, request.user) if may_record else User.objects.none()
    )
    form, more = _action_form(request, SessionForm, owners)
    if request.method == "POST":
        require_on(
            partnership,
            may_record,
            "Only the partnership's advisers and staff record mentoring sessions.",
        )
        if not more and form.is_valid():
            d = form.cleaned_data
            try:
                session_record(partnership=partnership, adviser=request.user, held_on=d["held_on"],
                               attendees=d["attendees"], notes=d["notes"], actions=_specs(form),
                               actor=request.user)  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Mentoring session recorded")
                return redirect("programme:sessions", slug=partnership.slug)
    sessions = selectors.sessions_of(partnership)
    _mark_completable(request.user, partnership, [x for s in sessions for x in s.actions.all()])
    return render(request, "programme/sessions.html", {
        "partnership": partnership,
        "sessions": sessions,
        "form": form if may_record else None,
        "today": timezone.localdate(),
    })  # fmt: skip
