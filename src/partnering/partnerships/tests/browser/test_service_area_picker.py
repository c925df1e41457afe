"""The service-area picker (issue 8 part 9): about 270 LGSL services as three folded groups and a
search box, not a wall of checkboxes that took 129 Tab presses to get past. axe on each state,
at desktop width and at 320 px."""

import pytest
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.importer import import_service_areas
from partnering.partnerships.models import Partnership, ServiceArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tabs_from_purpose_to_register(page) -> int:
    page.get_by_label("Purpose").focus()
    for presses in range(1, 200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Register partnership":
            return presses
    raise AssertionError("never reached the Register partnership button")


@pytest.mark.parametrize("width", [1280, 320])
def test_search_choose_and_register_with_few_tab_presses(
    page, live_server, sign_in, assert_accessible, choose_in_autocomplete, width
):
    import_service_areas()
    assert ServiceArea.objects.count() > 250
    OrganisationFactory(name="Testshire County Council", county=True)
    sign_in(page, UserFactory(username="staff-picker", role=Role.STAFF))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/partnerships/new/")
    assert_accessible(page)

    assert _tabs_from_purpose_to_register(page) < 20

    search = page.get_by_label("Search service areas")
    search.fill("pothole")
    expect(page.get_by_text("1 match")).to_be_visible()
    pothole = page.get_by_label("Find out about potholes", exact=False)
    expect(pothole).to_be_visible()
    expect(page.get_by_label("Find out about primary school places", exact=False)).to_be_hidden()
    assert_accessible(page)
    pothole.check()
    search.press("Enter")  # does not submit the form
    expect(page.get_by_role("heading", name="Register a partnership")).to_be_visible()
    search.fill("")
    expect(page.get_by_text("1 match")).to_be_hidden()

    page.get_by_label("Name", exact=True).fill("Testshire Roads")
    page.get_by_label("Reference").fill("SPT-2003-077")
    page.get_by_label("Purpose").fill("Shared highways reporting")
    choose_in_autocomplete(page, "Lead organisation", "Testshire County Council")
    page.get_by_role("button", name="Register partnership").click()
    expect(page.get_by_role("heading", name="Testshire Roads", level=1)).to_be_visible()
    chosen = Partnership.objects.get(reference="SPT-2003-077").service_areas.all()
    assert [a.label for a in chosen] == [pothole_label()]

    # On the edit form the group holding the chosen service starts open; the others folded.
    page.goto(f"{live_server.url}/partnerships/{Partnership.objects.get().slug}/edit/")
    expect(page.get_by_label(pothole_label(), exact=False)).to_be_checked()
    expect(page.get_by_label(pothole_label(), exact=False)).to_be_visible()
    assert page.locator("details[open][data-app-search-group]").count() == 1
    assert_accessible(page)


def pothole_label() -> str:
    return ServiceArea.objects.get(label__icontains="pothole").label
