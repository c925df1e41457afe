"""The GOV.UK form components in a real browser, with axe on every state: the date input (day,
month and year boxes, GOV.UK error messages linking to the box at fault), the organisation
autocomplete (hundreds of organisations, served locally) and the money input ("£1,250,000")."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.sharing.models import CostComponent
from partnering.sharing.tests.factories import make_partnership as make_sharing_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_date_input_and_organisation_autocomplete(page, live_server, sign_in, assert_accessible):
    lead = OrganisationFactory(name="Testshire County Council", county=True)
    OrganisationFactory.create_batch(300)
    OrganisationFactory(name="Dale District Council", parent_county=lead)
    partnership = make_partnership(lead=lead, name="Testshire Connect")
    sign_in(page, UserFactory(username="lead-officer", organisations=[lead]))
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/members/add/")
    assert_accessible(page)

    # The organisation picker is an autocomplete over the select (the select is hidden).
    box = page.get_by_role("combobox", name="Organisation")
    expect(box).to_be_visible()
    box.fill("Dale Dis")
    expect(page.get_by_role("option", name="Dale District Council")).to_be_visible()
    assert page.get_by_role("option").count() < 10
    assert_accessible(page)
    page.get_by_role("option", name="Dale District Council").click()
    expect(box).to_have_value("Dale District Council")
    # Its GOV.UK hint is announced with it, even after the library redraws the input.
    expect(box).to_have_accessible_description(
        re.compile("Start typing its name, then choose it from the list")
    )

    # No native date picker: three boxes; a missing month is named and linked.
    joined = page.get_by_role("group", name="Date they joined")
    assert page.locator('input[type="date"]').count() == 0
    joined.get_by_label("Day").fill("3")
    joined.get_by_label("Month").fill("")
    joined.get_by_label("Year").fill("2003")
    page.get_by_label("Partner", exact=True).check()
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = page.get_by_role("link", name="Date they joined must include a month")
    expect(link).to_be_visible()
    assert page.locator("#id_joined_on_month.govuk-input--error").count() == 1
    assert page.locator("#id_joined_on_day.govuk-input--error").count() == 0
    assert_accessible(page)
    link.click()
    expect(page.locator("#id_joined_on_month")).to_be_focused()

    # The typed parts are kept; a 31 February is not a real date.
    expect(joined.get_by_label("Day")).to_have_value("3")
    joined.get_by_label("Day").fill("31")
    joined.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("link", name="Date they joined must be a real date")).to_be_visible()
    assert_accessible(page)

    # The year 60401 of the old date picker cannot happen: the year box wants 4 numbers.
    joined.get_by_label("Day").fill("3")
    joined.get_by_label("Year").fill("60401")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("link", name="the year must include 4 numbers")).to_be_visible()

    joined.get_by_label("Year").fill("2003")
    if not page.get_by_role("combobox", name="Organisation").input_value():
        page.get_by_role("combobox", name="Organisation").fill("Dale Dis")
        page.get_by_role("option", name="Dale District Council").click()
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("Dale District Council added")).to_be_visible()
    assert_accessible(page)
    member = partnership.memberships.get(organisation__name="Dale District Council")
    assert member.joined_on == date(2003, 2, 3)


def test_money_input_accepts_pounds_and_commas(page, live_server, sign_in, assert_accessible):
    own = OrganisationFactory(name="Hambleton District Council", short_name="Hambleton")
    partnership = make_sharing_partnership(3, lead=own, name="Dales ICT Partnership")
    sign_in(page, UserFactory(username="money-officer", organisations=[own]))
    page.goto(f"{live_server.url}/sharing/{partnership.slug}/")
    page.get_by_role("button", name="Set up the cost model").click()
    component = page.get_by_role("group", name="Component 1 (optional)")
    component.get_by_label("Name").fill("Shared CRM")
    component.get_by_label("Pooled service with economies of scale").check()
    fixed = component.get_by_label("Fixed cost (GBP)")
    prefix = component.locator(".govuk-input__prefix")
    expect(prefix).to_have_text("£")
    fixed.fill("NaN")
    component.get_by_label("Power law", exact=False).check()
    component.get_by_label("Scale", exact=True).fill("50")
    component.get_by_label("Exponent", exact=True).fill("0.7")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Fixed cost (GBP) must be a number").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Component 1 (optional)").get_by_label("Fixed cost (GBP)").fill(
        "£1,250,000"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Each member's figures")).to_be_visible()
    assert_accessible(page)
    assert CostComponent.objects.get(name="Shared CRM").fixed_cost == Decimal(1_250_000)


def test_autocomplete_announces_its_error(page, live_server, sign_in, assert_accessible):
    lead = OrganisationFactory(name="Testshire County Council", county=True)
    partnership = make_partnership(lead=lead, name="Testshire Connect")
    sign_in(page, UserFactory(username="error-officer", organisations=[lead]))
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/members/add/")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("link", name="Choose the organisation")).to_be_visible()
    box = page.get_by_role("combobox", name="Organisation")
    expect(box).to_have_accessible_description(re.compile(r"Error:\s+Choose the organisation"))
    expect(box).to_have_class(re.compile("govuk-input--error"))
    box.fill("Tes")  # the library redraws the input as the person types
    expect(box).to_have_accessible_description(re.compile("Choose the organisation"))
    assert_accessible(page)
