"""Journeys: staff add and change a training module, schedule and change its cohort, add and
change an event; an adviser changes their own profile (capacity below their partnerships
refused) and staff declare an interest for them, at desktop and at 320 px. Every page passes
axe; each bad input shows the GOV.UK error summary first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import AdviserProfile, DeclaredInterest, Event, TrainingModule
from partnering.programme.services import adviser_profile_set

from ..factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _problem(page, message: str) -> None:
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary").get_by_text(message)).to_be_visible()


def _no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, f"{what} scrolls sideways"


def test_staff_add_and_change_a_module_its_cohort_and_an_event(
    page, live_server, sign_in, assert_accessible, fill_date
):
    staff = staff_user(username="t-trainer")
    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/modules/")
    assert_accessible(page)

    # A module: empty form refused, then added, then changed.
    page.get_by_role("link", name="Add a module").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add the module").click()
    _problem(page, "Enter title")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Scrutiny of shared services")
    page.get_by_label("Summary").fill("How councillors scrutinise a partnership")
    page.get_by_label("Learning outcomes").fill("Read a business case\nAsk the right questions")
    page.get_by_label("Councillors", exact=True).check()
    page.get_by_label("Webinar", exact=True).check()
    page.get_by_label("Duration in hours").fill("2.5")
    page.get_by_label("Publish the module").check()
    page.get_by_role("button", name="Add the module").click()
    expect(page.get_by_text("Module ‘Scrutiny of shared services’ added")).to_be_visible()
    expect(page.get_by_role("heading", name="Learning outcomes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change this module").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Scrutinising shared services")
    page.get_by_role("button", name="Save the module").click()
    expect(page.get_by_text("Module ‘Scrutinising shared services’ saved")).to_be_visible()
    assert_accessible(page)
    module = TrainingModule.objects.get()
    assert module.title == "Scrutinising shared services" and module.history.count() == 2

    # A cohort: ending before it starts refused, then scheduled, then its places changed.
    start = timezone.localdate() + timedelta(days=40)
    page.get_by_role("link", name="Schedule a cohort").click()
    assert_accessible(page)
    fill_date(page, "First day", start.isoformat())
    fill_date(page, "Last day", (start - timedelta(days=1)).isoformat())
    page.get_by_label("Where", exact=True).fill("Worcester")
    page.get_by_label("Places", exact=True).fill("20")
    page.get_by_role("button", name="Schedule the cohort").click()
    _problem(page, "The last day must be on or after the first")
    assert_accessible(page)
    fill_date(page, "Last day", (start + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Schedule the cohort").click()
    expect(page.get_by_text("Cohort scheduled")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Change the cohort from {start:%-d %B %Y}").click()
    assert_accessible(page)
    page.get_by_label("Places", exact=True).fill("0")
    page.get_by_role("button", name="Save the cohort").click()
    _problem(page, "Places must be 1 or more")
    assert_accessible(page)
    page.get_by_label("Places", exact=True).fill("25")
    page.get_by_role("button", name="Save the cohort").click()
    expect(page.get_by_text("Cohort saved")).to_be_visible()
    assert module.sessions.get().places == 25

    # An event: a bad time refused, then added, then changed.
    page.goto(f"{live_server.url}/programme/events/")
    page.get_by_role("link", name="Add an event").click()
    assert_accessible(page)
    day = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Title", exact=True).fill("Peer visit to Worcester")
    page.get_by_label("Peer visit", exact=True).check()
    page.get_by_label("What happens at the event").fill("See one front door at work")
    fill_date(page, "Date it starts", day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("half past three")
    page.get_by_label("Where", exact=True).fill("Worcester")
    page.get_by_label("Places", exact=True).fill("12")
    page.get_by_label("Publish the event").check()
    page.get_by_role("button", name="Add the event").click()
    _problem(page, "End time must be a time like 09:30 or 14:00")
    assert_accessible(page)
    page.get_by_label("End time").fill("15:30")
    page.get_by_role("button", name="Add the event").click()
    expect(page.get_by_text("Event ‘Peer visit to Worcester’ added")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change this event").click()
    assert_accessible(page)
    page.get_by_label("Places", exact=True).fill("15")
    page.get_by_role("button", name="Save the event").click()
    expect(page.get_by_text("Event ‘Peer visit to Worcester’ saved")).to_be_visible()
    assert_accessible(page)
    assert Event.objects.get().places == 15


@pytest.mark.parametrize("width", [1280, 320])
def test_an_adviser_changes_their_profile_and_staff_declare_an_interest(
    page, live_server, sign_in, assert_accessible, choose_in_autocomplete, width
):
    staff = staff_user(username=f"t-pstaff-{width}")
    adviser = UserFactory(role=Role.ADVISER, username=f"t-padviser-{width}", first_name="Fran",
                          last_name="Okoye")  # fmt: skip
    adviser_profile_set(user=adviser, disciplines=["finance"], capacity=3, actor=staff)
    for name in ("Wirral Pathfinder", "Sefton Pathfinder"):
        p = make_partnership(lead=OrganisationFactory(region="North West"), name=name)
        partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    council = OrganisationFactory(name="Wyre Forest District Council")
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, adviser)
    page.goto(f"{live_server.url}/programme/")
    page.get_by_role("link", name="Your adviser profile").click()
    expect(page.get_by_role("heading", name="Your adviser profile")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the profile page at {width} px")
    page.get_by_label("Legal", exact=True).check()
    page.get_by_label("North West").check()
    page.get_by_label("Capacity").fill("1")
    page.get_by_role("button", name="Save the profile").click()
    _problem(page, "Fran Okoye advises 2 partnerships now: capacity must be 2 or more")
    assert_accessible(page)
    _no_sideways_scroll(page, f"the profile page's error summary at {width} px")
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.get_by_label("Capacity")).to_be_focused()
    page.get_by_label("Capacity").fill("2")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("Your adviser profile is saved")).to_be_visible()
    assert_accessible(page)
    profile = AdviserProfile.objects.get(user=adviser)
    assert profile.disciplines == ["finance", "legal"] and profile.capacity == 2
    assert profile.regions == ["North West"]

    page.context.clear_cookies()
    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/advisers/")
    assert_accessible(page)
    page.get_by_role("link", name="Fran Okoye").click()
    assert_accessible(page)
    page.get_by_label("Declare an interest: what it is").fill("Employed 1996 to 2001")
    page.get_by_role("button", name="Save the profile").click()
    _problem(page, "Choose the organisation of the interest")
    assert_accessible(page)
    choose_in_autocomplete(page, "Declare an interest: organisation", council.name)
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("The adviser profile is saved")).to_be_visible()
    assert_accessible(page)
    assert DeclaredInterest.objects.get().organisation == council
    page.get_by_role("link", name="Fran Okoye").click()
    expect(page.get_by_label("Wyre Forest District Council: Employed 1996 to 2001")).to_be_visible()
    expect(page.get_by_role("table", name="Change history")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the profile page with its history at {width} px")
