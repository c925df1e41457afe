"""The service's own error pages (issue 8, part 1.4): an unexpected failure behind a page shows the
GOV.UK 'Sorry, there is a problem with the service' page, accessible at desktop width and at 320 px,
with no trace of the failure; a missing page shows the GOV.UK 404."""

from unittest import mock

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_failure_behind_a_page_shows_the_services_500_page(
    page, live_server, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    with mock.patch(
        "partnering.organisations.views.organisation_list",
        side_effect=RuntimeError("secret internals"),
    ):
        response = page.goto(f"{live_server.url}/organisations/")

    assert response is not None and response.status == 500
    expect(
        page.get_by_role("heading", name="Sorry, there is a problem with the service", level=1)
    ).to_be_visible()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    content = page.content()
    assert "secret internals" not in content and "Traceback" not in content
    assert_accessible(page)


def test_a_missing_page_shows_the_services_404_page(page, live_server, assert_accessible):
    response = page.goto(f"{live_server.url}/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    assert_accessible(page)
