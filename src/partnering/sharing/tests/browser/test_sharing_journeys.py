"""Journeys: enter costs and agree shares; a private partner joins later and the new version
shows each member's old and new share. Every page passes the axe WCAG 2.2 AA check."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_enters_costs_and_agrees_shares(
    page, live_server, sign_in, assert_accessible, fill_date
):
    own = OrganisationFactory(name="Hambleton District Council", short_name="Hambleton")
    partnership = make_partnership(3, lead=own, name="Dales ICT Partnership")
    user = UserFactory(username="journey-own", organisations=[own])
    sign_in(page, user)
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/")
    assert_accessible(page)
    page.get_by_role("button", name="Set up the cost model").click()
    assert_accessible(page)
    page.get_by_label("What the pooled demand counts").fill("transactions per year")
    first = page.get_by_role("group", name="Component 1 (optional)")
    first.get_by_label("Name").fill("Own back office")
    first.get_by_label("Each member's own cost (stand-alone)").check()
    # Only the fields a kind uses are shown: a stand-alone cost has no curve.
    expect(first.get_by_label("Fixed cost (GBP)")).to_be_hidden()
    page.get_by_role("button", name="Add another component").click()
    assert_accessible(page)
    first = page.get_by_role("group", name="Component 1 (optional)")
    expect(first.get_by_label("Name")).to_have_value("Own back office")  # kept, not saved
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)
    second = page.get_by_role("group", name="Component 2 (optional)")
    second.get_by_label("Name").fill("Shared CRM")
    second.get_by_label("Pooled service with economies of scale").check()
    second.get_by_label("Fixed cost (GBP)").fill("150000")
    expect(second.get_by_label("Scale", exact=True)).to_be_hidden()
    second.get_by_label("Power law", exact=False).check()
    second.get_by_label("Scale", exact=True).fill("50")
    second.get_by_label("Exponent", exact=True).fill("1.5")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("concave").first).to_be_visible()
    assert_accessible(page)
    second.get_by_label("Exponent", exact=True).fill("0.7")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Each member's figures")).to_be_visible()
    assert_accessible(page)
    inputs = page.locator("table input.govuk-input")
    for index in range(inputs.count()):
        inputs.nth(index).fill(str(40_000 + 10_000 * index))
    inputs.nth(1).fill("-1")
    page.get_by_role("button", name="Save and calculate the shares").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.locator("table input.govuk-input").nth(1).fill("120000")
    page.get_by_role("button", name="Save and calculate the shares").click()
    expect(page.get_by_role("heading", name="Every method side by side")).to_be_visible()
    expect(
        page.get_by_text("Illustrative figures, not the partnership's real costs")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="Bar chart of what each member pays under each method")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Choose a split and record the agreement").click()
    assert_accessible(page)
    page.get_by_label("Nucleolus").check()
    fill_date(page, "Date agreed", "2002-07-01")
    page.get_by_label("Why this split").fill("Board minute 14: nobody would do better alone")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_role("heading", name="Agreed splits")).to_be_visible()
    expect(page.get_by_text("Agreement version 1: Nucleolus")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v1/risk/")
    page.get_by_label("Name of the scenario").fill("Overrun")
    page.get_by_label("The agreed split").check()
    page.get_by_label("Shared CRM: worst case (GBP)").fill("90000")
    page.get_by_role("button", name="Simulate and save").click()
    expect(
        page.get_by_role(
            "table",
            name="Overrun: in proportion to the split, shared in line with the agreed split",
        )
    ).to_be_visible()
    assert_accessible(page)


def test_private_partner_joins_later_and_the_new_version_shows_old_and_new(
    page, live_server, sign_in, assert_accessible, fill_date, choose_in_autocomplete
):
    own = OrganisationFactory(
        name="North Yorkshire County Council", short_name="North Yorkshire", county=True
    )
    partnership = make_partnership(3, lead=own, name="Yorkshire ICT Partnership")
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    services.agreement_record(
        cost_model=cost_model,
        method="proportional",
        agreed_on=date(2002, 6, 28),
        reason="By population",
        actor=None,
    )
    OrganisationFactory(company=True, name="Agilisys", short_name="Agilisys")
    user = UserFactory(username="journey-county", organisations=[own])
    sign_in(page, user)
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/members/add/")
    choose_in_autocomplete(page, "Organisation", "Agilisys")
    page.get_by_label("Private partner").check()
    fill_date(page, "Date they joined", "2004-09-01")
    page.get_by_label("Why they joined").fill("Selected private sector partner")
    page.get_by_role("button", name="Add member").click()
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/")
    version_link = page.get_by_role("link", name=re.compile(r"^Version 2\b.*Agilisys joined"))
    expect(version_link).to_be_visible()
    assert_accessible(page)
    version_link.click()
    expect(page.get_by_role("heading", name="Fair shares, version 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Compare with the version before").click()
    table = page.get_by_role("table", name="Each member's share a year: version 1 and version 2")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Agilisys Joined")).to_be_visible()
    expect(table.get_by_text("Selected private sector partner")).to_be_visible()
    expect(page.get_by_text("the shares the partners agreed for version 1")).to_be_visible()
    assert_accessible(page)
