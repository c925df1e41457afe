import factory

from partnering.organisations.models import Kind, Organisation, Sector, Tier


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testshire District Council {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.replace(" District Council", ""))
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    sector = Sector.PUBLIC
    kind = Kind.DISTRICT
    tier = Tier.DISTRICT
    gss_code = factory.Sequence(lambda n: f"E07{n:06d}")
    region = "West Midlands"
    population = factory.Faker("random_int", min=40_000, max=200_000)
    population_year = 2020
    existed_2003 = True

    class Params:
        abolished = factory.Trait(
            end_date=factory.Faker("date_between", start_date="-20y", end_date="-2y")
        )
        county = factory.Trait(
            kind=Kind.COUNTY, tier=Tier.COUNTY, gss_code=factory.Sequence(lambda n: f"E10{n:06d}")
        )
        unitary = factory.Trait(
            kind=Kind.UNITARY, tier=Tier.UNITARY, gss_code=factory.Sequence(lambda n: f"E06{n:06d}")
        )
        company = factory.Trait(
            sector=Sector.PRIVATE, kind=Kind.COMPANY, tier="", gss_code=None,
            org_id=factory.Sequence(lambda n: f"GB-COH-{n:08d}"), population=None,
        )  # fmt: skip
        charity = factory.Trait(
            sector=Sector.VOLUNTARY, kind=Kind.CHARITY, tier="", gss_code=None,
            org_id=factory.Sequence(lambda n: f"GB-CHC-{n:07d}"), population=None,
        )  # fmt: skip
