"""Writes of the funding room: each in one transaction, permission-checked, validated, audited.

Money rules are checked under row locks (``select_for_update``) so two requests at once cannot
both pass them: a round's budget is checked with the programme row locked; an award with the
round row locked; an approval and a payment with the claim row locked (and the database refuses
a second payment of one claim).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from partnering.core.audit import audited_bulk_create, audited_delete, audited_save, model_update
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.core.maths.assessment import criterion_result, score_problem, weighted_score
from partnering.core.permissions import is_adviser, is_signed_in, is_taskforce_staff
from partnering.organisations.importer import ImportFileError
from partnering.organisations.models import COUNCIL_KINDS, Organisation
from partnering.partnerships.models import Membership, Partnership, ServiceArea
from partnering.partnerships.permissions import partnerships_editable_by

from .errors import FundingError as E
from .maths.money import PENNY, financial_year, split_largest_remainder, total
from .maths.progress import tallies
from .models import (
    ASSESSABLE,
    ROUND_MOVES,
    ROUND_STARTS,
    Application,
    ApplicationStatus,
    Assessment,
    Award,
    AwardShare,
    AwardStatus,
    AwardYear,
    BudgetLine,
    Claim,
    ClaimStatus,
    Criterion,
    CriterionScore,
    EEnablement,
    EEnablementTally,
    Evidence,
    FinanceOfficer,
    FundingProgramme,
    Milestone,
    ModeratedScore,
    Payment,
    PromisedService,
    Recovery,
    RecoveryKind,
    Round,
    RoundStatus,
    Route,
    Variation,
    VariationKind,
)
from .permissions import can_approve_claim, can_claim, is_conflicted, is_finance

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # not in text (tab, newlines, form feed are)
ZERO = Decimal("0.00")


def _staff(actor: Any) -> None:
    if actor is not None and not is_taskforce_staff(actor):
        raise DomainError(E.STAFF_ONLY, "Only taskforce staff can do that")


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(E.INVALID, messages[0], None if field == "__all__" else field) from None


def _money(value: Any, field: str, label: str = "Amount") -> Decimal:
    """A positive, finite amount in pounds and pence (what every money input must be)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise DomainError(E.AMOUNT, f"{label} must be an amount of money, like 1250.50", field)
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("£"))
    except ArithmeticError:
        raise DomainError(
            E.AMOUNT, f"{label} must be an amount of money, like 1250.50", field
        ) from None
    if not amount.is_finite():
        raise DomainError(E.AMOUNT, f"{label} must be an amount of money, like 1250.50", field)
    if amount <= 0:
        raise DomainError(E.AMOUNT, f"{label} must be more than £0", field)
    if amount >= Decimal("1000000000000"):
        raise DomainError(E.AMOUNT, f"{label} must be less than £1,000,000,000,000", field)
    if amount != amount.quantize(PENNY):
        raise DomainError(E.AMOUNT, f"{label} must be in pounds and pence", field)
    return amount.quantize(PENNY)


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, "Enter the reason", field)
    return reason


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- the programme and its rounds ------------------------------------------------------------


PROGRAMME_FIELDS = ("title", "aim", "total_budget", "starts_on", "ends_on", "target_date")


def _programme_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The programme's fields checked, in the order a person reads the form."""
    title = (values.get("title") or "").strip()
    if not title:
        raise DomainError(E.INCOMPLETE, "Enter the programme's title", "title")
    if len(title) > 200:
        raise DomainError(E.INVALID, "The title must be 200 characters or fewer", "title")
    aim = (values.get("aim") or "").strip()
    if not aim:
        raise DomainError(E.INCOMPLETE, "Enter what the programme is for", "aim")
    budget = _money(values.get("total_budget"), "total_budget", "Total budget")
    starts_on, ends_on, target = (values.get(k) for k in ("starts_on", "ends_on", "target_date"))
    for name, day in (("starts_on", starts_on), ("ends_on", ends_on), ("target_date", target)):
        if not isinstance(day, date):
            raise DomainError(E.DATES, "Enter a real date", name)
    if ends_on < starts_on:
        raise DomainError(E.DATES, "The programme must end on or after it starts", "ends_on")
    if target < starts_on:
        raise DomainError(
            E.DATES, "The target date must be on or after the programme starts", "target_date"
        )
    return {"title": title, "aim": aim, "total_budget": budget, "starts_on": starts_on,
            "ends_on": ends_on, "target_date": target}  # fmt: skip


@transaction.atomic
def programme_create(
    *,
    title: str,
    aim: str,
    total_budget: Any,
    starts_on: date,
    ends_on: date,
    target_date: date,
    slug: str = "",
    is_demo: bool = False,
    actor: Any,
) -> FundingProgramme:
    """A funding programme: its total budget, aim, dates and the target date."""
    _staff(actor)
    values = _programme_values(
        {"title": title, "aim": aim, "total_budget": total_budget, "starts_on": starts_on,
         "ends_on": ends_on, "target_date": target_date}
    )  # fmt: skip
    slug = slug or slugify(values["title"])[:120]
    if slug == "new":  # /funding/programmes/new/ is the page that sets one up
        slug = "new-programme"
    if not slug:
        raise DomainError(E.INVALID, "The title needs at least one letter or number", "title")
    if FundingProgramme.objects.filter(slug=slug).exists():
        raise DomainError(
            E.PROGRAMME_EXISTS, f"There is a programme called ‘{values['title']}’ already", "title"
        )
    programme = FundingProgramme(slug=slug, is_demo=is_demo, **values)
    _clean(programme)
    audited_save(programme, actor=actor, reason="Programme created")
    return programme


@transaction.atomic
def programme_update(
    *, programme: FundingProgramme, data: Mapping[str, Any], actor: Any
) -> FundingProgramme:
    """Change the programme's title, aim, total budget or dates (those in ``data``; its address
    stays). The total budget never goes below what its rounds' budgets add up to: checked with
    the programme row locked, as adding a round is. Nothing changed: no history."""
    _staff(actor)
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    merged = {f: data[f] if f in data else getattr(programme, f) for f in PROGRAMME_FIELDS}
    values = _programme_values(merged)
    used = programme.rounds.aggregate(s=Sum("budget"))["s"] or ZERO
    if values["total_budget"] < used:
        raise DomainError(
            E.UNDER_ROUND_BUDGETS,
            f"The rounds' budgets add up to £{used:,.2f}: the total budget cannot be less",
            "total_budget",
        )
    model_update(
        programme, fields=PROGRAMME_FIELDS, data=values, actor=actor, reason="Programme changed"
    )
    return programme


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    weight: Decimal = Decimal(1)
    guidance: str = ""


@transaction.atomic
def round_create(
    *,
    programme: FundingProgramme,
    title: str,
    budget: Decimal,
    opens_on: date,
    closes_on: date,
    decisions_by: date,
    criteria: Sequence[CriterionSpec],
    summary: str = "",
    min_councils: int = 2,
    status: str = RoundStatus.DRAFT,
    assessors: Iterable[Any] = (),
    is_demo: bool = False,
    actor: Any,
) -> Round:
    """A round; its budget and the other rounds' together never exceed the programme's."""
    _staff(actor)
    if not (title or "").strip():
        raise DomainError(E.INCOMPLETE, "Enter the round's title", "title")
    amount = _money(budget, "budget", "Budget")
    if status not in ROUND_STARTS:
        raise DomainError(E.ROUND_MOVE, "A new round is a draft or open", "status")
    if isinstance(min_councils, bool) or not isinstance(min_councils, int) or min_councils < 1:
        raise DomainError(E.INVALID, "A partnership needs at least 1 council", "min_councils")
    if closes_on < opens_on:
        raise DomainError(E.DATES, "The round must close on or after it opens", "closes_on")
    if decisions_by < closes_on:
        raise DomainError(
            E.DATES, "Decisions must come on or after the round closes", "decisions_by"
        )
    if not criteria:
        raise DomainError(E.INCOMPLETE, "Add at least one criterion", "criteria")
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    used = programme.rounds.aggregate(s=Sum("budget"))["s"] or ZERO
    if used + amount > programme.total_budget:
        left = programme.total_budget - used
        raise DomainError(
            E.OVER_PROGRAMME_BUDGET,
            f"The rounds' budgets would add up to more than the programme's £{programme.total_budget:,}"
            f": £{left:,} is left to give to rounds",
            "budget",
        )
    number = (
        programme.rounds.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    round_ = Round(
        programme=programme,
        number=number,
        title=title.strip(),
        slug=slugify(f"{programme.slug}-round-{number}")[:120],
        summary=summary,
        budget=amount,
        opens_on=opens_on,
        closes_on=closes_on,
        decisions_by=decisions_by,
        min_councils=min_councils,
        status=status,
        is_demo=is_demo,
    )
    _clean(round_)
    audited_save(round_, actor=actor, reason="Round created")
    for i, spec in enumerate(criteria):
        if not spec.title.strip():
            raise DomainError(E.INCOMPLETE, "Enter each criterion's title", "criteria")
        weight = Decimal(spec.weight)
        if not weight.is_finite() or weight <= 0:
            raise DomainError(E.INVALID, "A criterion's weight must be more than 0", "criteria")
        audited_save(
            Criterion(
                round=round_,
                title=spec.title.strip(),
                weight=weight,
                guidance=spec.guidance,
                position=i,
            ),
            actor=actor,
            reason="Criterion added",
        )
    panel = list(assessors)
    if panel:
        _check_assessors(panel)
        round_._history_user = _user(actor)  # type: ignore[attr-defined]
        round_._change_reason = "Assessor panel set"  # type: ignore[attr-defined]
        round_.assessors.set(panel)
    return round_


STATUS_WORDS = {  # a round "is …" / "can be …"
    RoundStatus.DRAFT: ("a draft", "made a draft again"),
    RoundStatus.OPEN: ("open", "opened"),
    RoundStatus.CLOSED: ("closed", "closed"),
    RoundStatus.DECIDED: ("decided", "decided"),
}


def round_move_problem(current: str, wanted: str) -> str | None:
    """Why a round that is ``current`` cannot become ``wanted`` (None when it can, or when it is
    there already), in words for the page and the API.

    >>> round_move_problem("draft", "decided")
    'A round that is a draft cannot be decided: it can only be opened'
    """
    if wanted == current:
        return None
    allowed = ROUND_MOVES[current]
    if wanted in allowed:
        return None
    is_now = STATUS_WORDS[RoundStatus(current)][0]
    if not allowed:
        return f"The round is {is_now}: that is final"
    can = " or ".join(STATUS_WORDS[RoundStatus(s)][1] for s in allowed)
    return (
        f"A round that is {is_now} cannot be {STATUS_WORDS[RoundStatus(wanted)][1]}: "
        f"it can only be {can}"
    )


@transaction.atomic
def round_set_status(*, round_: Round, status: str, actor: Any) -> Round:
    """Move the round on: draft -> open -> closed -> decided (a closed round may reopen). It is
    decided once every submitted application has been funded or refused. Asking for the status
    it has already changes nothing (so a retry is harmless)."""
    _staff(actor)
    if status not in RoundStatus.values:
        raise DomainError(E.INVALID, "Select a status from the list", "status")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    problem = round_move_problem(round_.status, status)
    if problem:
        raise DomainError(E.ROUND_MOVE, problem, "status")
    if status == RoundStatus.DECIDED:
        waiting = round_.applications.filter(status__in=ASSESSABLE).count()
        if waiting:
            raise DomainError(
                E.ROUND_MOVE,
                f"{waiting} application{'s' if waiting != 1 else ''} still wait"
                f"{'' if waiting != 1 else 's'} for a decision: fund or refuse "
                f"{'each' if waiting != 1 else 'it'} first",
                "status",
            )
    model_update(
        round_,
        fields={"status"},
        data={"status": status},
        actor=actor,
        reason=f"Round {STATUS_WORDS[RoundStatus(status)][1]}",
    )
    return round_


def assessor_choices() -> QuerySet[Any]:
    """Who may sit on a round's panel: active advisers and taskforce staff."""
    from partnering.core.models import Role, User

    return User.objects.filter(is_active=True, role__in=[Role.ADVISER, Role.STAFF]).order_by(
        "first_name", "last_name", "username"
    )


def _check_assessors(people: Iterable[Any]) -> None:
    for person in people:
        if not (is_taskforce_staff(person) or is_adviser(person)):
            raise DomainError(
                E.NOT_AN_ASSESSOR,
                f"{person.display_name} cannot assess: assessors are advisers or taskforce staff",
                "assessors",
            )


@transaction.atomic
def round_assessors_set(*, round_: Round, assessors: Iterable[Any], actor: Any) -> Round:
    """The round's assessor panel, as a whole (set again to change it; the same panel changes
    nothing). Not once the round is decided, and nobody who has assessed one of its
    applications leaves it (their scores count)."""
    _staff(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.DECIDED:
        raise DomainError(
            E.ROUND_DECIDED, "The round is decided: its panel can no longer change", "assessors"
        )
    wanted = {person.pk: person for person in assessors}
    _check_assessors(wanted.values())
    current = set(round_.assessors.values_list("pk", flat=True))
    if current == wanted.keys():
        return round_
    assessed = (
        Assessment.objects.filter(
            application__round=round_,
            assessor__in=current - wanted.keys(),
            submitted_at__isnull=False,
        )
        .select_related("assessor")
        .order_by("assessor__username")
        .first()
    )
    if assessed is not None:
        raise DomainError(
            E.PANEL_ASSESSED,
            f"{assessed.assessor.display_name} has assessed applications of this round: they "
            "stay on its panel",
            "assessors",
        )
    round_._history_user = _user(actor)  # type: ignore[attr-defined]
    round_._change_reason = "Assessor panel set"  # type: ignore[attr-defined]
    round_.assessors.set(list(wanted.values()))
    return round_


# --- applications ----------------------------------------------------------------------------


def membership_day(round_: Round) -> date:
    """The day membership is judged on for an application: today, or the round's closing day if
    that has passed (so a record of a past round keeps the members it had then)."""
    return min(timezone.localdate(), round_.closes_on)


def council_members(partnership: Partnership, on: date | None = None) -> list[Organisation]:
    """The partnership's member councils on ``on`` (default today), lead included."""
    day = on or timezone.localdate()
    return [
        m.organisation
        for m in Membership.objects.current_on(day)
        .filter(partnership=partnership, organisation__kind__in=COUNCIL_KINDS)
        .select_related("organisation")
    ]


def _next_reference(round_: Round) -> str:
    prefix = f"LGOL-{round_.programme.starts_on.year}-R{round_.number}-"
    last = (
        Application.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


def _applicant(actor: Any, partnership: Partnership) -> None:
    if actor is None or is_taskforce_staff(actor):
        return
    if (
        not is_signed_in(actor)
        or not partnerships_editable_by(actor).filter(pk=partnership.pk).exists()
    ):
        raise DomainError(
            E.NOT_YOUR_PARTNERSHIP,
            "You can apply only for a partnership you work on",
            "partnership",
        )


@transaction.atomic
def application_create(
    *,
    round_: Round,
    partnership: Partnership,
    title: str,
    summary: str,
    outcomes: str = "",
    is_demo: bool = False,
    actor: Any,
) -> Application:
    """A draft application of a partnership (eligible: at least ``min_councils`` councils)."""
    if round_.status != RoundStatus.OPEN:
        raise DomainError(E.ROUND_NOT_OPEN, "This round is not open for applications")
    _applicant(actor, partnership)
    councils = council_members(partnership, membership_day(round_))
    if len(councils) < round_.min_councils:
        raise DomainError(
            E.NOT_ELIGIBLE,
            f"Only partnerships of at least {round_.min_councils} councils can apply; "
            f"{partnership.name} has {len(councils)}",
            "partnership",
        )
    if Application.objects.filter(round=round_, partnership=partnership).exists():
        raise DomainError(
            E.ALREADY_APPLIED,
            f"{partnership.name} has applied to this round already",
            "partnership",
        )
    title = (title or "").strip()
    if not title:
        raise DomainError(E.INCOMPLETE, "Enter the project's title", "title")
    if len(title) > 140:
        raise DomainError(E.INVALID, "The title must be 140 characters or fewer", "title")
    application = Application(
        round=round_,
        partnership=partnership,
        reference=_next_reference(round_),
        title=title,
        summary=(summary or "").strip(),
        outcomes=(outcomes or "").strip(),
        created_by=_user(actor),
        is_demo=is_demo,
    )
    if not application.summary:
        raise DomainError(E.INCOMPLETE, "Enter a summary of the project", "summary")
    _clean(application)
    audited_save(application, actor=actor, reason="Application started")
    return application


def _draft(application: Application, actor: Any) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(E.NOT_DRAFT, "Only a draft application can be changed")
    _applicant(actor, application.partnership)


def _member(application: Application, organisation: Organisation, field: str) -> None:
    day = membership_day(application.round)
    if (
        not Membership.objects.current_on(day)
        .filter(partnership=application.partnership, organisation=organisation)
        .exists()
    ):
        raise DomainError(
            E.NOT_A_MEMBER, f"{organisation} is not a member of the partnership", field
        )


@transaction.atomic
def budget_line_set(
    *, application: Application, year: int, organisation: Organisation, amount: Any, actor: Any
) -> BudgetLine:
    """What one partner spends in one financial year (set again to change it)."""
    _draft(application, actor)
    value = _money(amount, "amount")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2030:
        raise DomainError(E.INVALID, "Enter a financial year from 2000 to 2030", "year")
    _member(application, organisation, "organisation")
    line = BudgetLine.objects.filter(
        application=application, year=year, organisation=organisation
    ).first() or BudgetLine(application=application, year=year, organisation=organisation)
    line.amount = value
    _clean(line)
    audited_save(line, actor=actor, reason="Budget line set")
    return line


@transaction.atomic
def milestone_add(
    *, application: Application, title: str, due_on: date, amount: Any, actor: Any
) -> Milestone:
    _draft(application, actor)
    value = _money(amount, "amount")
    if not (title or "").strip():
        raise DomainError(E.INCOMPLETE, "Enter the milestone's title", "title")
    number = (
        application.milestones.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    milestone = Milestone(
        application=application, number=number, title=title.strip(), due_on=due_on, amount=value
    )
    _clean(milestone)
    audited_save(milestone, actor=actor, reason="Milestone added")
    return milestone


def tier_provides(service: ServiceArea, organisation: Organisation) -> bool:
    """Whether a council of this tier provides the LGSL service (the catalogue's tier)."""
    tier = service.providing_tier
    if tier == "all":
        return True
    return bool(organisation.tier) and organisation.tier in tier.split("/")


@transaction.atomic
def promised_service_add(
    *,
    application: Application,
    service: ServiceArea,
    organisation: Organisation,
    by_date: date,
    actor: Any,
) -> PromisedService:
    """A service the project will e-enable for a member council (of a tier that provides it)."""
    _draft(application, actor)
    _member(application, organisation, "organisation")
    if organisation.kind not in COUNCIL_KINDS:
        raise DomainError(E.WRONG_TIER, f"{organisation} is not a council", "organisation")
    if not tier_provides(service, organisation):
        raise DomainError(
            E.WRONG_TIER,
            f"{organisation} ({organisation.get_tier_display()}) does not provide "
            f"‘{service.label}’ (provided by {service.providing_tier})",
            "service",
        )
    promise = PromisedService.objects.filter(
        application=application, service=service, organisation=organisation
    ).first() or PromisedService(
        application=application, service=service, organisation=organisation
    )
    promise.by_date = by_date
    _clean(promise)
    audited_save(promise, actor=actor, reason="Service to e-enable promised")
    return promise


@transaction.atomic
def application_submit(*, application: Application, actor: Any) -> Application:
    """Submitted for assessment: needs milestones, budget lines adding up to the milestones'
    total, and at least one service to e-enable."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _draft(application, actor)
    if application.round.status != RoundStatus.OPEN:
        raise DomainError(E.ROUND_NOT_OPEN, "This round is not open for applications")
    milestones = total([m.amount for m in application.milestones.all()])
    budget = total([b.amount for b in application.budget_lines.all()])
    if milestones == ZERO:
        raise DomainError(E.INCOMPLETE, "Add at least one milestone", "milestones")
    if budget != milestones:
        raise DomainError(
            E.SCHEDULE_MISMATCH,
            f"The budget lines add up to £{budget:,}, the milestones to £{milestones:,}: they "
            "must be the same",
            "budget_lines",
        )
    if not application.promised_services.exists():
        raise DomainError(E.INCOMPLETE, "Add at least one service to e-enable", "services")
    model_update(
        application,
        fields={"status", "submitted_at"},
        data={"status": ApplicationStatus.SUBMITTED, "submitted_at": timezone.now()},
        actor=actor,
        reason="Application submitted",
    )
    return application


def requested_amount(application: Application) -> Decimal:
    return total([m.amount for m in application.milestones.all()])


# --- assessment and moderation (the arithmetic is core.maths.assessment, shared with the
# programme room) ------------------------------------------------------------------------------


def _check_score(round_: Round, value: Any, field: str) -> int:
    problem = score_problem(value, round_.score_min, round_.score_max)
    if problem:
        raise DomainError(E.SCORE_OUTSIDE_SCALE, problem, field)
    return int(value)


@transaction.atomic
def assessment_submit(
    *, application: Application, scores: Mapping[int, tuple[int, str]], assessor: Any, actor: Any
) -> Assessment:
    """One assessor's scores (criterion id -> (score, comment)) of every criterion."""
    application = (
        Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    )
    round_ = application.round
    if application.status not in ASSESSABLE:
        raise DomainError(E.NOT_ASSESSABLE, "Only a submitted application can be assessed")
    if not round_.assessors.filter(pk=assessor.pk).exists():
        raise DomainError(E.NOT_ON_PANEL, "You are not on this round's panel")
    if is_conflicted(assessor, application):
        raise DomainError(
            E.CONFLICT_OF_INTEREST,
            "You cannot assess an application from a partnership your organisation belongs to",
        )
    criteria = list(round_.criteria.all())
    missing = [c for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError(E.SCORES_MISSING, f"Score ‘{missing[0].title}’", f"score_{missing[0].pk}")
    checked = {c.pk: _check_score(round_, scores[c.pk][0], f"score_{c.pk}") for c in criteria}
    assessment = Assessment.objects.filter(application=application, assessor=assessor).first()
    if assessment and assessment.submitted_at:
        raise DomainError(E.ALREADY_SUBMITTED, "You have submitted your assessment already")
    assessment = assessment or Assessment(application=application, assessor=assessor)
    assessment.submitted_at = timezone.now()
    audited_save(assessment, actor=actor, reason="Assessment submitted")
    for c in criteria:
        row = CriterionScore.objects.filter(
            assessment=assessment, criterion=c
        ).first() or CriterionScore(assessment=assessment, criterion=c)
        row.score, row.comment = checked[c.pk], scores[c.pk][1]
        audited_save(row, actor=actor, reason="Scored")
    if application.status == ApplicationStatus.SUBMITTED:
        model_update(
            application,
            fields={"status"},
            data={"status": ApplicationStatus.UNDER_ASSESSMENT},
            actor=actor,
            reason="Assessment began",
        )
    return assessment


@transaction.atomic
def moderation_record(
    *, application: Application, criterion: Criterion, score: int, note: str, actor: Any
) -> ModeratedScore:
    """The panel's agreed score of one criterion (staff), with a note of why."""
    _staff(actor)
    application = Application.objects.select_related("round").get(pk=application.pk)
    if criterion.round_id != application.round_id:
        raise DomainError(E.INVALID, "That criterion belongs to another round", "criterion")
    if application.status not in ASSESSABLE:
        raise DomainError(E.NOT_ASSESSABLE, "Only an application under assessment can be moderated")
    value = _check_score(application.round, score, f"score_{criterion.pk}")
    note = _reason(note, "note")
    row = ModeratedScore.objects.filter(
        application=application, criterion=criterion
    ).first() or ModeratedScore(application=application, criterion=criterion)
    row.score, row.note, row.moderated_by = value, note, _user(actor)
    audited_save(row, actor=actor, reason="Moderated score agreed")
    return row


def application_score(application: Application) -> tuple[list[Any], Decimal | None]:
    """Each criterion's result and the weighted score (None until every criterion is scored and
    moderated where its assessors disagree: a round decides on agreed scores only)."""
    round_ = application.round
    criteria = list(round_.criteria.all())
    by_criterion: dict[int, list[int]] = {c.pk: [] for c in criteria}
    for s in CriterionScore.objects.filter(
        assessment__application=application, assessment__submitted_at__isnull=False
    ):
        by_criterion.setdefault(s.criterion_id, []).append(s.score)
    moderated = dict(application.moderated_scores.values_list("criterion_id", "score"))
    results = [
        criterion_result(c.pk, by_criterion[c.pk], moderated.get(c.pk), round_.moderation_spread)
        for c in criteria
    ]
    if any(r.disagrees for r in results):
        return results, None
    weights = {c.pk: c.weight for c in criteria}
    return results, weighted_score(results, weights, round_.score_min, round_.score_max)


# --- decisions and awards --------------------------------------------------------------------


def _shares(application: Application, amount: Decimal) -> dict[int, Decimal]:
    """Organisation id -> its part of the award: as the partnership's latest agreed fair shares
    say (largest remainder, to the penny), else all to the lead council."""
    from partnering.sharing.models import ShareAgreement

    agreement = (
        ShareAgreement.objects.filter(partnership=application.partnership)
        .order_by("-version")
        .prefetch_related("shares")
        .first()
    )
    lead = application.partnership.lead_organisation_id
    if agreement is not None:
        weights = {str(s.organisation_id): s.amount_pence for s in agreement.shares.all()}
        if weights and sum(weights.values()) > 0:
            return {int(k): v for k, v in split_largest_remainder(amount, weights).items()}
    return {lead: amount}


@transaction.atomic
def application_reject(*, application: Application, reason: str, actor: Any) -> Application:
    _staff(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in ASSESSABLE:
        raise DomainError(E.ALREADY_DECIDED, "This application has been decided already")
    model_update(
        application,
        fields={"status", "decision_reason", "decided_at", "decided_by"},
        data={
            "status": ApplicationStatus.REJECTED,
            "decision_reason": _reason(reason),
            "decided_at": timezone.now(),
            "decided_by": _user(actor),
        },
        actor=actor,
        reason="Not funded",
    )
    return application


@transaction.atomic
def award_make(
    *,
    application: Application,
    reason: str,
    conditions: str,
    awarded_on: date,
    agreement_starts_on: date,
    agreement_ends_on: date,
    require_scores: bool = True,
    is_demo: bool = False,
    actor: Any,
) -> Award:
    """Fund the application: the award is its milestones' total, within the round's remaining
    budget (checked with the round locked), paid to the lead council and shared as agreed."""
    _staff(actor)
    application = (
        Application.objects.select_for_update()
        .select_related("partnership", "round")
        .get(pk=application.pk)
    )
    if application.status not in ASSESSABLE:
        raise DomainError(E.ALREADY_DECIDED, "Only an application under assessment can be funded")
    reason = _reason(reason)
    if not (conditions or "").strip():
        raise DomainError(E.INCOMPLETE, "Enter the grant's conditions", "conditions")
    if agreement_ends_on < agreement_starts_on:
        raise DomainError(
            E.DATES, "The agreement must end on or after it starts", "agreement_ends_on"
        )
    if require_scores:
        _, score = application_score(application)
        if score is None:
            raise DomainError(
                E.NOT_MODERATED,
                "Every criterion needs scores, and the panel's score where assessors disagree, "
                "before a decision",
            )
    amount = requested_amount(application)
    if amount <= ZERO:
        raise DomainError(E.INCOMPLETE, "The application has no milestones to fund")
    round_ = Round.objects.select_for_update().get(pk=application.round_id)
    awarded = round_awarded(round_)
    if awarded + amount > round_.budget:
        raise DomainError(
            E.OVER_ROUND_BUDGET,
            f"£{amount:,} is more than the round's remaining budget of "
            f"£{round_.budget - awarded:,} (money clawed back or withheld does not go back into "
            "the round)",
            "amount",
        )
    award = Award(
        application=application,
        round=round_,
        recipient=application.partnership.lead_organisation,
        amount=amount,
        conditions=conditions.strip(),
        awarded_on=awarded_on,
        agreement_starts_on=agreement_starts_on,
        agreement_ends_on=agreement_ends_on,
        awarded_by=_user(actor),
        is_demo=is_demo,
    )
    _clean(award)
    audited_save(award, actor=actor, reason="Awarded")
    audited_bulk_create(
        [
            AwardShare(award=award, organisation_id=org, amount=value)
            for org, value in _shares(application, amount).items()
        ],
        actor=actor,
        reason="Partner share",
    )
    model_update(
        application,
        fields={"status", "decision_reason", "decided_at", "decided_by"},
        data={
            "status": ApplicationStatus.AWARDED,
            "decision_reason": reason,
            "decided_at": timezone.now(),
            "decided_by": _user(actor),
        },
        actor=actor,
        reason="Funded",
    )
    return award


def round_awarded(round_: Round) -> Decimal:
    """Every award of the round, gross: what the round's budget is checked against. Money clawed
    back or withheld is recovered, but it does not free room for new awards."""
    return Award.objects.filter(round=round_).aggregate(s=Sum("amount"))["s"] or ZERO


def round_recovered(round_: Round) -> Decimal:
    """What was clawed back from or withheld on the round's awards."""
    return Recovery.objects.filter(award__round=round_).aggregate(s=Sum("amount"))["s"] or ZERO


def round_committed(round_: Round) -> Decimal:
    """Awards of the round less what was clawed back or withheld: what it still expects to pay
    out (not what it may still award: that is the budget less ``round_awarded``)."""
    return round_awarded(round_) - round_recovered(round_)


def award_paid(award: Award) -> Decimal:
    """Paid and not clawed back, from the award's running totals as stored now."""
    paid, clawed = Award.objects.filter(pk=award.pk).values_list("paid_gross", "clawed").get()
    return Decimal(paid - clawed)


def _award_totals_add(award: Award, on: date, **amounts: Decimal) -> None:
    """Add to the award's running totals (``paid_gross``, ``clawed``, ``withheld``), all time and
    for the financial year of ``on``, in the database, inside the transaction that writes the
    payment or recovery, the award row locked by the caller (``select_for_update``, which also
    keeps two writers from creating the year's row at once); the in-memory award follows."""
    added = {k: F(k) + v for k, v in amounts.items()}
    Award.objects.filter(pk=award.pk).update(**added)
    year, _ = AwardYear.objects.get_or_create(award=award, financial_year=financial_year(on))
    AwardYear.objects.filter(pk=year.pk).update(**added)
    for k, v in amounts.items():
        setattr(award, k, getattr(award, k) + v)


def _sum_of(qs: QuerySet[Any]) -> Subquery:
    return Subquery(
        qs.filter(award=OuterRef("pk")).values("award").annotate(s=Sum("amount")).values("s")
    )


@transaction.atomic
def award_totals_refresh(awards: QuerySet[Award] | None = None) -> int:
    """Recompute the running totals of ``awards`` (all by default), all time and by financial
    year, from their payments and recoveries: for rows written in bulk (``bulk_create`` skips the
    services), and the check that the kept totals are right. Returns the number of awards."""
    qs = Award.objects.all() if awards is None else awards
    count = qs.update(
        paid_gross=Coalesce(_sum_of(Payment.objects.all()), ZERO),
        clawed=Coalesce(_sum_of(Recovery.objects.filter(kind=RecoveryKind.CLAWBACK)), ZERO),
        withheld=Coalesce(_sum_of(Recovery.objects.filter(kind=RecoveryKind.WITHHOLD)), ZERO),
    )
    years: dict[tuple[int, int], AwardYear] = {}

    def add(award_id: int, on: date, field: str, amount: Decimal) -> None:
        key = (award_id, financial_year(on))
        row = years.setdefault(key, AwardYear(award_id=award_id, financial_year=key[1]))
        setattr(row, field, getattr(row, field) + amount)

    for award_id, on, amount in Payment.objects.filter(award__in=qs).values_list(
        "award_id", "paid_on", "amount"
    ):
        add(award_id, on, "paid_gross", amount)
    for award_id, kind, on, amount in Recovery.objects.filter(award__in=qs).values_list(
        "award_id", "kind", "on", "amount"
    ):
        add(award_id, on, "clawed" if kind == RecoveryKind.CLAWBACK else "withheld", amount)
    AwardYear.objects.filter(award__in=qs).delete()
    AwardYear.objects.bulk_create(years.values(), batch_size=1000)
    return count


# --- claims, approval and payment ------------------------------------------------------------

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG image"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG image"),
)
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EVIDENCE_TYPES = (
    "a PDF, a PNG or JPEG image, a Word (.docx) or Excel (.xlsx) file, or plain text or CSV"
)


def evidence_type(data: bytes, field: str = "evidence") -> str:
    """The content type of an attachment, judged by its content (never by its name), or
    DomainError: empty, over 5 MB, or not one of the kinds evidence may be."""
    if not data:
        raise DomainError(E.EVIDENCE_TYPE, "The selected file is empty", field)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError(
            E.EVIDENCE_TOO_LARGE, "The selected file must be smaller than 5 MB", field
        )
    for magic, kind, _ in SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            names = []
        if "[Content_Types].xml" in names:
            for folder, kind in OFFICE.items():
                if any(n.startswith(folder) for n in names):
                    return kind
    if not data.startswith(b"PK\x03\x04") and not CONTROL.search(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain"
    raise DomainError(E.EVIDENCE_TYPE, f"The selected file must be {EVIDENCE_TYPES}", field)


@transaction.atomic
def claim_submit(
    *,
    award: Award,
    milestone: Milestone,
    amount: Any,
    claimed_on: date,
    description: str,
    files: Sequence[tuple[str, bytes]],
    is_demo: bool = False,
    actor: Any,
) -> Claim:
    """A claim for a milestone that has fallen due, up to what is left of its amount, with
    evidence. Checked with the award locked, so two claims at once cannot both take the rest."""
    award = Award.objects.select_for_update().select_related("application").get(pk=award.pk)
    if actor is not None and not can_claim(actor, award):
        raise DomainError(E.NOT_YOUR_PARTNERSHIP, "You can claim only for your partnership's award")
    if award.status != AwardStatus.ACTIVE:
        raise DomainError(
            E.AWARD_NOT_ACTIVE, f"This award is {award.get_status_display().lower()}: no claims"
        )
    if milestone.application_id != award.application_id:
        raise DomainError(E.INVALID, "That milestone belongs to another award", "milestone")
    value = _money(amount, "amount")
    if claimed_on < milestone.due_on:
        raise DomainError(
            E.CLAIM_TOO_EARLY,
            f"Milestone {milestone.number} falls due on {govuk_date(milestone.due_on)}: claim on or after it",
            "claimed_on",
        )
    claimed = (
        milestone.claims.exclude(status=ClaimStatus.REJECTED).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    if claimed + value > milestone.amount:
        raise DomainError(
            E.CLAIM_OVER_MILESTONE,
            f"£{value:,} is more than is left to claim on milestone {milestone.number} "
            f"(£{milestone.amount - claimed:,})",
            "amount",
        )
    if not (description or "").strip():
        raise DomainError(E.INCOMPLETE, "Describe what was achieved", "description")
    if not files:
        raise DomainError(
            E.CLAIM_NO_EVIDENCE, "Attach evidence that the milestone was reached", "evidence"
        )
    checked = [(name, data, evidence_type(data)) for name, data in files]
    claim = Claim(
        award=award,
        milestone=milestone,
        amount=value,
        claimed_on=claimed_on,
        description=description.strip(),
        submitted_by=_user(actor),
        is_demo=is_demo,
    )
    _clean(claim)
    audited_save(claim, actor=actor, reason="Claim submitted")
    for name, data, kind in checked:
        audited_save(
            Evidence(
                claim=claim,
                filename=Path(name or "evidence").name[:200],
                content_type=kind,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            ),
            actor=actor,
            reason="Evidence attached",
        )
    return claim


def _finance(actor: Any) -> None:
    if actor is not None and not is_finance(actor):
        raise DomainError(E.FINANCE_ONLY, "Only finance officers can do that")


@transaction.atomic
def claim_approve(*, claim: Claim, actor: Any) -> Claim:
    """A finance officer other than the claimant approves (the claim row locked: once)."""
    _finance(actor)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise DomainError(E.NOT_SUBMITTED, f"This claim is {claim.get_status_display().lower()}")
    if actor is not None and claim.submitted_by_id == actor.pk:
        raise DomainError(E.OWN_CLAIM, "Someone other than the claimant must approve a claim")
    if actor is not None and not can_approve_claim(actor, claim):
        raise DomainError(E.FINANCE_ONLY, "Only finance officers can do that")
    model_update(
        claim,
        fields={"status", "approved_by", "approved_at"},
        data={
            "status": ClaimStatus.APPROVED,
            "approved_by": _user(actor) or claim.approved_by,
            "approved_at": timezone.now(),
        },
        actor=actor,
        reason="Claim approved",
        clean=False,
    )
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, reason: str, actor: Any) -> Claim:
    _finance(actor)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED):
        raise DomainError(E.NOT_SUBMITTED, f"This claim is {claim.get_status_display().lower()}")
    model_update(
        claim,
        fields={"status", "rejection_reason"},
        data={"status": ClaimStatus.REJECTED, "rejection_reason": _reason(reason)},
        actor=actor,
        reason="Claim rejected",
        clean=False,
    )
    return claim


@transaction.atomic
def payment_record(
    *, claim: Claim, paid_on: date, reference: str, is_demo: bool = False, actor: Any
) -> Payment:
    """Pay an approved claim, once: a second finance officer (not the approver), the claim row
    locked, and the database's one-payment-per-claim constraint behind it."""
    _finance(actor)
    claim = Claim.objects.select_for_update().select_related("award").get(pk=claim.pk)
    if claim.status == ClaimStatus.PAID or Payment.objects.filter(claim=claim).exists():
        raise DomainError(E.ALREADY_PAID, "This claim has been paid already")
    if claim.status != ClaimStatus.APPROVED:
        raise DomainError(E.NOT_APPROVED, "Only an approved claim can be paid")
    if actor is not None and actor.pk in (claim.approved_by_id, claim.submitted_by_id):
        raise DomainError(
            E.SAME_PERSON,
            "A second finance officer, not the one who approved it, records the payment",
        )
    award = Award.objects.select_for_update().get(pk=claim.award_id)
    if award.status != AwardStatus.ACTIVE:
        raise DomainError(E.AWARD_NOT_ACTIVE, f"This award is {award.get_status_display().lower()}")
    reference = (reference or "").strip()
    if not reference:
        raise DomainError(E.PAYMENT_REFERENCE, "Enter the payment reference", "reference")
    if Payment.objects.filter(reference=reference).exists():
        raise DomainError(
            E.PAYMENT_REFERENCE, f"Payment reference {reference} is used already", "reference"
        )
    if paid_on < claim.claimed_on:
        raise DomainError(E.DATES, "The payment cannot be before the claim", "paid_on")
    payment = Payment(
        claim=claim,
        award=award,
        amount=claim.amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=_user(actor),
        is_demo=is_demo,
    )
    _clean(payment)
    try:
        with transaction.atomic():
            audited_save(payment, actor=actor, reason="Payment recorded")
    except IntegrityError:
        raise DomainError(E.ALREADY_PAID, "This claim has been paid already") from None
    _award_totals_add(award, paid_on, paid_gross=payment.amount)
    model_update(
        claim,
        fields={"status"},
        data={"status": ClaimStatus.PAID},
        actor=actor,
        reason="Paid",
        clean=False,
    )
    return payment


# --- variations and recovery -----------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneChange:
    number: int
    due_on: date | None = None
    amount: Any = None
    title: str | None = None


@transaction.atomic
def variation_make(
    *, award: Award, kind: str, changes: Sequence[MilestoneChange], reason: str, actor: Any
) -> Variation:
    """Re-profile the schedule between years or change a milestone: the schedule still adds up
    to the award, and no milestone goes below what was already claimed on it."""
    _staff(actor)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if kind not in VariationKind.values:
        raise DomainError(E.INVALID, "Select the kind of variation", "kind")
    reason = _reason(reason)
    if not changes:
        raise DomainError(E.VARIATION, "Change at least one milestone", "changes")
    milestones = {m.number: m for m in award.application.milestones.select_for_update()}
    before, after = {}, {}
    for change in changes:
        m = milestones.get(change.number)
        if m is None:
            raise DomainError(E.VARIATION, f"There is no milestone {change.number}", "changes")
        before[str(m.number)] = {
            "due_on": m.due_on.isoformat(),
            "amount": str(m.amount),
            "title": m.title,
        }
        if change.amount is not None:
            m.amount = _money(change.amount, "changes")
        if change.due_on is not None:
            m.due_on = change.due_on
        if change.title is not None and change.title.strip():
            m.title = change.title.strip()
        claimed = (
            m.claims.exclude(status=ClaimStatus.REJECTED).aggregate(s=Sum("amount"))["s"] or ZERO
        )
        if m.amount < claimed:
            raise DomainError(
                E.VARIATION,
                f"Milestone {m.number} cannot be less than the £{claimed:,} claimed on it",
                "changes",
            )
        after[str(m.number)] = {
            "due_on": m.due_on.isoformat(),
            "amount": str(m.amount),
            "title": m.title,
        }
    new_total = total([m.amount for m in milestones.values()])
    if new_total != award.amount:
        raise DomainError(
            E.SCHEDULE_MISMATCH,
            f"The schedule would add up to £{new_total:,}, not the award's £{award.amount:,}",
            "changes",
        )
    for number in after:
        audited_save(milestones[int(number)], actor=actor, reason=f"Varied: {reason}")
    variation = Variation(
        award=award,
        kind=kind,
        reason=reason,
        changes={"before": before, "after": after},
        made_on=timezone.localdate(),
        made_by=_user(actor),
    )
    audited_save(variation, actor=actor, reason="Variation made")
    return variation


@transaction.atomic
def recovery_record(
    *,
    award: Award,
    kind: str,
    amount: Any,
    reason: str,
    on: date,
    is_demo: bool = False,
    actor: Any,
) -> Recovery:
    """Claw back money paid (at most what was paid and not already recovered) or withhold money
    not yet paid (at most what is left unpaid); the award stops taking claims."""
    _staff(actor)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if kind not in RecoveryKind.values:
        raise DomainError(E.INVALID, "Select clawback or withholding", "kind")
    value = _money(amount, "amount")
    reason = _reason(reason)
    paid = award.paid_gross - award.clawed  # the row is locked and fresh
    if kind == RecoveryKind.CLAWBACK and value > paid:
        raise DomainError(
            E.RECOVERY_TOO_MUCH, f"Only £{paid:,} has been paid and not recovered", "amount"
        )
    unpaid = award.amount - paid - award.withheld - award.clawed
    if kind == RecoveryKind.WITHHOLD and value > unpaid:
        raise DomainError(E.RECOVERY_TOO_MUCH, f"Only £{unpaid:,} is left unpaid", "amount")
    recovery = Recovery(
        award=award,
        kind=kind,
        amount=value,
        reason=reason,
        on=on,
        recorded_by=_user(actor),
        is_demo=is_demo,
    )
    _clean(recovery)
    audited_save(recovery, actor=actor, reason="Recovery recorded")
    _award_totals_add(
        award, on, **{"clawed" if kind == RecoveryKind.CLAWBACK else "withheld": value}
    )
    status = AwardStatus.CLAWED_BACK if kind == RecoveryKind.CLAWBACK else AwardStatus.WITHHELD
    model_update(
        award, fields={"status"}, data={"status": status}, actor=actor, reason=reason, clean=False
    )
    return recovery


@transaction.atomic
def finance_officer_set(*, user: Any, is_demo: bool = False, actor: Any) -> FinanceOfficer:
    """Name a finance officer (taskforce staff); naming one again changes nothing."""
    _staff(actor)
    if not is_taskforce_staff(user):
        raise DomainError(
            E.INVALID, f"{user.display_name} is not taskforce staff: finance officers are", "user"
        )
    officer = FinanceOfficer.objects.filter(user=user).first()
    if officer is None:
        officer = FinanceOfficer(user=user, is_demo=is_demo)
        audited_save(officer, actor=actor, reason="Finance officer named")
    return officer


@transaction.atomic
def finance_officer_remove(*, user: Any, actor: Any) -> bool:
    """The user is no longer a finance officer (what they approved or paid stays as it was).
    Whether they were one; removing someone who is not changes nothing."""
    _staff(actor)
    officer = FinanceOfficer.objects.filter(user=user).first()
    if officer is None:
        return False
    audited_delete(officer, actor=actor, reason="Finance officer removed")
    return True


# --- e-enablement ----------------------------------------------------------------------------


@transaction.atomic
def e_enablement_record(
    *,
    organisation: Organisation,
    service: ServiceArea,
    e_enabled_on: date | None,
    route: str = "",
    award: Award | None = None,
    note: str = "",
    is_illustrative: bool = False,
    actor: Any,
) -> EEnablement:
    _staff(actor)
    if organisation.kind not in COUNCIL_KINDS:
        raise DomainError(E.WRONG_TIER, f"{organisation} is not a council", "organisation")
    if not tier_provides(service, organisation):
        raise DomainError(
            E.WRONG_TIER, f"{organisation} does not provide ‘{service.label}’", "service"
        )
    if e_enabled_on is not None and not date(1995, 1, 1) <= e_enabled_on <= timezone.localdate():
        raise DomainError(
            E.DATES, "The date it was e-enabled must be from 1995 to today", "e_enabled_on"
        )
    if e_enabled_on is not None and route not in Route.values:
        raise DomainError(E.INVALID, "Say how the service was e-enabled", "route")
    if e_enabled_on is None:
        route = ""
    _lock_councils([organisation.pk])
    record = EEnablement.objects.filter(
        organisation=organisation, service=service
    ).first() or EEnablement(organisation=organisation, service=service)
    record.e_enabled_on, record.route, record.award = e_enabled_on, route, award
    record.note, record.is_illustrative = note[:255], is_illustrative
    _clean(record)
    audited_save(record, actor=actor, reason="E-enablement recorded")
    e_enablement_tallies_refresh([organisation.pk])
    return record


def _lock_councils(ids: Iterable[int]) -> None:
    """Lock the councils' rows (in one order), so their records and tallies are written by one
    writer at a time."""
    list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def e_enablement_tallies_refresh(organisations: Iterable[int] | None = None) -> int:
    """Count again the e-enablement records of ``organisations`` (council ids; all by default)
    into their tallies, which the progress views read: called by every service that writes
    records, in its transaction, and for rows written in bulk (``bulk_create`` skips the
    services). Returns the number of councils with records."""
    records = EEnablement.objects.order_by()
    tallied = EEnablementTally.objects.all()
    if organisations is not None:
        ids = set(organisations)
        records, tallied = (
            records.filter(organisation__in=ids),
            tallied.filter(organisation__in=ids),
        )
    counts = tallies(
        records.values_list("organisation_id", "e_enabled_on", "route", "is_illustrative")
    )
    tallied.delete()
    EEnablementTally.objects.bulk_create(
        [
            EEnablementTally(organisation_id=k, by_year=y, by_route=r, illustrative=shown)
            for k, (y, r, shown) in counts.items()
        ],
        batch_size=1000,
    )
    return len(counts)


IMPORT_COLUMNS = ("gss_code", "lgsl_code", "e_enabled_on", "route")


@dataclass(frozen=True)
class ImportRow:
    line: int
    organisation: Organisation
    service: ServiceArea
    e_enabled_on: date | None
    route: str
    note: str


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})"
        ) from None


def read_e_enablement(path: Path, data: bytes) -> list[ImportRow]:
    """Every row (one per council and service), checked, or ImportFileError naming the file, the
    line and the reason at the first bad one (the organisations import's rules)."""
    reader = csv.DictReader(io.StringIO(_decode(path, data), newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise ImportFileError(path, 1, f"not valid CSV ({error})") from None
    if not fieldnames:
        raise ImportFileError(path, 1, "the file is empty: no header row")
    missing = set(IMPORT_COLUMNS) - set(fieldnames)
    if missing:
        raise ImportFileError(path, 1, f"missing column(s): {', '.join(sorted(missing))}")
    councils = {
        o.gss_code: o
        for o in Organisation.objects.filter(kind__in=COUNCIL_KINDS, gss_code__isnull=False)
    }
    services = {s.lgsl_code: s for s in ServiceArea.objects.all()}
    rows: list[ImportRow] = []
    seen: dict[tuple[str, int], int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw or any(v is None for v in raw.values()):
                raise ImportFileError(
                    path, line, f"wrong number of columns (the header has {len(fieldnames)})"
                )
            row = {k: (v or "").strip() for k, v in raw.items()}
            gss = row["gss_code"]
            org = councils.get(gss)
            if org is None:
                raise ImportFileError(path, line, f"gss_code ‘{gss}’ is not a council we hold")
            if not row["lgsl_code"].isdigit() or int(row["lgsl_code"]) not in services:
                raise ImportFileError(
                    path, line, f"lgsl_code ‘{row['lgsl_code']}’ is not an LGSL service"
                )
            service = services[int(row["lgsl_code"])]
            if not tier_provides(service, org):
                raise ImportFileError(
                    path,
                    line,
                    f"{org.name} ({org.tier}) does not provide LGSL {service.lgsl_code}"
                    f" (provided by {service.providing_tier})",
                )
            enabled = None
            if row["e_enabled_on"]:
                try:
                    enabled = date.fromisoformat(row["e_enabled_on"])
                except ValueError:
                    raise ImportFileError(
                        path,
                        line,
                        f"e_enabled_on ‘{row['e_enabled_on']}’ is not a date in the form YYYY-MM-DD",
                    ) from None
                if not date(1995, 1, 1) <= enabled <= timezone.localdate():
                    raise ImportFileError(
                        path, line, f"e_enabled_on {enabled} is not between 1995 and today"
                    )
                if row["route"] not in Route.values:
                    raise ImportFileError(
                        path,
                        line,
                        f"route ‘{row['route']}’ is not one of {', '.join(Route.values)}",
                    )
            elif row["route"]:
                raise ImportFileError(path, line, "route is given but e_enabled_on is empty")
            key = (gss, service.lgsl_code)
            if key in seen:
                raise ImportFileError(
                    path, line, f"{gss} and LGSL {service.lgsl_code} repeat line {seen[key]}"
                )
            seen[key] = line
            rows.append(
                ImportRow(
                    line,
                    org,
                    service,
                    enabled,
                    row["route"] if enabled else "",
                    row.get("note", "")[:255],
                )
            )
    except csv.Error as error:
        raise ImportFileError(path, reader.line_num, f"not valid CSV ({error})") from None
    return rows


@transaction.atomic
def e_enablement_import(*, path: Path, data: bytes, actor: Any) -> tuple[int, int]:
    """Import the file (all of it or, on any error, nothing); returns (created, updated)."""
    _staff(actor)
    rows = read_e_enablement(path, data)
    councils = {r.organisation.pk for r in rows}
    _lock_councils(councils)
    existing = {
        (r.organisation_id, r.service_id): r
        for r in EEnablement.objects.filter(organisation__in={r.organisation for r in rows})
    }
    created: list[EEnablement] = []
    updated = 0
    for row in rows:
        record = existing.get((row.organisation.pk, row.service.pk))
        values = {"e_enabled_on": row.e_enabled_on, "route": row.route, "note": row.note}
        if record is None:
            created.append(
                EEnablement(organisation=row.organisation, service=row.service, **values)
            )
        else:
            _, changed = model_update(
                record,
                fields=values.keys(),
                data=values,
                actor=actor,
                reason=f"Imported from {path.name}",
                clean=False,
            )
            updated += changed
    audited_bulk_create(created, actor=actor, reason=f"Imported from {path.name}", batch_size=1000)
    e_enablement_tallies_refresh(councils)
    return len(created), updated
