"""The rules of the fund, each with its bad input: a DomainError with its code, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.funding import selectors
from partnering.funding import services as s
from partnering.funding.models import (
    Application,
    ApplicationStatus,
    Award,
    AwardShare,
    AwardStatus,
    Claim,
    ClaimStatus,
    Evidence,
    Payment,
    Recovery,
    Round,
)
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import (
    PDF,
    assess,
    finance_user,
    make_application,
    make_award,
    make_claim,
    make_round,
    service,
    staff_user,
)

pytestmark = pytest.mark.django_db


def code(excinfo) -> str:
    return excinfo.value.code


class TestRounds:
    def test_round_budgets_never_exceed_the_programme(self):
        staff = staff_user()
        first = make_round(actor=staff, budget="30000000.00", total_budget="50000000.00")
        with pytest.raises(DomainError) as e:
            s.round_create(
                programme=first.programme,
                title="Too much",
                budget=Decimal("20000000.01"),
                opens_on=date(2003, 1, 1),
                closes_on=date(2003, 2, 1),
                decisions_by=date(2003, 3, 1),
                criteria=[s.CriterionSpec("A")],
                actor=staff,
            )
        assert code(e) == "funding.over_programme_budget"
        assert "£20,000,000.00 is left" in e.value.message
        assert Round.objects.count() == 1
        exactly = s.round_create(
            programme=first.programme,
            title="The rest",
            budget=Decimal("20000000.00"),
            opens_on=date(2003, 1, 1),
            closes_on=date(2003, 2, 1),
            decisions_by=date(2003, 3, 1),
            criteria=[s.CriterionSpec("A")],
            actor=staff,
        )
        assert exactly.number == 2

    @pytest.mark.parametrize("budget", ["-5", "0", "NaN", "Infinity", "abc", "1.001", "1e15"])
    def test_a_bad_budget_is_refused(self, budget):
        with pytest.raises(DomainError) as e:
            make_round(budget=budget)
        assert code(e) == "funding.amount"
        assert Round.objects.count() == 0

    def test_only_staff_make_rounds(self):
        with pytest.raises(DomainError) as e:
            make_round(actor=UserFactory(role=Role.PARTNER))
        assert code(e) == "funding.staff_only"


class TestApplications:
    def test_a_partnership_of_one_council_is_not_eligible(self):
        round_ = make_round()
        with pytest.raises(DomainError) as e:
            s.application_create(
                round_=round_, partnership=make_partnership(1), title="T", summary="S", actor=None
            )
        assert code(e) == "funding.not_eligible"
        assert not Application.objects.exists()

    def test_only_the_partnerships_people_apply(self):
        round_ = make_round()
        outsider = UserFactory(role=Role.PARTNER, organisations=[OrganisationFactory()])
        with pytest.raises(DomainError) as e:
            s.application_create(
                round_=round_,
                partnership=make_partnership(2),
                title="T",
                summary="S",
                actor=outsider,
            )
        assert code(e) == "funding.not_your_partnership"

    def test_submission_needs_budget_lines_adding_up_to_the_milestones(self):
        round_ = make_round()
        app = make_application(round_, submit=False)
        s.budget_line_set(
            application=app,
            year=2005,
            organisation=app.partnership.lead_organisation,
            amount=Decimal("0.01"),
            actor=None,
        )
        with pytest.raises(DomainError) as e:
            s.application_submit(application=app, actor=None)
        assert code(e) == "funding.schedule_mismatch"
        app.refresh_from_db()
        assert app.status == ApplicationStatus.DRAFT

    def test_a_service_the_councils_tier_does_not_provide_is_refused(self):
        app = make_application(make_round(), submit=False)
        county_service = service(9100, tier="county/unitary")
        with pytest.raises(DomainError) as e:
            s.promised_service_add(
                application=app,
                service=county_service,
                organisation=app.partnership.lead_organisation,  # a district
                by_date=date(2005, 1, 1),
                actor=None,
            )
        assert code(e) == "funding.wrong_tier"

    def test_a_non_member_cannot_have_a_budget_line(self):
        app = make_application(make_round(), submit=False)
        with pytest.raises(DomainError) as e:
            s.budget_line_set(
                application=app,
                year=2003,
                organisation=OrganisationFactory(),
                amount=Decimal(10),
                actor=None,
            )
        assert code(e) == "funding.not_a_member"


class TestAssessment:
    def test_disagreeing_scores_block_the_award_until_moderated(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        app = make_application(round_)
        a1, a2 = UserFactory(role=Role.ADVISER), UserFactory(role=Role.ADVISER)
        round_.assessors.add(a1, a2)
        assess(app, a1, 1, 8)
        assess(app, a2, 9, 8)
        with pytest.raises(DomainError) as e:
            s.award_make(
                application=app,
                reason="r",
                conditions="c",
                awarded_on=date(2002, 12, 1),
                agreement_starts_on=date(2003, 1, 1),
                agreement_ends_on=date(2004, 1, 1),
                actor=staff,
            )
        assert code(e) == "funding.not_moderated"
        first = round_.criteria.first()
        s.moderation_record(application=app, criterion=first, score=6, note="Agreed", actor=staff)
        results, score = s.application_score(app)
        assert score is not None and not any(r.disagrees for r in results)

    def test_a_conflicted_assessor_cannot_assess(self):
        round_ = make_round()
        lead = OrganisationFactory()
        app = make_application(round_, partnership=make_partnership(2, lead=lead))
        assessor = UserFactory(role=Role.ADVISER, organisations=[lead])
        round_.assessors.add(assessor)
        with pytest.raises(DomainError) as e:
            assess(app, assessor, 5, 5)
        assert code(e) == "funding.conflict_of_interest"

    def test_a_score_outside_the_scale_is_refused(self):
        round_ = make_round()
        app = make_application(round_)
        assessor = UserFactory(role=Role.ADVISER)
        round_.assessors.add(assessor)
        with pytest.raises(DomainError) as e:
            assess(app, assessor, 11, 5)
        assert code(e) == "funding.score_outside_scale"


class TestAwards:
    def test_the_award_is_the_milestones_total_shared_to_the_lead(self):
        award = make_award()
        assert award.amount == Decimal("1000.00")
        assert award.recipient == award.application.partnership.lead_organisation
        assert [(x.organisation, x.amount) for x in award.shares.all()] == [
            (award.recipient, Decimal("1000.00"))
        ]
        assert award.application.status == ApplicationStatus.AWARDED

    def test_partner_shares_follow_the_agreed_fair_shares_to_the_penny(self):
        from partnering.sharing.tests.factories import (
            AgreedShareFactory,
            CostModelFactory,
            ShareAgreementFactory,
        )

        staff = staff_user()
        p = make_partnership(3)
        agreement = ShareAgreementFactory(
            cost_model=CostModelFactory(partnership=p), total_pence=300
        )
        for m in p.memberships.all():
            AgreedShareFactory(agreement=agreement, organisation=m.organisation, amount_pence=100)
        award = make_award(
            make_round(actor=staff), actor=staff, partnership=p, amounts=("1000.00",)
        )
        shares = sorted(x.amount for x in award.shares.all())
        assert shares == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
        assert sum(shares) == award.amount

    def test_an_award_over_the_rounds_remaining_budget_is_refused(self):
        staff = staff_user()
        round_ = make_round(actor=staff, budget="1500.00")
        make_award(round_, actor=staff)  # 1000 of 1500
        with pytest.raises(DomainError) as e:
            make_award(round_, actor=staff, amounts=("400.00", "100.01"))
        assert code(e) == "funding.over_round_budget"
        assert "remaining budget of £500.00" in e.value.message
        assert Award.objects.count() == 1 and AwardShare.objects.count() == 1
        make_award(round_, actor=staff, amounts=("500.00",))  # exactly the rest
        assert s.round_committed(round_) == Decimal("1500.00")

    def test_money_clawed_back_or_withheld_does_not_free_room_for_new_awards(self):
        """The lead's decision: the sum of awards never exceeds the round's budget, gross."""
        staff = staff_user()
        round_ = make_round(actor=staff, budget="1500.00")
        award = make_award(round_, actor=staff)  # 600 + 400 of 1500
        claim = make_claim(award, number=1)
        s.claim_approve(claim=claim, actor=finance_user())
        s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P", actor=finance_user())
        s.recovery_record(award=award, kind="clawback", amount="600.00", reason="Failed",
                          on=date(2004, 1, 1), actor=staff)  # fmt: skip
        s.recovery_record(award=award, kind="withhold", amount="400.00", reason="Failed",
                          on=date(2004, 1, 1), actor=staff)  # fmt: skip
        assert s.round_committed(round_) == Decimal("0.00")
        assert s.round_recovered(round_) == Decimal("1000.00")
        with pytest.raises(DomainError) as e:
            make_award(round_, actor=staff, amounts=("500.01",))
        assert code(e) == "funding.over_round_budget"
        assert "remaining budget of £500.00" in e.value.message
        assert Award.objects.count() == 1
        make_award(round_, actor=staff, amounts=("500.00",))
        assert s.round_awarded(round_) == Decimal("1500.00")
        row = selectors.money_view().by_round[0]
        assert (row.awarded, row.recovered, row.committed, row.remaining) == (
            Decimal("1500.00"), Decimal("1000.00"), Decimal("500.00"), Decimal("0.00")
        )  # fmt: skip


class TestClaimsAndPayments:
    def test_claim_approve_pay(self):
        award = make_award()
        claimant = UserFactory(role=Role.STAFF)
        claim = make_claim(award, actor=claimant)
        approver, payer = finance_user(), finance_user()
        s.claim_approve(claim=claim, actor=approver)
        payment = s.payment_record(
            claim=claim, paid_on=date(2003, 8, 1), reference="BACS-1", actor=payer
        )
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PAID and payment.amount == Decimal("600.00")
        assert s.award_paid(award) == Decimal("600.00")
        assert claim.history.count() >= 3 and payment.history.count() == 1

    def test_a_claim_before_its_milestone_date_is_refused(self):
        award = make_award()
        with pytest.raises(DomainError) as e:
            make_claim(award, claimed_on=date(2003, 6, 29))
        assert code(e) == "funding.claim_too_early"
        assert not Claim.objects.exists() and not Evidence.objects.exists()

    def test_a_claim_over_what_is_left_of_the_milestone_is_refused(self):
        award = make_award()
        make_claim(award, amount="500.00")
        with pytest.raises(DomainError) as e:
            make_claim(award, amount="100.01")
        assert code(e) == "funding.claim_over_milestone"
        assert "(£100.00)" in e.value.message
        assert Claim.objects.count() == 1

    @pytest.mark.parametrize("amount", ["-1", "0", "NaN", "abc", "Infinity", "0.001", "1e999"])
    def test_a_negative_or_non_numeric_claim_is_refused(self, amount):
        with pytest.raises(DomainError) as e:
            make_claim(make_award(), amount=amount)
        assert code(e) == "funding.amount"
        assert not Claim.objects.exists()

    @pytest.mark.parametrize(
        ("name", "data", "error"),
        [
            (
                "report.pdf",
                b"MZ\x90\x00\x03" + b"\x00" * 50,
                "funding.evidence_type",
            ),  # an .exe named .pdf
            ("report.pdf", b"", "funding.evidence_type"),
            ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "funding.evidence_too_large"),
            ("fake.docx", b"PK\x03\x04not really a zip", "funding.evidence_type"),
        ],
    )
    def test_an_oversized_or_mistyped_attachment_is_refused(self, name, data, error):
        award = make_award()
        milestone = award.application.milestones.get(number=1)
        with pytest.raises(DomainError) as e:
            s.claim_submit(
                award=award,
                milestone=milestone,
                amount=Decimal(100),
                claimed_on=date(2003, 7, 1),
                description="d",
                files=[("ok.pdf", PDF), (name, data)],
                actor=None,
            )
        assert code(e) == error
        assert not Claim.objects.exists() and not Evidence.objects.exists()

    def test_evidence_is_judged_by_content_not_name(self):
        assert s.evidence_type(PDF) == "application/pdf"
        assert s.evidence_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
        assert s.evidence_type("Milestone reached, £ spent\n".encode()) == "text/plain"

    def test_the_claimant_cannot_approve_their_own_claim(self):
        award = make_award()
        officer = finance_user()
        claim = make_claim(award, actor=officer)
        with pytest.raises(DomainError) as e:
            s.claim_approve(claim=claim, actor=officer)
        assert code(e) == "funding.own_claim"
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SUBMITTED

    def test_the_approver_cannot_also_pay(self):
        claim = make_claim(make_award())
        officer = finance_user()
        s.claim_approve(claim=claim, actor=officer)
        with pytest.raises(DomainError) as e:
            s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="X", actor=officer)
        assert code(e) == "funding.same_person"
        assert not Payment.objects.exists()

    def test_staff_who_are_not_finance_officers_cannot_approve(self):
        claim = make_claim(make_award())
        with pytest.raises(DomainError) as e:
            s.claim_approve(claim=claim, actor=staff_user())
        assert code(e) == "funding.finance_only"

    def test_a_payment_twice_is_refused_and_money_is_counted_once(self):
        award = make_award()
        claim = make_claim(award)
        s.claim_approve(claim=claim, actor=finance_user())
        payer = finance_user()
        s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P-1", actor=payer)
        with pytest.raises(DomainError) as e:
            s.payment_record(
                claim=claim, paid_on=date(2003, 8, 2), reference="P-2", actor=finance_user()
            )
        assert code(e) == "funding.already_paid"
        assert Payment.objects.count() == 1 and s.award_paid(award) == Decimal("600.00")

    def test_an_unapproved_claim_cannot_be_paid(self):
        claim = make_claim(make_award())
        with pytest.raises(DomainError) as e:
            s.payment_record(
                claim=claim, paid_on=date(2003, 8, 1), reference="P", actor=finance_user()
            )
        assert code(e) == "funding.not_approved"


class TestVariationsAndRecovery:
    def test_reprofiling_keeps_the_total_and_records_before_and_after(self):
        award = make_award()
        v = s.variation_make(
            award=award,
            kind="reprofile",
            reason="Slipped",
            actor=staff_user(),
            changes=[
                s.MilestoneChange(1, amount="500.00"),
                s.MilestoneChange(2, amount="500.00", due_on=date(2005, 1, 1)),
            ],
        )
        assert (
            v.changes["before"]["1"]["amount"] == "600.00"
            and v.changes["after"]["2"]["due_on"] == "2005-01-01"
        )
        assert (
            sorted(m.amount for m in award.application.milestones.all()) == [Decimal("500.00")] * 2
        )

    def test_a_variation_that_changes_the_total_is_refused(self):
        award = make_award()
        with pytest.raises(DomainError) as e:
            s.variation_make(
                award=award,
                kind="milestone",
                reason="More",
                actor=staff_user(),
                changes=[s.MilestoneChange(1, amount="700.00")],
            )
        assert code(e) == "funding.schedule_mismatch"
        assert award.application.milestones.get(number=1).amount == Decimal("600.00")

    def test_clawback_is_at_most_what_was_paid_and_stops_claims(self):
        award = make_award()
        claim = make_claim(award)
        s.claim_approve(claim=claim, actor=finance_user())
        s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P", actor=finance_user())
        staff = staff_user()
        with pytest.raises(DomainError) as e:
            s.recovery_record(
                award=award,
                kind="clawback",
                amount="600.01",
                reason="Failed",
                on=date(2004, 1, 1),
                actor=staff,
            )
        assert code(e) == "funding.recovery_too_much"
        s.recovery_record(
            award=award,
            kind="clawback",
            amount="600.00",
            reason="Failed",
            on=date(2004, 1, 1),
            actor=staff,
        )
        award.refresh_from_db()
        assert award.status == AwardStatus.CLAWED_BACK and s.award_paid(award) == Decimal("0.00")
        with pytest.raises(DomainError) as e:
            make_claim(award, number=2)
        assert code(e) == "funding.award_not_active"

    def test_a_recovery_needs_a_reason(self):
        with pytest.raises(DomainError) as e:
            s.recovery_record(
                award=make_award(),
                kind="withhold",
                amount="1",
                reason="  ",
                on=date(2004, 1, 1),
                actor=staff_user(),
            )
        assert code(e) == "funding.reason_required"
        assert not Recovery.objects.exists()
