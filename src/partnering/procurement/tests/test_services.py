"""The writes: each rule, with the bad input refused by a clear message and nothing saved."""

from datetime import date
from decimal import Decimal

import pytest

from partnering.core.errors import DomainError
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.procurement import services
from partnering.procurement.errors import ProcurementError as E
from partnering.procurement.models import (
    Award,
    Bidder,
    Contract,
    Criterion,
    Procurement,
    Release,
    Score,
    StageRecord,
)

from .factories import CompanyFactory, run_to_award

pytestmark = pytest.mark.django_db


def _raises(code, fn, **kwargs):
    with pytest.raises(DomainError) as error:
        fn(**kwargs)
    assert error.value.code == code, error.value.message
    return error.value


@pytest.fixture
def appraisal():
    p = make_partnership(2)
    a = services.appraisal_create(partnership=p, title="Front door options", actor=None)
    services.criteria_set(appraisal=a, criteria=[
        {"name": "Cost", "kind": "cost", "weight": 40},
        {"name": "Quality", "kind": "quality", "weight": 35},
        {"name": "Risk", "kind": "risk", "weight": 25},
    ], actor=None)  # fmt: skip
    return a


class TestScope:
    def test_scope_baseline_indicator_constraint(self):
        p = make_partnership(2)
        scope = services.scope_save(partnership=p, services=[], outcomes="One front door",
                                    actor=None)  # fmt: skip
        base = services.baseline_save(scope=scope, organisation=p.lead_organisation,
                                      annual_cost="250000", staff="12.5", actor=None)  # fmt: skip
        services.indicator_add(baseline=base, name="Calls answered", value="71", unit="%",
                               actor=None)  # fmt: skip
        services.constraint_add(scope=scope, kind="existing_contract", description="Telephony",
                                ends_on=date(2005, 3, 31), actor=None)  # fmt: skip
        again = services.baseline_save(scope=scope, organisation=p.lead_organisation,
                                       annual_cost="260000", staff="12", actor=None)  # fmt: skip
        assert again.pk == base.pk and again.annual_cost == Decimal("260000.00")
        assert base.history.count() == 2

    def test_an_outsider_is_not_in_scope(self):
        p = make_partnership(2)
        scope = services.scope_save(partnership=p, services=[], outcomes="", actor=None)
        _raises(E.WRONG_PARTNERSHIP, services.baseline_save, scope=scope,
                organisation=OrganisationFactory(), annual_cost=1, staff=1, actor=None)  # fmt: skip

    @pytest.mark.parametrize("cost", ["NaN", "Infinity", "-5", "1e30", "abc"])
    def test_bad_money_is_refused(self, cost):
        p = make_partnership(2)
        scope = services.scope_save(partnership=p, services=[], outcomes="", actor=None)
        _raises(E.VALUE, services.baseline_save, scope=scope, organisation=p.lead_organisation,
                annual_cost=cost, staff=1, actor=None)  # fmt: skip
        assert not scope.baselines.exists()


class TestAppraisal:
    @pytest.mark.parametrize(("weights", "message"), [
        ((40, 35, 15), "The weights add up to 90%, not 100% (10 short)"),
        ((40, 35, 30.5), "The weights add up to 105.5%, not 100% (5.5 over)"),
    ])  # fmt: skip
    def test_weights_that_do_not_add_up_say_by_how_much(self, appraisal, weights, message):
        criteria = [{"name": n, "kind": "quality", "weight": w}
                    for n, w in zip(["A", "B", "C"], weights, strict=True)]  # fmt: skip
        error = _raises(E.WEIGHTS_SUM, services.criteria_set, appraisal=appraisal,
                        criteria=criteria, actor=None)  # fmt: skip
        assert error.message == message
        assert sorted(Criterion.objects.filter(appraisal=appraisal)
                      .values_list("name", flat=True)) == ["Cost", "Quality", "Risk"]  # fmt: skip

    def test_a_score_outside_the_scale(self, appraisal):
        option = services.option_add(appraisal=appraisal, kind="in_house", name="In-house",
                                     annual_cost="100000", actor=None)  # fmt: skip
        quality = appraisal.criteria.get(name="Quality")
        for bad in ("11", "-1", "NaN"):
            _raises(E.SCORE_SCALE, services.score_set, option=option, criterion=quality,
                    score=bad, rationale="x", actor=None)  # fmt: skip
        assert not Score.objects.exists()

    def test_cost_is_computed_not_scored(self, appraisal):
        option = services.option_add(appraisal=appraisal, kind="in_house", name="In-house",
                                     annual_cost="100000", actor=None)  # fmt: skip
        _raises(E.SCORE_COMPUTED, services.score_set, option=option,
                criterion=appraisal.criteria.get(name="Cost"), score=5, rationale="x",
                actor=None)  # fmt: skip

    def test_agreeing_needs_every_score_then_freezes(self, appraisal):
        a = services.option_add(appraisal=appraisal, kind="in_house", name="In-house",
                                annual_cost="100000", actor=None)  # fmt: skip
        b = services.option_add(appraisal=appraisal, kind="shared_service", name="Shared",
                                annual_cost="80000", upfront_cost="50000", actor=None)  # fmt: skip
        kwargs = {
            "appraisal": appraisal,
            "option": b,
            "rationale": "Cheapest and best",
            "agreed_on": date(2002, 9, 1),
            "agreed_by": "Leaders' board",
            "actor": None,
        }
        _raises(E.NOT_COMPLETE, services.appraisal_agree, **kwargs)
        for option in (a, b):
            for c in appraisal.criteria.exclude(kind="cost"):
                services.score_set(option=option, criterion=c, score=6, rationale="ok",
                                   actor=None)  # fmt: skip
        services.appraisal_agree(**kwargs)
        appraisal.refresh_from_db()
        assert appraisal.recommended == b and appraisal.agreed_by == "Leaders' board"
        _raises(E.ALREADY_AGREED, services.option_add, appraisal=appraisal, kind="outsourcing",
                name="Late", annual_cost=1, actor=None)  # fmt: skip


class TestPipeline:
    def test_a_stage_out_of_order(self):
        p = make_partnership(2)
        proc = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                           buyer=p.lead_organisation, actor=None)  # fmt: skip
        company = CompanyFactory()
        services.bidder_add(procurement=proc, organisation=company, actor=None)
        services.stage_record(procurement=proc, stage="notice", on=date(2004, 1, 5), actor=None)
        error = _raises(E.STAGE_ORDER, services.award_record, procurement=proc, supplier=company,
                        value=100, term_months=12, decided_on=date(2004, 6, 1),
                        actor=None)  # fmt: skip
        assert error.message == ("‘Award decision’ cannot come before ‘Tenders received’: "
                                 "record ‘Tenders received’ first")  # fmt: skip
        assert not Award.objects.exists()
        assert StageRecord.objects.filter(procurement=proc).count() == 1
        _raises(E.STAGE_NOT_IN_ROUTE, services.stage_record, procurement=proc, stage="dialogue",
                on=date(2004, 2, 1), actor=None)  # fmt: skip
        _raises(E.STAGE_DATE, services.stage_record, procurement=proc, stage="tenders_received",
                on=date(2003, 12, 1), actor=None)  # fmt: skip

    def test_a_bidder_twice_and_a_bad_company_number(self):
        p = make_partnership(2)
        proc = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                           buyer=p.lead_organisation, actor=None)  # fmt: skip
        company = CompanyFactory(org_id=None)
        for bad in ("1234567", "ABC12345", "042544689"):
            error = _raises(E.COMPANY_NUMBER, services.bidder_add, procurement=proc,
                            organisation=company, companies_house_number=bad,
                            actor=None)  # fmt: skip
            assert "8 characters" in error.message
        _raises(E.COMPANY_NUMBER, services.bidder_add, procurement=proc, organisation=company,
                actor=None)  # fmt: skip
        services.bidder_add(procurement=proc, organisation=company,
                            companies_house_number="0425 4468", actor=None)  # fmt: skip
        assert Bidder.objects.get().companies_house_number == "04254468"
        _raises(E.BIDDER_TWICE, services.bidder_add, procurement=proc, organisation=company,
                companies_house_number="04254468", actor=None)  # fmt: skip
        assert Bidder.objects.count() == 1

    def test_a_contract_ending_before_it_starts(self):
        proc, _ = run_to_award(sign=False)
        services.stage_record(procurement=proc, stage="standstill", on=date(2004, 7, 20),
                              actor=None)  # fmt: skip
        error = _raises(E.CONTRACT_DATES, services.contract_sign, procurement=proc, title="C",
                        starts_on=date(2004, 8, 1), ends_on=date(2004, 7, 31), value=1,
                        signed_on=date(2004, 7, 28), actor=None)  # fmt: skip
        assert "cannot end (31 July 2004) before it starts (1 August 2004)" in error.message
        assert not Contract.objects.exists()

    def test_award_only_to_a_tenderer(self):
        proc, _ = run_to_award(sign=False, bidders=2)
        assert Award.objects.get(procurement=proc).supplier.sector == "private"
        p = make_partnership(2)
        other = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                            buyer=p.lead_organisation, actor=None)  # fmt: skip
        services.bidder_add(procurement=other, organisation=CompanyFactory(), actor=None)
        services.stage_record(procurement=other, stage="notice", on=date(2004, 1, 1), actor=None)
        services.stage_record(procurement=other, stage="tenders_received", on=date(2004, 2, 1),
                              actor=None)  # fmt: skip
        services.stage_record(procurement=other, stage="evaluation", on=date(2004, 3, 1),
                              actor=None)  # fmt: skip
        _raises(E.SUPPLIER_NOT_BIDDER, services.award_record, procurement=other,
                supplier=CompanyFactory(), value=1, term_months=1, decided_on=date(2004, 4, 1),
                actor=None)  # fmt: skip

    def test_an_exempt_arrangement_needs_its_rationale_and_has_no_bidders(self):
        p = make_partnership(2)
        _raises(E.LEGAL_BASIS, services.procurement_create, partnership=p, title="Shared revenues",
                route="exempt_horizontal", buyer=p.lead_organisation, actor=None)  # fmt: skip
        proc = services.procurement_create(
            partnership=p, title="Shared revenues", route="exempt_horizontal",
            buyer=p.lead_organisation, rationale="Two councils share one service", actor=None,
        )  # fmt: skip
        assert "reg. 12(7)" in proc.legal_basis
        _raises(E.EXEMPT_NO_BIDDERS, services.bidder_add, procurement=proc,
                organisation=CompanyFactory(), actor=None)  # fmt: skip
        partner = p.memberships.exclude(organisation=p.lead_organisation).get().organisation
        services.award_record(procurement=proc, supplier=partner, value="400000", term_months=60,
                              decided_on=date(2005, 1, 10), actor=None)  # fmt: skip
        assert Procurement.objects.get(pk=proc.pk).is_awarded

    def test_every_stage_publishes_one_release(self):
        proc, _ = run_to_award()
        tags = list(Release.objects.filter(procurement=proc).values_list("tag", flat=True))
        assert tags == ["tender", "tenderUpdate", "tenderUpdate", "tenderUpdate", "tenderUpdate",
                        "tenderUpdate", "award", "awardUpdate", "contract"]  # fmt: skip

    def test_scores_cannot_change_after_award_and_must_be_on_the_scale(self):
        p = make_partnership(2)
        proc = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                           buyer=p.lead_organisation, actor=None)  # fmt: skip
        bidder = services.bidder_add(procurement=proc, organisation=CompanyFactory(), actor=None)
        _raises(E.WEIGHTS_SUM, services.evaluation_criteria_set, procurement=proc,
                criteria=[{"name": "Quality", "weight": 60}], actor=None)  # fmt: skip
        quality, _price = services.evaluation_criteria_set(
            procurement=proc,
            criteria=[{"name": "Quality", "weight": 60}, {"name": "Price", "weight": 40}],
            actor=None,
        )
        _raises(E.SCORE_SCALE, services.evaluation_score_set, bidder=bidder, criterion=quality,
                score="10.5", actor=None)  # fmt: skip
        services.evaluation_score_set(bidder=bidder, criterion=quality, score=8, actor=None)


class TestContract:
    def test_extension_must_move_the_end_later(self):
        proc, _ = run_to_award()
        contract = proc.contract
        _raises(E.EXTENSION_END, services.contract_change_add, contract=contract,
                kind="extension", on=date(2013, 1, 1), description="More",
                new_end=contract.ends_on, actor=None)  # fmt: skip
        services.contract_change_add(contract=contract, kind="extension", on=date(2013, 1, 1),
                                     description="Two more years",
                                     new_end=date(2016, 7, 28), actor=None)  # fmt: skip
        assert services.current_end(contract) == date(2016, 7, 28)
        assert Release.objects.filter(procurement=proc).last().tag == "contractAmendment"
