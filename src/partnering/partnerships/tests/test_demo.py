"""The partnerships demo keeps dates and lifetimes consistent: no member outlives its council,
and North Yorkshire's councils hand over to their successor on 1 April 2023 (issue 8 part 3)."""

from datetime import date

import pytest
from django.core.management import call_command

from partnering.partnerships.models import MemberRole, Membership, Partnership
from partnering.partnerships.selectors import memberships_outliving_their_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_partnerships():
    from partnering.organisations import demo as organisations_demo
    from partnering.partnerships import demo

    call_command("import_organisations", no_progress=True, verbosity=0)
    organisations_demo.load()
    demo.load()


def test_no_demo_membership_outlives_its_organisation(demo_partnerships):
    outliving = [
        (m.partnership.slug, m.organisation.name, m.left_on, m.organisation.end_date)
        for m in memberships_outliving_their_organisation()
    ]
    assert outliving == []


def test_north_yorkshire_council_succeeds_the_county_as_lead(demo_partnerships):
    p = Partnership.objects.get(slug="north-yorkshire-ict-partnership")
    assert p.lead_organisation.gss_code == "E06000065"
    today = {
        m.organisation.name: m.role
        for m in Membership.objects.filter(partnership=p).current_on(date(2026, 12, 1))
    }
    assert today == {
        "North Yorkshire Council": MemberRole.LEAD,
        "Agilisys": MemberRole.PRIVATE_PARTNER,
    }
    last_day = {
        m.organisation.gss_code
        for m in Membership.objects.filter(partnership=p, left_on=date(2023, 3, 31))
    }
    assert last_day == {"E10000023", "E07000164"}
    # On the eve of reorganisation the county still led.
    eve = Membership.objects.filter(partnership=p).current_on(date(2023, 3, 31))
    assert eve.get(role=MemberRole.LEAD).organisation.gss_code == "E10000023"
