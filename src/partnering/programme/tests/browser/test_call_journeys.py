"""Journey: staff create a call with criteria, quotas and its panel (a quota with min > max refused in the
error summary naming its row, rows added without JavaScript), open it; a partnership applies,
changes its draft and withdraws another. At desktop width and at 320 px; every page passes axe
and nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import Application, ApplicationStatus, Call, CallStatus

from ..factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page, assert_accessible) -> None:
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, f"{page.url} scrolls sideways"


def _problem(page, message: str) -> None:
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary").get_by_text(message)).to_be_visible()


@pytest.mark.parametrize("width", [1280, 320])
def test_staff_create_and_open_a_call_and_a_partnership_applies_changes_and_withdraws(
    page, live_server, sign_in, assert_accessible, fill_date, width
):
    staff = staff_user(username=f"c-staff-{width}")
    org = OrganisationFactory(name=f"Wychavon District Council {width}")
    ours = make_partnership(lead=org, name=f"Wychavon Shared Services {width}")
    theirs = make_partnership(lead=org, name=f"Wychavon Revenues {width}")
    officer = UserFactory(role=Role.PARTNER, username=f"c-officer-{width}", organisations=[org])
    assessor = UserFactory(role=Role.ADVISER, username=f"c-assessor-{width}", first_name="Lee",
                           last_name="Barnes")  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/")
    page.get_by_role("button", name="Create a call").click()
    _checked(page, assert_accessible)
    page.get_by_label("Title", exact=True).fill("Joined-up services 2004")
    page.get_by_label("Summary").fill("Pathfinders that join up county and district services")
    fill_date(page, "Opens", "2004-01-05")
    fill_date(page, "Closes", "2004-03-31")
    fill_date(page, "Decisions by", "2004-05-28")
    page.get_by_label("Places").fill("12")
    page.get_by_label("Lee Barnes").check()
    page.locator("#id_criteria-0-title").fill("Benefit to citizens")
    page.locator("#id_criteria-0-weight").fill("2")
    page.get_by_role("button", name="Add another criterion").click()  # no script: a new row
    expect(page.locator("#id_criteria-1-title")).to_be_visible()
    expect(page.locator("#id_criteria-0-title")).to_have_value("Benefit to citizens")
    page.locator("#id_criteria-1-title").fill("Deliverability")
    page.locator("#id_criteria-1-weight").fill("1")
    page.locator("#id_tags-0-label").fill("Rural pilot")
    page.locator("#id_tags-0-applicants_choose").check()
    page.locator("#id_quotas-0-tag").fill("egov")
    page.locator("#id_quotas-0-minimum").fill("4")
    page.get_by_role("button", name="Add another quota").click()
    page.locator("#id_quotas-1-tag").fill("two_tier")
    page.locator("#id_quotas-1-minimum").fill("5")
    page.locator("#id_quotas-1-maximum").fill("3")
    page.get_by_role("button", name="Create the call").click()
    _problem(page, "Quota 2: The minimum (5) is more than the maximum (3)")
    _checked(page, assert_accessible)
    assert not Call.objects.exists()
    page.locator(".govuk-error-summary").get_by_role("link").first.click()
    expect(page.locator("#id_quotas-1-minimum")).to_be_focused()
    page.locator("#id_quotas-1-maximum").fill("6")
    page.get_by_role("button", name="Create the call").click()
    expect(page.get_by_text("Call ‘Joined-up services 2004’ created as a draft")).to_be_visible()
    _checked(page, assert_accessible)
    call = Call.objects.get()
    assert [(c.title, c.weight) for c in call.criteria.all()] == [
        ("Benefit to citizens", 2), ("Deliverability", 1)]  # fmt: skip
    assert sorted(call.quotas.values_list("tag", "minimum", "maximum")) == [
        ("egov", 4, None), ("two_tier", 5, 6)]  # fmt: skip
    assert list(call.assessors.all()) == [assessor]

    page.get_by_role("button", name="Open the call").click()
    expect(page.get_by_role("heading", name="Open the call?")).to_be_visible()
    _checked(page, assert_accessible)
    page.get_by_role("button", name="Open the call").click()
    expect(page.get_by_text("Call ‘Joined-up services 2004’ opened")).to_be_visible()
    _checked(page, assert_accessible)
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN

    page.context.clear_cookies()
    sign_in(page, officer)
    for partnership, title in ((ours, "One front door"), (theirs, "Shared revenues")):
        page.goto(f"{live_server.url}{call.get_absolute_url()}")
        page.get_by_role("button", name="Apply for this call").click()
        page.get_by_label("Partnership").select_option(label=partnership.name)
        page.get_by_label("Project title").fill(title)
        page.get_by_label("Amount requested (£)").fill("150000")
        page.get_by_role("button", name="Save as a draft").click()
        expect(page.get_by_text("saved as a draft")).to_be_visible()
    _checked(page, assert_accessible)
    mine = Application.objects.get(partnership=ours)
    other = Application.objects.get(partnership=theirs)

    page.goto(f"{live_server.url}{mine.get_absolute_url()}")
    page.get_by_role("button", name="Change the draft").click()
    _checked(page, assert_accessible)
    page.get_by_label("Project title").fill("")
    page.get_by_role("button", name="Save the draft").click()
    _problem(page, "Enter the project title")
    _checked(page, assert_accessible)
    page.get_by_label("Project title").fill("One front door for Wychavon")
    page.get_by_label("Rural pilot").check()
    page.get_by_label("Benefit to citizens").fill("Residents reach both tiers at once.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="One front door for Wychavon")).to_be_visible()
    expect(page.get_by_text("Residents reach both tiers at once.")).to_be_visible()
    _checked(page, assert_accessible)
    mine.refresh_from_db()
    assert mine.call_tags == ["rural-pilot"] and mine.status == ApplicationStatus.DRAFT

    page.goto(f"{live_server.url}{other.get_absolute_url()}")
    page.get_by_role("button", name="Withdraw the application").click()
    expect(page.get_by_role("heading", name="Withdraw ‘Shared revenues’?")).to_be_visible()
    _checked(page, assert_accessible)
    page.get_by_role("button", name="Withdraw the application").click()
    expect(page.get_by_text(f"Application {other.reference} withdrawn")).to_be_visible()
    expect(page.get_by_text("Withdrawn", exact=True).first).to_be_visible()
    _checked(page, assert_accessible)
    other.refresh_from_db()
    mine.refresh_from_db()
    assert other.status == ApplicationStatus.WITHDRAWN and mine.status == ApplicationStatus.DRAFT
