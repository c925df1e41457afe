"""Journey: a signed-in person who does nothing is warned 2 minutes before being signed out and
can stay signed in (issue 8, part 7). The warning passes axe."""

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_idle_person_is_warned_and_can_stay_signed_in(
    page, live_server, sign_in, assert_accessible, settings
):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 123  # the warning comes after 3 seconds
    sign_in(page, UserFactory(username="idle"))
    page.goto(f"{live_server.url}/account/")
    warning = page.get_by_role("alert").filter(has_text="You will be signed out in 2 minutes")
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=10_000)
    assert_accessible(page)
    with page.expect_response(lambda response: "/healthz" in response.url):
        page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
