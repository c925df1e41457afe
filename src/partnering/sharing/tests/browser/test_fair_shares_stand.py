"""Journey: a company joins, the partnership page and the shares page flag its missing figures,
the partner enters them and the shares appear with their warnings; at desktop width and at
320 px (WCAG 1.4.10 reflow), every page passing axe."""

from datetime import date

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import membership_add
from partnering.sharing import services
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_new_members_missing_figures_lead_to_entering_them(
    page, live_server, sign_in, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    own = OrganisationFactory(name="Hambleton District Council", short_name="Hambleton")
    partnership = make_partnership(3, lead=own, name="Dales ICT Partnership")
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    company = OrganisationFactory(company=True, name="Agile Systems Ltd", short_name="Agile")
    membership_add(partnership=partnership, organisation=company, role="private_partner",
                   joined_on=date(2004, 9, 1), actor=None)  # fmt: skip
    sign_in(page, UserFactory(username=f"stand-{width}", organisations=[own]))

    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/")
    expect(page.get_by_text("no figures yet for Agile")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Enter the figures of the new member").click()
    expect(page.get_by_role("heading", name="Each member's figures")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v2/")
    expect(page.get_by_text("Figures missing for Agile")).to_be_visible()
    expect(page.get_by_role("heading", name="Every method side by side")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Enter the missing figures").click()
    # Count the inputs only once the figures page has loaded, or some are missed.
    expect(page.get_by_role("heading", name="Each member's figures")).to_be_visible()
    inputs = page.locator("table input.govuk-input")
    for index in range(inputs.count()):
        if not inputs.nth(index).input_value():
            inputs.nth(index).fill("25000")
    page.get_by_role("button", name="Save and calculate the shares").click()
    expect(page.get_by_role("heading", name="Every method side by side")).to_be_visible()
    expect(page.get_by_text("Figures missing for Agile")).to_have_count(0)
    assert_accessible(page)
    if width == 320:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 320px"
