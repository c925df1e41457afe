"""Funding JSON API at /api/v1/funding/: the same selectors, permissions and services as the
pages. Money is exact: amounts go in and come out as strings of pounds and pence."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from ninja import Router, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.errors import DomainError
from partnering.core.permissions import require
from partnering.organisations.importer import ImportFileError
from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.access import partnership_for_viewing, require_on
from partnering.partnerships.models import Partnership, ServiceArea

from . import open_data, selectors, services
from .errors import FundingError as E
from .maths.money import PENNY
from .models import Application, Award, Claim, FundingProgramme, Round
from .permissions import (
    assessments_visible_to,
    can_apply,
    can_assess,
    can_claim,
    can_decide,
    can_edit_application,
    can_manage_award,
    can_manage_e_enablement,
    can_manage_rounds,
    can_moderate,
    is_finance,
    rounds_visible_to,
)
from .schemas import (
    AwardOut,
    BudgetLineIn,
    ClaimIn,
    ClaimOut,
    CouncilProgressOut,
    EEnablementImportIn,
    EEnablementImportOut,
    EEnablementIn,
    FundingApplicationIn,
    FundingApplicationOut,
    FundingAssessmentIn,
    FundingAssessmentOut,
    FundingAwardIn,
    FundingPersonOut,
    FundingProgrammeIn,
    FundingProgrammePatch,
    MilestoneIn,
    MilestoneOut,
    ModerationIn,
    MoneyOut,
    MoneyRowOut,
    PaymentIn,
    PaymentOut,
    PointOut,
    ProgrammeOut,
    ProgressOut,
    PromisedServiceIn,
    PromiseOut,
    RecoveryIn,
    RecoveryOut,
    RejectIn,
    RoundIn,
    RoundOut,
    RoundPanelIn,
    RoundStatusIn,
    ServiceStatusOut,
    VariationIn,
    VariationOut,
)

router = Router(tags=["funding"])
User = get_user_model()


def _application(user: Any, reference: str) -> Application:
    try:
        return selectors.application_get(viewer=user, reference=reference)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


def _award(user: Any, pk: int) -> Award:
    try:
        return selectors.award_get(viewer=user, pk=pk)
    except Award.DoesNotExist:
        raise Http404("No such award") from None


def _claim(user: Any, pk: int) -> Claim:
    try:
        return selectors.claim_get(viewer=user, pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None


def _award_out(award: Award) -> dict[str, Any]:
    return {
        "id": award.pk,
        "grant_id": open_data.grant_id(award),
        "application": award.application.reference,
        "round": award.round.slug,
        "recipient": award.recipient.name,
        "recipient_org_id": open_data.org_id(award.recipient),
        "title": award.application.title,
        "amount": award.amount,
        "status": award.status,
        "awarded_on": award.awarded_on,
        "agreement_starts_on": award.agreement_starts_on,
        "agreement_ends_on": award.agreement_ends_on,
        "paid": (award.paid_gross - award.clawed).quantize(PENNY),
        "shares": [
            {"organisation": x.organisation.slug, "amount": x.amount} for x in award.shares.all()
        ],
    }


def _editable(user: Any, reference: str) -> Application:
    application = _application(user, reference)
    require_on(
        application.partnership,
        can_edit_application(user, application),
        "Only a draft of your own partnership can be changed.",
    )
    return application


def _member(application: Application, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise DomainError(E.NOT_A_MEMBER, f"No organisation ‘{slug}’", "organisation")
    return organisation


@router.get(
    "/programmes", response=list[ProgrammeOut], auth=optional_auth, summary="Funding programmes"
)
def programme_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(FundingProgramme.objects.order_by("-starts_on"))


def _staff_only(user: Any, message: str) -> None:
    require(can_manage_rounds(user), message)


def _one(qs: Any, missing: str, **lookup: Any) -> Any:
    """The one row of ``qs`` that matches, or a 404 saying what is missing."""
    found = qs.filter(**lookup).first()
    if found is None:
        raise Http404(missing)
    return found


def _programme(slug: str) -> FundingProgramme:
    return _one(FundingProgramme.objects.all(), "No such programme", slug=slug)


@router.post(
    "/programmes",
    response={201: ProgrammeOut},
    auth=required_auth,
    summary="Set up a funding programme",
)
def programme_create_endpoint(request: HttpRequest, payload: FundingProgrammeIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    _staff_only(user, "Only taskforce staff set up funding programmes.")
    return Status(201, services.programme_create(**payload.dict(), actor=user))


@router.patch(
    "/programmes/{slug}",
    response=ProgrammeOut,
    auth=required_auth,
    summary="Change a programme's budget, aim or dates",
)
def programme_update_endpoint(request: HttpRequest, slug: str, payload: FundingProgrammePatch):  # type: ignore[no-untyped-def]
    user = api_user(request)
    programme = _programme(slug)
    _staff_only(user, "Only taskforce staff change funding programmes.")
    return services.programme_update(
        programme=programme, data=payload.dict(exclude_unset=True), actor=user
    )


def _people(usernames: list[str], field: str) -> list[Any]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}
    missing = [u for u in usernames if u not in found]
    if missing:
        raise DomainError(E.NOT_AN_ASSESSOR, f"There is no user ‘{missing[0]}’", field)
    return [found[u] for u in dict.fromkeys(usernames)]


@router.post(
    "/programmes/{slug}/rounds",
    response={201: RoundOut},
    auth=required_auth,
    summary="Add a round to a programme",
)
def round_create_endpoint(request: HttpRequest, slug: str, payload: RoundIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    programme = _programme(slug)
    _staff_only(user, "Only taskforce staff add rounds.")
    data = payload.dict()
    return Status(
        201,
        services.round_create(
            programme=programme,
            criteria=[
                services.CriterionSpec(c.title, c.weight, c.guidance) for c in payload.criteria
            ],
            assessors=_people(data.pop("assessors"), "assessors"),
            actor=user,
            **{k: v for k, v in data.items() if k != "criteria"},
        ),
    )


@router.get("/rounds", response=list[RoundOut], auth=optional_auth, summary="Rounds")
def round_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    return list(selectors.round_list(viewer=api_user(request)))


@router.get("/rounds/{slug}", response=RoundOut, auth=optional_auth, summary="One round")
def round_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _round(api_user(request), slug)


def _round(user: Any, slug: str) -> Round:
    return _one(rounds_visible_to(user), "No such round", slug=slug)


def _person_out(user: Any) -> FundingPersonOut:
    return FundingPersonOut(
        username=user.username, name=user.display_name, role=user.get_role_display()
    )


@router.post(
    "/rounds/{slug}/status",
    response=RoundOut,
    auth=required_auth,
    summary="Move a round on (draft, open, closed, decided)",
)
def round_status_endpoint(request: HttpRequest, slug: str, payload: RoundStatusIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    round_ = _round(user, slug)
    _staff_only(user, "Only taskforce staff run rounds.")
    return services.round_set_status(round_=round_, status=payload.status, actor=user)


@router.get(
    "/rounds/{slug}/assessors",
    response=list[FundingPersonOut],
    auth=required_auth,
    summary="A round's assessor panel",
)
def round_panel_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    round_ = _round(user, slug)
    _staff_only(user, "Only taskforce staff see a round's panel.")
    return [_person_out(u) for u in round_.assessors.order_by("username")]


@router.put(
    "/rounds/{slug}/assessors",
    response=list[FundingPersonOut],
    auth=required_auth,
    summary="Set a round's assessor panel (the whole panel)",
)
def round_panel_set_endpoint(request: HttpRequest, slug: str, payload: RoundPanelIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    round_ = _round(user, slug)
    _staff_only(user, "Only taskforce staff set a round's panel.")
    services.round_assessors_set(
        round_=round_, assessors=_people(payload.assessors, "assessors"), actor=user
    )
    return [_person_out(u) for u in round_.assessors.order_by("username")]


@router.get(
    "/finance-officers",
    response=list[FundingPersonOut],
    auth=required_auth,
    summary="Finance officers",
)
def finance_officer_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    _staff_only(api_user(request), "Only taskforce staff see the finance officers.")
    return [_person_out(o.user) for o in selectors.finance_officers()]


def _named(username: str) -> Any:
    return _one(User.objects.all(), "No such user", username=username)


@router.put(
    "/finance-officers/{username}",
    response=FundingPersonOut,
    auth=required_auth,
    summary="Name a finance officer",
)
def finance_officer_set_endpoint(request: HttpRequest, username: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    _staff_only(user, "Only taskforce staff name finance officers.")
    person = _named(username)
    services.finance_officer_set(user=person, actor=user)
    return _person_out(person)


@router.delete(
    "/finance-officers/{username}",
    response={204: None},
    auth=required_auth,
    summary="No longer a finance officer",
)
def finance_officer_remove_endpoint(request: HttpRequest, username: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    _staff_only(user, "Only taskforce staff name finance officers.")
    services.finance_officer_remove(user=_named(username), actor=user)
    return Status(204, None)


@router.get(
    "/applications",
    response=list[FundingApplicationOut],
    auth=optional_auth,
    summary="Applications",
)
def application_list_endpoint(request: HttpRequest, round: str | None = None):  # type: ignore[no-untyped-def]
    """Applications you may see (the public: funded ones), optionally of one round."""
    qs = selectors.application_list(viewer=api_user(request)).prefetch_related("milestones")
    if round:
        qs = qs.filter(round__slug=round)
    return list(qs[:500])


@router.post(
    "/applications",
    response={201: FundingApplicationOut},
    auth=required_auth,
    summary="Start an application",
)
def application_create_endpoint(request: HttpRequest, payload: FundingApplicationIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    round_ = rounds_visible_to(user).filter(slug=payload.round).first()
    if round_ is None:
        raise DomainError(E.INVALID, f"No round ‘{payload.round}’", "round")
    require(can_apply(user, round_), "You cannot apply to this round.")
    partnership = Partnership.objects.filter(slug=payload.partnership).first()
    if partnership is None:
        raise DomainError(E.INVALID, f"No partnership ‘{payload.partnership}’", "partnership")
    application = services.application_create(
        round_=round_,
        partnership=partnership,
        title=payload.title,
        summary=payload.summary,
        outcomes=payload.outcomes,
        actor=user,
    )
    return Status(201, application)


@router.get(
    "/applications/{reference}",
    response=FundingApplicationOut,
    auth=optional_auth,
    summary="One application",
)
def application_detail_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    return _application(api_user(request), reference)


@router.post(
    "/applications/{reference}/milestones",
    response={201: MilestoneOut},
    auth=required_auth,
    summary="Add a milestone",
)
def milestone_add_endpoint(request: HttpRequest, reference: str, payload: MilestoneIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _editable(user, reference)
    return Status(
        201,
        services.milestone_add(
            application=application,
            title=payload.title,
            due_on=payload.due_on,
            amount=payload.amount,
            actor=user,
        ),
    )


@router.post(
    "/applications/{reference}/budget-lines",
    response={201: dict},
    auth=required_auth,
    summary="Set a budget line",
)
def budget_line_endpoint(request: HttpRequest, reference: str, payload: BudgetLineIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _editable(user, reference)
    line = services.budget_line_set(
        application=application,
        year=payload.year,
        organisation=_member(application, payload.organisation),
        amount=payload.amount,
        actor=user,
    )
    return Status(
        201, {"year": line.year, "organisation": line.organisation.slug, "amount": str(line.amount)}
    )


@router.post(
    "/applications/{reference}/services",
    response={201: dict},
    auth=required_auth,
    summary="Promise a service to e-enable",
)
def service_add_endpoint(request: HttpRequest, reference: str, payload: PromisedServiceIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _editable(user, reference)
    service = ServiceArea.objects.filter(lgsl_code=payload.lgsl_code).first()
    if service is None:
        raise DomainError(E.INVALID, f"No LGSL service {payload.lgsl_code}", "lgsl_code")
    promise = services.promised_service_add(
        application=application,
        service=service,
        organisation=_member(application, payload.organisation),
        by_date=payload.by_date,
        actor=user,
    )
    return Status(
        201,
        {
            "lgsl_code": service.lgsl_code,
            "organisation": promise.organisation.slug,
            "by_date": promise.by_date.isoformat(),
        },
    )


@router.post(
    "/applications/{reference}/submit",
    response=FundingApplicationOut,
    auth=required_auth,
    summary="Submit",
)
def application_submit_endpoint(request: HttpRequest, reference: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _editable(user, reference)
    services.application_submit(application=application, actor=user)
    return _application(user, reference)


@router.get(
    "/assessments",
    response=list[FundingAssessmentOut],
    auth=required_auth,
    summary="Assessments you may see",
)
def assessment_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = assessments_visible_to(api_user(request)).select_related("application")
    return list(qs.order_by("pk")[:500])


@router.post(
    "/applications/{reference}/assessments",
    response={201: FundingAssessmentOut},
    auth=required_auth,
    summary="Assess",
)
def assessment_create_endpoint(request: HttpRequest, reference: str, payload: FundingAssessmentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _application(user, reference)
    require(can_assess(user, application), "You cannot assess this application.")
    scores = {s.criterion: (s.score, s.comment) for s in payload.scores}
    return Status(
        201,
        services.assessment_submit(
            application=application, scores=scores, assessor=user, actor=user
        ),
    )


@router.post(
    "/applications/{reference}/moderation",
    response={201: dict},
    auth=required_auth,
    summary="Record the panel's agreed score",
)
def moderation_endpoint(request: HttpRequest, reference: str, payload: ModerationIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _application(user, reference)
    require(can_moderate(user, application), "Only taskforce staff moderate.")
    criterion = application.round.criteria.filter(pk=payload.criterion).first()
    if criterion is None:
        raise DomainError(E.INVALID, "That criterion belongs to another round", "criterion")
    row = services.moderation_record(
        application=application,
        criterion=criterion,
        score=payload.score,
        note=payload.note,
        actor=user,
    )
    return Status(201, {"criterion": criterion.pk, "score": row.score})


@router.post(
    "/applications/{reference}/award",
    response={201: AwardOut},
    auth=required_auth,
    summary="Fund it",
)
def award_create_endpoint(request: HttpRequest, reference: str, payload: FundingAwardIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _application(user, reference)
    require(
        can_decide(user, application), "Only taskforce staff decide, while it is under assessment."
    )
    award = services.award_make(application=application, actor=user, **payload.dict())
    return Status(201, _award_out(_award(user, award.pk)))


@router.post(
    "/applications/{reference}/reject",
    response=FundingApplicationOut,
    auth=required_auth,
    summary="Do not fund it",
)
def application_reject_endpoint(request: HttpRequest, reference: str, payload: RejectIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    application = _application(user, reference)
    require(
        can_decide(user, application), "Only taskforce staff decide, while it is under assessment."
    )
    services.application_reject(application=application, reason=payload.reason, actor=user)
    return _application(user, reference)


@router.get("/awards", response=list[AwardOut], auth=optional_auth, summary="Awards")
def award_list_endpoint(request: HttpRequest, round: str | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.award_list(viewer=api_user(request)).prefetch_related("shares__organisation")
    if round:
        qs = qs.filter(round__slug=round)
    return [_award_out(a) for a in qs[:1000]]


@router.get("/awards/{award_id}", response=AwardOut, auth=optional_auth, summary="One award")
def award_detail_endpoint(request: HttpRequest, award_id: int):  # type: ignore[no-untyped-def]
    return _award_out(_award(api_user(request), award_id))


@router.get(
    "/awards/{award_id}/promises",
    response=list[PromiseOut],
    auth=optional_auth,
    summary="The project's promised services against what it delivered",
)
def award_promises_endpoint(request: HttpRequest, award_id: int):  # type: ignore[no-untyped-def]
    award = _award(api_user(request), award_id)
    return [
        PromiseOut(
            lgsl_code=p.promise.service.lgsl_code,
            service=p.promise.service.label,
            council=p.promise.organisation.slug,
            gss_code=p.promise.organisation.gss_code,
            by_date=p.promise.by_date,
            delivered_on=p.delivered_on,
            status=p.status,
        )
        for p in selectors.promises(award.application)
    ]


def _files(payload: ClaimIn) -> list[tuple[str, bytes]]:
    out = []
    for item in payload.evidence:
        try:
            out.append((item.filename, base64.b64decode(item.content_base64, validate=True)))
        except (binascii.Error, ValueError):
            raise DomainError(
                E.EVIDENCE_TYPE, f"{item.filename} is not valid base64", "evidence"
            ) from None
    return out


@router.post(
    "/awards/{award_id}/claims",
    response={201: ClaimOut},
    auth=required_auth,
    summary="Claim a milestone",
)
def claim_create_endpoint(request: HttpRequest, award_id: int, payload: ClaimIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    award = _award(user, award_id)
    require(can_claim(user, award), "Only the partnership's people claim.")
    milestone = award.application.milestones.filter(number=payload.milestone).first()
    if milestone is None:
        raise DomainError(E.INVALID, f"There is no milestone {payload.milestone}", "milestone")
    claim = services.claim_submit(
        award=award,
        milestone=milestone,
        amount=payload.amount,
        claimed_on=payload.claimed_on,
        description=payload.description,
        files=_files(payload),
        actor=user,
    )
    return Status(201, _claim(user, claim.pk))


@router.get("/claims", response=list[ClaimOut], auth=required_auth, summary="Claims you may see")
def claim_list_endpoint(request: HttpRequest, status: str | None = None):  # type: ignore[no-untyped-def]
    return list(selectors.claim_list(viewer=api_user(request), status=status)[:1000])


@router.post(
    "/claims/{claim_id}/approve", response=ClaimOut, auth=required_auth, summary="Approve a claim"
)
def claim_approve_endpoint(request: HttpRequest, claim_id: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    claim = _claim(user, claim_id)
    require(is_finance(user), "Only finance officers approve claims.")
    services.claim_approve(claim=claim, actor=user)
    return _claim(user, claim_id)


@router.post(
    "/claims/{claim_id}/reject", response=ClaimOut, auth=required_auth, summary="Reject a claim"
)
def claim_reject_endpoint(request: HttpRequest, claim_id: int, payload: RejectIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    claim = _claim(user, claim_id)
    require(is_finance(user), "Only finance officers reject claims.")
    services.claim_reject(claim=claim, reason=payload.reason, actor=user)
    return _claim(user, claim_id)


@router.post(
    "/claims/{claim_id}/payments",
    response={201: PaymentOut},
    auth=required_auth,
    summary="Record the payment of an approved claim",
)
def payment_create_endpoint(request: HttpRequest, claim_id: int, payload: PaymentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    claim = _claim(user, claim_id)
    require(is_finance(user), "Only finance officers record payments.")
    return Status(
        201,
        services.payment_record(
            claim=claim, paid_on=payload.paid_on, reference=payload.reference, actor=user
        ),
    )


@router.post(
    "/awards/{award_id}/variations",
    response={201: VariationOut},
    auth=required_auth,
    summary="Vary the milestone schedule",
)
def variation_create_endpoint(request: HttpRequest, award_id: int, payload: VariationIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    award = _award(user, award_id)
    require(can_manage_award(user, award), "Only taskforce staff vary awards.")
    changes = [
        services.MilestoneChange(c.number, due_on=c.due_on, amount=c.amount, title=c.title)
        for c in payload.changes
    ]
    return Status(
        201,
        services.variation_make(
            award=award, kind=payload.kind, changes=changes, reason=payload.reason, actor=user
        ),
    )


@router.post(
    "/awards/{award_id}/recoveries",
    response={201: RecoveryOut},
    auth=required_auth,
    summary="Claw back or withhold",
)
def recovery_create_endpoint(request: HttpRequest, award_id: int, payload: RecoveryIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    award = _award(user, award_id)
    require(can_manage_award(user, award), "Only taskforce staff claw back or withhold.")
    return Status(
        201,
        services.recovery_record(
            award=award,
            kind=payload.kind,
            amount=payload.amount,
            reason=payload.reason,
            on=payload.on,
            actor=user,
        ),
    )


def _row(r: Any) -> MoneyRowOut:
    return MoneyRowOut(
        label=r.label,
        budget=r.budget,
        awarded=r.awarded,
        recovered=r.recovered,
        committed=r.committed,
        paid=r.paid,
        outstanding=r.outstanding,
        remaining=r.remaining,
        awards=r.awards,
    )


@router.get(
    "/money", response=MoneyOut, auth=optional_auth, summary="Committed, paid and remaining"
)
def money_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    view = selectors.money_view()
    return MoneyOut(
        programme=view.programme.slug if view.programme else None,
        total=_row(view.total),
        by_round=[_row(r) for r in view.by_round],
        by_region=[_row(r) for r in view.by_region],
        by_kind=[_row(r) for r in view.by_kind],
        by_year=[_row(r) for r in view.by_year],
    )


def _progress(view: Any) -> ProgressOut:
    return ProgressOut(
        target_date=view.target_date,
        illustrative=view.illustrative,
        points=[
            PointOut(on=p.on, enabled=p.enabled, total=p.total, percent=p.percent)
            for p in view.points
        ],
        councils=[
            CouncilProgressOut(
                council=c.organisation.slug,
                gss_code=c.organisation.gss_code,
                services=c.services,
                enabled=c.enabled,
                percent=c.percent,
            )
            for c in view.councils
        ],
    )


@router.get(
    "/e-enablement", response=ProgressOut, auth=optional_auth, summary="National e-enablement"
)
def e_enablement_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _progress(selectors.e_enablement_view())


@router.get(
    "/e-enablement/councils/{slug}",
    response=list[ServiceStatusOut],
    auth=optional_auth,
    summary="One council's services",
)
def council_e_enablement_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    organisation = _council(slug)
    return [
        ServiceStatusOut(
            lgsl_code=s.service.lgsl_code,
            label=s.service.label,
            e_enabled_on=s.record.e_enabled_on if s.record else None,
            route=s.record.route if s.record else "",
            note=s.record.note if s.record else "",
        )
        for s in selectors.council_services(organisation)
    ]


def _council(slug: str) -> Organisation:
    return _one(Organisation.objects.filter(kind__in=COUNCIL_KINDS), "No such council", slug=slug)


@router.get(
    "/e-enablement/councils/{slug}/progress",
    response=ProgressOut,
    auth=optional_auth,
    summary="One council's e-enablement at each year end against the target",
)
def council_progress_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    organisation = _council(slug)
    return _progress(
        selectors.e_enablement_view(councils=Organisation.objects.filter(pk=organisation.pk))
    )


@router.put(
    "/e-enablement/councils/{slug}/services/{lgsl_code}",
    response=ServiceStatusOut,
    auth=required_auth,
    summary="Record whether one of a council's services is e-enabled, when and how",
)
def e_enablement_record_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, lgsl_code: int, payload: EEnablementIn
):
    user = api_user(request)
    organisation = _council(slug)
    require(can_manage_e_enablement(user), "Only taskforce staff record e-enablement.")
    service = ServiceArea.objects.filter(lgsl_code=lgsl_code).first()
    if service is None:
        raise Http404("No such LGSL service")
    award = None
    if payload.award is not None:
        award = Award.objects.filter(pk=payload.award).first()
        if award is None:
            raise DomainError(E.INVALID, f"There is no award {payload.award}", "award")
    record = services.e_enablement_record(
        organisation=organisation,
        service=service,
        e_enabled_on=payload.e_enabled_on,
        route=payload.route,
        award=award,
        note=payload.note,
        actor=user,
    )
    return ServiceStatusOut(lgsl_code=service.lgsl_code, label=service.label,
                            e_enabled_on=record.e_enabled_on, route=record.route,
                            note=record.note)  # fmt: skip


@router.post(
    "/e-enablement/import",
    response=EEnablementImportOut,
    auth=required_auth,
    summary="Import e-enablement records (all the file or, on any error, nothing)",
)
def e_enablement_import_endpoint(request: HttpRequest, payload: EEnablementImportIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(can_manage_e_enablement(user), "Only taskforce staff import e-enablement records.")
    name = Path(payload.filename).name or "records.csv"
    try:
        created, updated = services.e_enablement_import(
            path=Path(name), data=payload.csv.encode("utf-8"), actor=user
        )
    except ImportFileError as error:
        where = f"line {error.line}" if error.line else "the file"
        raise DomainError(
            E.IMPORT, f"{name}, {where}: {error.reason}. Nothing was imported.", "csv"
        ) from None
    return EEnablementImportOut(created=created, updated=updated)


@router.get(
    "/e-enablement/partnerships/{slug}",
    response=ProgressOut,
    auth=optional_auth,
    summary="A partnership's councils' e-enablement against the target",
)
def partnership_progress_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    return _progress(
        selectors.e_enablement_view(councils=selectors.partnership_councils(partnership))
    )


@router.get(
    "/360giving",
    response=dict,
    auth=optional_auth,
    summary="Every published grant (360Giving 1.4.3)",
)
def grants_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    return open_data.package(base_url=request.build_absolute_uri("/").rstrip("/"))


@router.get(
    "/360giving/spreadsheet",
    auth=optional_auth,
    summary="Every published grant in 360Giving's spreadsheet layout (format=csv or xlsx)",
    response={200: None},
)
def grants_spreadsheet_endpoint(request: HttpRequest, fmt: Literal["csv", "xlsx"] = "csv"):  # type: ignore[no-untyped-def]
    """The same file as /funding/360giving/grants.csv and grants.xlsx."""
    return open_data.flat_response(base_url=request.build_absolute_uri("/").rstrip("/"), fmt=fmt)
