import itertools
from datetime import date

import factory

from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import (
    AimScore,
    MemberRole,
    Membership,
    Partnership,
    Priority,
    ServiceArea,
    Stage,
    StageChange,
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


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("lgsl_code",)

    lgsl_code = factory.Sequence(lambda n: 9000 + n)
    label = factory.Sequence(lambda n: f"Test service {n}")
    providing_tier = "district"


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    partnership = factory.SubFactory(PartnershipFactory)
    from_stage = Stage.IDEA
    to_stage = Stage.SCOPING
    moved_on = date(2002, 9, 1)
    reason = "Scoping agreed by the board"


class AimScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AimScore

    aim = factory.SubFactory(StrategicAimFactory)
    priority = factory.SubFactory(PriorityFactory)
    score = 2


START = date(2002, 6, 1)
_numbers = itertools.count(1)


def make_partnership(
    size: int | None = None,
    *,
    lead=None,
    members=(),
    actor=None,
    joined_on: date | None = None,
    **fields,
) -> Partnership:
    """A partnership registered through the services (so every signal fires), led by ``lead``
    (a new district council by default), with ``members`` added as partners, and new district
    councils added until it has ``size`` members, lead included. ``fields`` go to
    ``partnership_create`` (``name``, ``reference``, ``is_published``, ``start_date``, …); every
    member joins on ``joined_on`` (default: the start date, 1 June 2002)."""
    from partnering.partnerships.services import membership_add, partnership_create

    lead = lead or OrganisationFactory()
    members = list(members)
    if size is not None:
        members += OrganisationFactory.create_batch(max(0, size - 1 - len(members)))
    number = next(_numbers)
    fields = {
        "name": f"{lead.short_name or lead.name} Partnership {number}",
        "reference": f"SPT-M-{number:04d}",
        "purpose": "Shared ICT",
        "start_date": START,
        "is_published": True,  # the tests' partnerships are public unless they say otherwise
        **fields,
    }
    joined_on = joined_on or fields["start_date"] or START
    p = partnership_create(lead_organisation=lead, joined_on=joined_on, actor=actor, **fields)
    for org in members:
        membership_add(
            partnership=p, organisation=org, role=MemberRole.PARTNER, joined_on=joined_on,
            actor=actor,
        )  # fmt: skip
    p.refresh_from_db()
    return p
