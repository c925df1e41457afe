"""Pages and API: the forms' bad input shown on the page with nothing saved, the scores hidden
until the award, lists at a fixed number of queries, the contracts register as page and CSV
from the same rows, and the bulk OCDS package streamed with pagination links."""

import json
from datetime import date

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.procurement import services
from partnering.procurement.models import Criterion, Procurement

from .factories import CompanyFactory, run_to_award

pytestmark = pytest.mark.django_db
PREFIX = "ocds-t3stpx"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def test_weights_that_do_not_add_up_are_shown_and_nothing_saved(staff_client):
    p = make_partnership(2)
    a = services.appraisal_create(partnership=p, title="Options", actor=None)
    url = reverse("procurement:criteria-edit", kwargs={"slug": p.slug, "pk": a.pk})
    response = staff_client.post(url, {"name_1": "Cost", "kind_1": "cost", "weight_1": "50",
                                       "name_2": "Quality", "kind_2": "quality",
                                       "weight_2": "40"})  # fmt: skip
    assert response.status_code == 200
    assert "The weights add up to 90%, not 100% (10 short)" in response.content.decode()
    assert not Criterion.objects.exists()
    response = staff_client.post(url, {"name_1": "Cost", "kind_1": "cost", "weight_1": "NaN"})
    assert response.status_code == 200 and not Criterion.objects.exists()


def test_a_stage_out_of_order_on_the_page(staff_client):
    p = make_partnership(2)
    proc = services.procurement_create(partnership=p, title="ICT", route="pcr_restricted",
                                       buyer=p.lead_organisation, actor=None)  # fmt: skip
    url = reverse("procurement:stage-record", kwargs={"slug": p.slug, "pk": proc.pk})
    response = staff_client.post(url, {"stage": "itt", "on": "2004-01-05"})
    assert (
        "‘Invitation to tender’ cannot come before ‘Notice published’" in response.content.decode()
    )
    assert not proc.stages.exists()


def test_a_bad_company_number_on_the_page(staff_client):
    p = make_partnership(2)
    proc = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                       buyer=p.lead_organisation, actor=None)  # fmt: skip
    company = CompanyFactory(org_id=None)
    url = reverse("procurement:bidder-add", kwargs={"slug": p.slug, "pk": proc.pk})
    response = staff_client.post(url, {"organisation": company.pk,
                                       "companies_house_number": "123", "tendered": "on"})  # fmt: skip
    assert "is not a Companies House number" in response.content.decode()
    assert not proc.bidders.exists()


def test_evaluation_scores_hidden_until_the_award(client):
    p = make_partnership(2)
    member = UserFactory(organisations=[p.lead_organisation])
    panel = UserFactory(role="adviser")
    proc = services.procurement_create(partnership=p, title="ICT", route="pcr_open",
                                       buyer=p.lead_organisation, panel=[panel], actor=None)  # fmt: skip
    company = CompanyFactory()
    bidder = services.bidder_add(procurement=proc, organisation=company, actor=None)
    (quality,) = services.evaluation_criteria_set(
        procurement=proc, criteria=[{"name": "Quality", "weight": 100}], actor=None
    )
    services.evaluation_score_set(bidder=bidder, criterion=quality, score="7.5", actor=None)
    url = proc.get_absolute_url()
    api = f"/api/v1/procurement/partnerships/{p.slug}/procurements/{proc.pk}"
    client.force_login(member)
    assert 'id="scores-hidden"' in client.get(url).content.decode()
    assert "evaluation" not in client.get(api).json()
    client.force_login(panel)
    assert "75.00" in client.get(url).content.decode()
    assert client.get(api).json()["evaluation"][0]["total"] == 75.0
    for stage, on in [
        ("notice", date(2004, 1, 1)),
        ("tenders_received", date(2004, 2, 1)),
        ("evaluation", date(2004, 3, 1)),
    ]:
        services.stage_record(procurement=proc, stage=stage, on=on, actor=None)
    services.award_record(procurement=proc, supplier=company, value=1000, term_months=12,
                          decided_on=date(2004, 4, 1), actor=None)  # fmt: skip
    client.force_login(member)
    assert "75.00" in client.get(url).content.decode()
    client.logout()
    assert "evaluation" not in client.get(api).json()


def test_api_bad_input_is_422_and_nothing_saved(staff_client):
    p = make_partnership(2)
    base = f"/api/v1/procurement/partnerships/{p.slug}"
    r = staff_client.post(f"{base}/procurements", {"title": "T", "route": "teckal",
                          "buyer": p.lead_organisation.slug}, content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    r = staff_client.post(f"{base}/appraisals", {"title": "A"}, content_type="application/json")
    appraisal_id = r.json()["id"]
    r = staff_client.put(f"{base}/appraisals/{appraisal_id}/criteria",
                         {"criteria": [{"name": "Q", "kind": "quality", "weight": 70}]},
                         content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "procurement.weights_sum"
    assert "30 short" in r.json()["detail"]
    r = staff_client.post(f"{base}/procurements", {"title": "T", "route": "pcr_open",
                          "buyer": p.lead_organisation.slug, "estimated_value": "NaN"},
                          content_type="application/json")  # fmt: skip
    assert r.status_code == 422
    assert not Procurement.objects.exists()


def test_contracts_register_page_and_csv_agree(client):
    proc, companies = run_to_award()
    council = proc.buyer
    page = client.get(reverse("procurement_open_data:register", kwargs={"org": council.slug}))
    assert proc.process_id in page.content.decode()
    csv = b"".join(client.get(reverse("procurement_open_data:register-csv",
                                      kwargs={"org": council.slug})).streaming_content).decode()  # fmt: skip
    header, row = csv.strip().splitlines()
    assert header.startswith("Reference,Title,Department,Supplier,Supplier registration number")
    assert row.startswith(f"{proc.process_id},ICT partnership contract,ICT,{companies[0].name},"
                          f"Companies House {companies[0].org_id[-8:]}")  # fmt: skip
    assert "9500000.00" in row


def test_bulk_package_pages_with_link_headers(client, settings):
    settings.OCDS_OCID_PREFIX = PREFIX
    run_to_award()
    url = reverse("procurement_open_data:ocds-bulk")
    everything = json.loads(b"".join(client.get(url).streaming_content))
    assert len(everything["releases"]) == 9
    response = client.get(url, {"page": 2, "per_page": 4})
    page = json.loads(b"".join(response.streaming_content))
    assert [r["id"] for r in page["releases"]] == [r["id"] for r in everything["releases"][4:8]]
    assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]
    assert client.get(url, {"page": "0"}).status_code == 400
    assert client.get(url, {"per_page": "x"}).status_code == 400


def test_nothing_published_without_a_prefix(client, settings):
    settings.OCDS_OCID_PREFIX = ""
    run_to_award(sign=False)
    assert client.get(reverse("procurement_open_data:ocds-bulk")).status_code == 404
    assert "not set" in client.get(reverse("procurement_open_data:ocds-index")).content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_lists_run_a_fixed_number_of_queries(client, settings, django_assert_num_queries, n):
    settings.OCDS_OCID_PREFIX = PREFIX
    p = make_partnership(2)
    for _ in range(n):
        run_to_award(p)
    client.get(reverse("procurement:overview", kwargs={"slug": p.slug}))  # warm caches
    with django_assert_num_queries(QUERIES["overview"]):
        client.get(reverse("procurement:overview", kwargs={"slug": p.slug}))
    with django_assert_num_queries(QUERIES["ocds"]):
        client.get(reverse("procurement_open_data:ocds-index"))
    with django_assert_num_queries(QUERIES["register"]):
        client.get(reverse("procurement_open_data:register",
                           kwargs={"org": p.lead_organisation.slug}))  # fmt: skip


QUERIES = {"overview": 2, "ocds": 2, "register": 4}
