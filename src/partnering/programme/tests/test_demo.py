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
    assert demo.load() == (
        "pathfinder call already loaded; advisers already loaded; training and events already loaded"
    )


def test_demo_networking_has_modules_enrolments_events_with_a_waiting_list_and_peers():
    from partnering.organisations.models import Kind
    from partnering.programme.models import Booking, Enrolment, Event, PeerOffer, TrainingModule

    staff = UserFactory(username="staff", role=Role.STAFF)
    for _ in range(6):
        OrganisationFactory(kind=Kind.DISTRICT, existed_2003=True)
    message = demo._networking(staff)
    assert "4 training modules" in message
    assert TrainingModule.objects.filter(is_published=True, is_demo=True).count() == 4
    assert Enrolment.objects.filter(status="completed").exists()
    assert Enrolment.objects.filter(status="enrolled").exists()
    full = Event.objects.get(places=3)
    assert Booking.objects.filter(event=full, status="booked").count() == 3
    assert Booking.objects.filter(event=full, status="waiting").count() == 2
    assert Booking.objects.filter(attended=True).exists()
    assert PeerOffer.objects.filter(is_listed=True).count() == 6
    assert demo._networking(staff) == "training and events already loaded"
