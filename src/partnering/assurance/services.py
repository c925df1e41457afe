"""Every write of the assurance room: ``<noun>_<verb>(*, ..., actor)``, atomic, validated,
audited; rules broken raise ``DomainError`` with a code from ``errors.py``."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from partnering.core.audit import audited_save, model_update
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.partnerships.models import Membership, Partnership

from .errors import AssuranceError as E
from .gates import GATE_BY_NUMBER, REPEATABLE_GATES
from .maths import MatrixError, band_for, rebase, validate
from .maths import score as matrix_score
from .models import (
    DEFAULT_PROGRAMME,
    SCORE_KINDS,
    ActionStatus,
    DocumentSeen,
    Finding,
    FollowUp,
    Interview,
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewStatus,
    ReviewTeamMember,
    Risk,
    RiskAcceptance,
    RiskAction,
    RiskCategory,
    RiskMatrix,
    RiskRegister,
    RiskScore,
    RiskStatus,
    TeamRole,
    Treatment,
    Urgency,
)

User = get_user_model()


def _text(value: str | None) -> str:
    return (value or "").strip()


def reviewer_choices(partnership: Partnership, on: date | None = None) -> Any:
    """Who may sit on a review team: advisers and taskforce staff (advisers are the programme's
    reviewers) from no organisation that is a member of the partnership on ``on``."""
    qs = User.objects.filter(is_active=True, role__in=["adviser", "staff"])
    if on is not None:
        member_orgs = Membership.objects.filter(partnership=partnership).current_on(on)
        qs = qs.exclude(organisations__in=member_orgs.values("organisation"))
    return qs.order_by("last_name", "first_name", "username")


def _check_team(partnership: Partnership, starts_on: date, lead: Any, members: list[Any]) -> None:
    if lead is None:
        raise DomainError(E.LEAD_REQUIRED, "Choose the lead reviewer", "lead")
    allowed = set(
        reviewer_choices(partnership, None).filter(pk__in=[u.pk for u in [lead, *members]])
        .values_list("pk", flat=True)
    )  # fmt: skip
    for field, person in [("lead", lead), *(("members", m) for m in members)]:
        if person.pk not in allowed:
            raise DomainError(
                E.TEAM_NOT_REVIEWER,
                f"{person.display_name} cannot review: reviewers are advisers or taskforce staff",
                field,
            )
    member_orgs = {
        m.organisation_id: m.organisation.name
        for m in Membership.objects.filter(partnership=partnership)
        .current_on(starts_on)
        .select_related("organisation")
    }
    for field, person in [("lead", lead), *(("members", m) for m in members)]:
        clash = [member_orgs[o] for o in person.organisations.values_list("pk", flat=True)
                 if o in member_orgs]  # fmt: skip
        if clash:
            raise DomainError(
                E.TEAM_FROM_MEMBER,
                f"{person.display_name} works for {clash[0]}, a member of the partnership: "
                "the review team must be independent of its members",
                field,
            )


def gate_order_problem(partnership: Partnership, gate: int) -> DomainError | None:
    """Gates run in order, one review each, except Gate 0 which may repeat."""
    if gate not in GATE_BY_NUMBER:
        return DomainError(E.GATE_ORDER, "Choose a gate from 0 to 5", "gate")
    done = set(Review.objects.filter(partnership=partnership).values_list("gate", flat=True))
    if gate not in REPEATABLE_GATES and gate in done:
        return DomainError(
            E.GATE_REPEATED,
            f"{partnership.name} has had its {GATE_BY_NUMBER[gate].label} review: only Gate 0 "
            "may be repeated",
            "gate",
        )
    if gate > 0 and gate - 1 not in done:
        before = GATE_BY_NUMBER[gate - 1].label
        return DomainError(
            E.GATE_ORDER,
            f"Review {before} first: gates are reviewed in order "
            f"(Gate {gate} comes after Gate {gate - 1})",
            "gate",
        )
    return None


@transaction.atomic
def review_create(
    *,
    partnership: Partnership,
    gate: int,
    starts_on: date,
    ends_on: date,
    lead: Any,
    members: list[Any] | None = None,
    summary: str = "",
    is_demo: bool = False,
    actor: Any,
) -> Review:
    members = [m for m in (members or []) if lead is None or m.pk != lead.pk]
    problem = gate_order_problem(partnership, gate)
    if problem is not None:
        raise problem
    if ends_on < starts_on:
        raise DomainError(
            E.DATES, "The last day must be the same as or after the first day", "ends_on"
        )
    _check_team(partnership, starts_on, lead, members)
    review = Review(
        partnership=partnership,
        gate=gate,
        starts_on=starts_on,
        ends_on=ends_on,
        summary=_text(summary),
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    review.full_clean()
    audited_save(review, actor=actor, reason="Gateway review set up")
    for person, role in [(lead, TeamRole.LEAD), *((m, TeamRole.MEMBER) for m in members)]:
        audited_save(ReviewTeamMember(review=review, user=person, role=role), actor=actor,
                     reason="Review team")  # fmt: skip
    return review


REVIEW_FIELDS = ("starts_on", "ends_on", "summary", "rating", "rating_statement")


@transaction.atomic
def review_update(*, review: Review, data: dict[str, Any], actor: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    data = {k: (_text(v) if isinstance(v, str) else v) for k, v in data.items()}
    starts = data.get("starts_on", review.starts_on)
    ends = data.get("ends_on", review.ends_on)
    if starts and ends and ends < starts:
        raise DomainError(
            E.DATES, "The last day must be the same as or after the first day", "ends_on"
        )
    if review.status == ReviewStatus.FINAL and not data.get("rating", review.rating):
        raise DomainError(E.RATING_REQUIRED, "A final review must keep its rating", "rating")
    model_update(review, fields=REVIEW_FIELDS, data=data, actor=actor, reason="Review changed")
    return review


@transaction.atomic
def review_finalise(*, review: Review, actor: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.DRAFT:
        raise DomainError(E.NOT_DRAFT, "The review is final already", None)
    if not review.rating:
        raise DomainError(
            E.RATING_REQUIRED, "Choose the delivery confidence rating before finalising", "rating"
        )
    if not review.summary:
        raise DomainError(E.TEXT_REQUIRED, "Enter the summary before finalising", "summary")
    review.status = ReviewStatus.FINAL
    review.full_clean()
    audited_save(review, actor=actor, reason="Review finalised")
    return review


@transaction.atomic
def review_publish(*, review: Review, publish: bool = True, actor: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if publish and review.status != ReviewStatus.FINAL:
        raise DomainError(E.NOT_FINAL, "Only a final review's summary can be published", None)
    review.is_published = publish
    audited_save(review, actor=actor, reason="Summary published" if publish else "Unpublished")
    return review


def _require_text(value: str, field: str, message: str) -> str:
    value = _text(value)
    if not value:
        raise DomainError(E.TEXT_REQUIRED, message, field)
    return value


@transaction.atomic
def interview_add(
    *, review: Review, name: str, role: str = "", organisation: str = "", actor: Any
) -> Interview:
    name = _require_text(name, "name", "Enter the name of the person interviewed")
    item = Interview(review=review, name=name, role=_text(role), organisation=_text(organisation))
    item.full_clean()
    audited_save(item, actor=actor, reason="Interview recorded")
    return item


@transaction.atomic
def document_add(
    *, review: Review, title: str, dated: date | None = None, actor: Any
) -> DocumentSeen:
    title = _require_text(title, "title", "Enter the title of the document")
    item = DocumentSeen(review=review, title=title, dated=dated)
    item.full_clean()
    audited_save(item, actor=actor, reason="Document recorded")
    return item


@transaction.atomic
def finding_add(*, review: Review, area: str, text: str, actor: Any) -> Finding:
    text = _require_text(text, "text", "Enter the finding")
    item = Finding(review=review, area=area, text=text)
    item.full_clean()
    audited_save(item, actor=actor, reason="Finding recorded")
    return item


def _check_recommendation(urgency: str, owner: Any, due_on: date | None) -> None:
    if owner is None:
        raise DomainError(E.OWNER_REQUIRED, "Choose who owns the recommendation", "owner")
    if urgency == Urgency.ESSENTIAL and due_on is None:
        raise DomainError(
            E.DUE_REQUIRED, "Enter the date an Essential recommendation must be done by", "due_on"
        )


@transaction.atomic
def recommendation_add(
    *,
    review: Review,
    text: str,
    urgency: str,
    owner: Any,
    due_on: date | None = None,
    actor: Any,
) -> Recommendation:
    review = Review.objects.select_for_update().get(pk=review.pk)
    text = _require_text(text, "text", "Enter the recommendation")
    if urgency not in Urgency.values:
        raise DomainError(E.TEXT_REQUIRED, "Choose how urgent the recommendation is", "urgency")
    _check_recommendation(urgency, owner, due_on)
    number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    item = Recommendation(
        review=review, number=number, text=text, urgency=urgency, owner=owner, due_on=due_on
    )
    item.full_clean()
    audited_save(item, actor=actor, reason="Recommendation made")
    return item


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    status: str,
    carried_forward_reason: str = "",
    note: str = "",
    owner: Any = None,
    due_on: date | None = None,
    actor: Any,
) -> Recommendation:
    """Move a recommendation on (open, in progress, done, carried forward with a reason) and
    add a follow-up note."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in RecommendationStatus.values:
        raise DomainError(E.TEXT_REQUIRED, "Choose the status", "status")
    reason = _text(carried_forward_reason)
    if status == RecommendationStatus.CARRIED_FORWARD and not reason:
        raise DomainError(
            E.REASON_REQUIRED,
            "Enter why the recommendation is carried forward",
            "carried_forward_reason",
        )
    owner = owner or rec.owner
    due_on = due_on if due_on is not None else rec.due_on
    _check_recommendation(rec.urgency, owner, due_on)
    data = {"status": status, "carried_forward_reason": reason, "owner": owner, "due_on": due_on}
    if due_on != rec.due_on:
        data |= {"due_reminder_sent_at": None, "overdue_reminder_sent_at": None}
    model_update(
        rec,
        fields=(*data.keys(),),
        data=data,
        actor=actor,
        reason=f"Status {RecommendationStatus(status).label.lower()}",
    )
    note = _text(note)
    if note:
        audited_save(
            FollowUp(recommendation=rec, text=note,
                     author=actor if getattr(actor, "is_authenticated", False) else None),
            actor=actor,
            reason="Follow-up note",
        )  # fmt: skip
    return rec


# --- risk registers -----------------------------------------------------------------------------


# The programme's first matrix (also made by migration 0003; made again here when a database
# was emptied after migrating, as tests that flush tables do).
FIRST_MATRIX: dict[str, Any] = {
    "likelihood_labels": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    "impact_labels": ["Minimal", "Minor", "Moderate", "Major", "Severe"],
    "bands": [
        [1, "Low", "green"],
        [5, "Medium", "yellow"],
        [10, "High", "orange"],
        [15, "Very high", "red"],
    ],
    "tolerance": 12,
}


def matrix_current(programme: str = DEFAULT_PROGRAMME) -> RiskMatrix:
    """The programme's newest matrix; its first one is made if it has none."""
    current = RiskMatrix.objects.filter(programme=programme).order_by("-version").first()
    if current is None:
        current = matrix_create(programme=programme, actor=None, **FIRST_MATRIX)
    return current


@transaction.atomic
def matrix_create(
    *,
    likelihood_labels: list[str],
    impact_labels: list[str],
    bands: list[list[Any]],
    tolerance: int,
    programme: str = DEFAULT_PROGRAMME,
    actor: Any,
) -> RiskMatrix:
    """A new version of the programme's matrix; registers already scored keep theirs."""
    matrix = RiskMatrix(
        programme=programme.strip() or DEFAULT_PROGRAMME,
        likelihood_labels=[str(x).strip() for x in likelihood_labels],
        impact_labels=[str(x).strip() for x in impact_labels],
        bands=[[int(b[0]), str(b[1]).strip(), str(b[2]).strip()] for b in bands],
        tolerance=tolerance,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        validate(matrix.spec)
    except MatrixError as error:
        raise DomainError(E.MATRIX_INVALID, str(error), error.field) from None
    last = RiskMatrix.objects.filter(programme=matrix.programme).aggregate(v=Max("version"))["v"]
    matrix.version = (last or 0) + 1
    matrix.full_clean()
    audited_save(matrix, actor=actor, reason=f"Risk matrix version {matrix.version}")
    return matrix


@transaction.atomic
def register_open(*, partnership: Partnership, actor: Any) -> RiskRegister:
    """The partnership's register, opened on the programme's current matrix the first time."""
    register = RiskRegister.objects.filter(partnership=partnership).first()
    if register is None:
        register = RiskRegister(partnership=partnership, matrix=matrix_current())
        register.full_clean()
        audited_save(register, actor=actor, reason="Risk register opened")
    return register


def register_rebase_preview(register: RiskRegister, matrix: RiskMatrix) -> list[Any]:
    """What moving ``register`` onto ``matrix`` would do to each of its risks (``Rebased``)."""
    risks = register.risks.order_by("number")
    return rebase(
        register.matrix.spec,
        matrix.spec,
        [
            (r.number, [(getattr(r, f"{k}_likelihood"), getattr(r, f"{k}_impact")) for k in SCORE_KINDS])
            for r in risks
        ],
    )  # fmt: skip


@transaction.atomic
def register_move_matrix(*, register: RiskRegister, matrix: RiskMatrix, actor: Any) -> RiskRegister:
    """Score the register on a newer version of its programme's matrix: every risk's bands and
    tolerance are worked out again and kept as a new score in its trend. Refused, with nothing
    changed, when a risk's likelihood or impact is beyond the new matrix's scale."""
    register = RiskRegister.objects.select_for_update().select_related("matrix").get(pk=register.pk)
    old = register.matrix
    if matrix.programme != old.programme or matrix.version <= old.version:
        raise DomainError(
            E.MATRIX_NOT_NEWER,
            f"Choose a newer version of the {old.programme} matrix than version {old.version}",
            "matrix",
        )
    beyond = [f"R{r.number}" for r in register_rebase_preview(register, matrix) if not r.fits]
    if beyond:
        size = matrix.spec.size
        raise DomainError(
            E.RISKS_BEYOND_MATRIX,
            f"{', '.join(beyond)} {'is' if len(beyond) == 1 else 'are'} scored beyond version "
            f"{matrix.version}'s {size} × {size} scale: rescore {'it' if len(beyond) == 1 else 'them'} "
            f"from 1 to {size} first",
            "matrix",
        )  # fmt: skip
    register.matrix = matrix
    audited_save(
        register, actor=actor, reason=f"Moved from matrix version {old.version} to {matrix.version}"
    )
    for risk in Risk.objects.select_for_update().filter(register=register).order_by("number"):
        _derive(risk, matrix)
        audited_save(risk, actor=actor, reason=f"Scored on matrix version {matrix.version}")
        _record_score(risk, actor, f"Matrix version {old.version} to {matrix.version}")
    return register


def _scores(matrix: RiskMatrix, data: dict[str, Any]) -> dict[str, int]:
    spec = matrix.spec
    out: dict[str, int] = {}
    for kind in SCORE_KINDS:
        likelihood, impact = data.get(f"{kind}_likelihood"), data.get(f"{kind}_impact")
        try:
            out[f"{kind}_score"] = matrix_score(spec, likelihood, impact)  # type: ignore[arg-type]
        except MatrixError as error:
            label = {"inherent": "inherent (before controls)", "current": "current",
                     "target": "target"}[kind]  # fmt: skip
            raise DomainError(
                E.OUT_OF_MATRIX, f"The {label} {error.field} must be a whole number from 1 to "
                f"{spec.size}", f"{kind}_{error.field}",
            ) from None  # fmt: skip
    return out


RISK_FIELDS = (
    "title", "cause", "event", "effect", "category", "owner", "proximity", "treatment",
    "treatment_notes", "fair_share_scenario",
    *(f"{k}_{d}" for k in SCORE_KINDS for d in ("likelihood", "impact")),
)  # fmt: skip
RISK_REQUIRED = (
    ("title", "Enter a title of the risk"),
    ("cause", "Enter the cause of the risk"),
    ("event", "Enter the event of the risk"),
    ("effect", "Enter the effect of the risk"),
    ("category", "Choose the category of the risk"),
    ("owner", "Choose who owns the risk"),
)
SCORE_FIELDS = tuple(f"{k}_{d}" for k in SCORE_KINDS for d in ("likelihood", "impact"))


def _check_risk(register: RiskRegister, data: dict[str, Any]) -> dict[str, Any]:
    data = {k: (_text(v) if isinstance(v, str) else v) for k, v in data.items()}
    for field, message in RISK_REQUIRED:
        if field in data and not data[field]:
            code = E.OWNER_REQUIRED if field == "owner" else E.TEXT_REQUIRED
            raise DomainError(code, message, field)
    scenario = data.get("fair_share_scenario")
    if scenario is not None and scenario.cost_model.partnership_id != register.partnership_id:
        raise DomainError(E.WRONG_PARTNERSHIP, "Choose a fair-share scenario of this partnership",
                          "fair_share_scenario")  # fmt: skip
    if data.get("category") and data["category"] not in RiskCategory.values:
        raise DomainError(E.TEXT_REQUIRED, "Choose the category of the risk", "category")
    if data.get("treatment") and data["treatment"] not in Treatment.values:
        raise DomainError(E.TEXT_REQUIRED, "Choose a treatment", "treatment")
    return data


def _derive(risk: Risk, matrix: RiskMatrix) -> None:
    values = {f: getattr(risk, f) for f in SCORE_FIELDS}
    for name, value in _scores(matrix, values).items():
        setattr(risk, name, value)
    risk.is_above_tolerance = risk.current_score > matrix.tolerance


def _record_score(risk: Risk, actor: Any, note: str) -> None:
    audited_save(
        RiskScore(
            risk=risk,
            recorded_at=timezone.now(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=note[:255],
            **{f: getattr(risk, f) for f in SCORE_FIELDS},
            **{f"{k}_score": getattr(risk, f"{k}_score") for k in SCORE_KINDS},
        ),
        actor=actor,
        reason="Scored",
    )


@transaction.atomic
def risk_create(
    *,
    partnership: Partnership,
    data: dict[str, Any],
    recommendations: list[Any] | None = None,
    is_demo: bool = False,
    actor: Any,
) -> Risk:
    register = register_open(partnership=partnership, actor=actor)
    register = RiskRegister.objects.select_for_update().select_related("matrix").get(pk=register.pk)
    data = _check_risk(register, {f: data.get(f) for f in RISK_FIELDS})
    for field, message in RISK_REQUIRED:
        if not data.get(field):
            code = E.OWNER_REQUIRED if field == "owner" else E.TEXT_REQUIRED
            raise DomainError(code, message, field)
    scores = _scores(register.matrix, data)
    number = (register.risks.aggregate(n=Max("number"))["n"] or 0) + 1
    data["treatment"] = data.get("treatment") or ""
    data["treatment_notes"] = data.get("treatment_notes") or ""
    risk = Risk(register=register, number=number, is_demo=is_demo, **data)
    for name, value in scores.items():
        setattr(risk, name, value)
    risk.is_above_tolerance = risk.current_score > register.matrix.tolerance
    risk.full_clean()
    audited_save(risk, actor=actor, reason="Risk added")
    _link(risk, recommendations, register)
    _record_score(risk, actor, "First scored")
    return risk


def _link(risk: Risk, recommendations: list[Any] | None, register: RiskRegister) -> None:
    if recommendations is None:
        return
    for rec in recommendations:
        if rec.review.partnership_id != register.partnership_id:
            raise DomainError(E.WRONG_PARTNERSHIP,
                              "Link recommendations of this partnership's reviews only",
                              "recommendations")  # fmt: skip
    risk.recommendations.set(recommendations)


@transaction.atomic
def risk_update(
    *,
    risk: Risk,
    data: dict[str, Any],
    recommendations: list[Any] | None = None,
    note: str = "",
    actor: Any,
) -> Risk:
    """Change a risk; any change of a likelihood or impact is kept as a new score for the trend."""
    risk = Risk.objects.select_for_update().select_related("register__matrix").get(pk=risk.pk)
    data = _check_risk(risk.register, {k: v for k, v in data.items() if k in RISK_FIELDS})
    if "treatment" in data and data["treatment"] is None:
        data["treatment"] = ""
    merged = {f: data.get(f, getattr(risk, f)) for f in SCORE_FIELDS}
    _scores(risk.register.matrix, merged)
    rescored = any(merged[f] != getattr(risk, f) for f in SCORE_FIELDS)
    before = {f: getattr(risk, f) for f in RISK_FIELDS}
    for field, value in data.items():
        setattr(risk, field, value)
    _derive(risk, risk.register.matrix)
    changed = any(getattr(risk, f) != before[f] for f in RISK_FIELDS)
    if changed:
        risk.full_clean()
        audited_save(risk, actor=actor, reason=_text(note) or "Risk changed")
    _link(risk, recommendations, risk.register)
    if rescored:
        _record_score(risk, actor, _text(note) or "Rescored")
    return risk


@transaction.atomic
def risk_close(*, risk: Risk, reason: str, actor: Any) -> Risk:
    reason = _require_text(reason, "reason", "Enter why the risk is closed")
    risk.status = RiskStatus.CLOSED
    audited_save(risk, actor=actor, reason=f"Closed: {reason}")
    return risk


@transaction.atomic
def risk_action_add(
    *, risk: Risk, text: str, owner: Any, due_on: date | None, actor: Any
) -> RiskAction:
    text = _require_text(text, "text", "Enter the action")
    if owner is None:
        raise DomainError(E.OWNER_REQUIRED, "Choose who owns the action", "owner")
    if due_on is None:
        raise DomainError(E.DUE_REQUIRED, "Enter the date the action is due", "due_on")
    action = RiskAction(risk=risk, text=text, owner=owner, due_on=due_on)
    action.full_clean()
    audited_save(action, actor=actor, reason="Action added")
    return action


@transaction.atomic
def risk_action_update(*, action: RiskAction, status: str, actor: Any) -> RiskAction:
    """Move an action treating a risk to open, in progress or done (each change audited)."""
    if status not in ActionStatus.values:
        raise DomainError(
            E.ACTION_STATUS_INVALID,
            "Choose whether the action is open, in progress or done",
            "status",
        )
    action = RiskAction.objects.select_for_update().get(pk=action.pk)
    label = ActionStatus(status).label.lower()
    model_update(
        action, fields=("status",), data={"status": status}, actor=actor,
        reason=f"Action marked {label}",
    )  # fmt: skip
    return action


@transaction.atomic
def risk_accept(
    *,
    risk: Risk,
    approver: str,
    reason: str,
    review_on: date | None,
    approver_role: str = "",
    accepted_on: date | None = None,
    actor: Any,
) -> RiskAcceptance:
    """Accept a risk above tolerance: a named approver, why, and a date to review it by."""
    risk = Risk.objects.select_for_update().select_related("register__matrix").get(pk=risk.pk)
    tolerance = risk.register.matrix.tolerance
    if not risk.is_above_tolerance:
        raise DomainError(
            E.NOT_ABOVE_TOLERANCE,
            f"Only a risk above tolerance (current score over {tolerance}) needs accepting; "
            f"this one scores {risk.current_score}",
            None,
        )
    approver = _text(approver)
    if not approver:
        raise DomainError(
            E.APPROVER_REQUIRED,
            "Enter the name of the person who approved the acceptance",
            "approver",
        )
    reason = _require_text(reason, "reason", "Enter why the risk is accepted")
    accepted_on = accepted_on or timezone.localdate()
    if review_on is None or review_on <= accepted_on:
        raise DomainError(
            E.REVIEW_DATE, "Enter a review date after the date of acceptance", "review_on"
        )
    band = band_for(risk.register.matrix.spec, risk.current_score)
    snapshot = (
        {f: getattr(risk, f) for f in SCORE_FIELDS}
        | {f"{k}_score": getattr(risk, f"{k}_score") for k in SCORE_KINDS}
        | {
            "band": band.label,
            "tolerance": tolerance,
            "matrix_version": risk.register.matrix.version,
        }
    )
    acceptance = RiskAcceptance(
        risk=risk, approver=approver, approver_role=_text(approver_role), reason=reason,
        accepted_on=accepted_on, review_on=review_on, snapshot=snapshot,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    acceptance.full_clean()
    audited_save(acceptance, actor=actor, reason="Risk accepted above tolerance")
    if risk.treatment != Treatment.ACCEPT:
        risk.treatment = Treatment.ACCEPT
        audited_save(risk, actor=actor, reason="Treatment: accept")
    return acceptance


@transaction.atomic
def risk_escalate(*, risk: Risk, reason: str, escalate: bool = True, actor: Any) -> Risk:
    """Escalate a risk to the programme (staff see it in the programme view), with a reason;
    or take it back (also with a reason)."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    reason = _text(reason)
    if not reason:
        raise DomainError(
            E.ESCALATION_REASON,
            "Enter why the risk is escalated to the programme" if escalate
            else "Enter why the risk no longer needs the programme's attention",
            "reason",
        )  # fmt: skip
    if escalate and risk.is_escalated:
        raise DomainError(E.ALREADY_ESCALATED, "The risk is escalated already", None)
    risk.is_escalated = escalate
    risk.escalation_reason = reason if escalate else ""
    risk.escalated_at = timezone.now() if escalate else None
    audited_save(
        risk, actor=actor, reason=("Escalated: " if escalate else "De-escalated: ") + reason
    )
    return risk


# --- reminders ----------------------------------------------------------------------------------

DUE_SOON_DAYS = 7
ACCEPTANCE_NOTICE_DAYS = 14


def _remind(to: Any, subject: str, body: str) -> bool:
    from django.core.mail import send_mail

    if not getattr(to, "email", ""):
        return False
    send_mail(subject, body, None, [to.email])
    return True


@transaction.atomic
def reminders_send(*, today: date | None = None, actor: Any = None) -> dict[str, int]:
    """Email owners once when a recommendation falls due (within a week, or a Critical with no
    date), once more when it is overdue, and once when an acceptance's review date is near."""
    from datetime import timedelta

    from .models import OPEN_STATUSES, RiskAcceptance

    today = today or timezone.localdate()
    now = timezone.now()
    sent = {"due": 0, "overdue": 0, "acceptances": 0}
    open_recs = Recommendation.objects.select_for_update().filter(status__in=OPEN_STATUSES)
    overdue = open_recs.filter(due_on__lt=today, overdue_reminder_sent_at__isnull=True)
    for rec in overdue.select_related("owner", "review__partnership"):
        if _remind(rec.owner, f"Overdue: recommendation R{rec.number} of {rec.review}",
                   f"Recommendation R{rec.number} ({rec.get_urgency_display()}) was due on "
                   f"{govuk_date(rec.due_on)}:\n\n{rec.text}\n\nUpdate its status on the platform."):  # fmt: skip
            sent["overdue"] += 1
        rec.overdue_reminder_sent_at = now
        rec.due_reminder_sent_at = rec.due_reminder_sent_at or now
        audited_save(rec, actor=actor, reason="Overdue reminder sent")
    due = open_recs.filter(due_reminder_sent_at__isnull=True).filter(
        models.Q(due_on__lte=today + timedelta(days=DUE_SOON_DAYS), due_on__gte=today)
        | models.Q(due_on__isnull=True, urgency=Urgency.CRITICAL)
    )
    for rec in due.select_related("owner", "review__partnership"):
        if _remind(rec.owner, f"Due: recommendation R{rec.number} of {rec.review}",
                   f"Recommendation R{rec.number} ({rec.get_urgency_display()}) is due "
                   f"{rec.due_label.lower() if rec.due_on is None else rec.due_label}:\n\n"
                   f"{rec.text}"):  # fmt: skip
            sent["due"] += 1
        rec.due_reminder_sent_at = now
        audited_save(rec, actor=actor, reason="Due reminder sent")
    acceptances = RiskAcceptance.objects.select_for_update().filter(
        reminder_sent_at__isnull=True,
        review_on__lte=today + timedelta(days=ACCEPTANCE_NOTICE_DAYS),
    )
    for acc in acceptances.select_related("risk__owner", "risk__register__partnership"):
        risk = acc.risk
        if _remind(risk.owner, f"Review the acceptance of risk R{risk.number}",
                   f"The acceptance of R{risk.number} ({risk.title}) of "
                   f"{risk.register.partnership}, approved by {acc.approver}, is due for review "
                   f"on {govuk_date(acc.review_on)}."):  # fmt: skip
            sent["acceptances"] += 1
        acc.reminder_sent_at = now
        audited_save(acc, actor=actor, reason="Review reminder sent")
    return sent
