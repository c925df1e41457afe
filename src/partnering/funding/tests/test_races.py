"""Money safety under concurrency, with real threads and transactions on PostgreSQL: two
approvals of one claim at once approve it once; two payments of it at once pay it once (the claim
row is locked with select_for_update, and the database allows one payment per claim); two claims
at once cannot both take the rest of a milestone."""

import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test import Client

from partnering.core.errors import DomainError
from partnering.core.services import api_key_create
from partnering.funding import services as s
from partnering.funding.models import AwardYear, Claim, ClaimStatus, Payment, Recovery

from .factories import PDF, finance_user, make_award, make_claim, staff_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="real concurrent transactions need PostgreSQL",
    ),
]


def concurrently(*calls):
    """Run each call in its own thread (and database connection) at the same moment."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        try:
            start.wait()
            try:
                results[index] = call()
            except DomainError as error:
                results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_approvals_at_once_approve_once():
    claim = make_claim(make_award())
    one, two = finance_user(), finance_user()
    results = concurrently(
        lambda: s.claim_approve(claim=claim, actor=one),
        lambda: s.claim_approve(claim=claim, actor=two),
    )
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "funding.not_submitted"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.history.filter(history_change_reason="Claim approved").count() == 1


def test_two_payments_at_once_pay_once():
    award = make_award()
    claim = make_claim(award)
    s.claim_approve(claim=claim, actor=finance_user())
    one, two = finance_user(), finance_user()
    results = concurrently(
        lambda: s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="R-1", actor=one),
        lambda: s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="R-2", actor=two),
    )
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "funding.already_paid"
    assert Payment.objects.count() == 1 and s.award_paid(award) == Decimal("600.00")


def test_two_payments_through_the_api_at_once_give_201_and_422_never_500():
    claim = make_claim(make_award())
    s.claim_approve(claim=claim, actor=finance_user())
    keys = [api_key_create(name="race", actor=finance_user())[1] for _ in range(2)]

    def pay(key, reference):
        def post():
            r = Client().post(
                f"/api/v1/funding/claims/{claim.pk}/payments",
                json.dumps({"paid_on": "2003-08-01", "reference": reference}),
                content_type="application/json",
                headers={"Authorization": f"Bearer {key}"},
            )
            return r.status_code

        return post

    statuses = concurrently(pay(keys[0], "A-1"), pay(keys[1], "A-2"))
    assert sorted(statuses) == [201, 422]
    assert Payment.objects.count() == 1


def test_two_claims_at_once_cannot_both_take_the_rest_of_a_milestone():
    award = make_award()
    milestone = award.application.milestones.get(number=1)

    def claim():
        return s.claim_submit(
            award=award,
            milestone=milestone,
            amount=Decimal("400.00"),
            claimed_on=date(2003, 7, 1),
            description="Live",
            files=[("r.pdf", PDF)],
            actor=None,
        )

    results = concurrently(claim, claim)
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "funding.claim_over_milestone"
    assert Claim.objects.count() == 1


def test_two_payments_and_a_withholding_on_one_award_at_once_lose_none_of_the_totals():
    award = make_award(amounts=("600.00", "300.00", "100.00"))
    claims = [make_claim(award, number=n) for n in (1, 2)]
    for claim in claims:
        s.claim_approve(claim=claim, actor=finance_user())
    payers, staff = [finance_user(), finance_user()], staff_user()
    results = concurrently(
        *(
            lambda c=c, p=p, n=n: s.payment_record(
                claim=c, paid_on=date(2004, 8, 1), reference=f"T-{n}", actor=p
            )
            for n, (c, p) in enumerate(zip(claims, payers, strict=True))
        ),
        lambda: s.recovery_record(
            award=award,
            kind="withhold",
            amount="100.00",
            reason="Stopped",
            on=date(2004, 9, 1),
            actor=staff,
        ),
    )
    # whatever the order, the award's kept totals are the sums of what was written
    paid = Payment.objects.filter(award=award).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    withheld = Recovery.objects.filter(award=award).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    award.refresh_from_db()
    assert (award.paid_gross, award.clawed, award.withheld) == (paid, Decimal("0.00"), withheld)
    by_year = AwardYear.objects.filter(award=award).aggregate(
        p=Sum("paid_gross"), w=Sum("withheld")
    )
    assert (by_year["p"], by_year["w"]) == (paid, withheld)
    assert (
        withheld == Decimal("100.00")
        and Payment.objects.count() + sum(isinstance(r, DomainError) for r in results) == 2
    )
