"""What the API gives that the pages already did: rejecting a claim, recording and importing
e-enablement, a partnership's and a council's progress at each year end, a funded project's
promised services against what it delivered, and the 360Giving spreadsheet. With the selectors
behind them: ``promises()`` (delivered, late, not yet) and the progress points per council and
per partnership."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.funding import selectors
from partnering.funding import services as s
from partnering.funding.models import Claim, ClaimStatus, EEnablement, Route
from partnering.organisations.models import Organisation
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import EEnablementFactory, make_award, make_claim, service, staff_user
from .test_views_and_api import bearer

pytestmark = pytest.mark.django_db

API = "/api/v1/funding"


def send(method, url, body, user):
    return getattr(Client(), method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def finance():
    from .factories import finance_user

    return finance_user()


class TestClaimReject:
    def test_finance_reject_a_claim_with_a_reason(self):
        claim = make_claim(make_award())
        r = send("post", f"{API}/claims/{claim.pk}/reject", {"reason": "No evidence"}, finance())
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.REJECTED and claim.rejection_reason == "No evidence"

    def test_no_reason_is_a_422_and_the_claim_stays_submitted(self):
        claim = make_claim(make_award())
        r = send("post", f"{API}/claims/{claim.pk}/reject", {"reason": "   "}, finance())
        assert r.status_code == 422 and r.json()["field"] == "reason"
        assert Claim.objects.get().status == ClaimStatus.SUBMITTED

    def test_a_paid_claim_cannot_be_rejected(self):
        claim = make_claim(make_award())
        s.claim_approve(claim=claim, actor=finance())
        s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P", actor=finance())
        r = send("post", f"{API}/claims/{claim.pk}/reject", {"reason": "Late"}, finance())
        assert r.status_code == 422 and r.json()["code"] == "funding.not_submitted"
        assert Claim.objects.get().status == ClaimStatus.PAID


class TestEEnablementThroughTheApi:
    def test_a_record_is_set_and_set_again(self):
        council = OrganisationFactory()
        service(9701)
        url = f"{API}/e-enablement/councils/{council.slug}/services/9701"
        staff = staff_user()
        r = send("put", url, {"e_enabled_on": "2004-05-01", "route": "front_door"}, staff)
        assert r.status_code == 200
        assert r.json() | {"label": ""} == {
            "lgsl_code": 9701, "label": "", "e_enabled_on": "2004-05-01", "route": "front_door",
            "note": "",
        }  # fmt: skip
        again = send("put", url, {"e_enabled_on": "2004-05-01", "route": "front_door"}, staff)
        assert again.status_code == 200
        record = EEnablement.objects.get()
        assert record.route == Route.FRONT_DOOR and record.history.count() == 2
        progress = Client().get(f"{API}/e-enablement/councils/{council.slug}/progress").json()
        assert [(p["on"][:4], p["enabled"]) for p in progress["points"]] == [
            ("2002", 0), ("2003", 0), ("2004", 1), ("2005", 1)
        ]  # fmt: skip

    @pytest.mark.parametrize(
        ("code", "body", "field"),
        [
            (9702, {"e_enabled_on": "2004-05-01", "route": "own_site"}, "service"),  # county's
            (9701, {"e_enabled_on": "2031-01-01", "route": "own_site"}, "e_enabled_on"),
            (9701, {"e_enabled_on": "2004-05-01"}, "route"),
            (9701, {"e_enabled_on": "2004-05-01", "route": "own_site", "award": 999999}, "award"),
        ],
    )
    def test_bad_input_is_a_422_and_nothing_is_saved(self, code, body, field):
        council = OrganisationFactory()  # a district
        service(9701)
        service(9702, "county/unitary")
        r = send("put", f"{API}/e-enablement/councils/{council.slug}/services/{code}", body,
                 staff_user())  # fmt: skip
        assert r.status_code == 422 and r.json()["field"] == field, r.json()
        assert not EEnablement.objects.exists()

    def test_the_import_writes_every_row_or_nothing(self):
        OrganisationFactory(gss_code="E07000235")
        service(9401)
        staff = staff_user()
        good = (
            "gss_code,lgsl_code,e_enabled_on,route,note\nE07000235,9401,2004-05-01,own_site,Form\n"
        )
        r = send("post", f"{API}/e-enablement/import", {"filename": "a.csv", "csv": good}, staff)
        assert r.status_code == 200 and r.json() == {"created": 1, "updated": 0}
        bad = "gss_code,lgsl_code,e_enabled_on,route\nE07000235,9401,2005-01-01,own_site\nE07999999,9401,,\n"
        r = send("post", f"{API}/e-enablement/import", {"filename": "b.csv", "csv": bad}, staff)
        assert r.status_code == 422
        assert r.json()["code"] == "funding.import" and r.json()["field"] == "csv"
        assert r.json()["detail"].startswith("b.csv, line 3: gss_code ‘E07999999’")
        assert EEnablement.objects.get().e_enabled_on == date(2004, 5, 1)  # the first file's


class TestProgressPoints:
    def test_a_partnerships_councils_at_each_year_end_and_nobody_elses(self):
        for code, tier in [(9601, "all"), (9602, "district/unitary"), (9603, "county/unitary")]:
            service(code, tier)
        p = make_partnership(2, name="Twin Districts Online")
        lead, other = [m.organisation for m in p.memberships.order_by("pk")]
        EEnablementFactory(organisation=lead, service=service(9601), e_enabled_on=date(2003, 5, 1))
        EEnablementFactory(
            organisation=other, service=service(9602), e_enabled_on=date(2005, 12, 31)
        )
        EEnablementFactory(organisation=OrganisationFactory(), service=service(9601),
                           e_enabled_on=date(2002, 2, 1))  # outside the partnership  # fmt: skip
        view = selectors.e_enablement_view(councils=selectors.partnership_councils(p))
        points = [(x.on.year, x.enabled, x.total, x.percent) for x in view.points]
        assert points == [
            (2002, 0, 4, Decimal("0.0")), (2003, 1, 4, Decimal("25.0")),
            (2004, 1, 4, Decimal("25.0")), (2005, 2, 4, Decimal("50.0")),
        ]  # fmt: skip
        assert {c.organisation: c.percent for c in view.councils} == {
            lead: Decimal("50.0"), other: Decimal("50.0")
        }  # fmt: skip
        data = Client().get(f"{API}/e-enablement/partnerships/{p.slug}").json()
        assert [(x["on"][:4], x["enabled"], x["total"], x["percent"]) for x in data["points"]] == [
            ("2002", 0, 4, "0.0"), ("2003", 1, 4, "25.0"), ("2004", 1, 4, "25.0"),
            ("2005", 2, 4, "50.0"),
        ]  # fmt: skip
        page = Client().get(f"/funding/e-enablement/partnerships/{p.slug}/").content.decode()
        assert "E-enablement: Twin Districts Online" in page
        assert lead.name in page and other.name in page and "25.0%" in page

    def test_one_councils_points_count_only_the_services_its_tier_provides(self):
        service(9601, "all")
        service(9603, "county/unitary")
        county = OrganisationFactory(county=True)
        district = OrganisationFactory()
        EEnablementFactory(
            organisation=county, service=service(9603), e_enabled_on=date(2004, 1, 1)
        )
        EEnablementFactory(
            organisation=district, service=service(9601), e_enabled_on=date(2002, 6, 1)
        )
        view = selectors.e_enablement_view(councils=Organisation.objects.filter(pk=county.pk))
        assert [(x.on.year, x.enabled, x.total) for x in view.points] == [
            (2002, 0, 2), (2003, 0, 2), (2004, 1, 2), (2005, 1, 2)
        ]  # fmt: skip
        data = Client().get(f"{API}/e-enablement/councils/{district.slug}/progress").json()
        assert [(x["enabled"], x["total"]) for x in data["points"]] == [(1, 1)] * 4
        page = Client().get(f"/funding/e-enablement/councils/{county.slug}/").content.decode()
        assert "50.0%" in page

    def test_a_hidden_partnerships_progress_is_a_404_for_the_public(self):
        p = make_partnership(2, is_published=False)
        assert Client().get(f"{API}/e-enablement/partnerships/{p.slug}").status_code == 404
        staff = Client().get(f"{API}/e-enablement/partnerships/{p.slug}",
                             headers=bearer(staff_user()))  # fmt: skip
        assert staff.status_code == 200


class TestPromises:
    def test_each_promise_is_delivered_late_or_not_yet(self):
        award = make_award()
        application = award.application
        lead = application.partnership.lead_organisation
        on_time, late, waiting = service(9001), service(9801), service(9802)
        for svc in (late, waiting):
            application.promised_services.create(service=svc, organisation=lead,
                                                 by_date=date(2004, 12, 31))  # fmt: skip
        EEnablementFactory(organisation=lead, service=on_time, e_enabled_on=date(2005, 12, 31))
        EEnablementFactory(organisation=lead, service=late, e_enabled_on=date(2005, 1, 1))
        EEnablementFactory(organisation=lead, service=waiting, e_enabled_on=None, route="")
        EEnablementFactory(
            organisation=OrganisationFactory(), service=waiting, e_enabled_on=date(2003, 1, 1)
        )  # another council's: not this promise
        got = {p.promise.service.lgsl_code: (p.delivered_on, p.status)
               for p in selectors.promises(application)}  # fmt: skip
        assert got == {
            9001: (date(2005, 12, 31), "delivered"),  # on the day promised
            9801: (date(2005, 1, 1), "late"),
            9802: (None, "not_yet"),
        }
        data = Client().get(f"{API}/awards/{award.pk}/promises").json()
        assert {(x["lgsl_code"], x["status"], x["delivered_on"]) for x in data} == {
            (9001, "delivered", "2005-12-31"), (9801, "late", "2005-01-01"),
            (9802, "not_yet", None),
        }  # fmt: skip
        page = Client().get(award.get_absolute_url()).content.decode()
        assert "1 January 2005 (late)" in page and "Not yet" in page

    def test_promises_take_two_queries_however_many(self, django_assert_num_queries):
        award = make_award()
        lead = award.application.partnership.lead_organisation
        for code in range(9810, 9840):
            award.application.promised_services.create(service=service(code), organisation=lead,
                                                       by_date=date(2005, 12, 31))  # fmt: skip
            EEnablementFactory(
                organisation=lead, service=service(code), e_enabled_on=date(2004, 1, 1)
            )
        with django_assert_num_queries(2):
            assert len(selectors.promises(award.application)) == 31


class TestOpenDataThroughTheApi:
    def test_the_spreadsheet_is_the_pages_file(self):
        make_award()
        for fmt in ("csv", "xlsx"):
            page = Client().get(f"/funding/360giving/grants.{fmt}")
            api = Client().get(f"{API}/360giving/spreadsheet", {"fmt": fmt})
            assert api.status_code == 200 and api["Content-Type"] == page["Content-Type"]
            if fmt == "csv":
                page_text = b"".join(page.streaming_content) if page.streaming else page.content
                api_text = b"".join(api.streaming_content) if api.streaming else api.content
                assert api_text == page_text and b"Identifier" in api_text
        assert Client().get(f"{API}/360giving/spreadsheet", {"fmt": "pdf"}).status_code == 422


def test_an_adviser_cannot_record_e_enablement():
    council = OrganisationFactory()
    service(9701)
    r = send("put", f"{API}/e-enablement/councils/{council.slug}/services/9701",
             {"e_enabled_on": "2004-05-01", "route": "own_site"},
             UserFactory(role=Role.ADVISER))  # fmt: skip
    assert r.status_code == 403 and not EEnablement.objects.exists()
