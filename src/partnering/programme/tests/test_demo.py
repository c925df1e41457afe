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
        "pathfinder call already loaded; advisers already loaded; training and events already "
        "loaded; 10 lists of partnerships like each one"  # worked out again every time
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


def test_the_demo_emails_nobody_and_leaves_real_actions_alone(settings):
    """The demo's reminders and digests are recorded but not delivered: loaded with a mail server
    that refuses connections (the production settings on a machine with none, as the benchmark
    loads it) the demo failed with ConnectionRefusedError; and it reminded every real owner."""
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from partnering.partnerships.services import partnership_update
    from partnering.programme.models import Action
    from partnering.programme.services import ActionSpec, advice_record, adviser_profile_set

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    staff = UserFactory(username="staff", role=Role.STAFF)
    UserFactory(username="adviser", role=Role.ADVISER)
    real_adviser = UserFactory(role=Role.ADVISER, email="real.adviser@example.gov.uk")
    adviser_profile_set(user=real_adviser, disciplines=["legal"], capacity=2, actor=staff)
    real = make_partnership(lead=OrganisationFactory(), is_pathfinder=True)
    partnership_update(partnership=real, data={"advisers": [real_adviser]}, actor=staff)
    owner = UserFactory(email="real.owner@example.gov.uk")
    today = timezone.localdate()
    advice_record(partnership=real, adviser=real_adviser, advice_type="legal",
                  given_on=today - timedelta(days=20), summary="Real advice",
                  actions=[ActionSpec("A real overdue action", owner, today - timedelta(days=3))],
                  actor=real_adviser)  # fmt: skip
    for _ in range(3):
        make_partnership(lead=OrganisationFactory(), is_pathfinder=True)
    mail.outbox = []

    message = demo.load()

    real_action = Action.objects.get(description="A real overdue action")
    assert real_action.reminder_sent_at is None
    assert not [m for m in getattr(mail, "outbox", []) if "real." in " ".join(m.to)]
    assert "reminders" in message and "digests sent" in message


def test_the_demo_fills_partnerships_like_this_one(client):
    """``load_demo`` (``make run``) works out every list, so the demo's partnership pages show
    the section filled, not "still being worked out"."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    for partnership in Partnership.objects.filter(is_published=True).exclude(stage="closed")[:3]:
        page = client.get(partnership.get_absolute_url()).content.decode()
        assert 'id="similar-partnerships"' in page, partnership
        assert "still being worked out" not in page


def test_the_full_size_demo_selects_the_seed_programme_from_sixty_applications():
    """The demo as `make run` loads it, at full size: 60 applications from real councils, the
    proven-optimal selection of 24 with at least 8 on e-government and corporate support and at
    least 5 joining a county and its districts, confirmed; the 24 are the pathfinders."""
    from django.core.management import call_command

    from partnering.core.management.commands.load_demo import DEMO_USERS
    from partnering.organisations import demo as organisations_demo
    from partnering.partnerships import demo as partnerships_demo
    from partnering.programme.models import CallStatus, Quota
    from partnering.programme.selectors import application_tags

    for username, role, _ in DEMO_USERS:
        UserFactory(username=username, role=role)
    call_command("import_organisations", no_progress=True, verbosity=0)
    organisations_demo.load()
    partnerships_demo.load()
    message = demo.load()
    assert "pathfinder call with 60 applications" in message, message
    call = Call.objects.get(title=demo.TITLE)
    run = SelectionRun.objects.get(call=call)
    assert (run.status, len(run.inputs["applications"]), call.status) == (
        "optimal", 60, CallStatus.DECIDED)  # fmt: skip
    assert {(q.tag, q.minimum, q.maximum) for q in Quota.objects.filter(call=call)} == {
        ("egov", 8, None), ("two_tier", 5, None)}  # fmt: skip
    selected = list(call.applications.filter(status=ApplicationStatus.SELECTED)
                    .select_related("partnership"))  # fmt: skip
    assert len(selected) == 24 == len(run.result["selected"])
    tags = [set(application_tags(a)) for a in selected]
    assert sum("egov" in t for t in tags) >= 8
    assert sum("two_tier" in t for t in tags) >= 5
    assert call.applications.filter(status=ApplicationStatus.NOT_SELECTED).count() == 36
    assert set(Partnership.objects.filter(is_pathfinder=True)) == {a.partnership for a in selected}
