"""Browser journeys with the axe check on every page: the bins service for a Worcestershire
postcode goes to the district; a pothole reported here is routed to the county; the county's staff
update it; the resident sees the update by reference; a misrouted request is passed on."""

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.frontdoor.models import ServiceRequest

from ..factories import WORCS, WYCHAVON, ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def find(page, live_server, need, place):
    page.goto(f"{live_server.url}/frontdoor/")
    page.get_by_label("What do you need?").fill(need)
    page.get_by_label("Where do you live?").fill(place)
    page.get_by_role("button", name="Find the council").click()


def test_bins_for_a_worcestershire_postcode_go_to_the_district(
    page, live_server, front_door, assert_accessible
):
    page.goto(f"{live_server.url}/frontdoor/")
    assert_accessible(page)
    find(page, live_server, "bins", "WR11 4AA")
    expect(page.locator("#reason")).to_contain_text(
        "provided by districts; WR11 4AA is in Wychavon"
    )
    expect(page.get_by_role("heading", name="Wychavon District Council")).to_be_visible()
    assert_accessible(page)
    find(page, live_server, "bins", "Atlantis")
    expect(
        page.get_by_role("link", name="We could not find “Atlantis”", exact=False)
    ).to_be_visible()
    assert_accessible(page)


def test_pothole_reported_updated_seen_and_a_misrouted_one_passed_on(
    page, live_server, front_door, councils, sign_in, assert_accessible
):
    find(page, live_server, "pothole", "WR11 4AA")
    expect(page.locator("#reason")).to_contain_text("provided by counties")
    # A link drawn as a GOV.UK button (govukButton with href) has the button role, as GOV.UK's.
    page.get_by_role(
        "button", name="Continue to Worcestershire Front Door’s front door"
    ).first.click()
    expect(page.get_by_role("heading", level=1, name="Pothole")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the report").click()  # empty: errors, nothing saved
    expect(page.get_by_role("link", name="Describe the problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Describe the problem").fill("Deep pothole by the bus stop")
    page.get_by_label("Bigger than a dustbin lid").check()
    page.get_by_label("Latitude (optional)").fill("52.0925")
    page.get_by_label("Longitude (optional)").fill("-1.9470")
    page.get_by_label("Email address (optional)").fill("resident@example.com")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert ServiceRequest.objects.get(reference=reference).council.gss_code == WORCS
    assert_accessible(page)

    officer = UserFactory(username="county-officer", organisations=[councils[WORCS]])
    sign_in(page, officer)
    page.goto(f"{live_server.url}/frontdoor/queue/{councils[WORCS].slug}/")
    expect(page.locator(f"label[for='r-{reference}']")).to_be_visible()
    # The map of where requests are: the report's point, drawn without any script.
    expect(page.get_by_role("img", name="Map of where 1 of these requests is")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    assert_accessible(page)
    page.get_by_label("Scheduled").check()
    page.get_by_label("Note for the resident (optional)").fill("Repair booked for Monday")
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_text("Repair booked for Monday")).to_be_visible()

    page.context.clear_cookies()  # the resident, without an account
    page.goto(f"{live_server.url}/frontdoor/track/")
    assert_accessible(page)
    page.get_by_label("Your reference").fill(reference)
    page.get_by_role("button", name="Find my request").click()
    expect(page.locator("#status")).to_have_text("Scheduled")
    expect(page.get_by_text("Repair booked for Monday")).to_be_visible()
    assert_accessible(page)

    misrouted = ServiceRequestFactory(council=councils[WYCHAVON], partnership=front_door, lgsl_code=564,
                                      service_name="Street light not working")  # fmt: skip
    district = UserFactory(username="district-officer", organisations=[councils[WYCHAVON]])
    sign_in(page, district)
    page.goto(f"{live_server.url}/frontdoor/manage/{misrouted.reference}/")
    page.get_by_label("Pass it to").select_option(label="Worcestershire County Council")
    page.get_by_label("Why is it not yours?").fill("Street lights are the county’s")
    page.get_by_role("button", name="Pass it on").click()
    expect(
        page.get_by_text("Not ours: passed to Worcestershire County Council", exact=False)
    ).to_be_visible()
    assert_accessible(page)
