"""Journey: an adviser logs a mentoring session with two follow-up actions (the second row added
with "Add another action", no JavaScript needed; a row without an owner refused first), and the
owner of one marks it done from their open actions, at desktop width and at 320 px. Every page
passes axe and none scrolls sideways."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import Action, ActionStatus, MentoringSession

from ..factories import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow, f"{what} scrolls sideways"


@pytest.mark.parametrize("width", [1280, 320])
def test_an_adviser_logs_a_session_with_two_actions_and_the_owner_marks_one_done(
    page, live_server, sign_in, assert_accessible, fill_date, width
):
    staff = staff_user(username=f"j3-staff-{width}")
    council = OrganisationFactory(name="Malvern Hills District Council")
    adviser = UserFactory(role=Role.ADVISER, username=f"j3-adviser-{width}", first_name="Alex",
                          last_name="Morgan")  # fmt: skip
    officer = UserFactory(role=Role.PARTNER, username=f"j3-officer-{width}", first_name="Kim",
                          last_name="Shah", organisations=[council])  # fmt: skip
    p = make_partnership(lead=council, name="Malvern Hills Partnership")
    partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    today = timezone.localdate()
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, adviser)
    page.goto(f"{live_server.url}/programme/partnerships/{p.slug}/sessions/")
    expect(page.get_by_role("heading", name="Mentoring sessions", exact=True)).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the sessions page at {width} px")
    fill_date(page, "Date of the session", (today - timedelta(days=2)).isoformat())
    page.get_by_label("Who attended").fill("Partnership board officers")
    page.get_by_label("Action 1: what needs doing").fill("Send the board the scoping note")
    page.get_by_label("Action 1: who owns it").select_option(label="Kim Shah")
    page.get_by_label("Action 1: when it is due").fill((today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add another action").click()
    expect(page.get_by_label("Action 2: what needs doing")).to_be_visible()
    expect(page.get_by_label("Action 1: what needs doing")).to_have_value(
        "Send the board the scoping note"
    )
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Action 2: what needs doing").fill("Book the partnership board")
    page.get_by_label("Action 2: when it is due").fill((today + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("Choose who owns action 2")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the sessions page's error summary at {width} px")
    assert not MentoringSession.objects.exists()
    summary.get_by_role("link", name="Choose who owns action 2").click()
    expect(page.get_by_label("Action 2: who owns it")).to_be_focused()
    page.get_by_label("Action 2: who owns it").select_option(label="Alex Morgan")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("Mentoring session recorded")).to_be_visible()
    expect(page.get_by_text("Send the board the scoping note: Kim Shah")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the session with its actions at {width} px")
    assert MentoringSession.objects.get().actions.count() == 2

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"{live_server.url}/programme/actions/")
    expect(page.get_by_role("heading", name="Open actions")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the open actions at {width} px")
    # Their own open action (the other is the adviser's, not listed for them).
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(1)
    page.get_by_role(
        "button", name=re.compile("Mark as done.*Send the board the scoping note")
    ).click()
    expect(page.get_by_text("‘Send the board the scoping note’ is marked as done")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    done = Action.objects.get(description="Send the board the scoping note")
    assert (done.status, done.completed_by, done.completed_on) == (
        ActionStatus.DONE,
        officer,
        today,
    )
    assert Action.objects.get(description="Book the partnership board").status == ActionStatus.OPEN

    page.goto(f"{live_server.url}/programme/partnerships/{p.slug}/sessions/")
    expect(page.get_by_text(f"on {today:%-d %B %Y} by Kim Shah")).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page, f"the session with one action done at {width} px")
