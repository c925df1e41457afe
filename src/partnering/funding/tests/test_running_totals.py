"""Each award's running totals (``paid_gross``, ``clawed``, ``withheld``, all time on the award
and by financial year in ``AwardYear``), which the money view, the award pages, the API and the
360Giving file read, always equal the sums of its payments and recoveries: after payments, withholding and clawback, a refused or rolled-back payment, a save
of a copy read earlier, rows written in bulk, and the migration that fills existing rows."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Sum

from partnering.core.errors import DomainError
from partnering.funding import selectors
from partnering.funding import services as s
from partnering.funding.maths.money import financial_year
from partnering.funding.models import (
    Award,
    AwardYear,
    Claim,
    ClaimStatus,
    Payment,
    Recovery,
    RecoveryKind,
)

from .factories import finance_user, make_award, make_claim, make_round, staff_user

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def sums(award: Award) -> tuple[Decimal, Decimal, Decimal]:
    """What the totals should be, added up from the rows themselves."""

    def total(qs) -> Decimal:
        return qs.aggregate(t=Sum("amount"))["t"] or ZERO

    recoveries = Recovery.objects.filter(award=award)
    return (
        total(Payment.objects.filter(award=award)),
        total(recoveries.filter(kind=RecoveryKind.CLAWBACK)),
        total(recoveries.filter(kind=RecoveryKind.WITHHOLD)),
    )


def stored(award: Award) -> tuple[Decimal, Decimal, Decimal]:
    return Award.objects.values_list("paid_gross", "clawed", "withheld").get(pk=award.pk)


def year_sums() -> dict[tuple[int, int], list[Decimal]]:
    """(award, financial year) -> [paid, clawed, withheld], added up from the rows themselves."""
    out: dict[tuple[int, int], list[Decimal]] = {}
    for p in Payment.objects.all():
        out.setdefault((p.award_id, financial_year(p.paid_on)), [ZERO, ZERO, ZERO])[0] += p.amount
    for r in Recovery.objects.all():
        column = 1 if r.kind == RecoveryKind.CLAWBACK else 2
        out.setdefault((r.award_id, financial_year(r.on)), [ZERO, ZERO, ZERO])[column] += r.amount
    return out


def assert_totals_are_sums() -> None:
    awards = list(Award.objects.all())
    assert awards
    for award in awards:
        assert stored(award) == sums(award), award
    years = {
        (y.award_id, y.financial_year): [y.paid_gross, y.clawed, y.withheld]
        for y in AwardYear.objects.all()
    }
    assert years == year_sums()


def pay(award: Award, number: int, reference: str) -> Payment:
    claim = make_claim(award, number=number)
    s.claim_approve(claim=claim, actor=finance_user())
    return s.payment_record(
        claim=claim, paid_on=date(2003 + number, 8, 1), reference=reference, actor=finance_user()
    )


def test_totals_follow_payments_withholding_and_clawback():
    staff = staff_user()
    round_ = make_round(actor=staff)
    a = make_award(round_, actor=staff, amounts=("600.10", "399.90"))
    b = make_award(round_, actor=staff, amounts=("0.01", "0.02"))
    assert_totals_are_sums()
    pay(a, 1, "P-1")
    pay(b, 1, "P-2")
    assert stored(a) == (Decimal("600.10"), ZERO, ZERO)
    assert_totals_are_sums()
    s.recovery_record(
        award=b, kind="withhold", amount="0.02", reason="Late", on=date(2004, 9, 1), actor=staff
    )
    s.recovery_record(
        award=a, kind="clawback", amount="100.05", reason="Part", on=date(2004, 9, 1), actor=staff
    )
    assert stored(a) == (Decimal("600.10"), Decimal("100.05"), ZERO)
    assert stored(b) == (Decimal("0.01"), ZERO, Decimal("0.02"))
    assert_totals_are_sums()
    # the money view's figures from the totals match the rows
    view = selectors.money_view()
    assert view.total.paid == Decimal("600.11") - Decimal("100.05")
    assert view.total.committed == Decimal("1000.03") - Decimal("100.05") - Decimal("0.02")
    assert sum(r.paid for r in view.by_year) == view.total.paid
    assert sum(r.committed for r in view.by_year) == view.total.committed
    assert s.award_paid(a) == Decimal("500.05")


def test_a_refused_or_rolled_back_payment_adds_nothing():
    award = make_award()
    payment = pay(award, 1, "P-1")
    with pytest.raises(DomainError):  # the same claim twice
        s.payment_record(
            claim=payment.claim, paid_on=date(2004, 1, 1), reference="P-9", actor=finance_user()
        )
    claim = make_claim(award, number=2)
    s.claim_approve(claim=claim, actor=finance_user())
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):  # a payment reversed with its transaction
        s.payment_record(
            claim=claim, paid_on=date(2004, 8, 1), reference="P-2", actor=finance_user()
        )
        raise RuntimeError("the bank refused it")
    assert Payment.objects.count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED
    assert stored(award) == (Decimal("600.00"), ZERO, ZERO)
    assert_totals_are_sums()


def test_saving_a_copy_read_before_a_payment_keeps_the_payment_in_the_totals():
    award = make_award()
    stale = Award.objects.get(pk=award.pk)  # read before the payment: paid_gross 0.00
    pay(award, 1, "P-1")
    stale.conditions = "Quarterly reports, and a final report"
    stale.save()
    assert Award.objects.get(pk=award.pk).conditions.endswith("a final report")
    assert stored(award) == (Decimal("600.00"), ZERO, ZERO)


def test_refresh_puts_right_rows_written_in_bulk():
    award = make_award()
    claim = make_claim(award)
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PAID)
    Payment.objects.bulk_create(
        [
            Payment(
                claim=claim,
                award=award,
                amount=claim.amount,
                paid_on=date(2003, 8, 1),
                reference="B",
            )
        ]
    )
    Recovery.objects.bulk_create(
        [Recovery(award=award, kind="withhold", amount="1.00", reason="x", on=date(2004, 1, 1))]
    )
    assert stored(award) == (ZERO, ZERO, ZERO)  # bulk_create skips the services
    AwardYear.objects.create(award=award, financial_year=2010, paid_gross="5.00")  # wrong
    assert s.award_totals_refresh() == 1
    assert stored(award) == (Decimal("600.00"), ZERO, Decimal("1.00"))
    assert_totals_are_sums()


def test_the_migration_fills_the_totals_of_existing_awards():
    award = make_award()
    pay(award, 1, "P-1")
    s.recovery_record(
        award=award,
        kind="clawback",
        amount="0.01",
        reason="x",
        on=date(2004, 9, 1),
        actor=staff_user(),
    )
    untouched = make_award(award.round)
    Award.objects.update(paid_gross=ZERO, clawed=ZERO, withheld=ZERO)  # as before the migration
    migration = importlib.import_module("partnering.funding.migrations.0002_award_running_totals")
    migration.fill_totals(apps, None)
    assert stored(award) == (Decimal("600.00"), Decimal("0.01"), ZERO)
    assert stored(untouched) == (ZERO, ZERO, ZERO)
    AwardYear.objects.all().delete()  # as before the second migration
    migration = importlib.import_module(
        "partnering.funding.migrations.0003_award_years_running_totals"
    )
    migration.fill_years(apps, None)
    assert_totals_are_sums()
