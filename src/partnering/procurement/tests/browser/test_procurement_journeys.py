"""Journeys: scope a partnership, appraise its options (weights that do not add up, then the
ranking and its sensitivity), choose one; run a procurement to award and contract; fetch the
OCDS record and the contracts register CSV. axe on every page, and the appraisal at 320 px."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.partnerships.tests.factories import make_partnership

from ..factories import CompanyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PREFIX = "ocds-t3stpx"


def test_scope_appraise_and_choose(page, live_server, sign_in, assert_accessible, fill_date):
    p = make_partnership(2, name="Testshire Front Door Partnership")
    member = UserFactory(organisations=[p.lead_organisation])
    sign_in(page, member)
    page.goto(f"{live_server.url}{p.get_absolute_url()}")
    page.get_by_role("link", name="Scoping and procurement").first.click()
    expect(page.get_by_role("heading", name="Scoping and procurement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Scope", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Add a partner's baseline").click()
    assert_accessible(page)
    page.get_by_label("Partner").select_option(label=p.lead_organisation.name)
    page.get_by_label("Annual cost").fill("£250,000")
    page.get_by_label("Staff (full-time equivalent)").fill("12.5")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.get_by_text("£250,000")).to_be_visible()

    page.goto(f"{live_server.url}{p.get_absolute_url()}procurement/appraisals/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Front door options")
    page.get_by_role("button", name="Start the appraisal").click()
    page.get_by_role("button", name="Set criteria and weights").click()
    assert_accessible(page)
    for i, (name, kind, weight) in enumerate(
        [("Cost", "Cost (scored from the whole-life cost)", "50"), ("Quality", "Quality", "40")],
        start=1,
    ):
        page.get_by_label(f"Criterion {i}", exact=True).fill(name)
        page.get_by_label(f"Kind of criterion {i}").select_option(label=kind)
        page.get_by_label(f"Weight of criterion {i} (%)").fill(weight)
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("The weights add up to 90%, not 100% (10 short)").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Weight of criterion 2 (%)").fill("50")
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_text("Criteria saved")).to_be_visible()

    for kind, name, cost in [("Keep in-house", "In-house", "100000"),
                             ("Shared service between councils", "Shared", "80000")]:  # fmt: skip
        page.get_by_role("button", name="Add an option").click()
        page.get_by_label(kind).check()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Annual cost").fill(cost)
        page.get_by_role("button", name="Add option").click()
        expect(page.get_by_text("Option added")).to_be_visible()
    assert_accessible(page)
    for name, score in [("In-house", "9"), ("Shared", "6")]:
        page.get_by_role("link", name=f"Score {name}").click()
        assert_accessible(page)
        page.get_by_label("Quality: score (0 to 10)").fill(score)
        page.get_by_label("Quality: reason for the score").fill("Workshop view")
        page.get_by_role("button", name="Save scores").click()
        expect(page.get_by_text("Scores saved")).to_be_visible()
    # Shared: cost 10 x 50% + quality 6 x 50% = 80; in-house: 8 x 50% + 9 x 50% = 85.
    table = page.locator("#options-table")
    expect(table).to_contain_text("85.00")
    expect(table).to_contain_text("80.00")
    sensitivity = page.locator("#sensitivity-table")
    expect(sensitivity).to_contain_text("Shared takes the lead")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Record the recommended option").click()
    assert_accessible(page)
    page.get_by_label("In-house").check()
    page.get_by_label("Why this option").fill("Best quality for a small extra cost")
    page.get_by_label("Agreed by").fill("Both leaders")
    fill_date(page, "Date agreed", "2002-09-30")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.locator("#agreement")).to_contain_text("Recommended: In-house")
    assert_accessible(page)


def test_run_a_procurement_to_award_and_fetch_its_open_data(
    page, live_server, sign_in, assert_accessible, fill_date, settings
):
    settings.OCDS_OCID_PREFIX = PREFIX
    p = make_partnership(2, name="Testshire ICT Partnership")
    staff = UserFactory(role="staff")
    CompanyFactory(name="Testco ICT Limited", org_id=None)
    sign_in(page, staff)
    page.goto(f"{live_server.url}{p.get_absolute_url()}procurement/")
    page.get_by_role("button", name="Start a procurement or exempt arrangement").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Managed ICT service")
    page.get_by_label("Open procedure (PCR 2015, reg. 27)").check()
    page.get_by_label("Buyer").select_option(label=p.lead_organisation.name)
    page.get_by_label("Department").fill("ICT")
    page.get_by_role("button", name="Start the procurement").click()
    expect(page.get_by_role("heading", name="Managed ICT service")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a bidder").click()
    assert_accessible(page)
    page.get_by_label("Organisation").select_option(label="Testco ICT Limited")
    page.get_by_label("Companies House number", exact=True).fill("1234")
    page.get_by_role("button", name="Add bidder").click()
    expect(page.get_by_text("is not a Companies House number").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Companies House number", exact=True).fill("04254468")
    page.get_by_role("button", name="Add bidder").click()
    expect(page.locator("#bidders")).to_contain_text("04254468")

    for stage, day in [("Notice published", "2004-01-12"), ("Tenders received", "2004-03-01"),
                       ("Evaluation", "2004-03-20")]:  # fmt: skip
        page.get_by_role("button", name="Record the next stage").click()
        page.get_by_label(stage).check()
        fill_date(page, "Date", day)
        page.get_by_role("button", name="Record the stage").click()
        expect(page.locator("#stages")).to_contain_text(stage)
    assert_accessible(page)

    page.get_by_role("button", name="Enter evaluation scores").click()
    page.get_by_role("link", name="evaluation criteria").click()
    page.get_by_label("Criterion 1", exact=True).fill("Quality")
    page.get_by_label("Weight of criterion 1 (%)").fill("100")
    page.get_by_role("button", name="Save criteria").click()
    page.get_by_role("button", name="Enter evaluation scores").click()
    assert_accessible(page)
    page.get_by_label("Testco ICT Limited: Quality (0 to 10)").fill("11")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_text("The score must be from 0 to 10").first).to_be_visible()
    page.get_by_label("Testco ICT Limited: Quality (0 to 10)").fill("8")
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator("#evaluation")).to_contain_text("80.00")

    page.get_by_role("button", name="Record the award decision").click()
    assert_accessible(page)
    page.get_by_label("Supplier").select_option(label="Testco ICT Limited")
    page.get_by_label("Value").fill("2,500,000")
    page.get_by_label("Term (months)").fill("120")
    fill_date(page, "Date of the award decision", "2004-04-05")
    page.get_by_role("button", name="Record the award").click()
    expect(page.get_by_text("Award recorded")).to_be_visible()
    page.get_by_role("button", name="Record the next stage").click()
    page.get_by_label("Standstill").check()
    fill_date(page, "Date", "2004-04-20")
    page.get_by_role("button", name="Record the stage").click()
    page.get_by_role("button", name="Record the signed contract").click()
    assert_accessible(page)
    fill_date(page, "Start date", "2004-05-01")
    fill_date(page, "End date", "2004-04-30")
    page.get_by_label("Value").fill("2500000")
    fill_date(page, "Date signed", "2004-04-28")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.get_by_text("cannot end (30 April 2004) before it starts").first).to_be_visible()
    assert_accessible(page)
    fill_date(page, "End date", "2014-04-30")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.get_by_text("Contract recorded")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"OCDS record {PREFIX}-").click()
    record = page.request.get(page.url).json()
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["awards"][0]["suppliers"][0]["id"] == "GB-COH-04254468"
    assert compiled["contracts"][0]["period"]["endDate"].startswith("2014-04-30")

    page.goto(f"{live_server.url}/open-data/contracts-register/")
    assert_accessible(page)
    page.get_by_role("link", name=p.lead_organisation.name).click()
    expect(page.locator("#register")).to_contain_text("Testco ICT Limited")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Companies House 04254468" in text and "2500000.00" in text
