"""The front door's home panel and partnership section (registered, not named by core or the
partnerships room): an officer sees their councils' open requests; a partnership page says how
residents reach its councils, with queue links only for those who handle the requests."""

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.frontdoor.models import Status

from .factories import WORCS, WYCHAVON, ServiceRequestFactory, council_staff

pytestmark = pytest.mark.django_db


def test_home_panel_counts_the_officers_open_requests(client, front_door, councils):
    county = councils[WORCS]
    ServiceRequestFactory.create_batch(2, council=county)
    ServiceRequestFactory(council=county, status=Status.DONE)
    ServiceRequestFactory(council=councils[WYCHAVON])
    client.force_login(council_staff(county))
    page = client.get("/").content.decode()
    assert "Residents’ requests" in page
    assert f'href="/frontdoor/queue/{county.slug}/"' in page and "2 open requests" in page
    assert f"/frontdoor/queue/{councils[WYCHAVON].slug}/" not in page


def test_no_panel_for_the_public_or_an_officer_without_a_council(client, front_door):
    assert "Residents’ requests" not in client.get("/").content.decode()
    client.force_login(UserFactory(username="no-council"))
    assert "Residents’ requests" not in client.get("/").content.decode()


def test_partnership_section_links_queues_only_for_their_handlers(client, front_door, councils):
    county = councils[WORCS]
    ServiceRequestFactory(council=county)
    url = front_door.get_absolute_url()
    public = client.get(url).content.decode()
    assert "through one front door" in public and "/frontdoor/queue/" not in public
    client.force_login(council_staff(county))
    officer = client.get(url).content.decode()
    assert f"Requests for {county.name}" in officer
    assert f"Requests for {councils[WYCHAVON].name}" not in officer


def test_partnership_section_counts_the_councils_members_today(client, front_door, councils):
    """Seven councils (the county and six districts); one that has left is not counted, one
    leaving next month still is. Staff see every member council's queue."""
    from datetime import timedelta

    from django.utils import timezone

    from partnering.core.models import Role

    today = timezone.localdate()
    memberships = list(front_door.memberships.exclude(organisation=councils[WORCS]))
    memberships[0].left_on = today - timedelta(days=1)
    memberships[0].save(update_fields=["left_on"])
    memberships[1].left_on = today + timedelta(days=30)
    memberships[1].save(update_fields=["left_on"])
    page = client.get(front_door.get_absolute_url()).content.decode()
    assert "reach the 6 member councils’ services" in page
    client.force_login(UserFactory(username="fd-staff", role=Role.STAFF))
    staff = client.get(front_door.get_absolute_url()).content.decode()
    assert staff.count("Requests for ") == 6
    assert f"Requests for {memberships[0].organisation.name}" not in staff
    assert f"Requests for {memberships[1].organisation.name}" in staff
