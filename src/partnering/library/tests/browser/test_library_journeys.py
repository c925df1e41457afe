"""Journeys: search and read a toolkit (desktop and 320 px); write, review and publish
guidance (two editors); a major change with its note; withdraw a document; subscribe to the
feed. axe on every page."""

import pytest
from playwright.sync_api import expect

from partnering.library import services

from ..factories import make_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _toolkit(a, b):
    d = services.document_create(
        kind="toolkit",
        title="Forming a two-tier e-government partnership: a toolkit",
        summary="How a county and its districts give the public one way in.",
        body="## Agreeing the scope\n\nStart with waste, highways and council tax.\n\n"
        "## Governance\n\nA board with one member from each council.\n\n"
        "## Sharing the costs\n\nUse a fair-shares model.",
        audiences=["officers"],
        actor=a,
    )
    services.document_submit(document=d, actor=a)
    return services.document_approve(document=d, actor=b)


@pytest.mark.parametrize("width", [1280, 320])
def test_search_and_read_a_toolkit(page, live_server, assert_accessible, width):
    a, b = make_editor("j-a"), make_editor("j-b")
    _toolkit(a, b)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/library/")
    assert_accessible(page)
    page.get_by_label("Search the library").fill("govrnance board")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Did you mean")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="governance board").click()
    expect(page.get_by_role("heading", name="1 result for “governance board”")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Forming a two-tier e-government partnership: a toolkit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Forming a two-tier e-government partnership: a toolkit"
    )
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", name="Governance", exact=True)).to_be_visible()
    assert_accessible(page)
    if width == 320:
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow


def test_write_review_and_publish_guidance_with_a_second_editor(
    page, live_server, sign_in, assert_accessible
):
    a, b = make_editor("j-writer"), make_editor("j-reviewer")
    sign_in(page, a)
    page.goto(f"{live_server.url}/library/editor/")
    assert_accessible(page)
    page.get_by_role("button", name="New document").click()
    assert_accessible(page)
    page.get_by_label("Best-practice guidance").check()
    page.get_by_label("Title").fill("Resolving disputes between partners")
    page.get_by_label("Summary").fill("Escalation, mediation and arbitration.")
    page.get_by_label("Body").fill(
        "## Escalation\n\nOfficers, then chief executives.\n\n<script>alert(1)</script>"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Body").fill(
        "## Escalation\n\nOfficers, then chief executives.\n\n## Mediation\n\nAn independent mediator."
    )
    page.get_by_label("Legal").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft “Resolving disputes between partners” saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review")).to_be_visible()
    page.get_by_role("button", name="Review and approve").click()
    expect(page.get_by_text("you cannot approve it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, b)
    page.goto(f"{live_server.url}/library/editor/")
    page.get_by_role("link", name="Resolving disputes between partners").click()
    page.get_by_role("button", name="Review and approve").click()
    page.get_by_label("Now").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved and published")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/library/search/?q=mediator")
    expect(page.get_by_role("link", name="Resolving disputes between partners")).to_be_visible()


def test_a_major_change_with_its_note_then_withdraw(page, live_server, sign_in, assert_accessible):
    a, b = make_editor("j-c"), make_editor("j-d")
    d = _toolkit(a, b)
    sign_in(page, a)
    page.goto(f"{live_server.url}{d.get_absolute_url()}")
    page.get_by_role("button", name="Edit").click()
    assert_accessible(page)
    page.get_by_label("Body").fill(d.body + "\n\n## A timetable\n\nSix months for scoping.")
    page.get_by_label("Major: the public should know").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter a change note")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Change note").fill("Added a timetable.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Changes saved")).to_be_visible()
    page.get_by_role("link", name="See all updates").click()
    expect(page.get_by_text("Added a timetable.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Versions and changes").click()
    assert_accessible(page)
    page.get_by_role("link", name="Compare with version 1").click()
    expect(page.get_by_text("+ Six months for scoping.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}{d.get_absolute_url()}")
    page.get_by_role("button", name="Withdraw").click()
    assert_accessible(page)
    page.get_by_label("Why is it withdrawn?").fill("Replaced by the 2004 toolkit.")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Withdrawn: the page stays readable")).to_be_visible()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{d.get_absolute_url()}")
    expect(page.get_by_text("was withdrawn on")).to_be_visible()
    expect(page.get_by_text("Replaced by the 2004 toolkit.")).to_be_visible()
    assert_accessible(page)


def test_subscribe_to_the_feed_of_a_kind(page, live_server, assert_accessible):
    a, b = make_editor("j-e"), make_editor("j-f")
    _toolkit(a, b)
    page.goto(f"{live_server.url}/library/browse/toolkits/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Subscribe to a feed of these documents")
    href = link.get_attribute("href")
    assert href == "/library/feed/?kind=toolkit"
    response = page.request.get(f"{live_server.url}{href}")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "Forming a two-tier e-government partnership" in response.text()
