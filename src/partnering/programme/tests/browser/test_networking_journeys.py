"""Journeys: enrol in a module and have it completed; book an event (waiting list, calendar
file, a cancellation gives the place on); match advisers and confirm; offer peer support and find
partnerships like mine; the staff dashboard at desktop and 320 px. Every page passes axe."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import Booking, Enrolment
from partnering.programme.services import adviser_profile_set, booking_create

from ..factories import EventFactory, ModuleFactory, ModuleSessionFactory, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrol_in_a_module_and_staff_record_its_completion(
    page, live_server, sign_in, assert_accessible
):
    org = OrganisationFactory(name="Malvern Hills District Council")
    officer = UserFactory(
        username="t-officer", first_name="Jo", last_name="Evans", organisations=[org]
    )
    staff = staff_user(username="t-staff")
    module = ModuleFactory(title="Leading a strategic partnership", slug="leading")
    start = timezone.localdate() - timedelta(days=3)
    ModuleSessionFactory(module=module, starts_on=start, ends_on=start, venue="Worcester")

    sign_in(page, officer)
    page.goto(f"{live_server.url}/programme/")
    page.get_by_role("link", name="Training and development modules").click()
    assert_accessible(page)
    page.get_by_role("link", name="Leading a strategic partnership").click()
    expect(page.get_by_role("heading", name="Learning outcomes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Enrol").click()
    assert_accessible(page)
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Worcester").check()
    page.get_by_label("Which organisation you are enrolling for").select_option(label=org.name)
    page.get_by_role("button", name="Enrol").click()
    expect(
        page.locator("#main-content").get_by_text("You are enrolled: the cohort from")
    ).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/modules/leading/")
    page.get_by_role("link", name="Record completion for Jo Evans").click()
    assert_accessible(page)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Record completion").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record completion").click()
    expect(page.locator("#enrolments").get_by_text("Completed on")).to_be_visible()
    assert_accessible(page)
    assert Enrolment.objects.get().completed_on == today
    page.goto(f"{live_server.url}/programme/modules/progress/")
    expect(page.locator("#completion-grid").get_by_text(org.name)).to_be_visible()
    assert_accessible(page)


def test_book_an_event_wait_download_its_calendar_and_get_a_cancelled_place(
    page, live_server, sign_in, assert_accessible
):
    first = UserFactory(username="t-first")
    second = UserFactory(username="t-second")
    EventFactory(
        title="Peer visit: one front door", slug="peer-visit", places=1, location="Worcester"
    )

    sign_in(page, first)
    page.goto(f"{live_server.url}/programme/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Peer visit: one front door").click()
    assert_accessible(page)
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("You have a place at this event.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics file)").click()
    cal = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Peer visit: one front door"]

    page.context.clear_cookies()
    sign_in(page, second)
    page.goto(f"{live_server.url}/programme/events/peer-visit/")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text("You are on the waiting list (number 1)")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, first)
    page.goto(f"{live_server.url}/programme/events/peer-visit/")
    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_text("Your booking is cancelled")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(person=second).status == "booked"


def test_match_advisers_and_confirm(page, live_server, sign_in, assert_accessible):
    staff = staff_user(username="t-mstaff")
    p = make_partnership(lead=OrganisationFactory(region="North West"), name="Wirral Pathfinder",
                         is_pathfinder=True, pathfinder_theme="E-government")  # fmt: skip
    adviser = UserFactory(
        role=Role.ADVISER, username="t-adviser", first_name="Fran", last_name="Okoye"
    )
    adviser_profile_set(user=adviser, disciplines=["project_management"], capacity=2,
                        regions=["North West"], actor=staff)  # fmt: skip
    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/advisers/")
    assert_accessible(page)
    page.get_by_role("link", name="Match advisers to pathfinders").click()
    assert_accessible(page)
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name="Run 1: every pathfinder served")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm: set these advisers").click()
    expect(page.get_by_text("Mentors set for 1 pathfinder", exact=True)).to_be_visible()
    assert_accessible(page)
    assert list(Partnership.objects.get(pk=p.pk).advisers.all()) == [adviser]


def test_offer_peer_support_and_find_partnerships_like_mine(
    page, live_server, sign_in, assert_accessible
):
    county = OrganisationFactory(name="Worcestershire County Council", kind="county")
    mine = make_partnership(lead=county, size=4, name="Worcestershire Partnership",
                            purpose="One front door to every council's services")  # fmt: skip
    other_county = OrganisationFactory(name="North Yorkshire County Council", kind="county")
    make_partnership(lead=other_county, size=5, name="North Yorkshire ICT Partnership",
                     purpose="A joint e-government strategy and one front door")  # fmt: skip
    peer = UserFactory(
        username="t-peer", first_name="Kim", last_name="Shaw", organisations=[other_county]
    )
    officer = UserFactory(username="t-worcs", organisations=[county])

    sign_in(page, peer)
    page.goto(f"{live_server.url}/programme/peers/")
    assert_accessible(page)
    page.get_by_role("link", name="Offer to help peers, or change your offer").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save my offer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your organisation").select_option(label=other_county.name)
    page.get_by_label("One front door for citizens").check()
    page.get_by_label("List me in the peer directory").check()
    page.get_by_role("button", name="Save my offer").click()
    expect(page.locator("#peers").get_by_text("Kim Shaw")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"{live_server.url}/programme/partnerships/{mine.slug}/like-mine/")
    expect(page.get_by_role("link", name="North Yorkshire ICT Partnership")).to_be_visible()
    expect(page.locator("#similar-1").get_by_text("Kim Shaw")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_dashboard_modules_and_events_at_desktop_and_320px(
    page, live_server, sign_in, assert_accessible, width
):
    staff = staff_user(username=f"t-dash-{width}")
    ModuleSessionFactory(module=ModuleFactory(title="Councillors and partnerships"))
    event = EventFactory(title="Two-tier working workshop", places=2)
    booking_create(event=event, person=UserFactory(), actor=None)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, staff)
    for path in ("/programme/dashboard/", "/programme/modules/", "/programme/events/",
                 f"/programme/events/{event.slug}/"):  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{path} scrolls sideways at {width} px"
    page.goto(f"{live_server.url}/programme/dashboard/")
    expect(page.locator("#chart-applications svg")).to_be_visible()
    expect(page.locator("#advisers-table")).to_be_attached()
