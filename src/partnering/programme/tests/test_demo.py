"""The demo's call: its proven-optimal selection is exactly the hand-marked pathfinders."""

import pytest

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme import demo
from partnering.programme.models import ApplicationStatus, Call, SelectionRun

pytestmark = pytest.mark.django_db


def test_demo_selection_yields_the_pathfinders_and_is_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "OTHERS", 4)
    UserFactory(username="staff", role=Role.STAFF)
    UserFactory(username="adviser", role=Role.ADVISER)
    pathfinders = [
        make_partnership(lead=OrganisationFactory(), is_pathfinder=True,
                         pathfinder_theme="E-government and corporate support")
        for _ in range(3)
    ]  # fmt: skip
    for _ in range(4):
        OrganisationFactory(unitary=True)
    message = demo.load()
    assert "7 applications" in message and "optimal, 3 selected" in message
    assert "4 advisers, matching run 1" in message
    call = Call.objects.get()
    selected = call.applications.filter(status=ApplicationStatus.SELECTED)
    assert {a.partnership_id for a in selected} == {p.pk for p in pathfinders}
    assert set(Partnership.objects.filter(is_pathfinder=True)) == set(pathfinders)
    assert SelectionRun.objects.get().confirmed_at is not None
    assert demo.load() == "pathfinder call already loaded; advisers already loaded"
