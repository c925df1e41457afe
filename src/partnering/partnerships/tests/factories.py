from datetime import date

import factory

from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import (
    MemberRole,
    Membership,
    Partnership,
    Priority,
    Stage,
    StrategicAim,
)


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A bare partnership row (no members). Use ``make_partnership`` for one built by services."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testshire Partnership {n}")
    reference = factory.Sequence(lambda n: f"SPT-T-{n:04d}")
    slug = factory.Sequence(lambda n: f"testshire-partnership-{n}")
    purpose = "Joined-up services for Testshire"
    lead_organisation = factory.SubFactory(OrganisationFactory)
    start_date = date(2002, 6, 1)
    stage = Stage.IDEA
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)
        pathfinder = factory.Trait(is_pathfinder=True, pathfinder_theme="E-government")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.PARTNER
    joined_on = date(2002, 6, 1)


class StrategicAimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAim

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Aim {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    source = "Community strategy 2003"
    weight = 3


def make_partnership(*, lead=None, members=(), actor=None, **kwargs):
    """A partnership registered through the services, with ``members`` added as partners."""
    from partnering.partnerships.services import membership_add, partnership_create

    lead = lead or OrganisationFactory()
    defaults = {
        "name": f"Partnership of {lead.name}",
        "reference": f"SPT-{lead.pk:05d}",
        "purpose": "Joined-up services",
        "start_date": date(2002, 6, 1),
        "is_published": True,  # the tests' partnerships are public unless they say otherwise
    }
    p = partnership_create(lead_organisation=lead, actor=actor, **{**defaults, **kwargs})
    for org in members:
        membership_add(
            partnership=p, organisation=org, role=MemberRole.PARTNER,
            joined_on=date(2002, 6, 1), actor=actor,
        )  # fmt: skip
    p.refresh_from_db()
    return p
