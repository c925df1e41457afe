"""Factories for every funding model, and helpers that build through the services."""

from datetime import date
from decimal import Decimal

import factory

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.funding import models as m
from partnering.funding import services as s
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import ServiceArea
from partnering.partnerships.tests.factories import ServiceAreaFactory, make_partnership


def staff_user(**kwargs):
    return UserFactory(role=Role.STAFF, **kwargs)


def finance_user(**kwargs):
    user = staff_user(**kwargs)
    m.FinanceOfficer.objects.get_or_create(user=user)
    return user


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FundingProgramme

    title = factory.Sequence(lambda n: f"Partnership fund {n}")
    slug = factory.Sequence(lambda n: f"fund-{n}")
    aim = "Help authorities deliver better services online"
    total_budget = Decimal("50000000.00")
    starts_on = date(2002, 4, 1)
    ends_on = date(2006, 3, 31)
    target_date = date(2005, 12, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Round

    programme = factory.SubFactory(FundingProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Round {n + 1}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    budget = Decimal("10000000.00")
    opens_on = date(2002, 6, 1)
    closes_on = date(2002, 9, 30)
    decisions_by = date(2002, 11, 30)
    status = m.RoundStatus.OPEN


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Criterion

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Application

    round = factory.SubFactory(RoundFactory)
    partnership = factory.LazyFunction(lambda: make_partnership(2))
    reference = factory.Sequence(lambda n: f"LGOL-F-{n:04d}")
    title = "Joined-up online services"
    summary = "Put the partners' services online"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    year = 2003
    organisation = factory.LazyAttribute(lambda o: o.application.partnership.lead_organisation)
    amount = Decimal("1000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Milestone

    application = factory.SubFactory(ApplicationFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Online forms live"
    due_on = date(2003, 6, 30)
    amount = Decimal("1000.00")


class PromisedServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PromisedService

    application = factory.SubFactory(ApplicationFactory)
    service = factory.SubFactory(ServiceAreaFactory, providing_tier="all")
    organisation = factory.LazyAttribute(lambda o: o.application.partnership.lead_organisation)
    by_date = date(2005, 12, 31)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Assessment

    application = factory.SubFactory(ApplicationFactory)
    assessor = factory.SubFactory(UserFactory, role=Role.ADVISER)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CriterionScore

    assessment = factory.SubFactory(AssessmentFactory)
    criterion = factory.SubFactory(CriterionFactory)
    score = 5


class ModeratedScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ModeratedScore

    application = factory.SubFactory(ApplicationFactory)
    criterion = factory.SubFactory(CriterionFactory)
    score = 6
    note = "Agreed at panel"


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Award

    application = factory.SubFactory(ApplicationFactory, status=m.ApplicationStatus.AWARDED)
    round = factory.LazyAttribute(lambda o: o.application.round)
    recipient = factory.LazyAttribute(lambda o: o.application.partnership.lead_organisation)
    amount = Decimal("1000.00")
    conditions = "Quarterly reports"
    awarded_on = date(2002, 12, 1)
    agreement_starts_on = date(2003, 1, 1)
    agreement_ends_on = date(2005, 12, 31)


class AwardShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.AwardShare

    award = factory.SubFactory(AwardFactory)
    organisation = factory.LazyAttribute(lambda o: o.award.recipient)
    amount = Decimal("1000.00")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Claim

    award = factory.SubFactory(AwardFactory)
    milestone = factory.LazyAttribute(lambda o: MilestoneFactory(application=o.award.application))
    amount = Decimal("500.00")
    claimed_on = date(2003, 7, 1)
    description = "Forms are live"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Evidence

    claim = factory.SubFactory(ClaimFactory)
    filename = "report.pdf"
    content_type = "application/pdf"
    size = 9
    sha256 = "0" * 64
    data = b"%PDF-1.4\n"


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Payment
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory, status=m.ClaimStatus.PAID)
    award = factory.LazyAttribute(lambda o: o.claim.award)
    amount = factory.LazyAttribute(lambda o: o.claim.amount)
    paid_on = date(2003, 7, 15)
    reference = factory.Sequence(lambda n: f"PAY-{n:06d}")

    @factory.post_generation
    def totals(obj, create, extracted, **kwargs):
        """Written past the services: bring the award's running totals up to date."""
        if create:
            s.award_totals_refresh(m.Award.objects.filter(pk=obj.award_id))


class VariationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Variation

    award = factory.SubFactory(AwardFactory)
    kind = m.VariationKind.REPROFILE
    reason = "Slipped a year"
    changes = factory.LazyFunction(
        lambda: {"before": {"1": {"amount": "600.00"}}, "after": {"1": {"amount": "500.00"}}}
    )
    made_on = date(2003, 9, 1)


class RecoveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Recovery
        skip_postgeneration_save = True

    award = factory.SubFactory(AwardFactory)
    kind = m.RecoveryKind.WITHHOLD
    amount = Decimal("100.00")
    reason = "Project stopped"
    on = date(2004, 1, 1)

    @factory.post_generation
    def totals(obj, create, extracted, **kwargs):
        """Written past the services: bring the award's running totals up to date."""
        if create:
            s.award_totals_refresh(m.Award.objects.filter(pk=obj.award_id))


class FinanceOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.FinanceOfficer

    user = factory.SubFactory(UserFactory, role=Role.STAFF)


class EEnablementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EEnablement

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceAreaFactory, providing_tier="all")
    e_enabled_on = date(2004, 3, 31)
    route = m.Route.OWN_SITE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        record = super()._create(model_class, *args, **kwargs)
        s.e_enablement_tallies_refresh([record.organisation_id])  # as the services do
        return record


class AwardYearFactory(factory.django.DjangoModelFactory):
    """Derived totals (kept by the services); for tests of the rows themselves."""

    class Meta:
        model = m.AwardYear

    award = factory.SubFactory(AwardFactory)
    financial_year = 2003


class EEnablementTallyFactory(factory.django.DjangoModelFactory):
    """Derived counts (kept by the services); for tests of the rows themselves."""

    class Meta:
        model = m.EEnablementTally

    organisation = factory.SubFactory(OrganisationFactory)
    by_year = factory.LazyFunction(lambda: {"2003": 1})
    by_route = factory.LazyFunction(lambda: {"own_site": 1})


# --- built through the services --------------------------------------------------------------


def service(code: int, tier: str = "all") -> ServiceArea:
    return ServiceArea.objects.get_or_create(
        lgsl_code=code, defaults={"label": f"Service {code}", "providing_tier": tier}
    )[0]


def make_round(*, actor=None, budget="10000000.00", programme=None, assessors=(), **kw):
    actor = actor or staff_user()
    programme = programme or s.programme_create(
        title=kw.pop("programme_title", "Partnership fund"),
        aim="Services online",
        total_budget=Decimal(kw.pop("total_budget", "50000000.00")),
        starts_on=date(2002, 4, 1),
        ends_on=date(2006, 3, 31),
        target_date=date(2005, 12, 31),
        actor=actor,
        slug=kw.pop("slug", ""),
    )
    return s.round_create(
        programme=programme,
        title=kw.pop("title", "Round 1"),
        budget=budget,
        opens_on=date(2002, 6, 1),
        closes_on=date(2002, 9, 30),
        decisions_by=date(2002, 11, 30),
        criteria=[s.CriterionSpec("Partnership"), s.CriterionSpec("Services online", Decimal(2))],
        status=kw.pop("status", m.RoundStatus.OPEN),
        assessors=assessors,
        actor=actor,
        **kw,
    )


def make_application(
    round_,
    *,
    partnership=None,
    amounts=("600.00", "400.00"),
    submit=True,
    actor=None,
    title="Joined-up online services",
):
    """A complete application: budget lines and milestones adding up, one promised service."""
    partnership = partnership or make_partnership(2)
    app = s.application_create(
        round_=round_,
        partnership=partnership,
        title=title,
        summary="Put the partners' services online",
        actor=actor,
    )
    lead = partnership.lead_organisation
    for i, amount in enumerate(amounts):
        s.milestone_add(
            application=app,
            title=f"Step {i + 1}",
            due_on=date(2003 + i, 6, 30),
            amount=Decimal(amount),
            actor=actor,
        )
        s.budget_line_set(
            application=app, year=2003 + i, organisation=lead, amount=Decimal(amount), actor=actor
        )
    s.promised_service_add(
        application=app,
        service=service(9001),
        organisation=lead,
        by_date=date(2005, 12, 31),
        actor=actor,
    )
    if submit:
        s.application_submit(application=app, actor=actor)
    app.refresh_from_db()
    return app


def assess(application, assessor, *scores):
    criteria = list(application.round.criteria.all())
    return s.assessment_submit(
        application=application,
        scores={c.pk: (scores[i] if i < len(scores) else 5, "") for i, c in enumerate(criteria)},
        assessor=assessor,
        actor=assessor,
    )


def make_award(round_=None, *, actor=None, application=None, **kw):
    actor = actor or staff_user()
    round_ = round_ or make_round(actor=actor)
    application = application or make_application(round_, **kw)
    if application.status == m.ApplicationStatus.SUBMITTED:
        assessor = UserFactory(role=Role.ADVISER)
        round_.assessors.add(assessor)
        assess(application, assessor, 7, 7)
    return s.award_make(
        application=application,
        reason="Strong partnership",
        conditions="Quarterly reports",
        awarded_on=date(2002, 12, 1),
        agreement_starts_on=date(2003, 1, 1),
        agreement_ends_on=date(2005, 12, 31),
        actor=actor,
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_claim(award, *, number=1, amount=None, actor=None, claimed_on=None):
    milestone = award.application.milestones.get(number=number)
    return s.claim_submit(
        award=award,
        milestone=milestone,
        amount=amount or milestone.amount,
        claimed_on=claimed_on or milestone.due_on,
        description="Done",
        files=[("report.pdf", PDF)],
        actor=actor,
    )
