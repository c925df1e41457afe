"""Journeys: run a gateway review, add recommendations, fail to pass the gate with a Critical
open, close it, pass, download the PDF; add a risk, score and treat it, accept it, see the heat
map and the trend, escalate it and find it in the programme view. axe on every page."""

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

from ..factories import make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_blocks_the_gate_until_the_critical_is_closed(
    page, live_server, sign_in, assert_accessible, fill_date
):
    staff = UserFactory(role="staff", username="j-staff", first_name="Sam", last_name="Okafor")
    UserFactory(role="adviser", username="j-lead", first_name="Alex", last_name="Morgan")
    p = make_partnership(stage="scoping")
    sign_in(page, staff)
    page.goto(f"{live_server.url}{p.get_absolute_url()}")
    page.get_by_role("link", name="Gateway reviews").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Set up a gateway review").click()
    assert_accessible(page)
    page.get_by_label("Gate 1: Business justification").check()
    fill_date(page, "First day of the review", "2003-09-15")
    fill_date(page, "Last day of the review", "2003-09-18")
    page.get_by_label("Lead reviewer").select_option(label="Alex Morgan")
    page.get_by_role("button", name="Set up the review").click()
    expect(
        page.get_by_role("link", name="Review Gate 0: Strategic assessment first")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Gate 0: Strategic assessment").check()
    page.get_by_role("button", name="Set up the review").click()
    expect(
        page.get_by_role("heading", name="Gate 0: Strategic assessment review report")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a recommendation").click()
    assert_accessible(page)
    page.get_by_label("Recommendation", exact=True).fill("Confirm which councils remain members")
    page.get_by_label("Critical (do now)").check()
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.get_by_role("link", name="Choose who owns the recommendation")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Owner").select_option(label="Sam Okafor")
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.get_by_text("Recommendation R1 added")).to_be_visible()

    page.get_by_role("button", name="Edit the summary and rating").click()
    assert_accessible(page)
    expect(page.get_by_text("Successful delivery is in doubt")).to_be_visible()
    page.get_by_label("Amber/Red").check()
    page.get_by_label("Summary").fill("The membership has shrunk since 2002.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Rating: Amber/Red")).to_be_visible()

    page.goto(f"{live_server.url}/partnerships/{p.slug}/stage/")
    page.get_by_label("Options appraisal").check()
    page.get_by_role("button", name="Move stage").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("open Critical recommendation").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/partnerships/{p.slug}/assurance/")
    page.get_by_role("link", name="Gate 0: Strategic assessment").click()
    page.get_by_role("link", name="Follow up R1").click()
    assert_accessible(page)
    page.get_by_label("Done").check()
    page.get_by_label("Follow-up note").fill("All four councils confirmed in writing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recommendation R1 updated")).to_be_visible()

    page.goto(f"{live_server.url}/partnerships/{p.slug}/stage/")
    page.get_by_label("Options appraisal").check()
    page.get_by_role("button", name="Move stage").click()
    expect(page.get_by_text("Moved to options appraisal")).to_be_visible()

    page.goto(f"{live_server.url}/partnerships/{p.slug}/assurance/")
    page.get_by_role("link", name="Gate 0: Strategic assessment").click()
    page.get_by_role("link", name="Read the report as a web page").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_risk_scored_treated_accepted_escalated_and_seen_by_the_programme(
    page, live_server, sign_in, assert_accessible, fill_date
):
    own = OrganisationFactory(name="Hambleton District Council")
    p = make_partnership(orgs=[own])
    officer = UserFactory(username="j-officer", organisations=[own], first_name="Joe",
                          last_name="Hardcastle")  # fmt: skip
    sign_in(page, officer)
    page.goto(f"{live_server.url}/partnerships/{p.slug}/assurance/risks/")
    assert_accessible(page)
    page.get_by_role("button", name="Add a risk").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Partners withdraw")
    page.get_by_label("Cause").fill("Priorities change after elections")
    page.get_by_label("Event").fill("A council leaves")
    page.get_by_label("Effect", exact=True).fill("Costs fall on fewer members")
    page.get_by_label("Category").select_option(label="Partnership")
    page.get_by_label("Owner").select_option(label="Joe Hardcastle")
    for field, value in [("Inherent (before any controls) likelihood", "4"),
                         ("Inherent (before any controls) impact", "5"),
                         ("Current likelihood", "4"), ("Current impact", "4"),
                         ("Target likelihood", "2")]:  # fmt: skip
        page.get_by_label(field, exact=True).select_option(value)
    page.get_by_role("button", name="Save the risk").click()
    expect(page.get_by_role("link", name="Choose the target impact")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Target impact", exact=True).select_option("3")
    page.get_by_role("button", name="Save the risk").click()
    expect(page.get_by_text("Risk R1 added")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change or rescore the risk").click()
    page.get_by_label("Treatment", exact=True).select_option(label="Reduce")
    page.get_by_label("Current impact", exact=True).select_option("5")
    page.get_by_label("Why the change").fill("A second council is reviewing its membership")
    page.get_by_role("button", name="Save the risk").click()
    expect(page.get_by_text("A second council is reviewing its membership")).to_be_visible()
    page.get_by_role("button", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Action").fill("Agree exit terms")
    page.get_by_label("Owner").select_option(label="Joe Hardcastle")
    fill_date(page, "Due date", "2004-01-30")
    page.get_by_role("button", name="Add the action").click()

    page.get_by_role("button", name="Accept the risk").click()
    assert_accessible(page)
    page.get_by_label("Why the risk is accepted").fill("No further mitigation available")
    fill_date(page, "Review or expiry date", "2099-04-01")
    page.get_by_role("button", name="Record the acceptance").click()
    expect(
        page.get_by_role("link", name="Enter the name of the person who approved")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approved by").fill("Chair of the partnership board")
    page.get_by_role("button", name="Record the acceptance").click()
    expect(page.get_by_text("approved by Chair of the partnership board")).to_be_visible()
    expect(page.get_by_role("heading", name="Score trend")).to_be_visible()

    page.get_by_role("button", name="Escalate to the programme").click()
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect(page.get_by_role("link", name="Enter why the risk is escalated")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Threatens the two-tier pathfinder model")
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect(page.get_by_text("Escalation recorded")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/partnerships/{p.slug}/assurance/risks/")
    expect(page.get_by_role("link", name="1 risk at likelihood 4, impact 5")).to_be_visible()
    assert_accessible(page)

    staff = UserFactory(role="staff", username="j-staff2")
    page.context.clear_cookies()
    sign_in(page, staff)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Programme risks").first.click()
    assert_accessible(page)
    page.get_by_label("Show").select_option(label="Escalated")
    page.get_by_label("Category").select_option(label="Partnership")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="R1: Partners withdraw")).to_be_visible()
    assert_accessible(page)
