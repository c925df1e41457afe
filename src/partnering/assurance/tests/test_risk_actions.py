"""Actions treating a risk move open -> in progress -> done through a page and the API; each
change is audited; a status outside the list is refused with a clear message."""

from datetime import date

import pytest
from django.urls import reverse

from partnering.assurance import services
from partnering.assurance.models import ActionStatus
from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

from .factories import make_partnership, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    org = OrganisationFactory()
    p = make_partnership(2, orgs=[org])
    owner = UserFactory(username="ra-owner", organisations=[org])
    risk = make_risk(p, owner)
    return services.risk_action_add(
        risk=risk, text="Negotiate exit terms", owner=owner, due_on=date(2004, 1, 1), actor=owner
    )


def test_page_marks_the_action_done_and_audits_it(client, action):
    risk = action.risk
    client.force_login(action.owner)
    detail = reverse("assurance:risk-detail", args=[risk.register.partnership.slug, risk.number])
    assert "Change status" in client.get(detail).content.decode()
    url = reverse(
        "assurance:risk-action-status",
        args=[risk.register.partnership.slug, risk.number, action.pk],
    )
    page = client.get(url).content.decode()
    assert "Negotiate exit terms" in page and 'value="in_progress"' in page
    response = client.post(url, {"status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    last = action.history.latest()
    assert last.history_change_reason == "Action marked done" and last.history_user == action.owner


@pytest.mark.parametrize("status", ["", "finished", "done\x00", "NaN"])
def test_a_status_outside_the_list_is_refused_and_nothing_changes(client, action, status):
    risk = action.risk
    client.force_login(action.owner)
    url = reverse(
        "assurance:risk-action-status",
        args=[risk.register.partnership.slug, risk.number, action.pk],
    )
    response = client.post(url, {"status": status})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    with pytest.raises(DomainError) as error:
        services.risk_action_update(action=action, status=status, actor=None)
    assert error.value.code == "assurance.action_status_invalid"


def test_api_marks_the_action_and_returns_its_id_and_status(client, action):
    risk = action.risk
    client.force_login(action.owner)
    url = (
        f"/api/v1/assurance/partnerships/{risk.register.partnership.slug}"
        f"/risks/{risk.number}/actions/{action.pk}"
    )
    response = client.patch(url, {"status": "in_progress"}, content_type="application/json")
    assert response.status_code == 200, response.content
    (out,) = response.json()["actions"]
    assert out == {
        "id": action.pk, "text": "Negotiate exit terms", "owner": "ra-owner",
        "due_on": "2004-01-01", "status": "in_progress",
    }  # fmt: skip
    assert client.patch(url, {"status": "nope"}, content_type="application/json").status_code == 422
    missing = url.rsplit("/", 1)[0] + f"/{action.pk + 999}"
    assert (
        client.patch(missing, {"status": "done"}, content_type="application/json").status_code
        == 404
    )
