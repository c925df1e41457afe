"""Every write of the procurement room: one transaction each, validated, audited, and where it
changes a contracting process, published as an OCDS release in the same transaction."""

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from partnering.core.audit import audited_save, model_update
from partnering.core.dates import govuk_date
from partnering.core.errors import DomainError
from partnering.organisations.models import Kind, Organisation, Sector
from partnering.partnerships.models import Membership, Partnership, ServiceArea

from . import ocds
from .errors import ProcurementError as E
from .maths import weights_check
from .models import (
    KPI,
    Appraisal,
    Arrangement,
    Award,
    Baseline,
    Bidder,
    BoardMember,
    ChangeKind,
    Constraint,
    Contract,
    ContractChange,
    Criterion,
    CriterionKind,
    EvaluationCriterion,
    EvaluationScore,
    Indicator,
    KPIValue,
    Option,
    OptionKind,
    Procurement,
    Scope,
    Score,
    StageRecord,
)
from .routes import ROUTES, STAGE_LABELS, Stage, next_stage

CH_NUMBER = re.compile(r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$")
MAX_MONEY = Decimal("99999999999999.99")


def _money(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, f"{label} must be an amount in pounds", field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise DomainError(
            E.VALUE, f"{label} must be an amount from £0 to £99,999,999,999,999.99", field
        )
    return amount.quantize(Decimal("0.01"))


def _percent(total: Decimal) -> str:
    return f"{total.normalize():f}"


# --- scope ---------------------------------------------------------------------------------


@transaction.atomic
def scope_save(
    *,
    partnership: Partnership,
    services: Sequence[ServiceArea],
    outcomes: str,
    actor: Any,
    is_demo: bool = False,
) -> Scope:
    scope = Scope.objects.filter(partnership=partnership).first()
    if scope is None:
        scope = Scope(partnership=partnership, outcomes=outcomes, is_demo=is_demo)
        scope.full_clean()
        audited_save(scope, actor=actor, reason="Scope set")
    else:
        model_update(scope, fields=["outcomes"], data={"outcomes": outcomes}, actor=actor,
                     reason="Scope changed")  # fmt: skip
    scope.services.set(services)
    return scope


def _check_partner(scope: Scope, organisation: Organisation) -> None:
    if not Membership.objects.filter(
        partnership=scope.partnership_id, organisation=organisation
    ).exists():
        raise DomainError(
            E.WRONG_PARTNERSHIP,
            f"{organisation.name} is not a member of this partnership, so it cannot be in scope",
            "organisation",
        )


@transaction.atomic
def baseline_save(
    *, scope: Scope, organisation: Organisation, annual_cost: Any, staff: Any, actor: Any
) -> Baseline:
    """A partner in scope with its baseline (a second save for the same partner changes it)."""
    _check_partner(scope, organisation)
    cost = _money(annual_cost, "annual_cost", "Annual cost")
    try:
        fte = Decimal(str(staff))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, "Staff must be a number, like 12.5", "staff") from None
    if not fte.is_finite() or not 0 <= fte <= 1_000_000:
        raise DomainError(E.VALUE, "Staff must be a number from 0 to 1,000,000", "staff")
    baseline = Baseline.objects.filter(scope=scope, organisation=organisation).first()
    if baseline is None:
        baseline = Baseline(scope=scope, organisation=organisation, annual_cost=cost, staff=fte)
        baseline.full_clean()
        audited_save(baseline, actor=actor, reason="Baseline recorded")
    else:
        model_update(baseline, fields=["annual_cost", "staff"],
                     data={"annual_cost": cost, "staff": fte}, actor=actor,
                     reason="Baseline changed")  # fmt: skip
    return baseline


@transaction.atomic
def indicator_add(
    *, baseline: Baseline, name: str, value: Any, unit: str = "", actor: Any
) -> Indicator:
    if not name.strip():
        raise DomainError(E.VALUE, "Enter the indicator's name", "name")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, "The value must be a number", "value") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise DomainError(E.VALUE, "The value must be a number below a million million", "value")
    indicator = Indicator(baseline=baseline, name=name.strip(), value=number, unit=unit.strip())
    indicator.full_clean()
    audited_save(indicator, actor=actor, reason="Indicator recorded")
    return indicator


@transaction.atomic
def constraint_add(
    *, scope: Scope, kind: str, description: str, ends_on: date | None = None, actor: Any
) -> Constraint:
    if not description.strip():
        raise DomainError(E.VALUE, "Describe the constraint", "description")
    constraint = Constraint(scope=scope, kind=kind, description=description.strip(),
                            ends_on=ends_on)  # fmt: skip
    constraint.full_clean()
    audited_save(constraint, actor=actor, reason="Constraint recorded")
    return constraint


# --- options appraisal ---------------------------------------------------------------------


@transaction.atomic
def appraisal_create(
    *,
    partnership: Partnership,
    title: str,
    term_years: int = 10,
    discount_rate: Any = Decimal("3.5"),
    scale: int = 10,
    is_illustrative: bool = False,
    is_demo: bool = False,
    actor: Any,
) -> Appraisal:
    if not title.strip():
        raise DomainError(E.VALUE, "Enter a title", "title")
    if not 1 <= int(term_years) <= 60:
        raise DomainError(E.VALUE, "The term must be from 1 to 60 years", "term_years")
    rate = Decimal(str(discount_rate))
    if not rate.is_finite() or not 0 <= rate < 100:
        raise DomainError(E.VALUE, "The discount rate must be from 0% to below 100%",
                          "discount_rate")  # fmt: skip
    if not 1 <= int(scale) <= 100:
        raise DomainError(E.VALUE, "Scores must be out of a number from 1 to 100", "scale")
    appraisal = Appraisal(
        partnership=partnership, title=title.strip(), term_years=term_years,
        discount_rate=rate, scale=scale, is_illustrative=is_illustrative, is_demo=is_demo,
    )  # fmt: skip
    appraisal.full_clean()
    audited_save(appraisal, actor=actor, reason="Options appraisal started")
    return appraisal


def _not_agreed(appraisal: Appraisal) -> None:
    if appraisal.is_agreed:
        raise DomainError(
            E.ALREADY_AGREED,
            "The partners have agreed this appraisal, so it cannot change. Start a new one.",
        )


@transaction.atomic
def criteria_set(
    *, appraisal: Appraisal, criteria: Sequence[dict[str, Any]], actor: Any
) -> list[Criterion]:
    """Replace the criteria: each ``{"name", "kind", "weight"}``; the weights must add up to
    100%. Scores of a criterion that keeps its name are kept."""
    _not_agreed(appraisal)
    if not criteria:
        raise DomainError(E.WEIGHTS_SUM, "Give at least one criterion", "criteria")
    names = [str(c.get("name", "")).strip() for c in criteria]
    if any(not n for n in names):
        raise DomainError(E.VALUE, "Every criterion needs a name", "criteria")
    if len({n.lower() for n in names}) != len(names):
        raise DomainError(E.DUPLICATE, "Two criteria have the same name", "criteria")
    weights: dict[str, Decimal] = {}
    for name, c in zip(names, criteria, strict=True):
        try:
            w = Decimal(str(c.get("weight")))
        except (InvalidOperation, ValueError):
            raise DomainError(E.VALUE, f"The weight of ‘{name}’ must be a number",
                              "criteria") from None  # fmt: skip
        if not w.is_finite() or not 0 <= w <= 100:
            raise DomainError(E.VALUE, f"The weight of ‘{name}’ must be from 0 to 100",
                              "criteria")  # fmt: skip
        if c.get("kind") not in CriterionKind.values:
            raise DomainError(E.VALUE, f"Choose what kind of criterion ‘{name}’ is", "criteria")
        weights[name] = w
    off = weights_check(weights)
    if off != 0:
        total = sum(weights.values(), Decimal(0))
        how = f"{_percent(-off)} short" if off < 0 else f"{_percent(off)} over"
        raise DomainError(
            E.WEIGHTS_SUM,
            f"The weights add up to {_percent(total)}%, not 100% ({how})",
            "criteria",
        )
    existing = {c.name.lower(): c for c in appraisal.criteria.all()}
    kept = []
    for position, (name, c) in enumerate(zip(names, criteria, strict=True)):
        criterion = existing.pop(name.lower(), None) or Criterion(appraisal=appraisal)
        criterion.name, criterion.kind = name, c["kind"]
        criterion.weight, criterion.position = weights[name], position
        criterion.full_clean()
        audited_save(criterion, actor=actor, reason="Criteria set")
        kept.append(criterion)
    for gone in existing.values():
        from partnering.core.audit import audited_delete

        audited_delete(gone, actor=actor, reason="Criterion removed")
    return kept


def shared_cost_from_model(cost_model: Any) -> tuple[Decimal, str] | None:
    """The annual cost of the shared service from a cost model's calculation (the grand
    coalition's cost), with where it came from; None when it has not been calculated."""
    from partnering.sharing.selectors import calculation_of

    calculation = calculation_of(cost_model)
    if calculation is None or calculation.grand_cost is None:
        return None
    source = (
        f"Cost model version {cost_model.version} ‘{cost_model.title}’: cost of all members sharing"
    )
    if cost_model.is_illustrative:
        source += " (illustrative figures)"
    return Decimal(calculation.grand_cost), source


@transaction.atomic
def option_add(
    *,
    appraisal: Appraisal,
    kind: str,
    name: str,
    annual_cost: Any = None,
    upfront_cost: Any = 0,
    description: str = "",
    cost_source: str = "",
    cost_model: Any = None,
    actor: Any,
) -> Option:
    """An option; a shared-service option given a cost model takes its annual cost from it."""
    _not_agreed(appraisal)
    if kind not in OptionKind.values:
        raise DomainError(E.VALUE, "Choose the kind of option", "kind")
    if not name.strip():
        raise DomainError(E.VALUE, "Enter the option's name", "name")
    if cost_model is not None:
        if cost_model.partnership_id != appraisal.partnership_id:
            raise DomainError(E.WRONG_PARTNERSHIP, "That cost model is another partnership's",
                              "cost_model")  # fmt: skip
        costed = shared_cost_from_model(cost_model)
        if costed is None:
            raise DomainError(E.VALUE, "That cost model has not been calculated yet",
                              "cost_model")  # fmt: skip
        annual_cost, cost_source = costed
    if annual_cost is None or annual_cost == "":
        raise DomainError(E.VALUE, "Enter the annual cost", "annual_cost")
    position = (appraisal.options.aggregate(m=Max("position"))["m"] or 0) + 1
    option = Option(
        appraisal=appraisal, kind=kind, name=name.strip(), description=description,
        annual_cost=_money(annual_cost, "annual_cost", "Annual cost"),
        upfront_cost=_money(upfront_cost or 0, "upfront_cost", "Upfront cost"),
        cost_source=cost_source[:300], cost_model=cost_model, position=position,
    )  # fmt: skip
    option.full_clean()
    audited_save(option, actor=actor, reason="Option added")
    return option


@transaction.atomic
def score_set(
    *, option: Option, criterion: Criterion, score: Any, rationale: str, actor: Any
) -> Score:
    appraisal = option.appraisal
    _not_agreed(appraisal)
    if criterion.appraisal_id != option.appraisal_id:
        raise DomainError(E.WRONG_APPRAISAL, "That criterion belongs to another appraisal",
                          "criterion")  # fmt: skip
    if criterion.kind == CriterionKind.COST:
        raise DomainError(E.SCORE_COMPUTED, "Cost is scored from each option's whole-life cost, "
                          "not by hand", "score")  # fmt: skip
    try:
        value = Decimal(str(score))
    except (InvalidOperation, ValueError):
        raise DomainError(E.SCORE_SCALE, "The score must be a number", "score") from None
    if not value.is_finite() or not 0 <= value <= appraisal.scale:
        raise DomainError(
            E.SCORE_SCALE,
            f"The score must be from 0 to {appraisal.scale} (you gave {score})",
            "score",
        )
    if not rationale.strip():
        raise DomainError(E.RATIONALE_REQUIRED, "Give the reason for the score", "rationale")
    row = Score.objects.filter(option=option, criterion=criterion).first()
    if row is None:
        row = Score(option=option, criterion=criterion, score=value, rationale=rationale.strip())
        row.full_clean()
        audited_save(row, actor=actor, reason="Scored")
    else:
        model_update(row, fields=["score", "rationale"],
                     data={"score": value, "rationale": rationale.strip()}, actor=actor,
                     reason="Score changed")  # fmt: skip
    return row


@transaction.atomic
def appraisal_agree(
    *,
    appraisal: Appraisal,
    option: Option,
    rationale: str,
    agreed_on: date,
    agreed_by: str,
    actor: Any,
) -> Appraisal:
    """Record the recommended option, why, and who agreed it when. Every option must be scored
    on every criterion scored by hand, and the weights must add up to 100%."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    _not_agreed(appraisal)
    if option.appraisal_id != appraisal.pk:
        raise DomainError(E.WRONG_APPRAISAL, "That option belongs to another appraisal", "option")
    criteria = list(appraisal.criteria.all())
    if not criteria or weights_check({c.name: c.weight for c in criteria}) != 0:
        raise DomainError(E.WEIGHTS_SUM, "Set criteria whose weights add up to 100% first",
                          "option")  # fmt: skip
    manual = [c for c in criteria if c.kind != CriterionKind.COST]
    options = list(appraisal.options.all())
    scored = set(
        Score.objects.filter(option__appraisal=appraisal).values_list("option_id", "criterion_id")
    )
    missing = [(o, c) for o in options for c in manual if (o.pk, c.pk) not in scored]
    if missing:
        o, c = missing[0]
        raise DomainError(
            E.NOT_COMPLETE,
            f"{len(missing)} score{'s' if len(missing) != 1 else ''} still to give "
            f"(for example ‘{o.name}’ on ‘{c.name}’)",
            "option",
        )
    if not rationale.strip():
        raise DomainError(E.RATIONALE_REQUIRED, "Give the reason for choosing this option",
                          "rationale")  # fmt: skip
    if not agreed_by.strip():
        raise DomainError(E.VALUE, "Say who agreed it for each partner", "agreed_by")
    model_update(
        appraisal,
        fields=["recommended", "rationale", "agreed_on", "agreed_by"],
        data={"recommended": option, "rationale": rationale.strip(), "agreed_on": agreed_on,
              "agreed_by": agreed_by.strip()},
        actor=actor, reason="Recommended option agreed",
    )  # fmt: skip
    return appraisal


# --- procurement ---------------------------------------------------------------------------


def _process_id(partnership: Partnership) -> str:
    n = Procurement.objects.filter(partnership=partnership).count() + 1
    while Procurement.objects.filter(process_id=f"{partnership.reference}-P{n}").exists():
        n += 1
    return f"{partnership.reference}-P{n}"


@transaction.atomic
def procurement_create(
    *,
    partnership: Partnership,
    title: str,
    route: str,
    buyer: Organisation,
    other_buyers: Sequence[Organisation] = (),
    description: str = "",
    category: str = "services",
    department: str = "",
    estimated_value: Any = None,
    legal_basis: str = "",
    rationale: str = "",
    option: Option | None = None,
    panel: Sequence[Any] = (),
    is_illustrative: bool = False,
    is_demo: bool = False,
    actor: Any,
) -> Procurement:
    if route not in ROUTES:
        raise DomainError(E.VALUE, "Choose a route", "route")
    if not title.strip():
        raise DomainError(E.VALUE, "Enter a title", "title")
    info = ROUTES[route]
    if info.exempt and not legal_basis.strip():
        legal_basis = info.default_basis
    if info.exempt and not rationale.strip():
        raise DomainError(
            E.LEGAL_BASIS,
            "An arrangement exempt from procurement needs its rationale: why the exemption applies",
            "rationale",
        )
    members = set(Membership.objects.filter(partnership=partnership)
                  .values_list("organisation_id", flat=True))  # fmt: skip
    for org, field in [(buyer, "buyer"), *((o, "other_buyers") for o in other_buyers)]:
        if org.pk not in members:
            raise DomainError(E.WRONG_PARTNERSHIP,
                              f"{org.name} is not a member of this partnership", field)  # fmt: skip
    if option is not None and option.appraisal.partnership_id != partnership.pk:
        raise DomainError(E.WRONG_PARTNERSHIP, "That option is another partnership's", "option")
    procurement = Procurement(
        partnership=partnership, process_id=_process_id(partnership), title=title.strip(),
        description=description, route=route, category=category, buyer=buyer,
        department=department.strip(),
        estimated_value=None if estimated_value in (None, "") else _money(
            estimated_value, "estimated_value", "Estimated value"),
        legal_basis=legal_basis.strip(), rationale=rationale.strip(), option=option,
        is_illustrative=is_illustrative, is_demo=is_demo,
    )  # fmt: skip
    procurement.full_clean()
    audited_save(procurement, actor=actor, reason="Procurement started")
    procurement.other_buyers.set([o for o in other_buyers if o.pk != buyer.pk])
    procurement.panel.set(panel)
    return procurement


def _check_next(procurement: Procurement, stage: str, on: date) -> StageRecord | None:
    """Refuse a stage out of order or dated before the one before it; the previous record."""
    info = procurement.route_info
    if stage not in info.stages:
        raise DomainError(
            E.STAGE_NOT_IN_ROUTE,
            f"‘{STAGE_LABELS[stage]}’ is not a stage of the {info.label}",
            "stage",
        )
    records = list(procurement.stages.all())
    done = [r.stage for r in records]
    if stage in done:
        raise DomainError(E.STAGE_ORDER, f"‘{STAGE_LABELS[stage]}’ is already recorded", "stage")
    expected = next_stage(info, done)
    if expected != stage:
        raise DomainError(
            E.STAGE_ORDER,
            f"‘{STAGE_LABELS[stage]}’ cannot come before ‘{STAGE_LABELS[expected]}’: "  # type: ignore[index]
            f"record ‘{STAGE_LABELS[expected]}’ first",  # type: ignore[index]
            "stage",
        )
    previous = max(records, key=lambda r: info.stages.index(r.stage), default=None)  # type: ignore[arg-type]
    if previous is not None and on < previous.on:
        raise DomainError(
            E.STAGE_DATE,
            f"The date must be on or after {govuk_date(previous.on)}, the date of "
            f"‘{previous.get_stage_display()}’",
            "on",
        )
    return previous


def _record(procurement: Procurement, stage: str, on: date, notes: str, actor: Any) -> StageRecord:
    record = StageRecord(procurement=procurement, stage=stage, on=on, notes=notes)
    record.full_clean()
    audited_save(record, actor=actor, reason=f"{STAGE_LABELS[stage]} recorded")
    procurement.last_stage = stage
    audited_save(procurement, actor=actor, reason=f"{STAGE_LABELS[stage]} recorded")
    ocds.publish(procurement, stage=stage, on=on)
    return record


@transaction.atomic
def stage_record(
    *, procurement: Procurement, stage: str, on: date, notes: str = "", actor: Any
) -> StageRecord:
    """Record the next stage. The award decision and the signed contract are recorded with
    ``award_record`` and ``contract_sign`` (they carry the award and the contract)."""
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if stage not in STAGE_LABELS:
        raise DomainError(E.VALUE, "Choose a stage", "stage")
    _check_next(procurement, stage, on)
    if stage == Stage.AWARD:
        raise DomainError(E.AWARD_FIRST, "Record the award decision with its supplier, value "
                          "and term", "stage")  # fmt: skip
    if stage == Stage.SIGNED:
        raise DomainError(E.AWARD_FIRST, "Record the signed contract with its dates and value",
                          "stage")  # fmt: skip
    if stage == Stage.TENDERS and not procurement.bidders.filter(tendered=True).exists():
        raise DomainError(E.STAGE_ORDER, "Add the bidders who tendered before recording the "
                          "tenders received", "stage")  # fmt: skip
    return _record(procurement, stage, on, notes, actor)


def _company_number(organisation: Organisation, given: str, unknown: bool = False) -> str:
    number = re.sub(r"\s+", "", given or "").upper()
    if not number and (organisation.org_id or "").startswith("GB-COH-"):
        number = organisation.org_id[len("GB-COH-") :]  # type: ignore[index]
    if number and not CH_NUMBER.match(number):
        raise DomainError(
            E.COMPANY_NUMBER,
            f"‘{given}’ is not a Companies House number: it has 8 characters, 8 digits "
            "(like 04254468, with its leading zeros) or 2 letters and 6 digits (like SC123456)",
            "companies_house_number",
        )
    company = organisation.sector == Sector.PRIVATE or organisation.kind == Kind.COMPANY
    if not number and company and not unknown:
        raise DomainError(
            E.COMPANY_NUMBER,
            f"Enter {organisation.name}'s Companies House number (8 characters), or say it is "
            "not known",
            "companies_house_number",
        )
    return number


@transaction.atomic
def bidder_add(
    *,
    procurement: Procurement,
    organisation: Organisation,
    companies_house_number: str = "",
    is_sme: bool = False,
    is_vcse: bool = False,
    tendered: bool = True,
    number_unknown: bool = False,
    actor: Any,
) -> Bidder:
    """A bidder from the registry. A company needs its Companies House number (taken from its
    GB-COH Org-ID when blank) unless ``number_unknown``: it is then published without an
    identifier, under an id of the publisher's own, rather than under a made-up number."""
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if procurement.is_exempt:
        raise DomainError(E.EXEMPT_NO_BIDDERS, "An exempt arrangement has no bidders: it is "
                          "awarded to the public body named", "organisation")  # fmt: skip
    if procurement.is_awarded:
        raise DomainError(E.BIDDER_CLOSED, "The award is decided: no more bidders", "organisation")
    if procurement.bidders.filter(organisation=organisation).exists():
        raise DomainError(E.BIDDER_TWICE, f"{organisation.name} is already a bidder",
                          "organisation")  # fmt: skip
    bidder = Bidder(
        procurement=procurement, organisation=organisation,
        companies_house_number=_company_number(organisation, companies_house_number,
                                               number_unknown),
        is_sme=is_sme, is_vcse=is_vcse or organisation.sector == Sector.VOLUNTARY,
        tendered=tendered,
    )  # fmt: skip
    bidder.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            audited_save(bidder, actor=actor, reason="Bidder added")
    except IntegrityError:
        raise DomainError(E.BIDDER_TWICE, f"{organisation.name} is already a bidder",
                          "organisation") from None  # fmt: skip
    return bidder


@transaction.atomic
def evaluation_criteria_set(
    *, procurement: Procurement, criteria: Sequence[dict[str, Any]], actor: Any
) -> list[EvaluationCriterion]:
    if procurement.is_awarded:
        raise DomainError(E.AWARDED, "The award is decided: the criteria cannot change",
                          "criteria")  # fmt: skip
    if EvaluationScore.objects.filter(bidder__procurement=procurement).exists():
        raise DomainError(E.AWARDED, "Scores have been given: the criteria cannot change",
                          "criteria")  # fmt: skip
    weights: dict[str, Decimal] = {}
    for c in criteria:
        name = str(c.get("name", "")).strip()
        if not name:
            raise DomainError(E.VALUE, "Every criterion needs a name", "criteria")
        if name.lower() in {n.lower() for n in weights}:
            raise DomainError(E.DUPLICATE, "Two criteria have the same name", "criteria")
        try:
            w = Decimal(str(c.get("weight")))
        except (InvalidOperation, ValueError):
            raise DomainError(E.VALUE, f"The weight of ‘{name}’ must be a number",
                              "criteria") from None  # fmt: skip
        if not w.is_finite() or not 0 <= w <= 100:
            raise DomainError(E.VALUE, f"The weight of ‘{name}’ must be from 0 to 100", "criteria")
        weights[name] = w
    if not weights:
        raise DomainError(E.WEIGHTS_SUM, "Give at least one criterion", "criteria")
    off = weights_check(weights)
    if off != 0:
        total = sum(weights.values(), Decimal(0))
        how = f"{_percent(-off)} short" if off < 0 else f"{_percent(off)} over"
        raise DomainError(E.WEIGHTS_SUM,
                          f"The weights add up to {_percent(total)}%, not 100% ({how})",
                          "criteria")  # fmt: skip
    from partnering.core.audit import audited_delete

    for old in procurement.evaluation_criteria.all():
        audited_delete(old, actor=actor, reason="Evaluation criteria replaced")
    out = []
    for name, w in weights.items():
        criterion = EvaluationCriterion(procurement=procurement, name=name, weight=w)
        criterion.full_clean()
        audited_save(criterion, actor=actor, reason="Evaluation criteria set")
        out.append(criterion)
    return out


@transaction.atomic
def evaluation_score_set(
    *, bidder: Bidder, criterion: EvaluationCriterion, score: Any, actor: Any
) -> EvaluationScore:
    procurement = bidder.procurement
    if criterion.procurement_id != procurement.pk:
        raise DomainError(E.WRONG_APPRAISAL, "That criterion is another procurement's",
                          "criterion")  # fmt: skip
    if procurement.is_awarded:
        raise DomainError(E.AWARDED, "The award is decided: the scores cannot change", "score")
    if not bidder.tendered:
        raise DomainError(E.VALUE, f"{bidder} did not tender, so it has no scores", "score")
    try:
        value = Decimal(str(score))
    except (InvalidOperation, ValueError):
        raise DomainError(E.SCORE_SCALE, "The score must be a number from 0 to 10",
                          "score") from None  # fmt: skip
    if not value.is_finite() or not 0 <= value <= 10:
        raise DomainError(E.SCORE_SCALE, f"The score must be from 0 to 10 (you gave {score})",
                          "score")  # fmt: skip
    row = EvaluationScore.objects.filter(bidder=bidder, criterion=criterion).first()
    if row is None:
        row = EvaluationScore(bidder=bidder, criterion=criterion, score=value)
        row.full_clean()
        audited_save(row, actor=actor, reason="Evaluation score given")
    else:
        model_update(row, fields=["score"], data={"score": value}, actor=actor,
                     reason="Evaluation score changed")  # fmt: skip
    return row


@transaction.atomic
def award_record(
    *,
    procurement: Procurement,
    supplier: Organisation,
    value: Any,
    term_months: int,
    decided_on: date,
    notes: str = "",
    actor: Any,
) -> Award:
    """The award decision: to a bidder who tendered (or, for an exempt arrangement, to the
    public body named); published as an OCDS "award" release."""
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    _check_next(procurement, Stage.AWARD, decided_on)
    if procurement.is_exempt:
        if supplier.sector != Sector.PUBLIC:
            raise DomainError(E.SUPPLIER_NOT_BIDDER, "An exempt arrangement is between public "
                              "bodies: choose a public body", "supplier")  # fmt: skip
    elif not procurement.bidders.filter(organisation=supplier, tendered=True).exists():
        raise DomainError(E.SUPPLIER_NOT_BIDDER, f"{supplier.name} did not tender, so it cannot "
                          "be awarded the contract", "supplier")  # fmt: skip
    if not 1 <= int(term_months) <= 1200:
        raise DomainError(E.VALUE, "The term must be from 1 to 1,200 months", "term_months")
    award = Award(procurement=procurement, supplier=supplier,
                  value=_money(value, "value", "The award's value"), term_months=term_months,
                  decided_on=decided_on)  # fmt: skip
    award.full_clean()
    audited_save(award, actor=actor, reason="Award decided")
    _record(procurement, Stage.AWARD, decided_on, notes, actor)
    return award


@transaction.atomic
def contract_sign(
    *,
    procurement: Procurement,
    title: str,
    starts_on: date,
    ends_on: date,
    value: Any,
    signed_on: date,
    actor: Any,
) -> Contract:
    procurement = Procurement.objects.select_for_update().get(pk=procurement.pk)
    award = Award.objects.filter(procurement=procurement).first()
    if award is None:
        raise DomainError(E.AWARD_FIRST, "Record the award decision before the contract",
                          "signed_on")  # fmt: skip
    if ends_on < starts_on:
        raise DomainError(
            E.CONTRACT_DATES,
            f"The contract cannot end ({govuk_date(ends_on)}) before it starts "
            f"({govuk_date(starts_on)})",
            "ends_on",
        )
    _check_next(procurement, Stage.SIGNED, signed_on)
    if not title.strip():
        raise DomainError(E.VALUE, "Enter the contract's title", "title")
    contract = Contract(procurement=procurement, award=award, title=title.strip(),
                        starts_on=starts_on, ends_on=ends_on,
                        value=_money(value, "value", "The contract's value"),
                        signed_on=signed_on)  # fmt: skip
    contract.full_clean()
    audited_save(contract, actor=actor, reason="Contract signed")
    _record(procurement, Stage.SIGNED, signed_on, "", actor)
    return contract


def current_end(contract: Contract) -> date:
    ends = [c.new_end for c in contract.changes.all() if c.new_end]
    return max([contract.ends_on, *ends])


@transaction.atomic
def contract_change_add(
    *,
    contract: Contract,
    kind: str,
    on: date,
    description: str,
    new_end: date | None = None,
    value_change: Any = 0,
    actor: Any,
) -> ContractChange:
    """An extension (a later end date) or an amendment; published as "contractAmendment"."""
    if kind not in ChangeKind.values:
        raise DomainError(E.VALUE, "Choose extension or amendment", "kind")
    if not description.strip():
        raise DomainError(E.VALUE, "Describe the change", "description")
    end = current_end(contract)
    if kind == ChangeKind.EXTENSION and (new_end is None or new_end <= end):
        raise DomainError(E.EXTENSION_END, f"An extension needs a new end date after "
                          f"{govuk_date(end)}", "new_end")  # fmt: skip
    if new_end is not None and new_end < contract.starts_on:
        raise DomainError(E.CONTRACT_DATES, "The contract cannot end before it starts", "new_end")
    if on < contract.signed_on:
        raise DomainError(E.STAGE_DATE, f"The change cannot be before the contract was signed "
                          f"({govuk_date(contract.signed_on)})", "on")  # fmt: skip
    try:
        delta = Decimal(str(value_change or 0))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, "The change in value must be an amount in pounds",
                          "value_change") from None  # fmt: skip
    if not delta.is_finite() or abs(delta) > MAX_MONEY:
        raise DomainError(E.VALUE, "The change in value must be an amount in pounds",
                          "value_change")  # fmt: skip
    if (
        contract.value + sum((c.value_change for c in contract.changes.all()), Decimal(0)) + delta
        < 0
    ):
        raise DomainError(E.VALUE, "The contract's value cannot fall below £0", "value_change")
    change = ContractChange(contract=contract, kind=kind, on=on, description=description.strip(),
                            new_end=new_end, value_change=delta.quantize(Decimal("0.01")))  # fmt: skip
    change.full_clean()
    audited_save(change, actor=actor, reason=f"Contract {change.get_kind_display().lower()}")
    ocds.publish_change(change)
    return change


# --- management arrangements ---------------------------------------------------------------


@transaction.atomic
def arrangement_save(
    *,
    contract: Contract,
    board_name: str,
    meeting_frequency: str,
    client_team: str,
    payment_mechanism: str,
    next_review_on: date | None = None,
    actor: Any,
) -> Arrangement:
    data = {
        "board_name": board_name.strip(), "meeting_frequency": meeting_frequency,
        "client_team": client_team.strip(), "payment_mechanism": payment_mechanism.strip(),
        "next_review_on": next_review_on,
    }  # fmt: skip
    arrangement = Arrangement.objects.filter(contract=contract).first()
    if arrangement is None:
        arrangement = Arrangement(contract=contract, **data)
        arrangement.full_clean()
        audited_save(arrangement, actor=actor, reason="Management arrangements set")
    else:
        model_update(arrangement, fields=list(data), data=data, actor=actor,
                     reason="Management arrangements changed")  # fmt: skip
    return arrangement


@transaction.atomic
def board_member_add(
    *, arrangement: Arrangement, organisation: Organisation, person: str, role: str = "",
    actor: Any,
) -> BoardMember:  # fmt: skip
    procurement = arrangement.contract.procurement
    parties = {procurement.buyer_id, arrangement.contract.award.supplier_id,
               *procurement.other_buyers.values_list("pk", flat=True)}  # fmt: skip
    if organisation.pk not in parties:
        raise DomainError(E.WRONG_PARTNERSHIP, "Board members come from the contract's parties: "
                          "the authorities it serves and the supplier", "organisation")  # fmt: skip
    if not person.strip():
        raise DomainError(E.VALUE, "Enter the member's name", "person")
    member = BoardMember(arrangement=arrangement, organisation=organisation,
                         person=person.strip(), role=role.strip())  # fmt: skip
    member.full_clean()
    audited_save(member, actor=actor, reason="Board member added")
    return member


@transaction.atomic
def kpi_add(
    *, arrangement: Arrangement, name: str, target: Any, unit: str = "",
    higher_is_better: bool = True, actor: Any,
) -> KPI:  # fmt: skip
    if not name.strip():
        raise DomainError(E.VALUE, "Enter the indicator's name", "name")
    try:
        value = Decimal(str(target))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, "The target must be a number", "target") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise DomainError(E.VALUE, "The target must be a number below a million million", "target")
    kpi = KPI(arrangement=arrangement, name=name.strip(), target=value, unit=unit.strip(),
              higher_is_better=higher_is_better)  # fmt: skip
    kpi.full_clean()
    audited_save(kpi, actor=actor, reason="Performance indicator added")
    return kpi


@transaction.atomic
def kpi_value_record(*, kpi: KPI, period_end: date, value: Any, actor: Any) -> KPIValue:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(E.VALUE, "The value must be a number", "value") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise DomainError(E.VALUE, "The value must be a number below a million million", "value")
    if KPIValue.objects.filter(kpi=kpi, period_end=period_end).exists():
        raise DomainError(E.DUPLICATE, f"A value to {govuk_date(period_end)} is already recorded",
                          "period_end")  # fmt: skip
    row = KPIValue(kpi=kpi, period_end=period_end, value=number)
    row.full_clean()
    audited_save(row, actor=actor, reason="Performance reported")
    return row
