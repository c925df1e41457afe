"""Journeys: register a partnership, add members, move stage (and a refused move), browse and
filter the list and download CSV, view the partnership on a past date; axe on every page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import membership_end

from ..factories import make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_add_members_and_move_stage(
    page, live_server, sign_in, assert_accessible, fill_date, choose_in_autocomplete
):
    county = OrganisationFactory(county=True, name="Testshire County Council")
    district = OrganisationFactory(name="Dale District Council", parent_county=county)
    user = UserFactory(username="officer", organisations=[county])
    sign_in(page, user)
    page.goto(f"{live_server.url}/partnerships/")
    assert_accessible(page)
    page.get_by_role("button", name="Register a partnership").click()
    expect(page.get_by_role("heading", name="Register a partnership")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Testshire Connect")
    page.get_by_label("Reference").fill("SPT-2003-001")
    page.get_by_label("Purpose").fill("One front door to both tiers' services")
    fill_date(page, "Start date", "2003-01-06")
    page.get_by_label("This partnership is a pathfinder").check()
    page.get_by_role("button", name="Register partnership").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the pathfinder theme")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Pathfinder theme").fill("E-government and corporate support")
    page.get_by_role("button", name="Register partnership").click()
    expect(page.get_by_role("heading", name="Testshire Connect", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a member").click()
    assert_accessible(page)
    choose_in_autocomplete(page, "Organisation", "Dale District Council")
    page.get_by_label("Partner", exact=True).check()
    fill_date(page, "Date they joined", "2003-02-03")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_text("Dale District Council added")).to_be_visible()
    expect(page.get_by_text("Joins two tiers").first).to_be_visible()

    page.get_by_role("button", name="Add a member").click()
    choose_in_autocomplete(page, "Organisation", "Dale District Council")
    fill_date(page, "Date they joined", "2003-03-03")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="already a member on those dates")).to_be_visible()
    assert_accessible(page)
    assert Partnership.objects.get().memberships.filter(organisation=district).count() == 1

    page.goto(f"{live_server.url}{Partnership.objects.get().get_absolute_url()}")
    page.get_by_role("button", name="Move stage").click()
    assert_accessible(page)
    # Only the allowed moves are offered: from idea, scoping or abandoning (with a reason).
    moves = page.get_by_role("group", name="Move to").get_by_role("radio")
    expect(moves).to_have_count(2)
    expect(page.get_by_label("Agreement")).to_have_count(0)
    expect(page.get_by_label("Closed (abandon: give the reason below)")).to_be_visible()
    page.get_by_label("Closed (abandon: give the reason below)").check()
    page.get_by_role("button", name="Move stage").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter a reason for abandoning")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Scoping").check()
    page.get_by_role("button", name="Move stage").click()
    expect(page.get_by_text("Moved to scoping")).to_be_visible()
    expect(page.get_by_role("heading", name="Idea to scoping")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Priorities fit").click()
    expect(page.get_by_role("heading", name="Priorities fit")).to_be_visible()
    assert_accessible(page)


def test_public_filters_list_downloads_csv_and_views_the_past(
    page, live_server, assert_accessible, fill_date
):
    staff = UserFactory(role="staff", username="journey-staff")
    selby = OrganisationFactory(name="Selby District Council")
    p = make_partnership(name="North Testshire ICT", reference="NT-1", members=[selby],
                         is_pathfinder=True, pathfinder_theme="E-government", actor=staff)  # fmt: skip
    membership_end(membership=p.memberships.get(organisation=selby),
                   left_on=__import__("datetime").date(2003, 6, 30), reason="dropped out",
                   actor=staff)  # fmt: skip
    make_partnership(name="Other Partnership", reference="OT-1",
                     members=[OrganisationFactory(company=True)], actor=staff)  # fmt: skip
    page.goto(f"{live_server.url}/partnerships/")
    assert_accessible(page)
    page.get_by_label("Public-private (1)").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("1 partnership")
    expect(page.get_by_role("link", name="Other Partnership")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these results as CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Other Partnership" in text and "North Testshire ICT" not in text

    page.goto(f"{live_server.url}{p.get_absolute_url()}")
    expect(page.locator("#change-log")).to_contain_text("Selby District Council left: dropped out")
    expect(page.get_by_role("link", name="Selby District Council")).to_have_count(0)
    fill_date(page, "The partnership as it stood on", "2003-06-01")
    page.get_by_role("button", name="Show members on this date").click()
    expect(page.get_by_role("heading", name="Members on 1 June 2003")).to_be_visible()
    expect(page.get_by_role("link", name="Selby District Council")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Selby District Council").click()
    expect(page.get_by_role("heading", name="Partnerships")).to_be_visible()
    expect(page.get_by_role("link", name="North Testshire ICT")).to_be_visible()
    assert_accessible(page)


def test_staff_sees_fit_matrix_history_and_edit_form(page, live_server, sign_in, assert_accessible):
    from partnering.partnerships.services import aim_create, aim_scores_set, priority_create

    staff = UserFactory(role="staff", username="fit-staff")
    lead, district = OrganisationFactory(name="Lead Council"), OrganisationFactory(name="Hambleton")
    p = make_partnership(lead=lead, members=[district], actor=staff)
    aim = aim_create(partnership=p, title="Shared ICT", actor=staff)
    a = priority_create(organisation=lead, title="Cheaper ICT", weight=5, actor=staff)
    b = priority_create(organisation=district, title="Local offices", weight=5, actor=staff)
    aim_scores_set(aim=aim, scores={a.pk: 3, b.pk: 0}, actor=staff)
    sign_in(page, staff)
    page.goto(f"{live_server.url}{p.get_absolute_url()}fit/")
    expect(page.locator("#fit-summary")).to_contain_text("Hambleton's priorities are poorly served")
    expect(page.get_by_text("Poorly served", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Score ‘Shared ICT’ against priorities").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}{p.get_absolute_url()}history/")
    expect(page.get_by_role("heading", name="Change history", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}{p.get_absolute_url()}edit/")
    expect(page.get_by_label("Lead organisation")).to_be_visible()
    assert_accessible(page)
