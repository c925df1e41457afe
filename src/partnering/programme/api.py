"""Programme JSON API: the same selectors, permissions and services as the pages."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.errors import DomainError
from partnering.core.models import User
from partnering.core.permissions import is_taskforce_staff, require
from partnering.partnerships.access import partnership_for_editing
from partnering.partnerships.models import Partnership

from . import selectors
from .models import AdviceType, Application, Call, MatchRun, SelectionRun
from .permissions import (
    applications_visible_to,
    assessments_visible_to,
    can_assess,
    can_edit_application,
    can_record_advice,
    can_view_advice,
)
from .schemas import (
    ActionOut,
    AdviceIn,
    AdviceOut,
    ApplicationIn,
    ApplicationOut,
    AssessmentIn,
    AssessmentOut,
    CallOut,
    MatchRunOut,
    SelectionRunIn,
    SelectionRunOut,
)
from .services import (
    ActionSpec,
    advice_record,
    application_create,
    application_submit,
    assessment_submit,
    match_run,
    selection_confirm,
    selection_run,
)

router = Router(tags=["programme"])
ADVICE_DENIED = "Only the partnership's members, advisers and staff see its advice; advisers and staff record it."


def _call(user: Any, slug: str) -> Call:
    try:
        return selectors.call_get(user, slug)
    except Call.DoesNotExist:
        raise Http404("No such call") from None


def _application(user: Any, reference: str) -> Application:
    try:
        return selectors.application_get(user, reference)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


@router.get("/calls", response=list[CallOut], auth=optional_auth, summary="List calls")
def call_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(selectors.call_list(api_user(request)))


@router.get("/calls/{slug}", response=CallOut, auth=optional_auth, summary="One call")
def call_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _call(api_user(request), slug)


@router.get(
    "/applications", response=list[ApplicationOut], auth=optional_auth, summary="Applications"
)
def application_list_endpoint(request: HttpRequest, call: str | None = None):  # type: ignore[no-untyped-def]
    """Applications you may see (the public: selected pathfinders), optionally of one call."""
    qs = applications_visible_to(api_user(request)).select_related("call", "partnership")
    if call:
        qs = qs.filter(call__slug=call)
    return list(qs.order_by("reference")[:500])


@router.post(
    "/applications",
    response={201: ApplicationOut},
    auth=required_auth,
    summary="Start an application",
)
def application_create_endpoint(request: HttpRequest, payload: ApplicationIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _call(user, payload.call)
    partnership = Partnership.objects.filter(slug=payload.partnership).first()
    if partnership is None:
        raise DomainError(
            "programme.unknown_partnership",
            f"No partnership ‘{payload.partnership}’",
            "partnership",
        )
    app = application_create(
        call=call, partnership=partnership, title=payload.title, themes=payload.themes,
        answers=payload.answers, requested_amount=payload.requested_amount, actor=user,
    )  # fmt: skip
    return Status(201, app)


@router.get(
    "/applications/{reference}",
    response=ApplicationOut,
    auth=optional_auth,
    summary="One application",
)
def application_detail_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    return _application(api_user(request), reference)


@router.post(
    "/applications/{reference}/submit",
    response=ApplicationOut,
    auth=required_auth,
    summary="Submit",
)
def application_submit_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    app = _application(user, reference)
    require(
        can_edit_application(user, app), "Only a draft of your own partnership can be submitted."
    )
    return application_submit(application=app, actor=user)


@router.get(
    "/assessments",
    response=list[AssessmentOut],
    auth=required_auth,
    summary="Assessments you may see",
)
def assessment_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Your own; others' of an application only once you have submitted yours (staff: all)."""
    qs = assessments_visible_to(api_user(request)).select_related("application", "assessor")
    return list(qs.order_by("pk")[:500])


@router.post(
    "/applications/{reference}/assessments",
    response={201: AssessmentOut},
    auth=required_auth,
    summary="Assess",
)
def assessment_create_endpoint(request: HttpRequest, reference: str, payload: AssessmentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    app = _application(user, reference)
    require(can_assess(user, app), "You cannot assess this application.")
    scores = {s.criterion: (s.score, s.comment) for s in payload.scores}
    return Status(201, assessment_submit(application=app, scores=scores, assessor=user, actor=user))


@router.get(
    "/calls/{slug}/selection-runs",
    response=list[SelectionRunOut],
    auth=required_auth,
    summary="Runs",
)
def run_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _call(user, slug)
    require(is_taskforce_staff(user), "Only taskforce staff see the selection.")
    return list(call.selection_runs.order_by("-number")[:50])


@router.post(
    "/calls/{slug}/selection-runs",
    response={201: SelectionRunOut},
    auth=required_auth,
    summary="Run the selection",
)
def run_create_endpoint(request: HttpRequest, slug: str, payload: SelectionRunIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _call(user, slug)
    require(is_taskforce_staff(user), "Only taskforce staff run the selection.")
    return Status(
        201, selection_run(call=call, pinned=payload.pinned, excluded=payload.excluded, actor=user)
    )


@router.post(
    "/calls/{slug}/selection-runs/{number}/confirm",
    response=SelectionRunOut,
    auth=required_auth,
    summary="Confirm",
)
def run_confirm_endpoint(request: HttpRequest, slug: str, number: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _call(user, slug)
    require(is_taskforce_staff(user), "Only taskforce staff confirm the selection.")
    run = SelectionRun.objects.filter(call=call, number=number).first()
    if run is None:
        raise Http404("No such run")
    selection_confirm(run=run, actor=user)
    run.refresh_from_db()
    return run


# --- advisers, matching and the advice log ---------------------------------------------------


@router.get("/actions", response=list[ActionOut], auth=required_auth, summary="Open actions")
def action_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Open actions: yours and your partnerships' (advisers); every overdue one (staff)."""
    return selectors.open_actions(api_user(request))


@router.get(
    "/partnerships/{slug}/advice",
    response=list[AdviceOut],
    auth=required_auth,
    summary="Advice log",
)
def advice_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_view_advice, message=ADVICE_DENIED
    )
    return selectors.advice_of(partnership)


@router.post(
    "/partnerships/{slug}/advice",
    response={201: AdviceOut},
    auth=required_auth,
    summary="Record advice",
)
def advice_create_endpoint(request: HttpRequest, slug: str, payload: AdviceIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_record_advice, message=ADVICE_DENIED
    )
    owners = {
        u.username: u
        for u in User.objects.filter(username__in=[a.owner for a in payload.actions if a.owner])
    }
    actions = [
        ActionSpec(a.description, owners.get(a.owner or ""), a.due_on) for a in payload.actions
    ]
    if payload.advice_type not in AdviceType.values:
        raise DomainError(
            "programme.invalid", f"Unknown advice type ‘{payload.advice_type}’", "advice_type"
        )
    advice = advice_record(
        partnership=partnership, adviser=user, advice_type=payload.advice_type, given_on=payload.given_on,
        summary=payload.summary, attachment_titles=payload.attachment_titles, actions=actions, actor=user,
    )  # fmt: skip
    return Status(201, advice)


@router.get(
    "/matching-runs", response=list[MatchRunOut], auth=required_auth, summary="Matching runs"
)
def match_run_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(is_taskforce_staff(api_user(request)), "Only taskforce staff see the matching.")
    return list(MatchRun.objects.order_by("-number")[:50])


@router.post(
    "/matching-runs", response={201: MatchRunOut}, auth=required_auth, summary="Run the matching"
)
def match_run_create_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(is_taskforce_staff(user), "Only taskforce staff run the matching.")
    return Status(201, match_run(actor=user))
