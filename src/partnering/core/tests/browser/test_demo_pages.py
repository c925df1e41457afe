"""Journey: a visitor follows the demo's best story, the North Yorkshire ICT Partnership, through
every kind of page it has; each page passes axe."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_north_yorkshire_story_is_readable_and_accessible(page, live_server, assert_accessible):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    page.goto(f"{base}/partnerships/")
    page.get_by_role("link", name="North Yorkshire ICT Partnership").click()
    expect(
        page.get_by_role("heading", name="North Yorkshire ICT Partnership", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Agilisys joined as private partner")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Priorities fit").click()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Costs, fair shares and agreements").click()
    expect(page.get_by_text("Outside the core")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Version 1", exact=False).first.click()
    expect(page.get_by_role("heading", name="Would anyone do better alone?")).to_be_visible()
    assert_accessible(page)

    for path in ("v1/risk/", "v9/compare/", "agreements/"):
        page.goto(f"{base}/partnerships/north-yorkshire-ict-partnership/sharing/{path}")
        assert_accessible(page)

    page.goto(f"{base}/organisations/code/E07000164/")
    expect(page.get_by_role("heading", name="Hambleton District Council")).to_be_visible()
    expect(page.get_by_role("link", name="North Yorkshire ICT Partnership")).to_be_visible()
    assert_accessible(page)
