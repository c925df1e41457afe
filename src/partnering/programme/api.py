"""Programme JSON API: the same selectors, permissions and services as the pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.errors import DomainError
from partnering.core.models import Role, User
from partnering.core.permissions import is_taskforce_staff, require
from partnering.organisations.models import Organisation
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.models import Partnership

from . import selectors
from .models import (
    Action,
    AdviceType,
    Application,
    Call,
    Event,
    MatchRun,
    SelectionRun,
    TrainingModule,
)
from .permissions import (
    ACTION_DENIED,
    actions_visible_to,
    advisers_visible_to,
    applications_visible_to,
    assessments_visible_to,
    bookings_visible_to,
    can_assess,
    can_assign_advisers,
    can_book,
    can_complete_action,
    can_edit_application,
    can_enrol,
    can_manage_calls,
    can_manage_events,
    can_manage_training,
    can_moderate,
    can_offer_peer_support,
    can_record_advice,
    can_see_adviser_assignment,
    can_see_dashboard,
    can_see_peers,
    can_tag_application,
    can_view_advice,
    can_withdraw_application,
    enrolments_visible_to,
)
from .schemas import (
    AdviceIn,
    AdviceOut,
    AdviserIn,
    AdviserOut,
    AttendanceIn,
    BookingOut,
    CallOut,
    CompletionIn,
    DashboardOut,
    EnrolmentIn,
    EnrolmentOut,
    EventIn,
    EventOut,
    InterestIn,
    InterestOut,
    MatchRunOut,
    MentoringNeedsIn,
    MentoringNeedsOut,
    ModuleIn,
    ModuleOut,
    ModuleSessionIn,
    ModuleSessionOut,
    PartnershipAdviserIn,
    PartnershipAdviserOut,
    PeerOfferIn,
    PeerOfferOut,
    ProgrammeActionCompleteIn,
    ProgrammeActionOut,
    ProgrammeApplicationIn,
    ProgrammeApplicationOut,
    ProgrammeApplicationPatch,
    ProgrammeApplicationTagsIn,
    ProgrammeAssessmentIn,
    ProgrammeAssessmentOut,
    ProgrammeCallDetailOut,
    ProgrammeCallIn,
    ProgrammeCallPatch,
    ProgrammeCallStatusIn,
    ProgrammeCallTagIn,
    ProgrammeCallTagOut,
    ProgrammeCriterionIn,
    ProgrammeCriterionOut,
    ProgrammeCriterionPatch,
    ProgrammeModerationIn,
    ProgrammeModerationOut,
    ProgrammeQuotaIn,
    ProgrammeQuotaOut,
    SelectionRunIn,
    SelectionRunOut,
    SessionIn,
    SessionOut,
    SimilarOut,
)
from .services import (
    ActionSpec,
    CallTagSpec,
    CriterionSpec,
    QuotaSpec,
    action_complete,
    advice_record,
    adviser_assign,
    adviser_profile_set,
    adviser_unassign,
    application_create,
    application_submit,
    application_tags_set,
    application_update,
    application_withdraw,
    assessment_submit,
    attendance_record,
    booking_cancel,
    booking_create,
    call_create,
    call_criteria_specs,
    call_set_status,
    call_tag_specs,
    call_update,
    enrolment_complete,
    enrolment_create,
    enrolment_withdraw,
    event_create,
    event_update,
    interest_declare,
    match_confirm,
    match_run,
    mentoring_needs_set,
    moderation_record,
    module_create,
    module_session_create,
    module_session_update,
    module_update,
    peer_offer_set,
    quota_remove,
    quota_set,
    selection_confirm,
    selection_run,
    session_record,
)

router = Router(tags=["programme"])
MODERATE_DENIED = "Only taskforce staff moderate the panel's scores."
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


@router.get(
    "/calls/{slug}", response=ProgrammeCallDetailOut, auth=optional_auth, summary="One call"
)
def call_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """A call with its criteria, quotas and own tags."""
    return _call(api_user(request), slug)


# --- staff: creating and changing calls ------------------------------------------------------

CALL_DENIED = "Only taskforce staff create and change calls."


def _managed_call(user: Any, slug: str) -> Call:
    call = _call(user, slug)
    require(can_manage_calls(user), CALL_DENIED)
    return call


def _quota_spec(q: Any) -> QuotaSpec:
    return QuotaSpec(q.tag.strip(), q.min, q.max, q.label)


def _tag_spec(t: Any) -> CallTagSpec:
    return CallTagSpec(t.label, t.slug or "", t.applicants_choose)


_API_NAMES = {"minimum": "min", "maximum": "max"}  # a quota's bounds, as the API names them


@contextmanager
def _named_as_in_the_api() -> Iterator[None]:
    """A service's error on a quota's ``minimum`` names the API's ``min`` (and ``max``)."""
    try:
        yield
    except DomainError as exc:
        head, _, last = (exc.field or "").rpartition(".")
        if last in _API_NAMES:
            raise DomainError(
                exc.code, exc.message, f"{head}.{_API_NAMES[last]}".lstrip(".")
            ) from None
        raise


def _panel(usernames: list[str]) -> list[Any]:
    """The assessors named by username: advisers and staff, as the call's page offers."""
    found = {u.username: u for u in User.objects.filter(
        username__in=usernames, role__in=[Role.ADVISER, Role.STAFF], is_active=True)}  # fmt: skip
    for n, name in enumerate(usernames):
        if name not in found:
            raise DomainError(
                "programme.unknown_assessor",
                f"No adviser or staff member ‘{name}’",
                f"assessors.{n}",
            )
    return [found[name] for name in dict.fromkeys(usernames)]


def _one_row(exc: DomainError, key: str, index: int) -> DomainError:
    """An error of row ``index`` of the call's whole list, said of the one row the request
    sent ("criteria.3.title" -> "title")."""
    prefix = f"{key}.{index}."
    if exc.field and exc.field.startswith(prefix):
        message = exc.message.split(": ", 1)[1] if ": " in exc.message else exc.message
        return DomainError(exc.code, message, exc.field.removeprefix(prefix))
    return exc


@router.post("/calls", response={201: ProgrammeCallDetailOut}, auth=required_auth,
             summary="Create a call (in draft)")  # fmt: skip
def call_create_endpoint(request: HttpRequest, payload: ProgrammeCallIn):  # type: ignore[no-untyped-def]
    """A draft call with its criteria, quotas and own tags; every rule is checked before
    anything is saved."""
    user = api_user(request)
    require(can_manage_calls(user), CALL_DENIED)
    data = payload.dict(exclude={"criteria", "quotas", "tags", "assessors"})
    with _named_as_in_the_api():
        call = call_create(
            **data, criteria=[CriterionSpec(c.title, c.weight, c.guidance) for c in payload.criteria],
            quotas=[_quota_spec(q) for q in payload.quotas], tags=[_tag_spec(t) for t in payload.tags],
            assessors=_panel(payload.assessors), actor=user,
        )  # fmt: skip
    return Status(201, call)


@router.patch("/calls/{slug}", response=ProgrammeCallDetailOut, auth=required_auth,
              summary="Change a call")  # fmt: skip
def call_update_endpoint(request: HttpRequest, slug: str, payload: ProgrammeCallPatch):  # type: ignore[no-untyped-def]
    """Only the fields sent change; ``criteria``, ``quotas`` or ``tags`` sent replace the call's
    whole list (a criterion with an ``id`` is kept and changed, one without is new). All or
    nothing."""
    user = api_user(request)
    call = _managed_call(user, slug)
    data = payload.dict(exclude_unset=True)
    for name, value in data.items():
        if value is None and name != "budget":
            raise DomainError("programme.invalid", f"{name} cannot be empty", name)
    criteria = data.pop("criteria", None)
    quotas, tags = data.pop("quotas", None), data.pop("tags", None)
    panel = data.pop("assessors", None)
    with _named_as_in_the_api():
        call_update(
            call=call, data=data,
            criteria=None if criteria is None else [
                CriterionSpec(c.title, c.weight, c.guidance, c.id) for c in payload.criteria or []],
            quotas=None if quotas is None else [_quota_spec(q) for q in payload.quotas or []],
            tags=None if tags is None else [_tag_spec(t) for t in payload.tags or []],
            assessors=None if panel is None else _panel(panel), actor=user,
        )  # fmt: skip
    return _call(user, slug)


@router.post("/calls/{slug}/status", response=ProgrammeCallDetailOut, auth=required_auth,
             summary="Open, close or decide a call")  # fmt: skip
def call_status_endpoint(request: HttpRequest, slug: str, payload: ProgrammeCallStatusIn):  # type: ignore[no-untyped-def]
    """draft -> open; open -> closed or decided; closed -> open or decided. Deciding confirms
    the latest selection run, which must be optimal and made on the call as it is now."""
    user = api_user(request)
    call_set_status(call=_managed_call(user, slug), status=payload.status, actor=user)
    return _call(user, slug)


@router.post("/calls/{slug}/criteria", response={201: ProgrammeCriterionOut},
             auth=required_auth, summary="Add a criterion")  # fmt: skip
def criterion_create_endpoint(request: HttpRequest, slug: str, payload: ProgrammeCriterionIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _managed_call(user, slug)
    specs = call_criteria_specs(call)
    new = CriterionSpec(payload.title, payload.weight, payload.guidance)
    try:
        call_update(call=call, data={}, criteria=[*specs, new], actor=user)
    except DomainError as exc:
        raise _one_row(exc, "criteria", len(specs)) from None
    return Status(201, call.criteria.order_by("-position", "-pk").first())


def _criterion(call: Call, criterion_id: int) -> Any:
    found = call.criteria.filter(pk=criterion_id).first()
    if found is None:
        raise Http404("No such criterion")
    return found


@router.patch("/calls/{slug}/criteria/{criterion_id}", response=ProgrammeCriterionOut,
              auth=required_auth, summary="Change a criterion")  # fmt: skip
def criterion_update_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, criterion_id: int, payload: ProgrammeCriterionPatch
):
    user = api_user(request)
    call = _managed_call(user, slug)
    criterion = _criterion(call, criterion_id)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise DomainError("programme.invalid", f"{name} cannot be empty", name)
    specs = call_criteria_specs(call)
    index = next(i for i, c in enumerate(specs) if c.id == criterion.pk)
    specs[index] = replace(specs[index], **changes)
    try:
        call_update(call=call, data={}, criteria=specs, actor=user)
    except DomainError as exc:
        raise _one_row(exc, "criteria", index) from None
    return _criterion(call, criterion_id)


@router.delete("/calls/{slug}/criteria/{criterion_id}", response={204: None},
               auth=required_auth, summary="Remove a criterion")  # fmt: skip
def criterion_delete_endpoint(request: HttpRequest, slug: str, criterion_id: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _managed_call(user, slug)
    criterion = _criterion(call, criterion_id)
    specs = [c for c in call_criteria_specs(call) if c.id != criterion.pk]
    call_update(call=call, data={}, criteria=specs, actor=user)
    return Status(204, None)


@router.post("/calls/{slug}/quotas", response=ProgrammeQuotaOut, auth=required_auth,
             summary="Set the quota on a tag (add or change)")  # fmt: skip
def quota_set_endpoint(request: HttpRequest, slug: str, payload: ProgrammeQuotaIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _managed_call(user, slug)
    with _named_as_in_the_api():
        return quota_set(call=call, spec=_quota_spec(payload), actor=user)


@router.delete("/calls/{slug}/quotas/{quota_id}", response={204: None}, auth=required_auth,
               summary="Remove a quota")  # fmt: skip
def quota_delete_endpoint(request: HttpRequest, slug: str, quota_id: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    quota = _managed_call(user, slug).quotas.filter(pk=quota_id).first()
    if quota is None:
        raise Http404("No such quota")
    quota_remove(quota=quota, actor=user)
    return Status(204, None)


@router.post("/calls/{slug}/tags", response={201: ProgrammeCallTagOut}, auth=required_auth,
             summary="Add a tag of the call's own")  # fmt: skip
def call_tag_create_endpoint(request: HttpRequest, slug: str, payload: ProgrammeCallTagIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _managed_call(user, slug)
    specs = call_tag_specs(call)
    try:
        call_update(call=call, data={}, tags=[*specs, _tag_spec(payload)], actor=user)
    except DomainError as exc:
        raise _one_row(exc, "tags", len(specs)) from None
    return Status(201, call.tags.order_by("-pk").first())


@router.delete("/calls/{slug}/tags/{tag_slug}", response={204: None}, auth=required_auth,
               summary="Remove a tag of the call's own (the applications carrying it lose it)")  # fmt: skip
def call_tag_delete_endpoint(request: HttpRequest, slug: str, tag_slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    call = _managed_call(user, slug)
    specs = call_tag_specs(call)
    if not any(t.slug == tag_slug for t in specs):
        raise Http404("No such tag")
    call_update(call=call, data={}, tags=[t for t in specs if t.slug != tag_slug], actor=user)
    return Status(204, None)


@router.get(
    "/applications",
    response=list[ProgrammeApplicationOut],
    auth=optional_auth,
    summary="Applications",
)
def application_list_endpoint(request: HttpRequest, call: str | None = None):  # type: ignore[no-untyped-def]
    """Applications you may see (the public: selected pathfinders), optionally of one call."""
    qs = applications_visible_to(api_user(request)).select_related("call", "partnership")
    if call:
        qs = qs.filter(call__slug=call)
    return list(qs.order_by("reference")[:500])


@router.post(
    "/applications",
    response={201: ProgrammeApplicationOut},
    auth=required_auth,
    summary="Start an application",
)
def application_create_endpoint(request: HttpRequest, payload: ProgrammeApplicationIn):  # type: ignore[no-untyped-def]
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
        answers=payload.answers, call_tags=payload.call_tags,
        requested_amount=payload.requested_amount, actor=user,
    )  # fmt: skip
    return Status(201, app)


@router.get(
    "/applications/{reference}",
    response=ProgrammeApplicationOut,
    auth=optional_auth,
    summary="One application",
)
def application_detail_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    return _application(api_user(request), reference)


@router.post(
    "/applications/{reference}/submit",
    response=ProgrammeApplicationOut,
    auth=required_auth,
    summary="Submit",
)
def application_submit_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    app = _application(user, reference)
    require_on(
        app.partnership,
        can_edit_application(user, app),
        "Only a draft of your own partnership can be submitted.",
    )
    return application_submit(application=app, actor=user)


@router.patch("/applications/{reference}", response=ProgrammeApplicationOut,
              auth=required_auth, summary="Change a draft")  # fmt: skip
def application_update_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, reference: str, payload: ProgrammeApplicationPatch
):
    """Only the fields sent change; ``answers`` are merged by criterion id."""
    user = api_user(request)
    app = _application(user, reference)
    require_on(app.partnership, can_edit_application(user, app),
               "Only a draft of your own partnership can be changed.")  # fmt: skip
    data = payload.dict(exclude_unset=True)
    for name, value in data.items():
        if value is None:
            raise DomainError("programme.invalid", f"{name} cannot be empty", name)
    return application_update(application=app, data=data, actor=user)


@router.post("/applications/{reference}/withdraw", response=ProgrammeApplicationOut,
             auth=required_auth, summary="Withdraw an application")  # fmt: skip
def application_withdraw_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    app = _application(user, reference)
    require_on(app.partnership, can_withdraw_application(user, app),
               "Only your own partnership's application can be withdrawn, until it is decided.")  # fmt: skip
    return application_withdraw(application=app, actor=user)


@router.put("/applications/{reference}/tags", response=ProgrammeApplicationOut,
            auth=required_auth, summary="Attach the call's own tags (staff)")  # fmt: skip
def application_tags_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, reference: str, payload: ProgrammeApplicationTagsIn
):
    """The whole list of the call's tags a submitted application carries."""
    user = api_user(request)
    app = _application(user, reference)
    require(can_tag_application(user, app),
            "Only taskforce staff tag a submitted application, until the call is decided.")  # fmt: skip
    return application_tags_set(application=app, call_tags=payload.call_tags, actor=user)


@router.get(
    "/assessments",
    response=list[ProgrammeAssessmentOut],
    auth=required_auth,
    summary="Assessments you may see",
)
def assessment_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Your own; others' of an application only once you have submitted yours (staff: all)."""
    qs = assessments_visible_to(api_user(request)).select_related("application", "assessor")
    return list(qs.order_by("pk")[:500])


@router.post(
    "/applications/{reference}/assessments",
    response={201: ProgrammeAssessmentOut},
    auth=required_auth,
    summary="Assess",
)
def assessment_create_endpoint(
    request: HttpRequest, reference: str, payload: ProgrammeAssessmentIn
):  # type: ignore[no-untyped-def]
    user = api_user(request)
    app = _application(user, reference)
    require(can_assess(user, app), "You cannot assess this application.")
    scores = {s.criterion: (s.score, s.comment) for s in payload.scores}
    return Status(201, assessment_submit(application=app, scores=scores, assessor=user, actor=user))


@router.get(
    "/applications/{reference}/moderation",
    response=ProgrammeModerationOut,
    auth=required_auth,
    summary="The panel's scores to moderate",
)
def moderation_detail_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    """Every assessor's scores per criterion, their spread, whether they disagree and any
    agreed score (staff, while the application is under assessment)."""
    user = api_user(request)
    app = _application(user, reference)
    require(can_moderate(user, app), MODERATE_DENIED)
    return _moderation(app)


@router.post(
    "/applications/{reference}/moderation",
    response=ProgrammeModerationOut,
    auth=required_auth,
    summary="Record the agreed scores",
)
def moderation_record_endpoint(
    request: HttpRequest, reference: str, payload: ProgrammeModerationIn
):  # type: ignore[no-untyped-def]
    """The panel's agreed score of one or more criteria (staff), in one transaction: a score
    outside the call's scale or a criterion of another call is a 422 and records none."""
    user = api_user(request)
    app = _application(user, reference)
    require(can_moderate(user, app), MODERATE_DENIED)
    if not payload.scores:
        raise DomainError("programme.invalid", "Give at least one agreed score", "scores")
    criteria = {c.pk: c for c in app.call.criteria.all()}
    for row in payload.scores:
        if row.criterion not in criteria:
            raise DomainError(
                "programme.invalid",
                f"Criterion {row.criterion} is not one of this call's",
                "scores",
            )
        moderation_record(application=app, criterion=criteria[row.criterion], score=row.score,
                          note=payload.note, actor=user)  # fmt: skip
    return _moderation(app)


def _moderation(app: Application) -> dict[str, Any]:
    scored = selectors.application_scored(app)
    return {
        "application": app.reference, "score": scored.score, "assessments": scored.assessments,
        "disagreements": scored.disagreements,
        "criteria": [
            {"criterion": r.criterion.pk, "title": r.criterion.title, "scores": r.scores,
             "spread": r.spread, "disagrees": r.disagrees, "moderated": r.moderated}
            for r in scored.rows
        ],
    }  # fmt: skip


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


@router.get(
    "/actions", response=list[ProgrammeActionOut], auth=required_auth, summary="Open actions"
)
def action_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Open actions: yours and your partnerships' (advisers); every overdue one (staff)."""
    return selectors.open_actions(api_user(request))


@router.post(
    "/actions/{action_id}/complete",
    response=ProgrammeActionOut,
    auth=required_auth,
    summary="Mark an action as done",
)
def action_complete_endpoint(
    request: HttpRequest, action_id: int, payload: ProgrammeActionCompleteIn | None = None
):  # type: ignore[no-untyped-def]
    """Done on ``completed_on`` (default today), by you: its owner, the partnership's advisers
    or staff. An action done already is a 422 (``programme.action_done``)."""
    user = api_user(request)
    action = actions_visible_to(user).select_related("partnership").filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    require_on(action.partnership, can_complete_action(user, action), ACTION_DENIED)
    done = action_complete(
        action=action, completed_on=payload.completed_on if payload else None, actor=user
    )
    return Action.objects.select_related("partnership", "owner", "completed_by").get(pk=done.pk)


def _action_specs(actions: list[Any]) -> list[ActionSpec]:
    """The API's actions (owners by username) as the services take them; an unknown owner is
    no owner (``programme.action_owner``)."""
    names = [a.owner for a in actions if a.owner]
    owners = {u.username: u for u in User.objects.filter(username__in=names)}
    return [ActionSpec(a.description, owners.get(a.owner or ""), a.due_on) for a in actions]


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
    actions = _action_specs(payload.actions)
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


@router.post(
    "/matching-runs/{number}/confirm",
    response=MatchRunOut,
    auth=required_auth,
    summary="Confirm a matching run",
)
def match_run_confirm_endpoint(request: HttpRequest, number: int):  # type: ignore[no-untyped-def]
    """Set every pathfinder's advisers from this run (staff): only the latest run, and only
    when it serves every pathfinder (else a 422 saying why)."""
    user = api_user(request)
    require(is_taskforce_staff(user), "Only taskforce staff confirm the matching.")
    run = MatchRun.objects.filter(number=number).first()
    if run is None:
        raise Http404("No such run")
    match_confirm(run=run, actor=user)
    run.refresh_from_db()
    return run


# --- training modules ------------------------------------------------------------------------

TRAINING_STAFF = "Only taskforce staff manage training modules."


def _module(user: Any, slug: str) -> Any:
    try:
        return selectors.module_get(user, slug)
    except TrainingModule.DoesNotExist:
        raise Http404("No such module") from None


def _organisation_of(user: Any, slug: str) -> Any:
    org = user.organisations.filter(slug=slug).first()
    if org is None:
        raise DomainError(
            "programme.not_your_organisation", f"You do not work for ‘{slug}’", "organisation"
        )
    return org


@router.get("/modules", response=list[ModuleOut], auth=optional_auth, summary="Training modules")
def module_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Published modules (staff: drafts too), each with its cohorts."""
    return list(selectors.module_list(api_user(request)))


@router.post("/modules", response={201: ModuleOut}, auth=required_auth, summary="Add a module")
def module_create_endpoint(request: HttpRequest, payload: ModuleIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(can_manage_training(user), TRAINING_STAFF)
    module = module_create(**payload.dict(), actor=user)
    return Status(201, selectors.module_list(user).get(pk=module.pk))


@router.get("/modules/{slug}", response=ModuleOut, auth=optional_auth, summary="One module")
def module_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    _module(user, slug)
    return selectors.module_list(user).get(slug=slug)


@router.put("/modules/{slug}", response=ModuleOut, auth=required_auth, summary="Change a module")
def module_update_endpoint(request: HttpRequest, slug: str, payload: ModuleIn):  # type: ignore[no-untyped-def]
    """Every field of the module (staff); its slug, and so its address, stays the same."""
    user = api_user(request)
    module = _module(user, slug)
    require(can_manage_training(user), TRAINING_STAFF)
    module_update(module=module, **payload.dict(), actor=user)
    return selectors.module_list(user).get(pk=module.pk)


@router.post(
    "/modules/{slug}/sessions",
    response={201: ModuleSessionOut},
    auth=required_auth,
    summary="Schedule a cohort",
)
def module_session_create_endpoint(request: HttpRequest, slug: str, payload: ModuleSessionIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    module = _module(user, slug)
    require(can_manage_training(user), TRAINING_STAFF)
    return Status(201, module_session_create(module=module, **payload.dict(), actor=user))


@router.put(
    "/modules/{slug}/sessions/{session_id}",
    response=ModuleSessionOut,
    auth=required_auth,
    summary="Change a cohort",
)
def module_session_update_endpoint(
    request: HttpRequest, slug: str, session_id: int, payload: ModuleSessionIn
):  # type: ignore[no-untyped-def]
    """A cohort's dates, place and places (staff); places never below the people enrolled."""
    user = api_user(request)
    module = _module(user, slug)
    require(can_manage_training(user), TRAINING_STAFF)
    session = module.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404("No such cohort of this module")
    return module_session_update(session=session, **payload.dict(), actor=user)


@router.get("/enrolments", response=list[EnrolmentOut], auth=required_auth, summary="Enrolments")
def enrolment_list_endpoint(request: HttpRequest, module: str | None = None):  # type: ignore[no-untyped-def]
    """Your enrolments (staff: everyone's), optionally in one module."""
    qs = enrolments_visible_to(api_user(request)).select_related(
        "session__module", "person", "organisation"
    )
    if module:
        qs = qs.filter(session__module__slug=module)
    return list(qs.order_by("pk")[:1000])


@router.post(
    "/modules/{slug}/enrolments",
    response={201: EnrolmentOut},
    auth=required_auth,
    summary="Enrol in a cohort",
)
def enrolment_create_endpoint(request: HttpRequest, slug: str, payload: EnrolmentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    module = _module(user, slug)
    require(can_enrol(user), "Only people of a partner organisation can enrol.")
    session = module.sessions.filter(pk=payload.session).first()
    if session is None:
        raise DomainError("programme.unknown_session", "No such cohort of this module", "session")
    organisation = _organisation_of(user, payload.organisation)
    return Status(
        201, enrolment_create(session=session, person=user, organisation=organisation, actor=user)
    )


@router.post(
    "/enrolments/{enrolment_id}/complete",
    response=EnrolmentOut,
    auth=required_auth,
    summary="Record completion",
)
def enrolment_complete_endpoint(request: HttpRequest, enrolment_id: int, payload: CompletionIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    enrolment = enrolments_visible_to(user).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404("No such enrolment")
    require(can_manage_training(user), "Only taskforce staff record completion.")
    return enrolment_complete(enrolment=enrolment, completed_on=payload.completed_on, actor=user)


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response=EnrolmentOut,
    auth=required_auth,
    summary="Withdraw from a cohort",
)
def enrolment_withdraw_endpoint(request: HttpRequest, enrolment_id: int):  # type: ignore[no-untyped-def]
    """Your own enrolment (staff: anyone's); the place is free again. Only an enrolled person
    withdraws: a completed or withdrawn enrolment is a 422."""
    user = api_user(request)
    enrolment = enrolments_visible_to(user).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404("No such enrolment")
    enrolment_withdraw(enrolment=enrolment, actor=user)
    return (
        enrolments_visible_to(user)
        .select_related("session__module", "person", "organisation")
        .get(pk=enrolment_id)
    )


# --- events --------------------------------------------------------------------------------


def _event(user: Any, slug: str) -> Any:
    try:
        return selectors.event_get(user, slug)
    except Event.DoesNotExist:
        raise Http404("No such event") from None


@router.get("/events", response=list[EventOut], auth=optional_auth, summary="Events")
def event_list_endpoint(request: HttpRequest, upcoming: bool = False):  # type: ignore[no-untyped-def]
    return list(selectors.event_list(api_user(request), upcoming_only=upcoming)[:1000])


@router.post("/events", response={201: EventOut}, auth=required_auth, summary="Add an event")
def event_create_endpoint(request: HttpRequest, payload: EventIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(can_manage_events(user), "Only taskforce staff add events.")
    event = event_create(**payload.dict(), actor=user)
    return Status(201, selectors.event_get(user, event.slug))


@router.get("/events/{slug}", response=EventOut, auth=optional_auth, summary="One event")
def event_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _event(api_user(request), slug)


@router.put("/events/{slug}", response=EventOut, auth=required_auth, summary="Change an event")
def event_update_endpoint(request: HttpRequest, slug: str, payload: EventIn):  # type: ignore[no-untyped-def]
    """Every field of the event (staff); its slug stays. Places never fall below the people
    who have one; added places go to the first on the waiting list."""
    user = api_user(request)
    event = _event(user, slug)
    require(can_manage_events(user), "Only taskforce staff change events.")
    event_update(event=event, **payload.dict(), actor=user)
    return selectors.event_get(user, event.slug)


@router.post(
    "/events/{slug}/bookings",
    response={201: BookingOut},
    auth=required_auth,
    summary="Book a place (or join the waiting list)",
)
def booking_create_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    event = _event(user, slug)
    require(can_book(user), "Sign in to book.")
    return Status(201, booking_create(event=event, person=user, actor=user))


@router.get("/bookings", response=list[BookingOut], auth=required_auth, summary="Bookings")
def booking_list_endpoint(request: HttpRequest, event: str | None = None):  # type: ignore[no-untyped-def]
    """Your bookings (staff: everyone's), optionally for one event."""
    qs = bookings_visible_to(api_user(request)).select_related("event", "person")
    if event:
        qs = qs.filter(event__slug=event)
    return list(qs.order_by("pk")[:1000])


def _booking(user: Any, booking_id: int) -> Any:
    booking = bookings_visible_to(user).select_related("event", "person").filter(pk=booking_id)
    found = booking.first()
    if found is None:
        raise Http404("No such booking")
    return found


@router.post(
    "/bookings/{booking_id}/cancel", response=BookingOut, auth=required_auth, summary="Cancel"
)
def booking_cancel_endpoint(request: HttpRequest, booking_id: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    booking = _booking(user, booking_id)
    booking_cancel(booking=booking, actor=user)
    return _booking(user, booking_id)


@router.post(
    "/bookings/{booking_id}/attendance",
    response=BookingOut,
    auth=required_auth,
    summary="Record attendance",
)
def attendance_endpoint(request: HttpRequest, booking_id: int, payload: AttendanceIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    booking = _booking(user, booking_id)
    require(can_manage_events(user), "Only taskforce staff record attendance.")
    return attendance_record(booking=booking, attended=payload.attended, actor=user)


# --- peer support --------------------------------------------------------------------------


@router.get("/peers", response=list[PeerOfferOut], auth=required_auth, summary="Peer directory")
def peer_list_endpoint(request: HttpRequest, topic: str | None = None):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(can_see_peers(user), "Sign in to see the peer directory.")
    return selectors.peer_directory(user, topic)


@router.post("/peers", response=PeerOfferOut, auth=required_auth, summary="Offer peer support")
def peer_offer_endpoint(request: HttpRequest, payload: PeerOfferIn):  # type: ignore[no-untyped-def]
    """Set your own offer (create or change; ``is_listed: false`` leaves the directory)."""
    user = api_user(request)
    require(
        can_offer_peer_support(user), "Only people of a partner organisation offer peer support."
    )
    organisation = _organisation_of(user, payload.organisation)
    data = payload.dict()
    data.pop("organisation")
    return peer_offer_set(person=user, organisation=organisation, **data, actor=user)


@router.get(
    "/partnerships/{slug}/similar",
    response=list[SimilarOut],
    auth=optional_auth,
    summary="Partnerships like this one",
)
def similar_endpoint(request: HttpRequest, slug: str, limit: int = 5):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_viewing(user, slug)
    limit = max(1, min(limit, 20))
    return [
        {"partnership": s.partnership.slug, "name": s.partnership.name, "score": s.score,
         "reasons": list(s.reasons),
         "contacts": [{"name": c.person.get_full_name() or c.person.username,
                       "organisation": c.organisation.name} for c in s.contacts]}
        for s in selectors.partnerships_like(user, partnership, limit=limit)
    ]  # fmt: skip


@router.get("/dashboard", response=DashboardOut, auth=required_auth, summary="Programme dashboard")
def dashboard_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The dashboard's charts as data (each bar: label, value, note), overdue actions and the
    next events (staff)."""
    require(
        can_see_dashboard(api_user(request)), "Only taskforce staff see the programme dashboard."
    )
    data = selectors.dashboard()
    return {
        "charts": data.charts,
        "overdue_actions": data.overdue_count,
        "upcoming_events": [e.slug for e in data.upcoming],
    }


# --- mentoring sessions and adviser profiles -------------------------------------------------


@router.get(
    "/partnerships/{slug}/sessions",
    response=list[SessionOut],
    auth=required_auth,
    summary="Mentoring sessions",
)
def session_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_view_advice, message=ADVICE_DENIED
    )
    return selectors.sessions_of(partnership)


@router.post(
    "/partnerships/{slug}/sessions",
    response={201: SessionOut},
    auth=required_auth,
    summary="Record a mentoring session",
)
def session_create_endpoint(request: HttpRequest, slug: str, payload: SessionIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_record_advice, message=ADVICE_DENIED
    )
    session = session_record(
        partnership=partnership, adviser=user, held_on=payload.held_on, attendees=payload.attendees,
        notes=payload.notes, actions=_action_specs(payload.actions), actor=user,
    )  # fmt: skip
    return Status(201, next(s for s in selectors.sessions_of(partnership) if s.pk == session.pk))


ASSIGN_DENIED = "Only taskforce staff assign advisers."


def _advisers_out(partnership: Partnership) -> list[dict[str, Any]]:
    return [
        {"username": a.username, "name": a.display_name,
         "disciplines": a.adviser_profile.disciplines if hasattr(a, "adviser_profile") else [],
         "advising": a.advising,
         "capacity": a.adviser_profile.capacity if hasattr(a, "adviser_profile") else None}
        for a in selectors.advisers_of(partnership)
    ]  # fmt: skip


def _adviser_user(username: str) -> Any:
    adviser = User.objects.filter(username=username).first()
    if adviser is None:
        raise DomainError("programme.unknown_adviser", f"No adviser ‘{username}’", "adviser")
    return adviser


@router.get(
    "/partnerships/{slug}/advisers",
    response=list[PartnershipAdviserOut],
    auth=required_auth,
    summary="A partnership's advisers",
)
def partnership_advisers_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """Its advisers, each with how many partnerships they advise and their capacity (staff)."""
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_see_adviser_assignment, message=ASSIGN_DENIED
    )
    return _advisers_out(partnership)


@router.post(
    "/partnerships/{slug}/advisers",
    response={201: list[PartnershipAdviserOut]},
    auth=required_auth,
    summary="Assign an adviser",
)
def partnership_adviser_assign_endpoint(
    request: HttpRequest, slug: str, payload: PartnershipAdviserIn
):  # type: ignore[no-untyped-def]
    """One more adviser (staff), checked as the matching checks: a 422 for an adviser at their
    capacity (``programme.over_capacity``), with a declared interest in a member
    (``programme.adviser_conflicted``), without a profile or already assigned."""
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_assign_advisers, message=ASSIGN_DENIED
    )
    adviser_assign(partnership=partnership, adviser=_adviser_user(payload.adviser), actor=user)
    return Status(201, _advisers_out(partnership))


@router.delete(
    "/partnerships/{slug}/advisers/{username}",
    response=list[PartnershipAdviserOut],
    auth=required_auth,
    summary="Remove an adviser",
)
def partnership_adviser_remove_endpoint(request: HttpRequest, slug: str, username: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_assign_advisers, message=ASSIGN_DENIED
    )
    adviser_unassign(partnership=partnership, adviser=_adviser_user(username), actor=user)
    return _advisers_out(partnership)


def _needs_out(partnership: Partnership) -> dict[str, Any]:
    mentors, disciplines, set_by_staff = selectors.mentoring_needs_of(partnership)
    return {"partnership": partnership.slug, "mentors": mentors, "disciplines": disciplines,
            "set_by_staff": set_by_staff}  # fmt: skip


@router.get(
    "/partnerships/{slug}/mentoring-needs",
    response=MentoringNeedsOut,
    auth=required_auth,
    summary="What a pathfinder needs from its mentors",
)
def mentoring_needs_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    """How many mentors and which disciplines the matching gives it (staff)."""
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_see_adviser_assignment, message=ASSIGN_DENIED
    )
    return _needs_out(partnership)


@router.put(
    "/partnerships/{slug}/mentoring-needs",
    response=MentoringNeedsOut,
    auth=required_auth,
    summary="Set what a pathfinder needs from its mentors",
)
def mentoring_needs_set_endpoint(request: HttpRequest, slug: str, payload: MentoringNeedsIn):  # type: ignore[no-untyped-def]
    """The number of mentors (1 to 5) and the disciplines each must hold (staff); the next
    matching run uses them."""
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_assign_advisers, message=ASSIGN_DENIED
    )
    mentoring_needs_set(partnership=partnership, mentors=payload.mentors,
                        disciplines=payload.disciplines, actor=user)  # fmt: skip
    return _needs_out(partnership)


def _profile(user: Any, username: str) -> Any:
    profile = advisers_visible_to(user).filter(user__username=username).first()
    if profile is None:
        raise Http404("No such adviser")
    return profile


@router.get("/advisers", response=list[AdviserOut], auth=required_auth, summary="Adviser profiles")
def adviser_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Staff: every adviser with their load; an adviser: their own profile."""
    return selectors.adviser_profiles(api_user(request))


@router.get(
    "/advisers/{username}", response=AdviserOut, auth=required_auth, summary="One adviser profile"
)
def adviser_detail_endpoint(request: HttpRequest, username: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    _profile(user, username)
    return next(p for p in selectors.adviser_profiles(user) if p.user.username == username)


@router.put(
    "/advisers/{username}",
    response=AdviserOut,
    auth=required_auth,
    summary="Set an adviser's profile",
)
def adviser_set_endpoint(request: HttpRequest, username: str, payload: AdviserIn):  # type: ignore[no-untyped-def]
    """Create or change an adviser's disciplines, sectors, regions and capacity (staff)."""
    user = api_user(request)
    require(is_taskforce_staff(user), "Only taskforce staff set adviser profiles.")
    adviser = User.objects.filter(username=username, role="adviser").first()
    if adviser is None:
        raise Http404("No such adviser")
    adviser_profile_set(user=adviser, **payload.dict(), actor=user)
    return next(p for p in selectors.adviser_profiles(user) if p.user.username == username)


@router.post(
    "/advisers/{username}/interests",
    response={201: InterestOut},
    auth=required_auth,
    summary="Declare an interest",
)
def interest_create_endpoint(request: HttpRequest, username: str, payload: InterestIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    profile = _profile(user, username)
    require(is_taskforce_staff(user) or profile.user_id == user.pk,
            "Only the adviser and taskforce staff declare interests.")  # fmt: skip
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise DomainError(
            "programme.invalid", f"No organisation ‘{payload.organisation}’", "organisation"
        )
    return Status(201, interest_declare(profile=profile, organisation=organisation,
                                        description=payload.description, actor=user))  # fmt: skip
