"""A closed partnership is read-only through every route, its fair shares included (issue 8
part 6): each of these writes succeeded before the fix."""

import json

import pytest

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Stage, StrategicAim
from partnering.partnerships.services import stage_move
from partnering.sharing.models import CostModel
from partnering.sharing.tests.factories import make_partnership

from .test_api import payload

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


@pytest.fixture
def closed(staff_user):
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    stage_move(partnership=partnership, to_stage=Stage.CLOSED, reason="Wound up", actor=staff_user)
    member = UserFactory(username="closed-member", organisations=[own])
    return partnership, member


@pytest.mark.parametrize("who", ["member", "staff"])
def test_no_api_write_changes_a_closed_partnership(client, closed, staff_user, who):
    partnership, member = closed
    user = member if who == "member" else staff_user
    base = f"/api/v1/partnerships/{partnership.slug}"
    writes = [
        ("patch", base, {"name": "Renamed"}),
        ("post", f"{base}/aims", {"title": "A new aim"}),
        ("post", f"{base}/cost-models", payload(partnership)),
    ]
    for method, path, body in writes:
        response = getattr(client, method)(
            path, data=json.dumps(body), content_type="application/json", headers=_bearer(user)
        )
        assert response.status_code == 403, (method, path, response.content)
        assert "closed" in response.json()["detail"]
    partnership.refresh_from_db()
    assert partnership.name != "Renamed"
    assert not StrategicAim.objects.filter(partnership=partnership).exists()
    assert not CostModel.objects.filter(partnership=partnership, title="Shared ICT").exists()


def test_the_edit_pages_of_a_closed_partnership_are_refused(client, closed):
    partnership, member = closed
    client.force_login(member)
    for path in ("edit/", "aims/add/", "members/add/", "sharing/new/"):
        response = client.get(f"/partnerships/{partnership.slug}/{path}")
        assert response.status_code == 403, path
        assert b"closed" in response.content


def test_staff_can_still_reopen_it(client, closed, staff_user):
    partnership, _ = closed
    client.force_login(staff_user)

    response = client.post(
        f"/partnerships/{partnership.slug}/stage/",
        {"to_stage": Stage.REVIEW, "reason": "New funding"},
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.stage == Stage.REVIEW
