"""Test data for the procurement room: a factory per model (rows that pass validation), and
helpers that build whole processes through the services (so every release is published)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from partnering.organisations.models import Kind, Sector, Tier
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.procurement import services
from partnering.procurement.models import (
    KPI,
    Appraisal,
    Arrangement,
    Award,
    Baseline,
    Bidder,
    BoardMember,
    Constraint,
    Contract,
    ContractChange,
    Criterion,
    EvaluationCriterion,
    EvaluationScore,
    Indicator,
    KPIValue,
    Option,
    Procurement,
    Release,
    Scope,
    Score,
    StageRecord,
)


class CompanyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Testco Services {n} Limited")
    short_name = ""
    slug = factory.Sequence(lambda n: f"testco-{n}")
    sector = Sector.PRIVATE
    kind = Kind.COMPANY
    tier = ""
    gss_code = None
    org_id = factory.Sequence(lambda n: f"GB-COH-{n + 10_000_000:08d}")
    population = None


class CountyFactory(OrganisationFactory):
    kind = Kind.COUNTY
    tier = Tier.COUNTY
    name = factory.Sequence(lambda n: f"Testshire County Council {n}")
    org_id = factory.Sequence(lambda n: f"GB-LAE-T{n:03d}")


class ScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scope

    partnership = factory.LazyFunction(lambda: make_partnership(2))
    outcomes = "One front door for every service"


class BaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Baseline

    scope = factory.SubFactory(ScopeFactory)
    organisation = factory.LazyAttribute(lambda o: o.scope.partnership.lead_organisation)
    annual_cost = Decimal("250000.00")
    staff = Decimal("12.5")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    baseline = factory.SubFactory(BaselineFactory)
    name = "Calls answered in 20 seconds"
    value = Decimal("71")
    unit = "%"


class ConstraintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constraint

    scope = factory.SubFactory(ScopeFactory)
    kind = "tupe"
    description = "Staff transfer under TUPE"


class AppraisalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appraisal

    partnership = factory.LazyFunction(lambda: make_partnership(2))
    title = factory.Sequence(lambda n: f"Options appraisal {n}")
    term_years = 10
    discount_rate = Decimal("3.5")
    scale = 10


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    appraisal = factory.SubFactory(AppraisalFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    kind = "quality"
    weight = Decimal("100")


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    appraisal = factory.SubFactory(AppraisalFactory)
    kind = "in_house"
    name = factory.Sequence(lambda n: f"Option {n}")
    annual_cost = Decimal("100000")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    option = factory.SubFactory(OptionFactory)
    criterion = factory.LazyAttribute(lambda o: CriterionFactory(appraisal=o.option.appraisal))
    score = Decimal("7")
    rationale = "Good"


class ProcurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procurement

    partnership = factory.LazyFunction(lambda: make_partnership(2))
    process_id = factory.Sequence(lambda n: f"SPT-F-{n}-P1")
    title = factory.Sequence(lambda n: f"Procurement {n}")
    route = "pcr_open"
    buyer = factory.LazyAttribute(lambda o: o.partnership.lead_organisation)


class StageRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageRecord

    procurement = factory.SubFactory(ProcurementFactory)
    stage = "notice"
    on = date(2004, 1, 5)


class BidderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bidder

    procurement = factory.SubFactory(ProcurementFactory)
    organisation = factory.SubFactory(CompanyFactory)
    companies_house_number = factory.LazyAttribute(lambda o: o.organisation.org_id[-8:])


class EvaluationCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    procurement = factory.SubFactory(ProcurementFactory)
    name = factory.Sequence(lambda n: f"Quality {n}")
    weight = Decimal("100")


class EvaluationScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationScore

    bidder = factory.SubFactory(BidderFactory)
    criterion = factory.LazyAttribute(
        lambda o: EvaluationCriterionFactory(procurement=o.bidder.procurement)
    )
    score = Decimal("8")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    procurement = factory.SubFactory(ProcurementFactory)
    supplier = factory.SubFactory(CompanyFactory)
    value = Decimal("1000000")
    term_months = 120
    decided_on = date(2004, 6, 1)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    award = factory.SubFactory(AwardFactory)
    procurement = factory.LazyAttribute(lambda o: o.award.procurement)
    title = "ICT partnership contract"
    starts_on = date(2004, 7, 1)
    ends_on = date(2014, 6, 30)
    value = Decimal("1000000")
    signed_on = date(2004, 6, 20)


class ContractChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractChange

    contract = factory.SubFactory(ContractFactory)
    kind = "extension"
    on = date(2013, 1, 1)
    description = "Two more years"
    new_end = date(2016, 6, 30)


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrangement

    contract = factory.SubFactory(ContractFactory)
    board_name = "Partnership board"
    meeting_frequency = "quarterly"
    client_team = "Two contract managers"
    payment_mechanism = "Unitary charge with service credits"


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    arrangement = factory.SubFactory(ArrangementFactory)
    organisation = factory.LazyAttribute(lambda o: o.arrangement.contract.award.supplier)
    person = "A. Director"


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    arrangement = factory.SubFactory(ArrangementFactory)
    name = "Calls answered in 20 seconds"
    target = Decimal("80")
    unit = "%"


class KPIValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIValue

    kpi = factory.SubFactory(KPIFactory)
    period_end = factory.Sequence(lambda n: date(2005 + n // 4, 3 * (n % 4) + 1, 1))
    value = Decimal("78")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    procurement = factory.SubFactory(ProcurementFactory)
    local_id = factory.Sequence(lambda n: f"{n:02d}-notice")
    tag = "tender"
    date = datetime(2004, 1, 5, tzinfo=UTC)
    data = factory.LazyFunction(lambda: {"initiationType": "tender"})


# --- whole processes through the services --------------------------------------------------


def run_to_award(
    partnership=None,
    *,
    route: str = "pcr_dialogue",
    bidders: int = 3,
    sign: bool = True,
    actor=None,
):
    """A procurement run through every stage of its route to the award (and the signed contract
    when ``sign``); returns ``(procurement, companies)``."""
    partnership = partnership or make_partnership(2)
    procurement = services.procurement_create(
        partnership=partnership, title="Strategic ICT partner", route=route,
        buyer=partnership.lead_organisation, estimated_value="12000000", department="ICT",
        actor=actor,
    )  # fmt: skip
    companies = [CompanyFactory() for _ in range(bidders)]
    for company in companies:
        services.bidder_add(procurement=procurement, organisation=company, actor=actor)
    day = date(2004, 1, 5)
    info = procurement.route_info
    for stage in info.stages:
        if stage == "award_decision":
            break
        services.stage_record(procurement=procurement, stage=stage, on=day, actor=actor)
        day = date(day.year, day.month + 1, 5)
    services.award_record(procurement=procurement, supplier=companies[0], value="9500000",
                          term_months=120, decided_on=day, actor=actor)  # fmt: skip
    if sign:
        if "standstill" in info.stages:
            services.stage_record(procurement=procurement, stage="standstill",
                                  on=date(day.year, day.month, 20), actor=actor)  # fmt: skip
        services.contract_sign(procurement=procurement, title="ICT partnership contract",
                               starts_on=date(day.year, day.month + 1, 1),
                               ends_on=date(day.year + 10, day.month, 28), value="9500000",
                               signed_on=date(day.year, day.month, 28), actor=actor)  # fmt: skip
    procurement.refresh_from_db()
    return procurement, companies
