"""Test data for the sharing room: a bare row of every model (``CostModelFactory`` and friends),
cost-model specs (``spec_for``), and ``make_cost_model`` for a version made through the services
(stored, validated and calculated). Partnerships come from the partnerships room's
``make_partnership`` (through the services, so the membership signal fires)."""

from datetime import date
from decimal import Decimal

import factory

from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.tests.factories import START, PartnershipFactory, make_partnership
from partnering.sharing.models import (
    AgreedShare,
    CalculationStatus,
    ComponentKind,
    ComponentValue,
    CostComponent,
    CostModel,
    CurveType,
    MemberInput,
    RiskScenario,
    ShareAgreement,
    ShareCalculation,
    SharingRuleKind,
)
from partnering.sharing.services import ComponentSpec, CostModelSpec, MemberSpec

__all__ = ["START", "make_cost_model", "make_partnership", "spec_for"]


def _lead(row):
    """The lead organisation of the partnership a row's cost model belongs to."""
    return row.cost_model.partnership.lead_organisation


class CostModelFactory(factory.django.DjangoModelFactory):
    """A bare version row (no members, components or calculation): ``make_cost_model`` makes a
    whole one through the services."""

    class Meta:
        model = CostModel

    partnership = factory.SubFactory(PartnershipFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = "Shared ICT"
    effective_on = START
    demand_measure = "transactions per year"


class MemberInputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberInput

    cost_model = factory.SubFactory(CostModelFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    player_name = factory.LazyAttribute(lambda m: m.organisation.short_name)
    weight = Decimal(100_000)


class CostComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostComponent

    cost_model = factory.SubFactory(CostModelFactory)
    kind = ComponentKind.STANDALONE
    name = factory.Sequence(lambda n: f"Back office {n}")

    class Params:
        pooled = factory.Trait(
            kind=ComponentKind.POOLED, fixed_cost=Decimal(200_000), curve_type=CurveType.POWER,
            curve_scale=Decimal(50), curve_exponent=Decimal("0.7"),
        )  # fmt: skip


class ComponentValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComponentValue

    component = factory.SubFactory(CostComponentFactory)
    member = factory.SubFactory(
        MemberInputFactory, cost_model=factory.SelfAttribute("..component.cost_model")
    )
    value = Decimal(120_000)


class ShareCalculationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareCalculation

    cost_model = factory.SubFactory(CostModelFactory)
    status = CalculationStatus.QUEUED
    players = factory.LazyAttribute(
        lambda c: [{"organisation_id": _lead(c).pk, "name": _lead(c).short_name}]
    )


class ShareAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareAgreement

    cost_model = factory.SubFactory(CostModelFactory)
    partnership = factory.SelfAttribute("cost_model.partnership")
    version = factory.Sequence(lambda n: n + 1)
    method = "equal"
    agreed_on = date(2002, 7, 1)
    reason = "Agreed by the board"
    total_pence = 30_000_000


class AgreedShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedShare

    agreement = factory.SubFactory(ShareAgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    player_name = factory.LazyAttribute(lambda s: s.organisation.short_name)
    amount_pence = 10_000_000


class RiskScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskScenario

    cost_model = factory.SubFactory(CostModelFactory)
    name = factory.Sequence(lambda n: f"Overrun {n}")
    split_basis = "agreed"
    rule = SharingRuleKind.PROPORTIONAL
    estimates = factory.LazyFunction(
        lambda: [{"component": "Shared CRM", "low": 0, "likely": 1000, "high": 9000}]
    )
    shares = factory.LazyAttribute(lambda r: {_lead(r).short_name: 1.0})


def make_cost_model(partnership: Partnership, *, actor=None, **spec_options) -> CostModel:
    """The next version of ``partnership``'s cost model (``spec_for``), through the services."""
    from partnering.sharing import services

    return services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership, **spec_options), actor=actor
    )


def spec_for(
    partnership: Partnership, *, effective_on: date = START, scale: int = 1
) -> CostModelSpec:
    """Own back offices, a pooled CRM with economies of scale and a shared data centre."""
    members = [m.organisation for m in partnership.memberships.select_related("organisation")
               if m.left_on is None]  # fmt: skip
    members.sort(key=lambda o: o.pk)
    own = {o.pk: Decimal(100_000 + 20_000 * i) * scale for i, o in enumerate(members)}
    demand = {o.pk: Decimal(50_000 + 30_000 * i) for i, o in enumerate(members)}
    need = {o.pk: Decimal(200_000 + 50_000 * i) for i, o in enumerate(members)}
    return CostModelSpec(
        title="Shared ICT",
        effective_on=effective_on,
        demand_measure="transactions per year",
        weight_measure="population",
        members=[MemberSpec(o, Decimal(80_000 + 10_000 * i)) for i, o in enumerate(members)],
        components=[
            ComponentSpec(kind=ComponentKind.STANDALONE, name="Own back office", values=own),
            ComponentSpec(
                kind=ComponentKind.POOLED,
                name="Shared CRM",
                values=demand,
                fixed_cost=Decimal(200_000),
                curve_type=CurveType.POWER,
                curve_scale=Decimal(50),
                curve_exponent=Decimal("0.7"),
            ),
            ComponentSpec(kind=ComponentKind.AIRPORT, name="Data centre", values=need),
        ],
    )
