"""Journey: a visitor finds the pages a public body publishes from the footer and the phase banner,
and a developer goes from the service to the API reference and back (issue 8, part 10)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statements_and_contact_are_one_click_from_every_page(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/")
    footer = page.locator("footer")
    for link, heading in [
        (
            "Accessibility statement",
            "Accessibility statement for the Strategic Partnering Platform",
        ),
        ("Privacy", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("Contact and feedback", "Contact and feedback"),
    ]:
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert_accessible(page)

    banner = page.get_by_role("region", name="Service phase")
    banner.get_by_role("link", name="feedback").click()
    expect(page.get_by_role("heading", name="Contact and feedback", level=1)).to_be_visible()


def test_the_api_reference_is_reached_from_the_service_and_leads_back(
    page, live_server, assert_accessible
):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="API").click()
    expect(
        page.get_by_role("heading", name="The Strategic Partnering Platform API")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="The interactive API reference").click()
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)  # a busy machine
    page.get_by_role("link", name="Back to the Strategic Partnering Platform").click()
    expect(
        page.get_by_role("heading", name="The Strategic Partnering Platform API")
    ).to_be_visible()
