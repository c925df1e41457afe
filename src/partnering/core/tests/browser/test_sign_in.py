"""Journey: each role signs in and out; the public sees public pages without signing in."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", ["staff", "adviser", "partner"])
def test_each_role_signs_in_and_out(
    page, live_server, user_for_role, sign_in, assert_accessible, role
):
    user = user_for_role(role)
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    sign_in(page, user)
    expect(
        page.get_by_role("link", name=f"{user.display_name} ({user.get_role_display()})")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in")
    ).to_be_visible()


def test_wrong_password_shows_error_summary(page, live_server, staff_user, assert_accessible):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_public_sees_home_without_signing_in(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Strategic Partnering Platform")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_lock_out_page_explains_and_passes_axe(
    page, live_server, staff_user, assert_accessible, width, settings
):
    """Issue 8 part 7: after the failure limit the person sees a GOV.UK page saying what happened
    and when to try again, readable at 320 px."""
    page.set_viewport_size({"width": width, "height": 900})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(staff_user.username)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in is locked for now")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_stale_form_shows_the_services_csrf_page(
    page, live_server, staff_user, assert_accessible, width
):
    """A form sent without its CSRF cookie (an expired or cleared session) gets the service's
    own page saying what to do, not Django's yellow 403 page."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/sign-in/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill(staff_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "CSRF verification failed" not in page.content()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, your form could not be sent")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
