"""Priorities belong to an organisation; wording typed in an unpublished partnership's context
never shows on a published page (issue 8 part 6)."""

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.selectors import HIDDEN_PRIORITY
from partnering.partnerships.services import priority_create

from .factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_member():
    org = OrganisationFactory(name="Shared District Council")
    public = make_partnership(members=[org], name="Public Connect")
    private = make_partnership(members=[org], name="Private Connect", is_published=False)
    priority_create(
        organisation=org, title="Close the Bewdley office in secret", weight=4,
        entered_for=private, actor=None,
    )  # fmt: skip
    priority_create(
        organisation=org, title="Better bus links", weight=2, entered_for=public, actor=None
    )
    return org, public, private


def test_the_public_never_reads_wording_entered_in_an_unpublished_partnership(
    client, shared_member
):
    _, public, _ = shared_member

    page = client.get(f"/partnerships/{public.slug}/fit/").content.decode()
    api = client.get(f"/api/v1/partnerships/{public.slug}/priorities").content.decode()

    for text in (page, api):
        assert "Close the Bewdley office" not in text
        assert "Better bus links" in text
    assert HIDDEN_PRIORITY in page


def test_people_who_can_see_the_other_partnership_read_the_wording(client, shared_member):
    org, public, _ = shared_member
    client.force_login(UserFactory(username="member", organisations=[org]))

    page = client.get(f"/partnerships/{public.slug}/fit/").content.decode()

    assert "Close the Bewdley office in secret" in page


def test_the_form_says_whose_priorities_they_are(client, shared_member, staff_user):
    org, _, private = shared_member
    client.force_login(staff_user)

    page = client.get(f"/partnerships/{private.slug}/priorities/{org.slug}/add/").content.decode()

    assert "Shared District Council's own priorities" in page
    assert "not this partnership's" in page and "which is not published" in page
