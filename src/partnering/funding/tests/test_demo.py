"""The funding demo (issue 14 part 7): its headline figures (the GBP 50m adding up exactly over
64 awards and each round's budget, a spread of claims paid, one clawback, everything marked
demo, illustrative e-enablement of the two named partnerships' councils from 2002 to 2005); and
its made-up partnerships follow local government reorganisation: a council abolished since (the
2009 unitaries, North Yorkshire in 2023) leaves on its last day, so no membership of any demo
partnership outlives its organisation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Max, Min, Sum

from partnering.funding import selectors
from partnering.funding.models import (
    Application,
    Award,
    Claim,
    ClaimStatus,
    EEnablement,
    FundingProgramme,
    Payment,
    Recovery,
    RecoveryKind,
    Round,
    RoundStatus,
)
from partnering.partnerships.models import Membership, Partnership
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


def test_the_funds_headline_figures(funding_demo):
    """One test (the demo takes a minute to load): the money adds up; a spread of claims is
    paid, some approved and waiting for the second officer, some waiting for approval; one
    clawback; everything marked demo; the two named partnerships' councils have illustrative
    e-enablement records from 2002 to 2005."""
    programme = FundingProgramme.objects.get(slug=funding_demo.SLUG)
    awards = Award.objects.filter(round__programme=programme)
    assert programme.total_budget == Decimal("50000000.00")
    assert awards.aggregate(s=Sum("amount"))["s"] == Decimal("50000000.00")
    assert awards.count() == 64
    rounds = list(programme.rounds.order_by("number"))
    assert [r.budget for r in rounds] == [Decimal(x) for x in ("20000000.00", "18000000.00",
                                                                "12000000.00")]  # fmt: skip
    for r in rounds:
        assert awards.filter(round=r).aggregate(s=Sum("amount"))["s"] == r.budget, r.title
        assert r.status == RoundStatus.DECIDED
    money = selectors.money_view(programme=programme)
    assert money.total.awarded == Decimal("50000000.00") and money.total.remaining == 0
    assert money.total.paid > 0 and money.total.recovered > 0

    claims = Claim.objects.filter(award__round__programme=programme)
    paid = claims.filter(status=ClaimStatus.PAID)
    assert paid.exists() and paid.count() == Payment.objects.filter(claim__in=paid).count()
    assert claims.filter(status=ClaimStatus.APPROVED, payment__isnull=True).exists()
    assert claims.filter(status=ClaimStatus.SUBMITTED).exists()
    clawbacks = Recovery.objects.filter(kind=RecoveryKind.CLAWBACK)
    assert clawbacks.count() == 1
    failed = clawbacks.get().award
    assert failed.status == "clawed_back" and failed.paid_gross == failed.clawed > 0

    for model in (FundingProgramme, Round, Application, Award, Claim, Payment, Recovery):
        assert model.objects.exists(), model
        assert not model.objects.filter(is_demo=False).exists(), model
    made = Partnership.objects.filter(reference__startswith="LGOL-DEMO-")
    assert made.exists() and not made.filter(is_demo=False).exists()

    for slug in (funding_demo.WORCS, funding_demo.NORTH_YORKS):
        partnership = Partnership.objects.get(slug=slug)
        councils = {c.pk for c in funding_demo.s.council_members(partnership, date(2003, 6, 30))}
        assert len(councils) >= 7, slug
        records = EEnablement.objects.filter(organisation__in=councils)
        assert set(records.values_list("organisation", flat=True)) == councils, slug
        span = records.aggregate(first=Min("e_enabled_on"), last=Max("e_enabled_on"))
        assert span["first"].year == 2002 and span["last"].year == 2005, (slug, span)
    assert EEnablement.objects.exists()
    assert not EEnablement.objects.filter(is_illustrative=False).exists()
