"""Writes of the programme room: each in one transaction, validated, audited.

The selection runs the pure optimiser (``maths/selection.py``) on the moderated scores and the
tags taken from each partnership's record, and stores the exact input and output; confirming a
run marks the applications selected / not selected and makes the chosen partnerships
pathfinders through the partnerships room's own service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import slugify

from partnering.core.audit import audited_delete, audited_save, model_update
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.core.maths.assessment import score_problem
from partnering.core.models import Role, User
from partnering.core.permissions import is_taskforce_staff
from partnering.core.services import Email, Sent, email_send_once
from partnering.partnerships.models import Membership, Partnership, PartnershipKind
from partnering.partnerships.permissions import partnership_is_open, partnerships_editable_by
from partnering.partnerships.services import partnership_update

from .errors import ProgrammeError as E
from .maths import matching, selection
from .models import (
    MAX_MENTORS,
    Action,
    ActionStatus,
    Advice,
    AdviserAssignment,
    AdviserProfile,
    Application,
    ApplicationStatus,
    Assessment,
    AssignmentChange,
    Audience,
    Booking,
    BookingStatus,
    Call,
    CallStatus,
    CallTag,
    Criterion,
    CriterionScore,
    DeclaredInterest,
    DigestSent,
    Discipline,
    Enrolment,
    EnrolmentStatus,
    Event,
    EventKind,
    MatchRun,
    MentoringNeeds,
    MentoringSession,
    ModeratedScore,
    ModuleFormat,
    ModuleSession,
    PeerOffer,
    PeerTopic,
    Quota,
    SelectionRun,
    SimilarList,
    SimilarScope,
    Theme,
    TrainingModule,
)
from .permissions import ASSESSABLE, is_conflicted
from .selectors import (
    application_tags,
    call_applications_all,
    known_tags,
    pathfinder_needs,
    scoring_begun,
    similarity_profiles,
    similarity_profiles_of,
)


def _staff(actor: Any) -> None:
    if actor is not None and not is_taskforce_staff(actor):
        raise DomainError(E.STAFF_ONLY, "Only taskforce staff can do that")


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            "programme.invalid", messages[0], None if field == "__all__" else field
        ) from None


# --- calls ---------------------------------------------------------------------------------

#: The call's own fields that staff set (``call_create``, ``call_update``).
CALL_FIELDS = (
    "title", "summary", "eligibility", "opens_on", "closes_on", "decisions_by", "places",
    "budget", "score_min", "score_max", "moderation_spread",
)  # fmt: skip

#: The status moves staff make (``call_set_status``): a draft opens; an open call closes or is
#: decided; a closed call reopens or is decided. Deciding confirms the latest selection run.
CALL_MOVES: dict[str, tuple[str, ...]] = {
    CallStatus.DRAFT: (CallStatus.OPEN,),
    CallStatus.OPEN: (CallStatus.CLOSED, CallStatus.DECIDED),
    CallStatus.CLOSED: (CallStatus.OPEN, CallStatus.DECIDED),
    CallStatus.DECIDED: (),
}


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as staff give it; ``id`` names one of the call's criteria to change (None: a
    new criterion)."""

    title: str
    weight: Decimal | int = 1
    guidance: str = ""
    id: int | None = None


@dataclass(frozen=True)
class QuotaSpec:
    tag: str
    minimum: int | None = None
    maximum: int | None = None
    label: str = ""


@dataclass(frozen=True)
class CallTagSpec:
    """A tag of the call's own; ``slug`` keeps an existing tag's (empty: made from the label)."""

    label: str
    slug: str = ""
    applicants_choose: bool = True


def _row(label: str, key: str, index: int | None) -> tuple[str, str]:
    """How a message names row ``index`` (0-based) of a list ("Quota 2: ") and the field's
    prefix there ("quotas.1."); nothing for a single item."""
    if index is None:
        return "", ""
    return f"{label} {index + 1}: ", f"{key}.{index}."


def _check_quota(
    spec: QuotaSpec, index: int | None = None, known: Iterable[str] | None = None
) -> None:
    said, at = _row("Quota", "quotas", index)
    if not spec.tag.strip():
        raise DomainError(E.QUOTA_EMPTY, f"{said}Enter the tag the quota counts", f"{at}tag")
    said = said or f"Quota ‘{spec.tag}’: "
    if known is not None and spec.tag not in set(known):
        raise DomainError(
            E.QUOTA_UNKNOWN_TAG,
            f"{said}‘{spec.tag}’ is not a tag an application can carry (see the list of tags)",
            f"{at}tag",
        )
    if spec.minimum is None and spec.maximum is None:
        raise DomainError(E.QUOTA_EMPTY, f"{said}Enter at least, at most or both", f"{at}minimum")
    if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
        raise DomainError(
            E.QUOTA_RANGE,
            f"{said}The minimum ({spec.minimum}) is more than the maximum ({spec.maximum})",
            f"{at}minimum",
        )


def _check_call_fields(values: Mapping[str, Any]) -> None:
    if values["closes_on"] <= values["opens_on"]:
        raise DomainError(E.CALL_DATES, "The call must close after it opens", "closes_on")
    if values["decisions_by"] < values["closes_on"]:
        raise DomainError(
            E.CALL_DATES,
            "Decisions must be due on or after the day the call closes",
            "decisions_by",
        )
    if values["score_max"] <= values["score_min"]:
        raise DomainError(
            E.CALL_SCALE, "The top of the scale must be above the bottom", "score_max"
        )
    if values["budget"] is not None and values["budget"] < 0:
        raise DomainError("programme.invalid", "The budget must be £0 or more", "budget")


def _criterion_specs(criteria: Sequence[CriterionSpec | tuple[Any, ...]]) -> list[CriterionSpec]:
    return [c if isinstance(c, CriterionSpec) else CriterionSpec(*c) for c in criteria]


def _check_criteria(call: Call | None, specs: list[CriterionSpec]) -> None:
    own = set(call.criteria.values_list("pk", flat=True)) if call is not None and call.pk else set()
    seen: dict[str, int] = {}
    for i, spec in enumerate(specs):
        said, at = _row("Criterion", "criteria", i)
        title = spec.title.strip()
        if not title:
            raise DomainError(E.CRITERIA_NEEDED, f"{said}Enter the criterion's title", f"{at}title")
        if title.lower() in seen:
            raise DomainError(
                E.CRITERIA_NEEDED,
                f"{said}‘{title}’ is criterion {seen[title.lower()] + 1} already",
                f"{at}title",
            )
        seen[title.lower()] = i
        weight = Decimal(spec.weight)
        if not weight.is_finite() or not Decimal(0) <= weight < Decimal(1000):
            raise DomainError(
                E.CRITERIA_NEEDED, f"{said}The weight must be from 0 to 999.99", f"{at}weight"
            )
        if spec.id is not None and spec.id not in own:
            raise DomainError(
                "programme.invalid", f"{said}No such criterion of this call", f"{at}id"
            )
    if specs and sum(Decimal(s.weight) for s in specs) <= 0:
        raise DomainError(
            E.CRITERIA_NEEDED, "At least one criterion needs a weight above 0", "criteria.0.weight"
        )


def _tag_specs(specs: Sequence[CallTagSpec]) -> list[CallTagSpec]:
    """The tags with their slugs made, checked: a label each, no slug twice."""
    made, seen = [], {}
    for i, spec in enumerate(specs):
        said, at = _row("Tag", "tags", i)
        label = spec.label.strip()
        if not label:
            raise DomainError(E.UNKNOWN_TAG, f"{said}Enter the tag's name", f"{at}label")
        slug = spec.slug or slugify(label)[:60]
        if not slug:
            raise DomainError(
                E.UNKNOWN_TAG, f"{said}The tag's name needs a letter or a number", f"{at}label"
            )
        if slug in seen:
            raise DomainError(
                E.TAG_TWICE,
                f"{said}‘{label}’ is the same tag as tag {seen[slug] + 1}",
                f"{at}label",
            )
        seen[slug] = i
        made.append(CallTagSpec(label=label, slug=slug, applicants_choose=spec.applicants_choose))
    return made


def _check_quotas(call: Call, specs: Sequence[QuotaSpec], tag_slugs: list[str]) -> None:
    known = known_tags(call, extra_call_tags=tag_slugs)
    seen: dict[str, int] = {}
    for i, spec in enumerate(specs):
        _check_quota(spec, i, known)
        if spec.tag in seen:
            raise DomainError(
                E.QUOTA_TWICE,
                f"Quota {i + 1}: ‘{spec.tag}’ has a quota already (quota {seen[spec.tag] + 1})",
                f"quotas.{i}.tag",
            )
        seen[spec.tag] = i


def _sync_criteria(call: Call, specs: list[CriterionSpec], actor: Any) -> None:
    existing = {c.pk: c for c in call.criteria.all()}
    kept = {s.id for s in specs if s.id is not None}
    gone = [c for pk, c in existing.items() if pk not in kept]
    if gone:
        answers = list(Application.objects.filter(call=call).values_list("answers", flat=True))
        for c in gone:
            answered = sum(bool((a or {}).get(str(c.pk), "").strip()) for a in answers)
            if answered:
                raise DomainError(
                    E.CRITERION_ANSWERED,
                    f"‘{c.title}’ has been answered in {answered} application"
                    f"{'s' if answered != 1 else ''}: change its wording instead of removing it",
                    "criteria",
                )
    for c in gone:
        audited_delete(c, actor=actor, reason="Criterion removed")
    for position, spec in enumerate(specs):
        data = {"title": spec.title.strip(), "weight": Decimal(spec.weight),
                "guidance": spec.guidance.strip(), "position": position}  # fmt: skip
        if spec.id is None:
            c = Criterion(call=call, **data)
            _clean(c)
            audited_save(c, actor=actor, reason="Criterion added")
        else:
            model_update(existing[spec.id], fields=set(data), data=data, actor=actor,
                         reason="Criterion changed", clean=_clean)  # fmt: skip


def _criteria_unchanged(call: Call, specs: list[CriterionSpec]) -> bool:
    now = [(c.pk, c.title, c.weight, c.guidance) for c in call.criteria.all()]
    given = [(s.id, s.title.strip(), Decimal(s.weight), s.guidance.strip()) for s in specs]
    return now == given


def _sync_tags(call: Call, specs: list[CallTagSpec], actor: Any) -> None:
    existing = {t.slug: t for t in call.tags.all()}
    wanted = {s.slug for s in specs}
    gone = set(existing) - wanted
    if gone:  # the applications that carry a removed tag lose it, each with history
        for app in Application.objects.filter(call=call):
            left = [t for t in app.call_tags if t not in gone]
            if left != app.call_tags:
                model_update(app, fields={"call_tags"}, data={"call_tags": left}, actor=actor,
                             reason="The call's tag was removed", clean=False)  # fmt: skip
    for slug in gone:
        audited_delete(existing[slug], actor=actor, reason="Tag removed")
    for spec in specs:
        data = {"label": spec.label, "applicants_choose": spec.applicants_choose}
        if spec.slug in existing:
            model_update(existing[spec.slug], fields=set(data), data=data, actor=actor,
                         reason="Tag changed", clean=_clean)  # fmt: skip
        else:
            tag = CallTag(call=call, slug=spec.slug, **data)
            _clean(tag)
            audited_save(tag, actor=actor, reason="Tag added")


def _sync_quotas(call: Call, specs: Sequence[QuotaSpec], actor: Any) -> None:
    wanted = {s.tag for s in specs}
    for quota in call.quotas.exclude(tag__in=wanted):
        audited_delete(quota, actor=actor, reason="Quota removed")
    for spec in specs:
        _quota_save(call, spec, actor)


def _quota_save(call: Call, spec: QuotaSpec, actor: Any) -> Quota:
    quota = Quota.objects.filter(call=call, tag=spec.tag).first() or Quota(call=call, tag=spec.tag)
    data = {"minimum": spec.minimum, "maximum": spec.maximum, "label": spec.label.strip()}
    if quota.pk is None:
        quota.minimum, quota.maximum, quota.label = data["minimum"], data["maximum"], data["label"]
        _clean(quota)
        audited_save(quota, actor=actor, reason="Quota set")
    else:
        model_update(quota, fields=set(data), data=data, actor=actor, reason="Quota set",
                     clean=_clean)  # fmt: skip
    return quota


@transaction.atomic
def call_create(
    *,
    title: str,
    summary: str,
    opens_on: date,
    closes_on: date,
    decisions_by: date,
    places: int,
    budget: Decimal | None = None,
    eligibility: str = "",
    score_min: int = 0,
    score_max: int = 10,
    moderation_spread: int = 3,
    criteria: Sequence[CriterionSpec | tuple[Any, ...]] = (),
    quotas: Sequence[QuotaSpec] = (),
    tags: Sequence[CallTagSpec] = (),
    status: str = CallStatus.DRAFT,
    assessors: Iterable[Any] = (),
    is_demo: bool = False,
    actor: Any,
) -> Call:
    """A call with its criteria, its own tags and its quotas, every rule checked before
    anything is saved."""
    _staff(actor)
    values = {
        "title": title.strip(), "summary": summary.strip(), "eligibility": eligibility.strip(),
        "opens_on": opens_on, "closes_on": closes_on, "decisions_by": decisions_by,
        "places": places, "budget": budget, "score_min": score_min, "score_max": score_max,
        "moderation_spread": moderation_spread,
    }  # fmt: skip
    _check_call_fields(values)
    call = Call(slug=_unique_slug(Call, title), status=status, is_demo=is_demo, **values)
    _clean(call)
    specs = _criterion_specs(criteria)
    if any(s.id is not None for s in specs):
        raise DomainError("programme.invalid", "A new call's criteria are all new", "criteria")
    _check_criteria(None, specs)
    if status != CallStatus.DRAFT and not specs:
        raise DomainError(
            E.CRITERIA_NEEDED, "Add at least one criterion before opening the call", "criteria"
        )
    made = _tag_specs(tags)
    _check_quotas(call, quotas, [t.slug for t in made])
    audited_save(call, actor=actor, reason="Call created")
    _sync_criteria(call, specs, actor)
    _sync_tags(call, made, actor)
    _sync_quotas(call, quotas, actor)
    call.assessors.set(list(assessors))
    return call


@transaction.atomic
def call_update(
    *,
    call: Call,
    data: Mapping[str, Any],
    criteria: Sequence[CriterionSpec] | None = None,
    quotas: Sequence[QuotaSpec] | None = None,
    tags: Sequence[CallTagSpec] | None = None,
    assessors: Iterable[Any] | None = None,
    actor: Any,
) -> Call:
    """Change a call's fields (those of ``data`` among ``CALL_FIELDS``) and, when given, replace
    its criteria, its own tags, its quotas and its panel of assessors, all or nothing.

    Once an assessor has submitted scores the criteria, their weights and the scoring scale are
    fixed (``programme.criteria_locked``): a new criterion would leave every submitted
    assessment incomplete, a removed one would drop scores already given, and a new weight or
    scale would re-rank applications under the assessors' feet. The quotas, places and budget
    stay open until the call is decided: only the selection reads them, and a run made before a
    change cannot be confirmed after it (``programme.run_stale``)."""
    _staff(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided: it cannot be changed")
    changes = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in CALL_FIELDS
    }
    merged = {name: changes.get(name, getattr(call, name)) for name in CALL_FIELDS}
    _check_call_fields(merged)
    begun = scoring_begun(call)
    for name in ("score_min", "score_max"):
        if begun and merged[name] != getattr(call, name):
            raise DomainError(
                E.CRITERIA_LOCKED,
                "Scoring has begun: the scoring scale cannot change (scores given would no "
                "longer fit it)",
                name,
            )
    specs = _criterion_specs(criteria) if criteria is not None else None
    if specs is not None:
        _check_criteria(call, specs)
        if begun and not _criteria_unchanged(call, specs):
            raise DomainError(
                E.CRITERIA_LOCKED,
                "Scoring has begun: the criteria and their weights cannot change (assessors "
                "have scored against them)",
                "criteria",
            )
        if not specs and call.status != CallStatus.DRAFT:
            raise DomainError(
                E.CRITERIA_NEEDED, "An open call needs at least one criterion", "criteria"
            )
    made = _tag_specs(tags) if tags is not None else None
    tag_slugs = (
        [t.slug for t in made]
        if made is not None
        else list(call.tags.values_list("slug", flat=True))
    )
    if quotas is not None:
        _check_quotas(call, quotas, tag_slugs)
    elif made is not None:  # a removed tag must not leave a quota counting it
        kept = set(tag_slugs)
        for q in call.quotas.all():
            if q.tag.startswith("call:") and q.tag.removeprefix("call:") not in kept:
                raise DomainError(
                    E.QUOTA_UNKNOWN_TAG, f"The quota on ‘{q.tag}’ counts a tag you removed", "tags"
                )
    model_update(call, fields=set(changes), data=changes, actor=actor, reason="Call changed",
                 clean=_clean)  # fmt: skip
    if specs is not None and not (begun and _criteria_unchanged(call, specs)):
        _sync_criteria(call, specs, actor)
    if made is not None:
        _sync_tags(call, made, actor)
    if quotas is not None:
        _sync_quotas(call, quotas, actor)
    if assessors is not None:  # an assessor taken off keeps what they submitted
        call.assessors.set(list(assessors))
    return call


#: How messages and history say a call's status and its moves.
CALL_STATE = {"draft": "a draft", "open": "open", "closed": "closed", "decided": "decided"}
CALL_MOVED = {"draft": "made a draft", "open": "opened", "closed": "closed", "decided": "decided"}


def call_move_check(call: Call, status: str) -> None:
    """Why ``call`` cannot move to ``status`` now (a ``DomainError``), or nothing: the rules of
    ``call_set_status``, asked by its confirmation page before anyone presses the button."""
    if status not in CallStatus.values:
        raise DomainError(E.STATUS_MOVE, f"Unknown status ‘{status}’", "status")
    if status not in CALL_MOVES[call.status]:
        allowed = " or ".join(CALL_MOVED[s] for s in CALL_MOVES[call.status])
        raise DomainError(
            E.STATUS_MOVE,
            f"The call is {CALL_STATE[call.status]}: it cannot be {CALL_MOVED[status]}"
            + (f"; it can only be {allowed}" if allowed else "; a decided call is final"),
            "status",
        )
    if status == CallStatus.OPEN and not call.criteria.exists():
        raise DomainError(
            E.CRITERIA_NEEDED, "Add at least one criterion before opening the call", "status"
        )
    if status == CallStatus.DECIDED:
        run = call.selection_runs.order_by("-number").first()
        if run is None:
            raise DomainError(
                E.NO_APPLICATIONS, "Run the selection before deciding the call", "status"
            )
        _check_confirmable(call, run)


@transaction.atomic
def call_set_status(*, call: Call, status: str, actor: Any) -> Call:
    """Move the call along ``CALL_MOVES`` (``call_move_check``). Opening needs criteria;
    deciding confirms the latest selection run (``selection_confirm``), which must be optimal
    and made on what the call is now."""
    _staff(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    call_move_check(call, status)
    if status == CallStatus.DECIDED:
        selection_confirm(run=call.selection_runs.order_by("-number").first(), actor=actor)
        call.refresh_from_db()
        return call
    model_update(call, fields={"status"}, data={"status": status}, actor=actor,
                 reason=f"Call {CALL_MOVED[status]}")  # fmt: skip
    return call


@transaction.atomic
def quota_set(*, call: Call, spec: QuotaSpec, actor: Any) -> Quota:
    """Add or change the quota on ``spec.tag`` (one of ``selectors.known_tags``)."""
    _staff(actor)
    if call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided: it cannot be changed")
    _check_quota(spec, known=known_tags(call))
    return _quota_save(call, spec, actor)


@transaction.atomic
def quota_remove(*, quota: Quota, actor: Any) -> None:
    _staff(actor)
    if quota.call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided: it cannot be changed")
    audited_delete(quota, actor=actor, reason="Quota removed")


def call_criteria_specs(call: Call) -> list[CriterionSpec]:
    """The call's criteria as specs (to change one and pass them all to ``call_update``)."""
    return [CriterionSpec(c.title, c.weight, c.guidance, c.pk) for c in call.criteria.all()]


def call_tag_specs(call: Call) -> list[CallTagSpec]:
    return [CallTagSpec(t.label, t.slug, t.applicants_choose) for t in call.tags.all()]


def call_quota_specs(call: Call) -> list[QuotaSpec]:
    return [QuotaSpec(q.tag, q.minimum, q.maximum, q.label) for q in call.quotas.all()]


# --- applications --------------------------------------------------------------------------


def _next_reference() -> str:
    last = Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    n = last + 1
    while Application.objects.filter(reference=f"APP-{n:04d}").exists():
        n += 1
    return f"APP-{n:04d}"


def _check_themes(themes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(themes))
    unknown = [t for t in chosen if t not in Theme.values]
    if unknown:
        raise DomainError("programme.invalid", f"Unknown theme: {unknown[0]}", "themes")
    return chosen


def _check_answers(call: Call, answers: Mapping[str, str]) -> dict[str, str]:
    ids = {str(pk) for pk in call.criteria.values_list("pk", flat=True)}
    clean = {}
    for key, text in answers.items():
        if str(key) not in ids:
            raise DomainError(
                "programme.invalid", "An answer names a criterion of another call", "answers"
            )
        if "\x00" in text:
            raise DomainError(
                "programme.invalid", "Answers cannot contain null characters", "answers"
            )
        clean[str(key)] = text
    return clean


def _check_call_tags(call: Call, slugs: Iterable[str], *, by_staff: bool) -> list[str]:
    """The call's own tags an application is to carry: each one of the call's, and (unless
    staff attach them) one applicants may choose."""
    chosen = list(dict.fromkeys(slugs))
    tags = {t.slug: t for t in call.tags.all()}
    for slug in chosen:
        tag = tags.get(slug)
        if tag is None:
            raise DomainError(
                E.UNKNOWN_TAG, f"‘{slug}’ is not one of this call's tags", "call_tags"
            )
        if not by_staff and not tag.applicants_choose:
            raise DomainError(
                E.UNKNOWN_TAG, f"Only taskforce staff attach the tag ‘{tag.label}’", "call_tags"
            )
    return chosen


@transaction.atomic
def application_create(
    *,
    call: Call,
    partnership: Partnership,
    title: str,
    requested_amount: Decimal,
    themes: Iterable[str] = (),
    answers: Mapping[str, str] | None = None,
    call_tags: Iterable[str] = (),
    is_demo: bool = False,
    actor: Any,
) -> Application:
    if call.status != CallStatus.OPEN and not (
        is_demo and actor is not None and is_taskforce_staff(actor)
    ):
        raise DomainError(E.CALL_NOT_OPEN, "This call is not open for applications", "call")
    if actor is not None and not partnerships_editable_by(actor).filter(pk=partnership.pk).exists():
        raise DomainError(
            E.NOT_YOUR_PARTNERSHIP,
            "You can only apply for a partnership you can change",
            "partnership",
        )
    if Application.objects.filter(call=call, partnership=partnership).exists():
        raise DomainError(
            E.ALREADY_APPLIED, "This partnership has already applied to this call", "partnership"
        )
    app = Application(
        call=call, partnership=partnership, reference=_next_reference(), title=title,
        themes=_check_themes(themes), answers=_check_answers(call, answers or {}),
        call_tags=_check_call_tags(call, call_tags, by_staff=False),
        requested_amount=requested_amount, is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    _clean(app)
    audited_save(app, actor=actor, reason="Application started")
    return app


@transaction.atomic
def application_update(
    *, application: Application, data: Mapping[str, Any], actor: Any
) -> Application:
    """Change a draft: its title, themes, answers, amount and the call's tags applicants may
    choose (a tag staff attached stays)."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(E.NOT_DRAFT, "Only a draft application can be changed")
    data = dict(data)
    if "title" in data and not str(data["title"] or "").strip():
        raise DomainError("programme.invalid", "Enter the project title", "title")
    if "themes" in data:
        data["themes"] = _check_themes(data["themes"])
    if "answers" in data:
        data["answers"] = {
            **application.answers,
            **_check_answers(application.call, data["answers"]),
        }
    if "call_tags" in data:
        chosen = _check_call_tags(application.call, data["call_tags"], by_staff=False)
        staff_only = set(
            application.call.tags.filter(applicants_choose=False).values_list("slug", flat=True)
        )
        data["call_tags"] = [t for t in application.call_tags if t in staff_only] + [
            t for t in chosen if t not in staff_only
        ]
    model_update(
        application, fields={"title", "themes", "answers", "requested_amount", "call_tags"},
        data=data, actor=actor, reason="Application changed", clean=_clean,
    )  # fmt: skip
    return application


@transaction.atomic
def application_tags_set(
    *, application: Application, call_tags: Iterable[str], actor: Any
) -> Application:
    """Staff attach the call's own tags to a submitted application (any of the call's tags),
    until the call is decided."""
    _staff(actor)
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    if application.call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided")
    if application.status not in ASSESSABLE:
        raise DomainError(
            E.NOT_ASSESSABLE,
            "Staff tag submitted applications; a draft's own tags are its applicants'",
            "call_tags",
        )
    chosen = _check_call_tags(application.call, call_tags, by_staff=True)
    model_update(application, fields={"call_tags"}, data={"call_tags": chosen}, actor=actor,
                 reason="Tags attached", clean=False)  # fmt: skip
    return application


@transaction.atomic
def application_submit(*, application: Application, actor: Any) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(E.NOT_DRAFT, "This application has been submitted already")
    if application.call.status != CallStatus.OPEN and not application.is_demo:
        raise DomainError(E.CALL_NOT_OPEN, "The call has closed")
    model_update(
        application, fields={"status", "submitted_at"},
        data={"status": ApplicationStatus.SUBMITTED, "submitted_at": timezone.now()},
        actor=actor, reason="Application submitted",
    )  # fmt: skip
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: Any) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status in (
        ApplicationStatus.SELECTED,
        ApplicationStatus.NOT_SELECTED,
        ApplicationStatus.WITHDRAWN,
    ):
        raise DomainError(
            E.ALREADY_DECIDED, "This application has been decided or withdrawn already"
        )
    model_update(
        application, fields={"status"}, data={"status": ApplicationStatus.WITHDRAWN},
        actor=actor, reason="Application withdrawn",
    )  # fmt: skip
    return application


# --- assessment and moderation -------------------------------------------------------------


def _check_score(call: Call, value: Any, field: str) -> int:
    problem = score_problem(value, call.score_min, call.score_max)  # shared with funding
    if problem:
        raise DomainError(E.SCORE_OUTSIDE_SCALE, problem, field)
    return int(value)


@transaction.atomic
def assessment_submit(
    *,
    application: Application,
    scores: Mapping[int, tuple[int, str]],
    assessor: Any,
    actor: Any,
) -> Assessment:
    """One assessor's scores (criterion id -> (score, comment)) of every criterion, submitted."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    call = application.call
    if application.status not in ASSESSABLE:
        raise DomainError(E.NOT_ASSESSABLE, "Only a submitted application can be assessed")
    if not call.assessors.filter(pk=assessor.pk).exists():
        raise DomainError(E.NOT_ON_PANEL, "You are not on this call's panel")
    if is_conflicted(assessor, application):
        raise DomainError(
            E.CONFLICT_OF_INTEREST,
            "You cannot assess an application from a partnership your organisation belongs to",
        )
    criteria = list(call.criteria.all())
    missing = [c for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError(E.SCORES_MISSING, f"Score ‘{missing[0].title}’", f"score_{missing[0].pk}")
    checked = {c.pk: _check_score(call, scores[c.pk][0], f"score_{c.pk}") for c in criteria}
    assessment = Assessment.objects.filter(application=application, assessor=assessor).first()
    if assessment and assessment.submitted_at:
        raise DomainError(E.ALREADY_SUBMITTED, "You have submitted your assessment already")
    if assessment is None:
        assessment = Assessment(application=application, assessor=assessor)
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
            application, fields={"status"}, data={"status": ApplicationStatus.UNDER_ASSESSMENT},
            actor=actor, reason="Assessment began",
        )  # fmt: skip
    return assessment


@transaction.atomic
def moderation_record(
    *, application: Application, criterion: Criterion, score: int, note: str = "", actor: Any
) -> ModeratedScore:
    """The panel's agreed score for one criterion (staff)."""
    _staff(actor)
    application = Application.objects.select_related("call").get(pk=application.pk)
    if criterion.call_id != application.call_id:
        raise DomainError(
            "programme.invalid", "That criterion belongs to another call", "criterion"
        )
    if application.status not in ASSESSABLE:
        raise DomainError(E.NOT_ASSESSABLE, "Only an application under assessment can be moderated")
    value = _check_score(application.call, score, f"score_{criterion.pk}")
    row = ModeratedScore.objects.filter(
        application=application, criterion=criterion
    ).first() or ModeratedScore(application=application, criterion=criterion)
    row.score, row.note = value, note
    row.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    audited_save(row, actor=actor, reason="Moderated score agreed")
    return row


# --- selection -----------------------------------------------------------------------------


def selection_input(
    call: Call, *, pinned: Iterable[str] = (), excluded: Iterable[str] = (), actor: Any = None
) -> dict[str, Any]:
    """The optimiser's input (the CLI's JSON) for the call's scored applications."""
    rows = [
        r for r in call_applications_all(call)
        if r.application.status in ASSESSABLE and r.score is not None
    ]  # fmt: skip
    known = {r.application.reference for r in rows}
    for ident in [*pinned, *excluded]:
        if ident not in known:
            raise DomainError(
                E.UNKNOWN_APPLICATION, f"{ident} is not a scored application of this call", "pinned"
            )
    data: dict[str, Any] = {
        "select": call.places,
        "applications": [
            {
                "id": r.application.reference,
                "score": r.score,
                "cost": float(r.application.requested_amount),
                "tags": application_tags(r.application),
            }
            for r in rows
        ],
        "quotas": [
            {
                k: v
                for k, v in (("tag", q.tag), ("min", q.minimum), ("max", q.maximum))
                if v is not None
            }
            for q in Quota.objects.filter(call=call).order_by("pk")
        ],
        "pinned": sorted(set(pinned)),
        "excluded": sorted(set(excluded)),
    }
    if call.budget is not None:
        data["budget"] = float(call.budget)
    return data


@transaction.atomic
def selection_run(
    *,
    call: Call,
    pinned: Iterable[str] = (),
    excluded: Iterable[str] = (),
    actor: Any,
    is_demo: bool = False,
) -> SelectionRun:
    """Run the optimiser on the call's scored applications and store input and output."""
    _staff(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided")
    pinned, excluded = set(pinned), set(excluded)
    both = sorted(pinned & excluded)
    if both:
        raise DomainError(
            "programme.invalid", f"{both[0]} cannot be both pinned and excluded", "pinned"
        )
    data = selection_input(call, pinned=pinned, excluded=excluded, actor=actor)
    if not data["applications"]:
        raise DomainError(E.NO_APPLICATIONS, "No application has a complete score yet")
    try:
        result = selection.solve(selection.parse_problem(data)).as_json()
    except selection.InputError as exc:
        raise DomainError("programme.invalid", str(exc)) from None
    number = (
        call.selection_runs.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    run = SelectionRun(
        call=call, number=number, inputs=data, result=result, status=str(result["status"]),
        run_by=actor if getattr(actor, "is_authenticated", False) else None, is_demo=is_demo,
    )  # fmt: skip
    audited_save(run, actor=actor, reason="Selection run")
    return run


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


def _check_confirmable(call: Call, run: SelectionRun) -> None:
    """A run decides the call only when the call is undecided, the run is its latest, found a
    portfolio that meets every quota, and was made on what the call is now: the same places,
    budget and quotas, and the same applications with the same scores and tags."""
    if call.status == CallStatus.DECIDED:
        raise DomainError(E.ALREADY_DECIDED, "This call has been decided")
    if run.status != "optimal":
        raise DomainError(E.RUN_NOT_OPTIMAL, "This run found no portfolio that meets every quota")
    latest = call.selection_runs.order_by("-number").values_list("pk", flat=True).first()
    if latest != run.pk:
        raise DomainError(E.RUN_NOT_LATEST, "A later run exists: confirm the latest one")
    then = _as_json(run.inputs)
    try:
        now = _as_json(selection_input(
            call, pinned=run.inputs.get("pinned", []), excluded=run.inputs.get("excluded", [])
        ))  # fmt: skip
    except DomainError:  # a pinned or excluded application is no longer scored
        now = {**then, "applications": None}
    if any(then.get(k) != now.get(k) for k in ("select", "budget", "quotas")):
        what = "the places, the budget or the quotas"
    elif then != now:
        what = "the applications, their scores or their tags"
    else:
        return
    raise DomainError(
        E.RUN_STALE,
        f"{what.capitalize()} changed after selection run {run.number}: run the selection again "
        "and confirm the new run",
    )


@transaction.atomic
def selection_confirm(*, run: SelectionRun, actor: Any) -> list[Application]:
    """Decide the call by this run: selected / not selected, and the chosen become pathfinders."""
    _staff(actor)
    call = Call.objects.select_for_update().get(pk=run.call_id)
    _check_confirmable(call, run)
    chosen = set(run.result["selected"])
    considered = {a["id"] for a in run.inputs["applications"]}
    selected = []
    apps = Application.objects.filter(call=call, reference__in=considered).select_related(
        "partnership"
    )
    for app in apps:
        status = (
            ApplicationStatus.SELECTED
            if app.reference in chosen
            else ApplicationStatus.NOT_SELECTED
        )
        model_update(
            app,
            fields={"status"},
            data={"status": status},
            actor=actor,
            reason=f"Selection run {run.number} confirmed",
        )
        if status == ApplicationStatus.SELECTED and not app.partnership.is_pathfinder:
            theme = Theme(app.themes[0]).label if app.themes else call.title
            partnership_update(
                partnership=app.partnership,
                data={"is_pathfinder": True, "pathfinder_theme": theme[:100]},
                actor=actor,
                reason=f"Selected as a pathfinder ({call.title})",
            )
        if status == ApplicationStatus.SELECTED:
            selected.append(app)
    run.confirmed_at = timezone.now()
    audited_save(run, actor=actor, reason="Selection confirmed")
    model_update(
        call,
        fields={"status"},
        data={"status": CallStatus.DECIDED},
        actor=actor,
        reason="Call decided",
    )
    return selected


# --- advisers and matching -----------------------------------------------------------------


def _check_profile(disciplines: Iterable[str], capacity: int) -> list[str]:
    chosen = list(dict.fromkeys(disciplines))
    unknown = [d for d in chosen if d not in Discipline.values]
    if unknown:
        raise DomainError("programme.invalid", f"Unknown discipline: {unknown[0]}", "disciplines")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 <= capacity <= 50:
        raise DomainError(
            "programme.invalid", "Capacity must be a whole number from 0 to 50", "capacity"
        )
    return chosen


def _check_capacity(user: Any, capacity: int) -> None:
    """Capacity never falls below the partnerships the adviser advises now."""
    advising = Partnership.objects.filter(advisers=user).count()
    if capacity < advising:
        name = user.get_full_name() or user.username
        raise DomainError(
            E.OVER_CAPACITY,
            f"{name} advises {advising} partnership{'' if advising == 1 else 's'} now: capacity "
            f"must be {advising} or more, or ask taskforce staff to move a partnership to another "
            "adviser first",
            "capacity",
        )


@transaction.atomic
def adviser_profile_set(
    *,
    user: Any,
    disciplines: Iterable[str],
    capacity: int,
    sectors: Iterable[str] = (),
    regions: Iterable[str] = (),
    is_demo: bool = False,
    actor: Any,
) -> AdviserProfile:
    _staff(actor)
    chosen = _check_profile(disciplines, capacity)
    _check_capacity(user, capacity)
    profile = AdviserProfile.objects.filter(user=user).first() or AdviserProfile(user=user)
    profile.disciplines, profile.capacity = chosen, capacity
    profile.sectors, profile.regions, profile.is_demo = list(sectors), list(regions), is_demo
    _clean(profile)
    audited_save(profile, actor=actor, reason="Adviser profile set")
    return profile


@dataclass(frozen=True)
class InterestSpec:
    organisation: Any
    description: str


@transaction.atomic
def adviser_profile_update(
    *, user: Any, disciplines: Iterable[str], sectors: Iterable[str], regions: Iterable[str],
    capacity: int, add_interests: Sequence[InterestSpec] = (),
    remove_interests: Iterable[int] = (), actor: Any,
) -> AdviserProfile:  # fmt: skip
    """Change an adviser's disciplines, sectors, regions, capacity and declared interests (staff,
    or the adviser themself). Each change is one history row with its actor and reason; saving
    with nothing changed writes none. The profile row is locked while the capacity is checked
    against the partnerships the adviser advises now, which it may not fall below."""
    if actor is not None and not (is_taskforce_staff(actor) or actor.pk == user.pk):
        raise DomainError(
            E.NOT_YOUR_PROFILE, "Only taskforce staff and the adviser change an adviser's profile"
        )
    if user.role != Role.ADVISER and not AdviserProfile.objects.filter(user=user).exists():
        raise DomainError(E.NOT_AN_ADVISER, f"{user.username} is not an adviser")
    chosen = _check_profile(disciplines, capacity)
    kinds = list(dict.fromkeys(sectors))
    unknown = [k for k in kinds if k not in PartnershipKind.values]
    if unknown:
        raise DomainError("programme.invalid", f"Unknown sector: {unknown[0]}", "sectors")
    places = list(dict.fromkeys(r.strip() for r in regions if r.strip()))
    if len(places) > 20 or any(len(r) > 64 for r in places):
        raise DomainError(
            "programme.invalid", "Choose up to 20 regions of 64 characters or fewer", "regions"
        )
    profile = AdviserProfile.objects.select_for_update().filter(user=user).first()
    _check_capacity(user, capacity)
    data = {"disciplines": chosen, "sectors": kinds, "regions": places, "capacity": capacity}
    if profile is None:
        profile = AdviserProfile(user=user, **data)
        _clean(profile)
        audited_save(profile, actor=actor, reason="Adviser profile set")
    else:
        model_update(profile, fields=set(data), data=data, actor=actor,
                     reason="Adviser profile changed", clean=_clean)  # fmt: skip
    for interest in profile.interests.filter(pk__in=list(remove_interests)):
        audited_delete(interest, actor=actor, reason="Interest withdrawn")
    for spec in add_interests:
        interest_declare(profile=profile, organisation=spec.organisation,
                         description=spec.description, actor=actor)  # fmt: skip
    return profile


@transaction.atomic
def interest_declare(
    *, profile: AdviserProfile, organisation: Any, description: str, actor: Any
) -> DeclaredInterest:
    if not description.strip():
        raise DomainError("programme.invalid", "Describe the interest", "description")
    interest = DeclaredInterest(profile=profile, organisation=organisation, description=description)
    _clean(interest)
    audited_save(interest, actor=actor, reason="Interest declared")
    return interest


#: Suitability of an adviser for a pathfinder, each part in [0, 1] (documented in
#: docs/programme.md): the share of its required disciplines they hold, their regions, the
#: kinds of partnership they know, and their past work with similar partnerships.
SUITABILITY_WEIGHTS = {"disciplines": 0.35, "region": 0.2, "sector": 0.2, "past_work": 0.25}


def _earlier_work(usernames: Iterable[str]) -> dict[str, list[int]]:
    """The partnerships each adviser has worked with: advised, mentored, or been assigned to
    (three queries)."""
    names = set(usernames)
    pairs: set[tuple[str, int]] = set()
    pairs.update(Advice.objects.filter(adviser__username__in=names)
                 .values_list("adviser__username", "partnership_id"))  # fmt: skip
    pairs.update(MentoringSession.objects.filter(adviser__username__in=names)
                 .values_list("adviser__username", "partnership_id"))  # fmt: skip
    pairs.update(Partnership.advisers.through.objects.filter(user__username__in=names)
                 .values_list("user__username", "partnership_id"))  # fmt: skip
    earlier: dict[str, list[int]] = {}
    for name, pk in sorted(pairs):
        earlier.setdefault(name, []).append(pk)
    return earlier


def match_input() -> dict[str, Any]:
    """The matching optimiser's input: every pathfinder with the mentors and disciplines it
    needs (``pathfinder_needs``), every adviser with a profile, their conflicts of interest and
    the suitability of each pair (``SUITABILITY_WEIGHTS``; the past-work part scores the
    adviser's earlier partnerships against the pathfinder with ``maths.similarity``)."""
    from .maths.similarity import past_work

    today = timezone.localdate()
    profiles = list(AdviserProfile.objects.select_related("user").prefetch_related("interests"))
    ships = list(
        Partnership.objects.filter(is_pathfinder=True)
        .select_related("mentoring_needs")
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.current_on(today)))
        .prefetch_related("applications")
        .order_by("slug")
    )
    earlier = _earlier_work(prof.user.username for prof in profiles)
    described = similarity_profiles_of(
        {p.pk for p in ships} | {pk for pks in earlier.values() for pk in pks}
    )
    work = past_work(
        [described[p.pk] for p in ships],
        {name: [described[pk].id for pk in pks] for name, pks in earlier.items()},
        {d.id: d for d in described.values()},
    )
    w = SUITABILITY_WEIGHTS
    partnerships: list[dict[str, Any]] = []
    suitability: list[dict[str, Any]] = []
    conflicts: list[dict[str, str]] = []
    advisers = [
        {"id": prof.user.username, "capacity": prof.capacity, "disciplines": prof.disciplines}
        for prof in profiles
    ]
    for p in ships:
        mentors, needs = pathfinder_needs(
            p, [t for app in p.applications.all() for t in app.themes]
        )
        partnerships.append({"id": p.slug, "requires": needs, "mentors": mentors})
        members = {m.organisation_id for m in p.memberships.all()}
        for prof in profiles:
            name = prof.user.username
            if any(i.organisation_id in members for i in prof.interests.all()):
                conflicts.append({"adviser": name, "partnership": p.slug})
                continue
            held = len(set(needs) & set(prof.disciplines)) / len(needs) if needs else 1.0
            score = w["disciplines"] * held
            score += w["region"] if p.region and p.region in prof.regions else 0.0
            score += w["sector"] if p.kind and p.kind in prof.sectors else 0.0
            score += w["past_work"] * work.get((name, p.slug), 0.0)
            if score > 0:
                suitability.append(
                    {"adviser": name, "partnership": p.slug, "score": round(score, 3)}
                )
    return {
        "advisers": advisers,
        "partnerships": partnerships,
        "suitability": suitability,
        "conflicts": conflicts,
    }


@transaction.atomic
def match_run(*, actor: Any) -> MatchRun:
    _staff(actor)
    data = match_input()
    if not data["advisers"] or not data["partnerships"]:
        raise DomainError(
            E.NO_APPLICATIONS, "There are no pathfinders or no advisers with a profile"
        )
    result = matching.solve(matching.parse_problem(data)).as_json()
    number = (
        MatchRun.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    run = MatchRun(
        number=number, inputs=data, result=result, status=str(result["status"]),
        run_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    audited_save(run, actor=actor, reason="Matching run")
    return run


@transaction.atomic
def match_confirm(*, run: MatchRun, actor: Any) -> int:
    """Set each pathfinder's advisers from this run (the partnerships room's own service)."""
    _staff(actor)
    if run.status != "optimal":
        raise DomainError(E.RUN_NOT_OPTIMAL, "This run could not serve every pathfinder")
    if MatchRun.objects.order_by("-number").values_list("pk", flat=True).first() != run.pk:
        raise DomainError(E.RUN_NOT_LATEST, "A later run exists: confirm the latest one")
    by_partnership: dict[str, list[str]] = {}
    for a in run.result["assignments"]:
        by_partnership.setdefault(a["partnership"], []).append(a["adviser"])
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a["adviser"] for a in run.result["assignments"]])
    }
    for p in Partnership.objects.filter(slug__in=by_partnership):
        _advisers_set(p, [users[name] for name in by_partnership[p.slug]], actor=actor,
                      reason=f"Mentors from matching run {run.number}")  # fmt: skip
    run.confirmed_at = timezone.now()
    audited_save(run, actor=actor, reason="Matching confirmed")
    return len(by_partnership)


# --- assigning an adviser by hand, and what a pathfinder needs --------------------------------


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _advisers_set(
    partnership: Partnership, advisers: list[Any], *, actor: Any, reason: str
) -> Partnership:
    """Set who advises a partnership (the partnerships room's service) and record each adviser
    assigned or no longer assigned, with who did it and why."""
    before = {u.pk: u for u in partnership.advisers.all()}
    after = {u.pk: u for u in advisers}
    by = actor if getattr(actor, "is_authenticated", False) else None
    changes = [(u, AssignmentChange.ASSIGNED) for pk, u in after.items() if pk not in before]
    changes += [(u, AssignmentChange.REMOVED) for pk, u in before.items() if pk not in after]
    updated = partnership_update(partnership=partnership, data={"advisers": advisers},
                                 actor=actor, reason=reason)  # fmt: skip
    for user, change in changes:
        row = AdviserAssignment(partnership=partnership, adviser=user, change=change,
                                reason=reason[:200], changed_by=by)  # fmt: skip
        audited_save(row, actor=actor, reason=reason[:200])
    return updated


@transaction.atomic
def adviser_assign(*, partnership: Partnership, adviser: Any, actor: Any) -> Partnership:
    """Assign one more adviser to a partnership (staff), as the matching would: never an
    adviser without a profile, already assigned, at their capacity, or with a declared interest
    in one of its current members. The adviser's profile row is locked while their load is
    counted, so two assignments at once cannot both take their last place."""
    _staff(actor)
    profile = (
        AdviserProfile.objects.select_for_update().prefetch_related("interests__organisation")
        .filter(user=adviser).first()
    )  # fmt: skip
    if profile is None:
        raise DomainError(
            E.NOT_AN_ADVISER, f"{_name(adviser)} has no adviser profile: add one first", "adviser"
        )
    current = list(partnership.advisers.all())
    if adviser in current:
        raise DomainError(
            E.ADVISER_ASSIGNED, f"{_name(adviser)} already advises {partnership.name}", "adviser"
        )
    members = set(
        Membership.objects.current_on(timezone.localdate())
        .filter(partnership=partnership).values_list("organisation_id", flat=True)
    )  # fmt: skip
    clash = next((i for i in profile.interests.all() if i.organisation_id in members), None)
    if clash is not None:
        raise DomainError(
            E.ADVISER_CONFLICTED,
            f"{_name(adviser)} has declared an interest in {clash.organisation.name}, a member "
            f"of this partnership ({clash.description}): choose another adviser",
            "adviser",
        )
    advising = Partnership.objects.filter(advisers=adviser).count()
    if advising >= profile.capacity:
        raise DomainError(
            E.OVER_CAPACITY,
            f"{_name(adviser)} advises {advising} partnership{'' if advising == 1 else 's'}, "
            f"their capacity: choose another adviser, or raise their capacity first",
            "adviser",
        )
    return _advisers_set(partnership, [*current, adviser], actor=actor,
                         reason=f"Assigned by hand ({_name(adviser)})")  # fmt: skip


@transaction.atomic
def adviser_unassign(*, partnership: Partnership, adviser: Any, actor: Any) -> Partnership:
    """Stop an adviser advising a partnership (staff)."""
    _staff(actor)
    current = list(partnership.advisers.all())
    if adviser not in current:
        raise DomainError(
            E.ADVISER_NOT_ASSIGNED, f"{_name(adviser)} does not advise {partnership.name}",
            "adviser",
        )  # fmt: skip
    return _advisers_set(partnership, [u for u in current if u != adviser], actor=actor,
                         reason=f"Removed by hand ({_name(adviser)})")  # fmt: skip


@transaction.atomic
def mentoring_needs_set(
    *, partnership: Partnership, mentors: int, disciplines: Iterable[str], actor: Any
) -> MentoringNeeds:
    """How many mentors a pathfinder needs and which disciplines each must hold (staff); the
    next matching run uses them. Refused on a closed partnership (read-only)."""
    _staff(actor)
    if not partnership_is_open(partnership):
        raise DomainError(E.PARTNERSHIP_CLOSED, "This partnership is closed")
    if isinstance(mentors, bool) or not isinstance(mentors, int) or not 1 <= mentors <= MAX_MENTORS:
        raise DomainError(
            E.MENTORS_RANGE, f"The number of mentors must be from 1 to {MAX_MENTORS}", "mentors"
        )
    chosen = sorted(set(disciplines))
    unknown = [d for d in chosen if d not in Discipline.values]
    if unknown:
        raise DomainError("programme.invalid", f"Unknown discipline: {unknown[0]}", "disciplines")
    needs = MentoringNeeds.objects.select_for_update().filter(partnership=partnership).first()
    data = {"mentors": mentors, "disciplines": chosen}
    if needs is None:
        needs = MentoringNeeds(partnership=partnership, **data)
        _clean(needs)
        audited_save(needs, actor=actor, reason="Mentoring needs set")
    else:
        model_update(needs, fields=set(data), data=data, actor=actor,
                     reason="Mentoring needs changed", clean=_clean)  # fmt: skip
    return needs


# --- mentoring and the advice log ----------------------------------------------------------


def _can_advise(actor: Any, partnership: Partnership) -> None:
    if actor is None or is_taskforce_staff(actor):
        return
    if not partnership.advisers.filter(pk=actor.pk).exists():
        raise DomainError(E.NOT_ASSIGNED, "Only the partnership's advisers and staff record advice")


@dataclass(frozen=True)
class ActionSpec:
    description: str
    owner: Any
    due_on: date | None


def _check_actions(actions: Sequence[ActionSpec]) -> None:
    """Every follow-up action needs a description, an owner and a due date."""
    for spec in actions:
        if not spec.description.strip():
            raise DomainError("programme.invalid", "Describe the action", "description")
        if spec.owner is None:
            raise DomainError(E.ACTION_OWNER, f"Choose who owns ‘{spec.description}’", "owner")
        if spec.due_on is None:
            raise DomainError(E.ACTION_OWNER, f"Enter when ‘{spec.description}’ is due", "due_on")


def _actions_create(
    actions: Sequence[ActionSpec], *, partnership: Partnership, advice: Advice | None = None,
    session: MentoringSession | None = None, is_demo: bool, actor: Any,
) -> None:  # fmt: skip
    for spec in actions:
        action = Action(
            partnership=partnership, advice=advice, session=session,
            description=spec.description.strip(), owner=spec.owner, due_on=spec.due_on,
            is_demo=is_demo,
        )  # fmt: skip
        _clean(action)
        audited_save(action, actor=actor, reason="Action agreed")


@transaction.atomic
def session_record(
    *, partnership: Partnership, adviser: Any, held_on: date, attendees: str = "", notes: str = "",
    actions: Sequence[ActionSpec] = (), is_demo: bool = False, actor: Any,
) -> MentoringSession:  # fmt: skip
    """A mentoring session held, with its follow-up actions (each needs an owner and a due
    date; their owners are reminded as advice's are)."""
    _can_advise(actor, partnership)
    if held_on > timezone.localdate():
        raise DomainError(
            "programme.invalid", "The date of the session must be today or in the past", "held_on"
        )
    _check_actions(actions)
    session = MentoringSession(
        partnership=partnership,
        adviser=adviser,
        held_on=held_on,
        attendees=attendees,
        notes=notes,
        is_demo=is_demo,
    )
    _clean(session)
    audited_save(session, actor=actor, reason="Mentoring session recorded")
    _actions_create(actions, partnership=partnership, session=session, is_demo=is_demo,
                    actor=actor)  # fmt: skip
    return session


@transaction.atomic
def advice_record(
    *,
    partnership: Partnership,
    adviser: Any,
    advice_type: str,
    given_on: date,
    summary: str,
    attachment_titles: Sequence[str] = (),
    actions: Sequence[ActionSpec] = (),
    is_demo: bool = False,
    actor: Any,
) -> Advice:
    """Advice given, with its follow-up actions (each needs an owner and a due date)."""
    _can_advise(actor, partnership)
    _check_actions(actions)
    advice = Advice(
        partnership=partnership, adviser=adviser, advice_type=advice_type, given_on=given_on,
        summary=summary, attachment_titles=[t for t in attachment_titles if t.strip()], is_demo=is_demo,
    )  # fmt: skip
    _clean(advice)
    audited_save(advice, actor=actor, reason="Advice recorded")
    _actions_create(actions, partnership=partnership, advice=advice, is_demo=is_demo, actor=actor)
    return advice


@transaction.atomic
def action_complete(*, action: Action, completed_on: date | None = None, actor: Any) -> Action:
    """Mark a follow-up action done, on ``completed_on`` (default today), by ``actor``: recorded
    on the action (who and when) and in its history. Not in the future, nor before the advice
    or session it came from; an action done already is refused (so a retry changes nothing)."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("advice", "session")
        .get(pk=action.pk)
    )
    if action.status == ActionStatus.DONE:
        raise DomainError(E.ACTION_DONE, "This action is marked as done already")
    day = completed_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError(
            E.ACTION_DONE_DATE, "The date it was done must be today or in the past", "completed_on"
        )
    agreed = action.advice.given_on if action.advice is not None else action.session.held_on
    if day < agreed:
        raise DomainError(
            E.ACTION_DONE_DATE,
            f"The date it was done must be on or after the action was agreed ({govuk_date(agreed)})",
            "completed_on",
        )
    model_update(
        action, fields={"status", "completed_on", "completed_by"},
        data={"status": ActionStatus.DONE, "completed_on": day,
              "completed_by": actor if getattr(actor, "is_authenticated", False) else None},
        actor=actor, reason="Action marked as done",
    )  # fmt: skip
    return action


def reminders_send(
    *, today: date | None = None, demo_only: bool = False, connection: Any = None
) -> int:
    """Email each owner of an open action that has fallen due, once (recorded on the action,
    and sent through ``email_send_once``: claimed first, no lock held while sending); safe to
    re-run, and the next run sends what a failed send left (the failure is raised).
    ``demo_only`` (the demo loader) touches the demo's actions only; ``connection`` is the mail
    connection to send through (Django's default backend when None)."""
    today = today or timezone.localdate()
    sent = 0
    due = Action.objects.filter(
        status=ActionStatus.OPEN, due_on__lte=today, reminder_sent_at__isnull=True
    )
    if demo_only:
        due = due.filter(is_demo=True)
    for action in list(due.select_related("owner", "partnership")):

        def mark_sent(pk: int = action.pk) -> None:
            locked = Action.objects.select_for_update().get(pk=pk)
            locked.reminder_sent_at = timezone.now()
            audited_save(locked, actor=None, reason="Reminder sent")

        email = Email(
            subject=f"Action due: {action.description[:80]}",
            body=(
                f"The action ‘{action.description}’ for {action.partnership.name} "
                f"was due on {govuk_date(action.due_on)}."
            ),
            to=[action.owner.email],
        )
        outcome = email_send_once(
            key=f"programme.reminder:{action.pk}", email=email, on_sent=mark_sent,
            connection=connection,
        )  # fmt: skip
        sent += outcome == Sent.SENT
    return sent


def digests_send(
    *, today: date | None = None, demo_only: bool = False, connection: Any = None
) -> int:
    """A weekly digest to every adviser of their partnerships' open actions (once a week:
    ``DigestSent``, sent through ``email_send_once``); ``demo_only`` and ``connection`` as for
    ``reminders_send``."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    label = f"{year}-W{week:02d}"
    sent = 0
    profiles = AdviserProfile.objects.select_related("user")
    if demo_only:
        profiles = profiles.filter(is_demo=True)
    for profile in profiles:
        user = profile.user
        if DigestSent.objects.filter(adviser=user, week=label).exists():
            continue
        actions = list(
            Action.objects.filter(status=ActionStatus.OPEN, partnership__advisers=user)
            .select_related("partnership")
            .order_by("due_on")
        )
        lines = [
            f"- {a.partnership.name}: {a.description} (due {govuk_date(a.due_on)}"
            f"{', overdue' if a.due_on < today else ''})"
            for a in actions
        ]

        def mark_sent(user: Any = user, count: int = len(actions)) -> None:
            audited_save(
                DigestSent(adviser=user, week=label, actions=count),
                actor=None,
                reason="Digest sent",
            )

        email = Email(
            subject=f"Your partnerships' open actions, week {label}",
            body="\n".join(lines) or "No open actions this week.",
            to=[user.email],
        )
        outcome = email_send_once(
            key=f"programme.digest:{user.pk}:{label}", email=email, on_sent=mark_sent,
            connection=connection,
        )  # fmt: skip
        sent += outcome == Sent.SENT
    return sent


# --- training and development modules ------------------------------------------------------


#: Slugs the room's addresses use for pages of their own (``modules/new/``, ``events/new/``).
RESERVED_SLUGS = frozenset({"new", "progress"})


def _unique_slug(model: Any, title: str) -> str:
    base = slugify(title)[:100] or "item"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_choice(value: str, choices: Any, field: str, what: str) -> str:
    if value not in choices.values:
        raise DomainError("programme.invalid", f"Choose {what} from the list", field)
    return value


def _check_module(
    audience: str, format: str, duration_hours: Decimal, learning_outcomes: Sequence[str]
) -> list[str]:
    _check_choice(audience, Audience, "audience", "who the module is for")
    _check_choice(format, ModuleFormat, "format", "the module's format")
    if not Decimal("0.5") <= Decimal(duration_hours) <= Decimal("1000"):
        raise DomainError(
            "programme.invalid", "Duration must be between 0.5 and 1,000 hours", "duration_hours"
        )
    outcomes = [o.strip() for o in learning_outcomes if o and o.strip()]
    if not outcomes:
        raise DomainError(
            "programme.invalid", "Enter at least one learning outcome", "learning_outcomes"
        )
    return outcomes


@transaction.atomic
def module_create(
    *, title: str, summary: str, learning_outcomes: Sequence[str], audience: str,
    duration_hours: Decimal, format: str, is_published: bool = False, is_demo: bool = False,
    actor: Any,
) -> TrainingModule:  # fmt: skip
    """A training module (staff). Published modules are public and reused by the library."""
    _staff(actor)
    outcomes = _check_module(audience, format, duration_hours, learning_outcomes)
    module = TrainingModule(
        title=title.strip(), slug=_unique_slug(TrainingModule, title), summary=summary,
        learning_outcomes=outcomes, audience=audience, duration_hours=duration_hours,
        format=format, is_published=is_published, is_demo=is_demo,
    )  # fmt: skip
    _clean(module)
    audited_save(module, actor=actor, reason="Module created")
    return module


@transaction.atomic
def module_update(
    *, module: TrainingModule, title: str, summary: str, learning_outcomes: Sequence[str],
    audience: str, duration_hours: Decimal, format: str, is_published: bool, actor: Any,
) -> TrainingModule:  # fmt: skip
    """Change a module (staff); its slug, and so its address, stays the same."""
    _staff(actor)
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    outcomes = _check_module(audience, format, duration_hours, learning_outcomes)
    data = {
        "title": title.strip(), "summary": summary, "learning_outcomes": outcomes,
        "audience": audience, "duration_hours": Decimal(duration_hours), "format": format,
        "is_published": is_published,
    }  # fmt: skip
    model_update(module, fields=set(data), data=data, actor=actor, reason="Module changed",
                 clean=_clean)  # fmt: skip
    return module


def _check_cohort(starts_on: date, ends_on: date, places: int) -> None:
    if ends_on < starts_on:
        raise DomainError(E.SESSION_DATES, "The last day must be on or after the first", "ends_on")
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= 10000:
        raise DomainError("programme.invalid", "Places must be between 1 and 10,000", "places")


@transaction.atomic
def module_session_create(
    *, module: TrainingModule, starts_on: date, ends_on: date, venue: str, places: int,
    is_demo: bool = False, actor: Any,
) -> ModuleSession:  # fmt: skip
    """A cohort of a module (staff): dates, where, and places."""
    _staff(actor)
    _check_cohort(starts_on, ends_on, places)
    session = ModuleSession(
        module=module, starts_on=starts_on, ends_on=ends_on, venue=venue.strip(),
        places=places, is_demo=is_demo,
    )  # fmt: skip
    _clean(session)
    audited_save(session, actor=actor, reason="Cohort scheduled")
    return session


@transaction.atomic
def module_session_update(
    *, session: ModuleSession, starts_on: date, ends_on: date, venue: str, places: int,
    actor: Any,
) -> ModuleSession:  # fmt: skip
    """Change a cohort's dates, place or places (staff). The row is locked, so nobody enrols
    while the places are checked; places never fall below the people already enrolled."""
    _staff(actor)
    session = ModuleSession.objects.select_for_update().get(pk=session.pk)
    _check_cohort(starts_on, ends_on, places)
    taken = session.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
    if places < taken:
        raise DomainError(
            E.PLACES_BELOW_TAKEN,
            f"{taken} {'person is' if taken == 1 else 'people are'} enrolled in this cohort: "
            f"places must be {taken} or more",
            "places",
        )
    data = {"starts_on": starts_on, "ends_on": ends_on, "venue": venue.strip(), "places": places}
    model_update(session, fields=set(data), data=data, actor=actor, reason="Cohort changed",
                 clean=_clean)  # fmt: skip
    return session


@transaction.atomic
def enrolment_create(
    *, session: ModuleSession, person: Any, organisation: Any, is_demo: bool = False, actor: Any
) -> Enrolment:
    """Enrol a person of a partner organisation in a cohort, while places remain.

    The cohort's row is locked, so two people taking the last place at once cannot both get it."""
    session = ModuleSession.objects.select_for_update().select_related("module").get(pk=session.pk)
    if not session.module.is_published:
        raise DomainError(E.MODULE_NOT_PUBLISHED, "This module is not open for enrolment")
    if actor is not None and not is_taskforce_staff(actor) and actor.pk != person.pk:
        raise DomainError(E.STAFF_ONLY, "You can only enrol yourself")
    if organisation is None or not person.organisations.filter(pk=organisation.pk).exists():
        raise DomainError(
            E.NOT_YOUR_ORGANISATION, "Choose an organisation the person works for", "organisation"
        )
    existing = Enrolment.objects.filter(session=session, person=person).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise DomainError(E.ALREADY_ENROLLED, "Already enrolled in this cohort")
    taken = session.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
    if taken >= session.places:
        raise DomainError(E.SESSION_FULL, "This cohort is full: choose another date")
    if existing is not None:
        model_update(
            existing, fields={"status", "organisation"},
            data={"status": EnrolmentStatus.ENROLLED, "organisation": organisation},
            actor=actor, reason="Enrolled again",
        )  # fmt: skip
        return existing
    enrolment = Enrolment(
        session=session, person=person, organisation=organisation, is_demo=is_demo
    )
    _clean(enrolment)
    audited_save(enrolment, actor=actor, reason="Enrolled")
    return enrolment


@transaction.atomic
def enrolment_complete(*, enrolment: Enrolment, completed_on: date, actor: Any) -> Enrolment:
    """Record that the person completed the module on a date (staff)."""
    _staff(actor)
    enrolment = Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(E.NOT_ENROLLED, "Only an enrolled person can complete the module")
    if completed_on < enrolment.session.starts_on:
        raise DomainError(
            E.COMPLETED_EARLY, "The completion date must be on or after the cohort starts",
            "completed_on",
        )  # fmt: skip
    if completed_on > timezone.localdate():
        raise DomainError(E.COMPLETED_EARLY, "The completion date cannot be in the future",
                          "completed_on")  # fmt: skip
    model_update(
        enrolment, fields={"status", "completed_on"},
        data={"status": EnrolmentStatus.COMPLETED, "completed_on": completed_on},
        actor=actor, reason="Module completed",
    )  # fmt: skip
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor: Any) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if actor is not None and not is_taskforce_staff(actor) and actor.pk != enrolment.person_id:
        raise DomainError(E.STAFF_ONLY, "You can only withdraw yourself")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(E.NOT_ENROLLED, "Only an enrolled person can withdraw")
    model_update(enrolment, fields={"status"}, data={"status": EnrolmentStatus.WITHDRAWN},
                 actor=actor, reason="Withdrawn")  # fmt: skip
    return enrolment


# --- events and bookings -------------------------------------------------------------------


def _check_event(kind: str, starts_at: Any, ends_at: Any, places: int) -> None:
    _check_choice(kind, EventKind, "kind", "the kind of event")
    if ends_at <= starts_at:
        raise DomainError(E.EVENT_DATES, "The event must end after it starts", "ends_at")
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= 10000:
        raise DomainError("programme.invalid", "Places must be between 1 and 10,000", "places")


@transaction.atomic
def event_create(
    *, title: str, kind: str, summary: str, starts_at: Any, ends_at: Any, location: str,
    places: int, is_published: bool = True, is_demo: bool = False, actor: Any,
) -> Event:  # fmt: skip
    _staff(actor)
    _check_event(kind, starts_at, ends_at, places)
    event = Event(
        title=title.strip(), slug=_unique_slug(Event, title), kind=kind, summary=summary,
        starts_at=starts_at, ends_at=ends_at, location=location.strip(), places=places,
        is_published=is_published, is_demo=is_demo,
    )  # fmt: skip
    _clean(event)
    audited_save(event, actor=actor, reason="Event created")
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    title: str,
    kind: str,
    summary: str,
    starts_at: Any,
    ends_at: Any,
    location: str,
    places: int,
    is_published: bool,
    actor: Any,
) -> list[Booking]:
    """Change an event (staff); its slug stays. Places never fall below the people who have
    one; when places are added, the first on the waiting list get them (returned, in order)."""
    _staff(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_event(kind, starts_at, ends_at, places)
    booked = event.bookings.filter(status=BookingStatus.BOOKED).count()
    if places < booked:
        raise DomainError(
            E.PLACES_BELOW_TAKEN,
            f"{booked} {'person has' if booked == 1 else 'people have'} a place: "
            f"places must be {booked} or more",
            "places",
        )
    data = {
        "title": title.strip(), "kind": kind, "summary": summary, "starts_at": starts_at,
        "ends_at": ends_at, "location": location.strip(), "places": places,
        "is_published": is_published,
    }  # fmt: skip
    model_update(event, fields=set(data), data=data, actor=actor, reason="Event changed",
                 clean=_clean)  # fmt: skip
    promoted = list(
        event.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")[
            : max(places - booked, 0)
        ]
    )
    for booking in promoted:
        model_update(booking, fields={"status"}, data={"status": BookingStatus.BOOKED},
                     actor=actor, reason="Place from the waiting list")  # fmt: skip
    return promoted


@transaction.atomic
def booking_create(*, event: Event, person: Any, is_demo: bool = False, actor: Any) -> Booking:
    """A place if one is left, else a place on the waiting list (the event's row is locked)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if actor is not None and not is_taskforce_staff(actor) and actor.pk != person.pk:
        raise DomainError(E.STAFF_ONLY, "You can only book for yourself")
    if event.ends_at <= timezone.now() and not is_demo:
        raise DomainError(E.EVENT_PAST, "This event has finished")
    existing = Booking.objects.filter(event=event, person=person).first()
    if existing is not None and existing.status != BookingStatus.CANCELLED:
        raise DomainError(E.ALREADY_BOOKED, "Already booked for this event")
    booked = event.bookings.filter(status=BookingStatus.BOOKED).count()
    status = BookingStatus.BOOKED if booked < event.places else BookingStatus.WAITING
    if existing is not None:
        # Back at the end of the queue: a re-booking is a new booking.
        audited_delete(existing, actor=actor, reason="Booked again")
    booking = Booking(event=event, person=person, status=status, is_demo=is_demo)
    _clean(booking)
    audited_save(booking, actor=actor, reason="Booked" if status == "booked" else "Waiting list")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Any) -> Booking | None:
    """Cancel; when a place frees, the first on the waiting list gets it (returned)."""
    event = Event.objects.select_for_update().get(pk=booking.event_id)
    booking = Booking.objects.get(pk=booking.pk)
    if actor is not None and not is_taskforce_staff(actor) and actor.pk != booking.person_id:
        raise DomainError(E.STAFF_ONLY, "You can only cancel your own booking")
    if booking.status == BookingStatus.CANCELLED:
        raise DomainError(E.NOT_BOOKED, "This booking is cancelled already")
    had_place = booking.status == BookingStatus.BOOKED
    model_update(booking, fields={"status", "attended"},
                 data={"status": BookingStatus.CANCELLED, "attended": False},
                 actor=actor, reason="Cancelled")  # fmt: skip
    if not had_place:
        return None
    booked = event.bookings.filter(status=BookingStatus.BOOKED).count()
    first = event.bookings.filter(status=BookingStatus.WAITING).order_by("created_at", "pk").first()
    if first is None or booked >= event.places:
        return None
    model_update(first, fields={"status"}, data={"status": BookingStatus.BOOKED}, actor=actor,
                 reason="Place from the waiting list")  # fmt: skip
    return first


@transaction.atomic
def attendance_record(*, booking: Booking, attended: bool, actor: Any) -> Booking:
    _staff(actor)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise DomainError(E.NOT_BOOKED, "Only people with a place can attend")
    model_update(booking, fields={"attended"}, data={"attended": attended}, actor=actor,
                 reason="Attendance recorded")  # fmt: skip
    return booking


# --- peer support --------------------------------------------------------------------------


@transaction.atomic
def peer_offer_set(
    *, person: Any, organisation: Any, topics: Sequence[str], summary: str = "",
    job_title: str = "", is_listed: bool = True, is_demo: bool = False, actor: Any,
) -> PeerOffer:  # fmt: skip
    """Offer (or change, or withdraw with ``is_listed=False``) peer support on some topics."""
    if actor is not None and not is_taskforce_staff(actor) and actor.pk != person.pk:
        raise DomainError(E.STAFF_ONLY, "You can only change your own offer")
    if organisation is None or not person.organisations.filter(pk=organisation.pk).exists():
        raise DomainError(
            E.NOT_YOUR_ORGANISATION, "Choose an organisation you work for", "organisation"
        )
    unknown = [t for t in topics if t not in PeerTopic.values]
    if unknown:
        raise DomainError(E.UNKNOWN_TOPIC, f"Unknown topic ‘{unknown[0]}’", "topics")
    if not topics:
        raise DomainError(E.UNKNOWN_TOPIC, "Choose at least one topic you can help with", "topics")
    offer = PeerOffer.objects.filter(person=person).first()
    data = {"organisation": organisation, "topics": sorted(set(topics)), "summary": summary,
            "job_title": job_title, "is_listed": is_listed}  # fmt: skip
    if offer is not None:
        model_update(offer, fields=set(data), data=data, actor=actor, reason="Peer offer changed")
        return offer
    offer = PeerOffer(person=person, is_demo=is_demo, **data)
    _clean(offer)
    audited_save(offer, actor=actor, reason="Peer support offered")
    return offer


# --- partnerships like this one: the lists worked out in advance ------------------------------

#: The section shows five. The public's list (published partnerships only, all of which they
#: see) keeps five; the signed-in viewers' list keeps every partnership down to the fifth
#: published one (so five for anyone who sees the published ones and some others, as a partner
#: member does), at most fifty.
SIMILAR_SHOWN, SIMILAR_MOST = 5, 50


def similar_lists_refresh(*, requested_at: datetime | None = None) -> int:
    """Work out again every partnership's list of the partnerships most like it, for the
    "Partnerships like this one" section (which then reads, never compares): per partnership
    the best among every open partnership down to the fifth published one, and for a
    published one also the best five among the published ones alone. Returns how many lists were written.

    Run by the ``refresh_similar_partnerships`` task after a change to a partnership, its
    members or service areas, or an organisation (``receivers.py``), by the management command
    of that name (daily, as members join and leave on their dates) and by the demo. With
    ``requested_at``, skipped (0) when a refresh that started after then has already run: a
    burst of changes is worked out once. Seconds at 5,000 partnerships (every part vectorised,
    ``maths.similarity.most_similar_each``)."""
    from partnering.partnerships.models import Stage

    from .maths.similarity import most_similar_each

    started = timezone.now()
    if requested_at is not None:
        latest = SimilarList.objects.aggregate(latest=Max("computed_at"))["latest"]
        if latest is not None and latest >= requested_at:
            return 0
    rows = similarity_profiles()
    pk_of = {p.id: pk for pk, _, p in rows}
    everyone = [p for _, _, p in rows]
    published = [p for _, is_published, p in rows if is_published]
    counted = frozenset(p.id for p in published)
    scopes = (
        (SimilarScope.ALL, everyone, [p for p in everyone if p.stage != Stage.CLOSED], counted),
        (
            SimilarScope.PUBLISHED,
            published,
            [p for p in published if p.stage != Stage.CLOSED],
            None,
        ),
    )
    lists = []
    for scope, mines, candidates, among in scopes:
        ranked = most_similar_each(mines, candidates, limit=SIMILAR_SHOWN, counted=among,
                                   most=SIMILAR_MOST)  # fmt: skip
        for mine, matches in zip(mines, ranked, strict=True):
            entries = [[pk_of[m.id], m.score, list(m.reasons[:2])] for m in matches]
            lists.append(SimilarList(partnership_id=pk_of[mine.id], scope=scope,
                                     entries=entries, computed_at=started))  # fmt: skip
    with transaction.atomic():
        still_there = set(Partnership.objects.values_list("pk", flat=True))
        lists = [row for row in lists if row.partnership_id in still_there]
        SimilarList.objects.all().delete()
        SimilarList.objects.bulk_create(lists, batch_size=500)
    return len(lists)


def similar_lists_refresh_soon() -> None:
    """Queue ``similar_lists_refresh`` for when the current transaction commits, once however
    many changes it makes (a rolled-back change queues nothing)."""
    pending = transaction.get_connection().run_on_commit
    if any(getattr(func, "similar_refresh_pending", False) for _, func, _ in pending):
        return

    def enqueue() -> None:
        from .tasks import refresh_similar_partnerships

        enqueue.similar_refresh_pending = False  # type: ignore[attr-defined]
        refresh_similar_partnerships.enqueue(timezone.now().isoformat())

    enqueue.similar_refresh_pending = True  # type: ignore[attr-defined]
    transaction.on_commit(enqueue, robust=True)
