"""Test data for the sharing room: partnerships made through the partnerships services (so the
membership signal fires) and cost-model specs."""

from datetime import date
from decimal import Decimal

from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import membership_add, partnership_create
from partnering.sharing.models import ComponentKind, CurveType
from partnering.sharing.services import ComponentSpec, CostModelSpec, MemberSpec

START = date(2002, 6, 1)


def make_partnership(
    n: int = 3,
    *,
    published: bool = True,
    start: date = START,
    name: str | None = None,
    orgs: list | None = None,
) -> Partnership:
    """A partnership of ``n`` district councils (the first is the lead) from ``start``."""
    orgs = list(orgs or []) + [OrganisationFactory() for _ in range(n - len(orgs or []))]
    partnership = partnership_create(
        name=name or f"Test ICT Partnership {orgs[0].pk} {Partnership.objects.count() + 1}",
        reference=f"SPT-T-{orgs[0].pk}-{Partnership.objects.count() + 1}",
        purpose="Shared ICT",
        lead_organisation=orgs[0],
        start_date=start,
        joined_on=start,
        is_published=published,
        actor=None,
    )
    for org in orgs[1:]:
        membership_add(
            partnership=partnership, organisation=org, role="partner", joined_on=start, actor=None
        )
    return partnership


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
