"""Journeys in the browser, every page checked by axe: apply, assess, award, claim with
evidence, approve and pay (two finance officers); the money view and e-enablement progress at
desktop and 320 px; download the 360Giving file."""

import json
from datetime import date

import pytest
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from ..factories import (
    PDF,
    EEnablementFactory,
    finance_user,
    make_award,
    make_round,
    service,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_assess_award_claim_approve_and_pay(
    page, live_server, sign_in, assert_accessible, fill_date, tmp_path
):
    staff = staff_user(username="jf-staff")
    assessor = UserFactory(role=Role.ADVISER, username="jf-assessor")
    round_ = make_round(actor=staff, assessors=[assessor], title="Round 1")
    lead = OrganisationFactory(name="Wychavon District Council")
    partnership = make_partnership(2, lead=lead, name="Wychavon Online")
    service(9001)
    officer = UserFactory(username="jf-officer", organisations=[lead])
    approver, payer = finance_user(username="jf-finance"), finance_user(username="jf-finance2")

    sign_in(page, officer)
    page.goto(f"{live_server.url}/funding/rounds/{round_.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Apply to this round").click()
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Partnership").select_option(label=partnership.name)
    page.get_by_label("Project title").fill("One front door online")
    page.get_by_label("Summary").fill("Residents reach both councils' services online.")
    page.get_by_role("button", name="Start application").click()
    assert_accessible(page)
    reference = page.url.rstrip("/").rsplit("/", 1)[1]

    page.get_by_role("button", name="Add a milestone").click()
    page.get_by_label("Milestone").fill("Forms live")
    fill_date(page, "Due on", "2003-06-30")
    page.get_by_label("Grant paid on reaching it").fill("£25,000")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Add a budget line").click()
    assert_accessible(page)
    page.get_by_label("Financial year").select_option(label="2003-04")
    page.get_by_label("Partner").select_option(label=lead.name)
    page.get_by_label("Amount").fill("25000")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Add a service to e-enable").click()
    page.get_by_label("LGSL service").select_option(label="Service 9001 (LGSL 9001)")
    page.get_by_label("For the council").select_option(label=lead.name)
    fill_date(page, "E-enabled by", "2005-12-31")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("submitted", exact=False).first).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, assessor)
    page.goto(f"{live_server.url}/funding/applications/{reference}/")
    page.get_by_role("button", name="Assess").click()
    assert_accessible(page)
    for label in page.get_by_label("score from 0 to 10").all():
        label.fill("8")
    page.get_by_role("button", name="Submit assessment").click()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, staff)
    page.goto(f"{live_server.url}/funding/applications/{reference}/decide/")
    page.get_by_label("Fund it", exact=True).check()
    page.get_by_label("Reasons").fill("A strong two-tier partnership")
    page.get_by_label("Conditions of the grant").fill("Quarterly reports")
    fill_date(page, "Award date", "2002-12-01")
    fill_date(page, "Grant agreement starts", "2003-01-01")
    fill_date(page, "Grant agreement ends", "2005-12-31")
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Awarded £25,000.00")).to_be_visible()
    assert_accessible(page)
    award_url = page.url

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(award_url)
    page.get_by_role("button", name="Make a claim").click()
    page.get_by_label("Amount claimed").fill("25000")
    fill_date(page, "Date of the claim", "2003-07-01")
    page.get_by_label("What was achieved").fill("The forms are live")
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"MZ\x90\x00 not a pdf")
    page.get_by_label("Evidence").set_input_files(str(bad))
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_text("The selected file must be a PDF").first).to_be_visible()
    assert_accessible(page)
    good = tmp_path / "evidence.pdf"
    good.write_bytes(PDF)
    page.get_by_label("Evidence").set_input_files(str(good))
    fill_date(page, "Date of the claim", "2003-07-01")
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_role("heading", name="submitted")).to_be_visible()
    assert_accessible(page)
    claim_url = page.url

    page.context.clear_cookies()
    sign_in(page, approver)
    page.goto(claim_url)
    page.get_by_role("button", name="Approve the claim").click()
    expect(page.get_by_text("a second finance officer records the payment")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, payer)
    page.goto(claim_url)
    page.get_by_role("button", name="Record the payment").click()
    fill_date(page, "Paid on", "2003-07-15")
    page.get_by_label("Payment reference").fill("BACS-2003-0001")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("heading", name=": paid")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_money_view_progress_and_open_data(page, live_server, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    award = make_award(title="Joined-up services")
    council = award.application.partnership.lead_organisation
    EEnablementFactory(
        organisation=council,
        service=service(9001),
        e_enabled_on=date(2003, 5, 1),
        is_illustrative=True,
    )
    page.goto(f"{live_server.url}/funding/")
    assert_accessible(page)
    page.get_by_role("link", name="The money: committed, paid and remaining").click()
    expect(page.get_by_role("table", name="By financial year")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/funding/e-enablement/")
    expect(page.get_by_text("illustrative").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=council.name).click()
    expect(page.get_by_role("table", name="Services")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/funding/360giving/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON package").click()
    package = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert package["grants"][0]["id"] == f"360G-spt-{award.pk}"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1


@pytest.mark.parametrize("width", [1280, 320])
def test_staff_set_up_a_programme_and_a_round_name_its_panel_and_open_it(
    page, live_server, sign_in, assert_accessible, fill_date, width
):
    page.set_viewport_size({"width": width, "height": 900})
    staff = staff_user(username=f"js-staff-{width}")
    UserFactory(role=Role.ADVISER, username=f"js-adviser-{width}", first_name="Alex",
                last_name="Adviser")  # fmt: skip
    sign_in(page, staff)
    page.goto(f"{live_server.url}/funding/")
    assert_accessible(page)
    page.get_by_role("button", name="Set up a funding programme").click()
    page.get_by_role("button", name="Set up programme").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Programme title").fill("Local e-government fund")
    page.get_by_label("What the programme is for").fill("Councils' services online by 2005")
    page.get_by_label("Total budget").fill("£5,000,000")
    fill_date(page, "Starts on", "2002-04-01")
    fill_date(page, "Ends on", "2006-03-31")
    fill_date(page, "Target date", "2005-12-31")
    page.get_by_role("button", name="Set up programme").click()
    expect(page.get_by_role("heading", name="Local e-government fund")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a round").click()
    page.get_by_label("Round title").fill("Round 1")
    page.get_by_label("Budget").fill("£6,000,000")  # more than the programme's
    fill_date(page, "Opens on", "2002-06-03")
    fill_date(page, "Closes on", "2002-09-30")
    fill_date(page, "Decisions by", "2002-11-29")
    page.get_by_label("Criteria").fill("Strength of the partnership | 2\nServices online | 3")
    page.get_by_label("Status").select_option(label="Draft")
    page.get_by_role("button", name="Add round").click()
    expect(page.get_by_text("£5,000,000.00 is left to give to rounds").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Budget").fill("£2,000,000")
    page.get_by_role("button", name="Add round").click()
    expect(page.get_by_role("heading", name="Round 1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change assessors").click()
    assert_accessible(page)
    page.get_by_label("Alex Adviser (adviser)").check()
    page.get_by_role("button", name="Save the panel").click()
    expect(page.get_by_text("Round 1: 1 assessor")).to_be_visible()
    expect(page.get_by_text("Alex Adviser").last).to_be_visible()

    page.get_by_role("link", name="Change status").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Open for applications").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Round 1: open for applications")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Local e-government fund: open for applications")).to_be_visible()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1
