"""Each role's own start page and the "mine" filter (issue 8 part 8)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import aim_create, partnership_update

from .factories import make_partnership

pytestmark = pytest.mark.django_db


def test_an_adviser_starts_with_the_partnerships_assigned_to_them(client, staff_user):
    adviser = UserFactory(username="adv", role="adviser")
    mine = make_partnership(name="Assigned Connect")
    make_partnership(name="Other Connect")
    partnership_update(partnership=mine, data={"advisers": [adviser]}, actor=staff_user)
    client.force_login(adviser)

    html = client.get("/").content.decode()

    assert "Partnerships assigned to you" in html
    panel = html.split('id="my-partnerships"')[1].split("<h2")[0]
    assert "Assigned Connect" in panel and "Other Connect" not in panel
    assert "Record the partnership&#x27;s strategic aims" in panel


def test_a_partner_member_sees_their_organisations_partnerships_and_what_needs_doing(client):
    org = OrganisationFactory()
    mine = make_partnership(lead=org, name="Our Connect", is_published=False)
    make_partnership(name="Their Connect")
    aim_create(partnership=mine, title="One front door", actor=None)
    client.force_login(UserFactory(username="member", organisations=[org]))

    panel = client.get("/").content.decode().split('id="my-partnerships"')[1].split("<h2")[0]

    assert "Our Connect" in panel and "Their Connect" not in panel
    assert "strategic aims" not in panel
    assert "1 member to record their priorities" in panel
    assert "Not published" in panel


def test_the_public_and_staff_have_no_such_panel(client, staff_user):
    assert 'id="my-partnerships"' not in client.get("/").content.decode()
    client.force_login(staff_user)
    assert 'id="my-partnerships"' not in client.get("/").content.decode()


def test_the_mine_filter_lists_only_my_partnerships(client):
    org = OrganisationFactory()
    make_partnership(lead=org, name="Our Connect")
    make_partnership(name="Their Connect")
    client.force_login(UserFactory(username="member", organisations=[org]))

    everything = client.get("/partnerships/").content.decode()
    mine = client.get("/partnerships/?mine=on").content.decode()

    assert "Their Connect" in everything
    assert "Our Connect" in mine and "Their Connect" not in mine
    assert "Only my organisations" in mine


def test_the_panel_runs_a_fixed_number_of_queries(client):
    org = OrganisationFactory()
    member = UserFactory(username="member", organisations=[org])
    client.force_login(member)
    make_partnership(lead=org, name="First Connect")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    few = count()
    for n in range(8):
        make_partnership(lead=org, name=f"More Connect {n}", reference=f"MORE-{n}")
    assert count() == few


def test_the_assigned_to_me_filter_for_an_adviser(client, staff_user):
    adviser = UserFactory(username="adv-filter", role="adviser")
    mine = make_partnership(name="Assigned Connect")
    make_partnership(name="Other Connect")
    partnership_update(partnership=mine, data={"advisers": [adviser]}, actor=staff_user)
    client.force_login(adviser)

    filtered = client.get("/partnerships/?mine=on").content.decode()

    assert "Only those assigned to me" in filtered
    assert "Assigned Connect" in filtered and "Other Connect" not in filtered


def test_staff_start_with_the_programme(client, staff_user):
    """Staff's home page leads to the programme (calls, selection, risks across it)."""
    client.force_login(staff_user)
    html = client.get("/").content.decode()
    assert 'href="/programme/"' in html
    assert 'id="programme-risks"' in html  # the programme's risks at a glance
