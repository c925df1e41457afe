"""Assurance JSON API: the same selectors, permissions and services as the pages.

Published review summaries are public; reviews in full and recommendations are for those who see
the partnership's assurance (staff, advisers, members' people); staff set reviews up, the team
writes them, the partnership's editors follow recommendations up.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from ninja import Router, Status

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.errors import DomainError
from partnering.core.permissions import require
from partnering.partnerships.access import (
    partnership_for_editing,
    partnership_for_viewing,
    require_on,
)
from partnering.partnerships.models import Partnership

from . import selectors, services
from .errors import AssuranceError as E
from .gates import RATING_BY_VALUE
from .maths import band_for
from .models import SCORE_KINDS, Recommendation, Review, Risk, RiskMatrix
from .permissions import (
    can_create_review,
    can_edit_register,
    can_edit_review,
    can_follow_up,
    can_manage_matrices,
    can_publish_review,
    can_view_assurance,
    can_view_programme,
    review_summaries_visible_to,
)
from .schemas import (
    AcceptanceIn,
    ActionStatusIn,
    AssuranceActionIn,
    AssuranceDocumentIn,
    EscalationIn,
    FindingIn,
    InterviewIn,
    MatrixIn,
    MatrixOut,
    RecommendationIn,
    RecommendationOut,
    RecommendationPatch,
    RegisterMatrixIn,
    RegisterMatrixOut,
    ReviewIn,
    ReviewOut,
    ReviewPatch,
    ReviewSummaryOut,
    RiskDetailOut,
    RiskIn,
    RiskOut,
    RiskPatch,
)

router = Router(tags=["assurance"])
User = get_user_model()
BASE = "/partnerships/{slug}"
REVIEW = BASE + "/reviews/{review_id}"
REVIEW_DENIED = "Only the review team and taskforce staff can change this review."


def _user(username: str | None, field: str) -> Any:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(E.TEAM_NOT_REVIEWER, f"There is no user ‘{username}’", field)
    return user


def summary_out(review: Review) -> dict[str, Any]:
    rating = RATING_BY_VALUE.get(review.rating)
    return {
        "id": review.pk,
        "gate": review.gate,
        "gate_name": review.gate_info.name_2003,
        "gate_name_today": review.gate_info.name_today,
        "starts_on": review.starts_on,
        "ends_on": review.ends_on,
        "status": review.status,
        "rating": review.rating,
        "rating_label": rating.label if rating else "",
        "rating_meaning": rating.meaning if rating else "",
        "three_point": rating.three_point if rating else "",
        "summary": review.summary,
        "is_published": review.is_published,
        "url": review.get_absolute_url(),
    }


def recommendation_out(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "review_id": rec.review_id,
        "gate": rec.review.gate,
        "number": rec.number,
        "text": rec.text,
        "urgency": rec.urgency,
        "owner": rec.owner.username,
        "due_on": rec.due_on,
        "due": rec.due_label,
        "status": rec.status,
        "carried_forward_reason": rec.carried_forward_reason,
        "follow_ups": [f.text for f in rec.follow_ups.all()],
    }


def review_out(review: Review) -> dict[str, Any]:
    return {
        **summary_out(review),
        "rating_statement": review.rating_statement,
        "team": [
            {"username": m.user.username, "name": m.user.display_name, "role": m.role}
            for m in review.team.all()
        ],
        "interviews": [
            {"name": i.name, "role": i.role, "organisation": i.organisation}
            for i in review.interviews.all()
        ],
        "documents": [{"title": d.title, "dated": d.dated} for d in review.documents.all()],
        "findings": [{"area": f.area, "text": f.text} for f in review.findings.all()],
        "recommendations": [recommendation_out(r) for r in review.recommendations.all()],
        "modified_at": review.modified_at,
    }


def _full(request: HttpRequest, slug: str) -> Partnership:
    partnership = partnership_for_viewing(api_user(request), slug)
    if not can_view_assurance(api_user(request), partnership):
        raise Http404("No such partnership")  # as the pages: never say what exists
    return partnership


def _review(request: HttpRequest, slug: str, review_id: int) -> Review:
    partnership = _full(request, slug)
    try:
        return selectors.review_detail(review_id, partnership)
    except Review.DoesNotExist:
        raise Http404("No such review") from None


def _editable(request: HttpRequest, slug: str, review_id: int) -> Review:
    review = _review(request, slug, review_id)
    require_on(review.partnership, can_edit_review(api_user(request), review), REVIEW_DENIED)
    return review


@router.get(BASE + "/reviews", response=list[ReviewSummaryOut], auth=optional_auth,
            summary="A partnership's gateway reviews (the public: published summaries)")  # fmt: skip
def review_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_viewing(user, slug)
    if can_view_assurance(user, partnership):
        return [summary_out(r) for r in selectors.reviews_of(partnership, user)]
    return [summary_out(r) for r in selectors.published_reviews_of(partnership, user)]


@router.post(BASE + "/reviews", response={201: ReviewOut}, auth=required_auth,
             summary="Set up a gateway review (taskforce staff)")  # fmt: skip
def review_create_endpoint(request: HttpRequest, slug: str, payload: ReviewIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_editing(
        user, slug, allowed=can_create_review, message="Only taskforce staff set up reviews."
    )
    review = services.review_create(
        partnership=partnership,
        gate=payload.gate,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        lead=_user(payload.lead, "lead"),
        members=[_user(u, "members") for u in payload.members],
        summary=payload.summary,
        actor=user,
    )
    return Status(201, review_out(selectors.review_detail(review.pk, partnership)))


@router.get(REVIEW, response=ReviewSummaryOut | ReviewOut, auth=optional_auth,
            summary="One review (the public: its published summary)")  # fmt: skip
def review_detail_endpoint(request: HttpRequest, slug: str, review_id: int):  # type: ignore[no-untyped-def]
    user = api_user(request)
    partnership = partnership_for_viewing(user, slug)
    if not can_view_assurance(user, partnership):
        review = review_summaries_visible_to(user).filter(partnership=partnership, pk=review_id)
        found = review.select_related("partnership").first()
        if found is None:
            raise Http404("No such review")
        return summary_out(found)
    return review_out(_review(request, slug, review_id))


@router.patch(REVIEW, response=ReviewOut, auth=required_auth,
              summary="Change a review's dates, summary and delivery confidence")  # fmt: skip
def review_update_endpoint(request: HttpRequest, slug: str, review_id: int, payload: ReviewPatch):  # type: ignore[no-untyped-def]
    review = _editable(request, slug, review_id)
    data = payload.dict(exclude_unset=True)
    services.review_update(review=review, data=data, actor=api_user(request))
    return review_out(_review(request, slug, review_id))


@router.post(REVIEW + "/finalise", response=ReviewOut, auth=required_auth,
             summary="Finalise a review (it needs a rating and a summary)")  # fmt: skip
def review_finalise_endpoint(request: HttpRequest, slug: str, review_id: int):  # type: ignore[no-untyped-def]
    review = _editable(request, slug, review_id)
    services.review_finalise(review=review, actor=api_user(request))
    return review_out(_review(request, slug, review_id))


@router.post(REVIEW + "/publish", response=ReviewOut, auth=required_auth,
             summary="Publish a final review's summary (taskforce staff)")  # fmt: skip
def review_publish_endpoint(request: HttpRequest, slug: str, review_id: int):  # type: ignore[no-untyped-def]
    review = _review(request, slug, review_id)
    require_on(
        review.partnership,
        can_publish_review(api_user(request), review),
        "Only taskforce staff publish reviews.",
    )
    services.review_publish(review=review, actor=api_user(request))
    return review_out(_review(request, slug, review_id))


@router.post(REVIEW + "/interviews", response={201: ReviewOut}, auth=required_auth,
             summary="Record a person interviewed")  # fmt: skip
def interview_add_endpoint(request: HttpRequest, slug: str, review_id: int, payload: InterviewIn):  # type: ignore[no-untyped-def]
    review = _editable(request, slug, review_id)
    services.interview_add(review=review, actor=api_user(request), **payload.dict())
    return Status(201, review_out(_review(request, slug, review_id)))


@router.post(REVIEW + "/documents", response={201: ReviewOut}, auth=required_auth,
             summary="Record a document seen")  # fmt: skip
def document_add_endpoint(
    request: HttpRequest, slug: str, review_id: int, payload: AssuranceDocumentIn
):  # type: ignore[no-untyped-def]
    review = _editable(request, slug, review_id)
    services.document_add(review=review, actor=api_user(request), **payload.dict())
    return Status(201, review_out(_review(request, slug, review_id)))


@router.post(REVIEW + "/findings", response={201: ReviewOut}, auth=required_auth,
             summary="Record a finding in an area")  # fmt: skip
def finding_add_endpoint(request: HttpRequest, slug: str, review_id: int, payload: FindingIn):  # type: ignore[no-untyped-def]
    review = _editable(request, slug, review_id)
    services.finding_add(review=review, actor=api_user(request), **payload.dict())
    return Status(201, review_out(_review(request, slug, review_id)))


@router.post(REVIEW + "/recommendations", response={201: RecommendationOut}, auth=required_auth,
             summary="Add a recommendation (Critical, Essential with a due date, Recommended)")  # fmt: skip
def recommendation_add_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, review_id: int, payload: RecommendationIn
):
    review = _editable(request, slug, review_id)
    rec = services.recommendation_add(
        review=review,
        text=payload.text,
        urgency=payload.urgency,
        owner=_user(payload.owner, "owner"),
        due_on=payload.due_on,
        actor=api_user(request),
    )
    rec = Recommendation.objects.select_related("review", "owner").get(pk=rec.pk)
    return Status(201, recommendation_out(rec))


@router.get(BASE + "/recommendations", response=list[RecommendationOut], auth=optional_auth,
            summary="Every recommendation of a partnership's reviews")  # fmt: skip
def recommendation_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = _full(request, slug)
    recs = selectors.recommendations_of(partnership).prefetch_related("follow_ups")
    return [recommendation_out(r) for r in recs]


@router.patch(BASE + "/recommendations/{rec_id}", response=RecommendationOut, auth=required_auth,
              summary="Follow a recommendation up: status, reason, note")  # fmt: skip
def recommendation_update_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, rec_id: int, payload: RecommendationPatch
):
    partnership = _full(request, slug)
    rec = (
        Recommendation.objects.filter(review__partnership=partnership, pk=rec_id)
        .select_related("review__partnership", "owner")
        .first()
    )
    if rec is None:
        raise Http404("No such recommendation")
    require_on(
        partnership, can_follow_up(api_user(request), rec.review), "You cannot follow this up."
    )
    services.recommendation_update(
        recommendation=rec,
        status=payload.status,
        carried_forward_reason=payload.carried_forward_reason,
        note=payload.note,
        owner=_user(payload.owner, "owner"),
        due_on=payload.due_on,
        actor=api_user(request),
    )
    rec = (
        Recommendation.objects.select_related("review", "owner")
        .prefetch_related("follow_ups")
        .get(pk=rec.pk)
    )
    return recommendation_out(rec)


# --- risk registers -----------------------------------------------------------------------------

RISKS = BASE + "/risks"
RISK = RISKS + "/{number}"
REGISTER_DENIED = (
    "Only the partnership's current members, its advisers and taskforce staff change its register."
)


def risk_out(risk: Risk) -> dict[str, Any]:
    matrix = risk.register.matrix
    return {
        "partnership": risk.register.partnership.slug,
        **{f: getattr(risk, f) for f in ("number", "title", "cause", "event", "effect",
                                         "category", "proximity", "treatment", "treatment_notes",
                                         "status", "is_escalated", "escalation_reason",
                                         "is_above_tolerance")},
        **{f"{k}_{d}": getattr(risk, f"{k}_{d}") for k in SCORE_KINDS
           for d in ("likelihood", "impact", "score")},
        "owner": risk.owner.username,
        "band": band_for(matrix.spec, risk.current_score).label,
        "matrix_version": matrix.version,
        "recommendations": [r.pk for r in risk.recommendations.all()],
        "url": risk.get_absolute_url(),
    }  # fmt: skip


def risk_detail_out(risk: Risk) -> dict[str, Any]:
    return {
        **risk_out(risk),
        "scores": [
            {"recorded_at": s.recorded_at, "inherent_score": s.inherent_score,
             "current_score": s.current_score, "target_score": s.target_score, "note": s.note}
            for s in risk.scores.all()
        ],
        "actions": [{"id": a.pk, "text": a.text, "owner": a.owner.username, "due_on": a.due_on,
                     "status": a.status}
                    for a in risk.actions.all()],
        "acceptances": [
            {"approver": a.approver, "approver_role": a.approver_role, "reason": a.reason,
             "accepted_on": a.accepted_on, "review_on": a.review_on, "snapshot": a.snapshot}
            for a in risk.acceptances.all()
        ],
    }  # fmt: skip


def _register_editable(request: HttpRequest, slug: str) -> Partnership:
    partnership = _full(request, slug)
    require_on(partnership, can_edit_register(api_user(request), partnership), REGISTER_DENIED)
    return partnership


def _risk(partnership: Partnership, number: int) -> Risk:
    register = selectors.register_of(partnership)
    try:
        if register is None:
            raise Risk.DoesNotExist
        return selectors.risk_detail(register, number)
    except Risk.DoesNotExist:
        raise Http404("No such risk") from None


def _recs(partnership: Partnership, ids: list[int] | None) -> list[Recommendation] | None:
    if ids is None:
        return None
    found = list(Recommendation.objects.filter(pk__in=ids).select_related("review"))
    if len(found) != len(set(ids)):
        raise DomainError(E.WRONG_PARTNERSHIP, "Link recommendations of this partnership's reviews only",
                          "recommendations")  # fmt: skip
    return found


def _risk_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=partial)
    data.pop("recommendations", None)
    data.pop("note", None)
    if "owner" in data:
        data["owner"] = _user(data["owner"], "owner")
    return data


@router.post(BASE + "/risk-register/matrix", response=RegisterMatrixOut, auth=required_auth,
             summary="Move the register onto a newer version of its programme's matrix")  # fmt: skip
def register_matrix_endpoint(request: HttpRequest, slug: str, payload: RegisterMatrixIn):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    register = selectors.register_of(partnership)
    if register is None:
        raise Http404("This partnership has no risk register yet")
    matrix = RiskMatrix.objects.filter(
        programme=register.matrix.programme, version=payload.version
    ).first()
    if matrix is None:
        raise DomainError(
            E.MATRIX_NOT_NEWER, f"There is no matrix version {payload.version}", "version"
        )
    services.register_move_matrix(register=register, matrix=matrix, actor=api_user(request))
    return {"matrix_version": matrix.version, "rescored": register.risks.count()}


@router.get(RISKS, response=list[RiskOut], auth=optional_auth,
            summary="A partnership's open risks, highest current score first")  # fmt: skip
def risk_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = _full(request, slug)
    register = selectors.register_of(partnership)
    if register is None:
        return []
    risks = selectors.risks_of(register).select_related("register__partnership", "register__matrix")
    return [risk_out(r) for r in risks.prefetch_related("recommendations")]


@router.post(RISKS, response={201: RiskDetailOut}, auth=required_auth,
             summary="Add a risk (scores on the register's matrix)")  # fmt: skip
def risk_create_endpoint(request: HttpRequest, slug: str, payload: RiskIn):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    risk = services.risk_create(
        partnership=partnership, data=_risk_data(payload, partial=False),
        recommendations=_recs(partnership, payload.recommendations), actor=api_user(request),
    )  # fmt: skip
    return Status(201, risk_detail_out(_risk(partnership, risk.number)))


@router.get(RISK, response=RiskDetailOut, auth=optional_auth,
            summary="One risk with its score history, actions and acceptances")  # fmt: skip
def risk_detail_endpoint(request: HttpRequest, slug: str, number: int):  # type: ignore[no-untyped-def]
    return risk_detail_out(_risk(_full(request, slug), number))


@router.patch(RISK, response=RiskDetailOut, auth=required_auth,
              summary="Change or rescore a risk (each rescoring is kept)")  # fmt: skip
def risk_update_endpoint(request: HttpRequest, slug: str, number: int, payload: RiskPatch):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    risk = _risk(partnership, number)
    services.risk_update(
        risk=risk, data=_risk_data(payload, partial=True),
        recommendations=_recs(partnership, payload.recommendations), note=payload.note,
        actor=api_user(request),
    )  # fmt: skip
    return risk_detail_out(_risk(partnership, number))


@router.post(RISK + "/actions", response={201: RiskDetailOut}, auth=required_auth,
             summary="Add an action treating the risk")  # fmt: skip
def risk_action_endpoint(request: HttpRequest, slug: str, number: int, payload: AssuranceActionIn):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    services.risk_action_add(risk=_risk(partnership, number), text=payload.text,
                             owner=_user(payload.owner, "owner"), due_on=payload.due_on,
                             actor=api_user(request))  # fmt: skip
    return Status(201, risk_detail_out(_risk(partnership, number)))


@router.patch(RISK + "/actions/{action_id}", response=RiskDetailOut, auth=required_auth,
              summary="Mark an action open, in progress or done")  # fmt: skip
def risk_action_status_endpoint(
    request: HttpRequest, slug: str, number: int, action_id: int, payload: ActionStatusIn
):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    risk = _risk(partnership, number)
    action = risk.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action on this risk")
    services.risk_action_update(action=action, status=payload.status, actor=api_user(request))
    return risk_detail_out(_risk(partnership, number))


@router.post(RISK + "/acceptances", response={201: RiskDetailOut}, auth=required_auth,
             summary="Accept a risk above tolerance (named approver, reason, review date)")  # fmt: skip
def risk_accept_endpoint(request: HttpRequest, slug: str, number: int, payload: AcceptanceIn):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    services.risk_accept(risk=_risk(partnership, number), actor=api_user(request),
                         **payload.dict())  # fmt: skip
    return Status(201, risk_detail_out(_risk(partnership, number)))


@router.post(RISK + "/escalation", response=RiskDetailOut, auth=required_auth,
             summary="Escalate a risk to the programme, or take it back, with a reason")  # fmt: skip
def risk_escalate_endpoint(request: HttpRequest, slug: str, number: int, payload: EscalationIn):  # type: ignore[no-untyped-def]
    partnership = _register_editable(request, slug)
    services.risk_escalate(risk=_risk(partnership, number), reason=payload.reason,
                           escalate=payload.escalate, actor=api_user(request))  # fmt: skip
    return risk_detail_out(_risk(partnership, number))


@router.get("/programme/risks", response=list[RiskOut], auth=required_auth,
            summary="Escalated and above-tolerance risks of every partnership (staff)")  # fmt: skip
def programme_risks_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, category: str = "", region: str = "", stage: str = "",
    owner: str = "", which: str = "both", limit: int = 100, offset: int = 0,
):  # fmt: skip
    require(can_view_programme(api_user(request)), "The programme risk view is for staff.")
    filters = selectors.ProgrammeFilters(category=category[:32], region=region[:64],
                                         stage=stage[:32], owner=owner[:150], which=which[:16])  # fmt: skip
    limit, offset = max(1, min(limit, 500)), max(0, min(offset, 10**9))
    risks = selectors.programme_risks(filters).prefetch_related("recommendations")
    return [risk_out(r) for r in risks[offset : offset + limit]]


@router.get("/matrices", response=list[MatrixOut], auth=required_auth,
            summary="Every programme's risk matrix versions")  # fmt: skip
def matrix_list_endpoint(request: HttpRequest):  # type: ignore[no-untyped-def]
    require(can_view_programme(api_user(request)), "Risk matrices are for taskforce staff.")
    return list(RiskMatrix.objects.order_by("programme", "-version"))


@router.post("/matrices", response={201: MatrixOut}, auth=required_auth,
             summary="Make a new version of a programme's risk matrix (staff)")  # fmt: skip
def matrix_create_endpoint(request: HttpRequest, payload: MatrixIn):  # type: ignore[no-untyped-def]
    require(can_manage_matrices(api_user(request)), "Risk matrices are for taskforce staff.")
    matrix = services.matrix_create(
        likelihood_labels=payload.likelihood_labels, impact_labels=payload.impact_labels,
        bands=[list(b) for b in payload.bands], tolerance=payload.tolerance,
        programme=payload.programme, actor=api_user(request),
    )  # fmt: skip
    return Status(201, matrix)
