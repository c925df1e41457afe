"""The funding demo's made-up partnerships follow local government reorganisation: a council
abolished since (the 2009 unitaries, North Yorkshire in 2023) leaves on its last day, so no
membership of any demo partnership outlives its organisation (issue 14 part 7)."""

import pytest
from django.core.management import call_command

from partnering.funding.models import FundingProgramme
from partnering.partnerships.models import Membership
from partnering.partnerships.selectors import memberships_outliving_their_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def funding_demo():
    from partnering.funding import demo
    from partnering.organisations import demo as organisations_demo
    from partnering.partnerships import demo as partnerships_demo

    call_command("import_organisations", no_progress=True, verbosity=0)
    organisations_demo.load()
    partnerships_demo.load()
    demo.load()
    return demo


def test_no_funding_demo_membership_outlives_its_organisation(funding_demo):
    assert FundingProgramme.objects.filter(slug=funding_demo.SLUG).exists()
    demo_made = Membership.objects.filter(partnership__reference__startswith="LGOL-DEMO-")
    assert demo_made.filter(organisation__end_date__isnull=False).exists()  # the case is tested
    outliving = [
        (m.partnership.reference, m.organisation.name, m.left_on, m.organisation.end_date)
        for m in memberships_outliving_their_organisation()
    ]
    assert outliving == []


def test_abolished_members_hand_over_to_their_successors(funding_demo):
    ended = (
        Membership.objects.filter(
            partnership__reference__startswith="LGOL-DEMO-",
            organisation__end_date__isnull=False,
            organisation__replaced_by__isnull=False,
        )
        .select_related("organisation", "partnership")
        .first()
    )
    assert ended is not None and ended.left_on == ended.organisation.end_date
    successors = ended.organisation.replaced_by.filter(end_date__isnull=True)
    joined = Membership.objects.filter(partnership=ended.partnership, organisation__in=successors)
    assert [m.joined_on for m in joined] and all(
        m.joined_on > ended.organisation.end_date for m in joined
    )
