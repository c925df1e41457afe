"""Journeys: browse, search, filter and page through the real registry, open an organisation and
its county, and download the filtered list as CSV. Every page passes axe (WCAG 2.2 AA)."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORTH_YORKSHIRE_DISTRICTS = [
    "Craven District Council",
    "Hambleton District Council",
    "Harrogate Borough Council",
    "Richmondshire District Council",
    "Ryedale District Council",
    "Scarborough Borough Council",
    "Selby District Council",
]


@pytest.fixture
def real_registry(transactional_db):
    call_command("import_organisations", no_progress=True, stdout=io.StringIO())


def results(page):
    return page.locator("tbody .govuk-table__cell:first-child > a.govuk-link")


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()


def test_browse_search_and_page(page, live_server, real_registry, assert_accessible):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1, name="Organisations")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("424 organisations")
    expect(results(page)).to_have_count(50)
    assert_accessible(page)

    # Page through the list.
    pagination = page.get_by_role("navigation", name="Pagination")
    pagination.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(pagination.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(results(page)).to_have_count(50)
    assert_accessible(page)
    pagination.get_by_role("link", name="Page 9").click()
    expect(results(page)).to_have_count(24)

    # Search by name, then by GSS code and Org-ID.
    for term in ["Malvern", "E07000235", "GB-LAE-MAV"]:
        page.get_by_label("Name or code").fill(term)
        apply_filters(page)
        expect(page.locator("#result-count")).to_have_text("1 organisation")
        expect(results(page)).to_have_text(["Malvern Hills District Council"])
    assert_accessible(page)


def test_filter_open_detail_follow_county_and_download_csv(
    page, live_server, real_registry, assert_accessible
):
    page.goto(f"{live_server.url}/organisations/")
    page.get_by_role("group", name="Tier").get_by_label("District", exact=True).check()
    page.get_by_role("group", name="Status").get_by_label("Abolished").check()
    page.get_by_role("group", name="Region").get_by_label("Yorkshire and The Humber").check()
    apply_filters(page)

    expect(page.locator("#result-count")).to_have_text("7 organisations")
    expect(results(page)).to_have_text(NORTH_YORKSHIRE_DISTRICTS)
    expect(page.get_by_role("group", name="Status").get_by_label("Abolished")).to_be_checked()
    assert_accessible(page)

    # The CSV holds the same seven rows.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download these results as CSV")).click()
    download = download_info.value
    assert download.suggested_filename == "organisations.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == NORTH_YORKSHIRE_DISTRICTS
    assert {r["end_date"] for r in rows} == {"2023-03-31"}
    assert {r["parent_county_gss"] for r in rows} == {"E10000023"}

    # Open a district, then its county.
    page.get_by_role("link", name="Hambleton District Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hambleton District Council")
    expect(page.get_by_text("Abolished: last day 31 March 2023")).to_be_visible()
    expect(page.get_by_text("E07000164", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="North Yorkshire Council", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="North Yorkshire County Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North Yorkshire County Council")
    districts = page.get_by_role("heading", name="Districts").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(districts.get_by_role("link")).to_have_text(NORTH_YORKSHIRE_DISTRICTS)
    assert_accessible(page)

    # A code in the address goes to the organisation.
    page.goto(f"{live_server.url}/organisations/code/E07000164/")
    expect(page).to_have_url(f"{live_server.url}/organisations/hambleton-district-council/")


def test_invalid_filter_shows_an_error_summary(page, live_server, real_registry, assert_accessible):
    page.goto(f"{live_server.url}/organisations/?kind=bogus&tier=county")

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(["Select kind from the list"])
    assert page.title().startswith("Error: ")
    expect(page.locator("#result-count")).to_have_text("34 organisations")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.locator("#id_kind_0")).to_be_focused()


def test_unknown_organisation_is_a_404_page(page, live_server, assert_accessible):
    response = page.goto(f"{live_server.url}/organisations/atlantis-council/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_staff_read_the_change_history(
    page, live_server, real_registry, staff_user, sign_in, assert_accessible
):
    sign_in(page, staff_user)
    page.goto(f"{live_server.url}/organisations/worcestershire-county-council/")
    page.get_by_role("link", name="Change history").click()

    expect(page.get_by_role("heading", level=1, name="Change history")).to_be_visible()
    expect(page.get_by_text("Imported from local_authorities.csv")).to_be_visible()
    assert_accessible(page)
