"""Pages and the API: the journeys through a client, fixed query counts, exact money, the
e-enablement import with the organisations import's error rules, and bad input (no 500)."""

import base64
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.funding import selectors
from partnering.funding import services as s
from partnering.funding.models import Claim, EEnablement, Payment, Route
from partnering.organisations.importer import ImportFileError
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import (
    PDF,
    EEnablementFactory,
    finance_user,
    make_award,
    make_claim,
    make_round,
    service,
    staff_user,
)

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def bearer(user):
    return {"Authorization": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


class TestMoney:
    def test_committed_paid_remaining_are_exact_to_the_penny(self):
        staff = staff_user()
        round_ = make_round(actor=staff, budget="1000000.00", total_budget="1000000.00")
        a = make_award(round_, actor=staff, amounts=("0.10", "0.20"))
        b = make_award(round_, actor=staff, amounts=("333333.33",))
        claim = make_claim(a, number=1)
        s.claim_approve(claim=claim, actor=finance_user())
        s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P", actor=finance_user())
        s.recovery_record(
            award=b, kind="withhold", amount="0.33", reason="Late", on=date(2004, 5, 1), actor=staff
        )
        view = selectors.money_view()
        assert view.total.committed == Decimal("333333.30")
        assert view.total.paid == Decimal("0.10")
        assert view.total.recovered == Decimal("0.33")
        # the budget less every award, gross: the 0.33 withheld does not go back into it
        assert view.total.remaining == Decimal("666666.37")
        assert [r.committed for r in view.by_round] == [Decimal("333333.30")]
        by_year = {r.label: (r.committed, r.paid) for r in view.by_year}
        assert by_year["2003-04"] == (Decimal("333333.43"), Decimal("0.10"))  # 0.10 + 333333.33
        assert by_year["2004-05"] == (Decimal("-0.13"), Decimal("0.00"))  # 0.20 due, 0.33 withheld
        assert sum(r.committed for r in view.by_year) == view.total.committed
        assert sum(r.committed for r in view.by_region) == view.total.committed

    def test_the_money_page_shows_the_tables_and_charts(self):
        round_ = make_round()
        make_award(round_)
        make_award(round_, amounts=("250.00",),
                   partnership=make_partnership(2, lead=OrganisationFactory(region="North East")))  # fmt: skip
        response = Client().get("/funding/money/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "£1,000.00" in body and 'id="money-year"' in body
        # a chart for each grouping, with its data table after it
        for key, title in [("round", "By round"), ("year", "By financial year"),
                           ("region", "By region"), ("kind", "By kind of partnership")]:  # fmt: skip
            chart = body.index(f'id="chart-{key}-title"')
            assert f"{title}: committed and paid" in body[chart : chart + 200]
            assert chart < body.index(f'id="money-{key}"'), key
        region_chart = body.split('id="chart-region-title"')[1].split("</svg>")[0]
        assert "North East" in region_chart and "West Midlands" in region_chart
        assert "£250.00" in region_chart and "£1,000.00" in region_chart
        assert body.count("<svg") == 4

    def test_the_money_view_runs_the_same_queries_for_1_or_25_awards(
        self, django_assert_num_queries
    ):
        staff = staff_user()
        round_ = make_round(actor=staff)
        make_award(round_, actor=staff)
        with django_assert_num_queries(5) as one:
            selectors.money_view()
        for _ in range(24):
            make_award(round_, actor=staff, amounts=("10.00",))
        with django_assert_num_queries(len(one.captured_queries)):
            view = selectors.money_view()
        assert view.total.awards == 25

    def test_the_awards_list_page_runs_a_fixed_number_of_queries(self, django_assert_num_queries):
        staff = staff_user()
        round_ = make_round(actor=staff)
        make_award(round_, actor=staff)
        client = Client()
        client.get("/funding/awards/")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            client.get("/funding/awards/")
        for _ in range(25):
            make_award(round_, actor=staff, amounts=("10.00",))
        with django_assert_num_queries(len(first.captured_queries)):
            response = client.get("/funding/awards/")
        assert response.content.decode().count("/funding/awards/") >= 26

    def test_the_money_download_has_every_grouping(self):
        make_award()
        rows = b"".join(Client().get("/funding/money/download.csv").streaming_content).decode()
        assert "Round,Round 1,10000000.00,1000.00" in rows and "Total,All rounds" in rows


class TestEEnablement:
    def test_national_progress_by_year_against_every_councils_services(
        self, django_assert_num_queries
    ):
        district, county = OrganisationFactory(), OrganisationFactory(county=True)
        for code, tier in [(9201, "all"), (9202, "district/unitary"), (9203, "county/unitary")]:
            service(code, tier)
        EEnablementFactory(
            organisation=district, service=service(9201), e_enabled_on=date(2003, 3, 1)
        )
        EEnablementFactory(
            organisation=county, service=service(9203), e_enabled_on=date(2005, 12, 31)
        )
        with django_assert_num_queries(3):  # 4 once a service is retired
            view = selectors.e_enablement_view(today=date(2006, 1, 1))
        totals = {p.on.year: (p.enabled, p.total) for p in view.points}
        # 2 councils: the district provides 2 services, the county 2: 4 in all
        assert totals[2002] == (0, 4) and totals[2003] == (1, 4) and totals[2005] == (2, 4)
        council = {c.organisation: c for c in view.councils}
        assert council[district].percent == Decimal("50.0")

    def test_the_national_page_lists_each_council_with_its_share_or_says_there_is_none(self):
        assert (
            "No council has e-enablement records yet."
            in Client().get("/funding/e-enablement/").content.decode()
        )
        district = OrganisationFactory(name="Ryedale & Malton District Council")
        service(9211), service(9212)
        EEnablementFactory(organisation=district, service=service(9211),
                           e_enabled_on=date(2003, 3, 1))  # fmt: skip
        body = Client().get("/funding/e-enablement/").content.decode()
        link = f'href="/funding/e-enablement/councils/{district.slug}/">Ryedale &amp; Malton'
        assert link in body and "50.0%" in body and "No council has" not in body

    def test_the_pages_say_when_records_are_illustrative(self):
        rec = EEnablementFactory(is_illustrative=True)
        service(9300)
        body = (
            Client()
            .get(f"/funding/e-enablement/councils/{rec.organisation.slug}/")
            .content.decode()
        )
        assert "illustrative" in body

    def _import(self, text: str):
        return s.e_enablement_import(
            path=Path("records.csv"), data=text.encode(), actor=staff_user()
        )

    def test_the_import_writes_every_row(self):
        council = OrganisationFactory(gss_code="E07000235")
        service(9401)
        created, updated = self._import(
            "gss_code,lgsl_code,e_enabled_on,route,note\n"
            "E07000235,9401,2004-05-01,own_site,Online form\n"
        )
        assert (created, updated) == (1, 0)
        record = EEnablement.objects.get(organisation=council)
        assert record.route == Route.OWN_SITE and record.history.count() == 1

    @pytest.mark.parametrize(
        ("text", "line", "reason"),
        [
            ("gss_code,lgsl_code\n", 1, "missing column(s): e_enabled_on, route"),
            ("", 1, "the file is empty"),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401,2004-05-01,own_site\nE07999999,9401,,\n",
                3,
                "gss_code ‘E07999999’ is not a council we hold",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401,2004-13-01,own_site\n",
                2,
                "is not a date in the form YYYY-MM-DD",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401,2004-05-01,fax\n",
                2,
                "route ‘fax’",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9402,2004-05-01,own_site\n",
                2,
                "does not provide LGSL 9402",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401,,\nE07000235,9401,,\n",
                3,
                "repeat line 2",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401\n",
                2,
                "wrong number of columns",
            ),
            (
                "gss_code,lgsl_code,e_enabled_on,route\nE07000235,abc,,\n",
                2,
                "is not an LGSL service",
            ),
        ],
    )
    def test_a_bad_file_names_the_line_and_the_reason_and_writes_nothing(self, text, line, reason):
        OrganisationFactory(gss_code="E07000235")
        service(9401)
        service(9402, "county/unitary")
        with pytest.raises(ImportFileError) as e:
            self._import(text)
        assert e.value.line == line and reason in e.value.reason
        assert not EEnablement.objects.exists()

    def test_a_file_that_is_not_utf8_is_refused_with_its_line(self):
        with pytest.raises(ImportFileError) as e:
            s.e_enablement_import(
                path=Path("x.csv"),
                data=b"gss_code,lgsl_code,e_enabled_on,route\n\xff\n",
                actor=staff_user(),
            )
        assert e.value.line == 2 and "not UTF-8" in e.value.reason

    def test_the_import_page_shows_the_error_and_writes_nothing(self):
        client = client_for(staff_user())
        upload = SimpleUploadedFile("bad.csv", b"gss_code,lgsl_code,e_enabled_on,route\nE00,1,,\n")
        response = client.post("/funding/e-enablement/import/", {"file": upload})
        body = response.content.decode()
        assert (
            response.status_code == 200
            and "bad.csv, line 2" in body
            and "Nothing was imported" in body
        )
        assert not EEnablement.objects.exists()


class TestJourneyThroughPages:
    def test_apply_assess_award_claim_approve_pay(self):
        staff = staff_user()
        lead = OrganisationFactory()
        applicant = UserFactory(role=Role.PARTNER, organisations=[lead])
        p = make_partnership(2, lead=lead)
        assessor = UserFactory(role=Role.ADVISER)
        round_ = make_round(actor=staff, assessors=[assessor])
        service(9001)
        c = client_for(applicant)
        r = c.post(
            f"/funding/rounds/{round_.slug}/apply/",
            {"partnership": p.pk, "title": "Online services", "summary": "Put them online"},
        )
        assert r.status_code == 302
        ref = r["Location"].rstrip("/").rsplit("/", 1)[1]
        base = f"/funding/applications/{ref}/"
        assert (
            c.post(
                base + "milestones/",
                {
                    "title": "Live",
                    "due_on_day": "30",
                    "due_on_month": "6",
                    "due_on_year": "2003",
                    "amount": "£1,000",
                },
            ).status_code
            == 302
        )
        assert (
            c.post(
                base + "budget/", {"year": "2003", "organisation": lead.pk, "amount": "1000"}
            ).status_code
            == 302
        )
        assert (
            c.post(
                base + "services/",
                {
                    "service": service(9001).pk,
                    "organisation": lead.pk,
                    "by_date_day": "31",
                    "by_date_month": "12",
                    "by_date_year": "2005",
                },
            ).status_code
            == 302
        )
        assert c.post(base + "submit/").status_code == 302
        scores = {f"score_{x.pk}": "7" for x in round_.criteria.all()}
        assert client_for(assessor).post(base + "assess/", scores).status_code == 302
        decided = client_for(staff).post(
            base + "decide/",
            {
                "decision": "award",
                "reason": "Good",
                "conditions": "Reports",
                "awarded_on": "2002-12-01",
                "agreement_starts_on": "2003-01-01",
                "agreement_ends_on": "2005-12-31",
            },
        )
        assert decided.status_code == 302
        award_url = decided["Location"]
        award_pk = int(award_url.rstrip("/").rsplit("/", 1)[1])
        milestone = round_.applications.get().milestones.get()
        claimed = c.post(
            f"/funding/awards/{award_pk}/claims/new/",
            {
                "milestone": milestone.pk,
                "amount": "1000",
                "claimed_on": "2003-07-01",
                "description": "Live",
                "evidence": SimpleUploadedFile("report.pdf", PDF),
            },
        )
        assert claimed.status_code == 302
        claim = Claim.objects.get()
        one, two = finance_user(), finance_user()
        assert client_for(one).post(f"/funding/claims/{claim.pk}/approve/").status_code == 302
        paid = client_for(two).post(
            f"/funding/claims/{claim.pk}/pay/", {"paid_on": "2003-07-15", "reference": "BACS-77"}
        )
        assert paid.status_code == 302
        assert Payment.objects.get().amount == Decimal("1000.00")
        assert "£1,000.00" in Client().get(award_url).content.decode()

    def test_a_mistyped_attachment_is_an_error_on_the_page_and_nothing_is_saved(self):
        award = make_award()
        milestone = award.application.milestones.get(number=1)
        response = client_for(staff_user()).post(
            f"/funding/awards/{award.pk}/claims/new/",
            {
                "milestone": milestone.pk,
                "amount": "600",
                "claimed_on": "2003-07-01",
                "description": "Live",
                "evidence": SimpleUploadedFile("report.pdf", b"MZ\x00\x01 a program"),
            },
        )
        assert response.status_code == 200
        assert "The selected file must be a PDF" in response.content.decode()
        assert not Claim.objects.exists()

    @pytest.mark.parametrize("amount", ["NaN", "-50", "1e999", "abc", "0"])
    def test_a_bad_amount_on_the_page_is_a_message_not_a_500(self, amount):
        award = make_award()
        milestone = award.application.milestones.get(number=1)
        response = client_for(staff_user()).post(
            f"/funding/awards/{award.pk}/claims/new/",
            {
                "milestone": milestone.pk,
                "amount": amount,
                "claimed_on": "2003-07-01",
                "description": "Live",
                "evidence": SimpleUploadedFile("report.pdf", PDF),
            },
        )
        assert response.status_code == 200 and "Error:" in response.content.decode()
        assert not Claim.objects.exists()


class TestApi:
    def _claim_body(self, **kw):
        return {
            "milestone": 1,
            "amount": "600.00",
            "claimed_on": "2003-07-01",
            "description": "Live",
            "evidence": [{"filename": "r.pdf", "content_base64": base64.b64encode(PDF).decode()}],
            **kw,
        }

    @pytest.mark.parametrize("amount", ["-1", "NaN", "Infinity", "1e999", "abc", "0", "600.001"])
    def test_a_bad_claim_amount_is_a_422_naming_the_field_and_nothing_is_saved(self, amount):
        award = make_award()
        staff = staff_user()
        r = Client().post(
            f"/api/v1/funding/awards/{award.pk}/claims",
            json.dumps(self._claim_body(amount=amount)),
            content_type="application/json",
            headers=bearer(staff),
        )
        assert r.status_code == 422 and r.json()["field"] == "amount", r.json()
        assert not Claim.objects.exists()

    def test_a_claim_over_the_milestone_is_a_422_with_its_code(self):
        award = make_award()
        r = Client().post(
            f"/api/v1/funding/awards/{award.pk}/claims",
            json.dumps(self._claim_body(amount="600.01")),
            content_type="application/json",
            headers=bearer(staff_user()),
        )
        assert r.status_code == 422 and r.json()["code"] == "funding.claim_over_milestone"

    def test_bad_base64_evidence_is_a_422(self):
        award = make_award()
        body = self._claim_body(evidence=[{"filename": "r.pdf", "content_base64": "!!!"}])
        r = Client().post(
            f"/api/v1/funding/awards/{award.pk}/claims",
            json.dumps(body),
            content_type="application/json",
            headers=bearer(staff_user()),
        )
        assert r.status_code == 422 and not Claim.objects.exists()

    def test_pay_twice_through_the_api_is_a_422_and_one_payment(self):
        award = make_award()
        claim = make_claim(award)
        s.claim_approve(claim=claim, actor=finance_user())
        payer = finance_user()
        url = f"/api/v1/funding/claims/{claim.pk}/payments"
        first = Client().post(
            url,
            json.dumps({"paid_on": "2003-08-01", "reference": "A1"}),
            content_type="application/json",
            headers=bearer(payer),
        )
        second = Client().post(
            url,
            json.dumps({"paid_on": "2003-08-01", "reference": "A2"}),
            content_type="application/json",
            headers=bearer(payer),
        )
        assert first.status_code == 201 and first.json()["amount"] == "600.00"
        assert second.status_code == 422 and second.json()["code"] == "funding.already_paid"
        assert Payment.objects.count() == 1

    def test_money_comes_out_as_exact_strings(self):
        make_award(amounts=("0.10", "0.20"))
        data = Client().get("/api/v1/funding/money").json()
        assert (
            data["total"]["committed"] == "0.30"
            and data["by_round"][0]["remaining"] == "9999999.70"
        )


def test_public_award_pages_link_the_partnership_only_for_viewers_who_may_see_it():
    """Issue 8 part 10: a published award of an unpublished partnership (the demo's) shows the
    partnership's name to the public without a link (its page would be a 404); staff, who may
    see the partnership, get the link. Likewise the application behind the award."""
    from partnering.funding.models import ApplicationStatus
    from partnering.funding.tests.factories import AwardFactory

    hidden = make_partnership(2, name="Quietshire Connect", is_published=False)
    award = AwardFactory(application__partnership=hidden, is_published=True,
                         application__status=ApplicationStatus.AWARDED)  # fmt: skip
    link = f'href="{hidden.get_absolute_url()}"'
    public, staff = Client(), client_for(staff_user())
    for url in (award.get_absolute_url(), award.application.get_absolute_url()):
        html = public.get(url).content.decode()
        assert "Quietshire Connect" in html and link not in html, url
        assert public.get(hidden.get_absolute_url()).status_code == 404
        assert link in staff.get(url).content.decode(), url
    shown = make_partnership(2, name="Openshire Connect")
    award = AwardFactory(application__partnership=shown, is_published=True,
                         application__status=ApplicationStatus.AWARDED)  # fmt: skip
    assert (
        f'href="{shown.get_absolute_url()}"'
        in public.get(award.get_absolute_url()).content.decode()
    )
