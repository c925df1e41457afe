"""Every write of the assurance room: ``<noun>_<verb>(*, ..., actor)``, atomic, validated,
audited; rules broken raise ``DomainError`` with a code from ``errors.py``."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from partnering.core.audit import audited_save, model_update
from partnering.core.errors import DomainError
from partnering.partnerships.models import Membership, Partnership

from .errors import AssuranceError as E
from .gates import GATE_BY_NUMBER, REPEATABLE_GATES
from .models import (
    DocumentSeen,
    Finding,
    FollowUp,
    Interview,
    Recommendation,
    RecommendationStatus,
    Review,
    ReviewStatus,
    ReviewTeamMember,
    TeamRole,
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
