"""API operations for what the pages already do: moderation, confirming a matching run, changing
a module, a cohort or an event, and withdrawing from a cohort. Each answers bad input with a 422
naming the code and the field, and saves nothing."""

from datetime import timedelta

import pytest

from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import (
    Booking,
    Enrolment,
    Event,
    MatchRun,
    ModeratedScore,
    ModuleSession,
    TrainingModule,
)
from partnering.programme.services import adviser_profile_set

from .factories import (
    BookingFactory,
    EnrolmentFactory,
    EventFactory,
    ModuleFactory,
    ModuleSessionFactory,
    assess,
    make_application,
    make_call,
    staff_user,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/programme"


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


def _json(client, method, url, user, body=None):
    send = getattr(client, method)
    return send(url, body or {}, content_type="application/json", **_bearer(user))


def test_moderation_shows_the_disagreement_and_records_the_agreed_score(client):
    staff = staff_user()
    one, two = UserFactory(role=Role.ADVISER), UserFactory(role=Role.ADVISER)
    call = make_call(actor=staff, assessors=[one, two])
    app = make_application(call)
    assess(app, one, 9, 5)
    assess(app, two, 2, 5)
    benefit, _ = call.criteria.order_by("position")
    url = f"{API}/applications/{app.reference}/moderation"
    seen = client.get(url, **_bearer(staff)).json()
    assert seen["disagreements"] == 1
    assert [(c["scores"], c["disagrees"]) for c in seen["criteria"]] == [
        ([9, 2], True), ([5, 5], False)
    ]  # fmt: skip
    for body, code, field in (
        ({"scores": [{"criterion": benefit.pk, "score": 11}]}, "programme.score_outside_scale",
         f"score_{benefit.pk}"),
        ({"scores": [{"criterion": benefit.pk, "score": 6},
                     {"criterion": 999999, "score": 6}]}, "programme.invalid", "scores"),
    ):  # fmt: skip
        r = _json(client, "post", url, staff, body)
        assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == (code, field)
    assert not ModeratedScore.objects.exists()  # the first score of the second body rolled back
    assert _json(client, "post", url, staff, {"scores": []}).status_code == 422
    r = _json(client, "post", url, staff,
              {"scores": [{"criterion": benefit.pk, "score": 6}], "note": "Agreed at panel"})  # fmt: skip
    assert r.status_code == 200
    assert r.json()["criteria"][0]["moderated"] == 6
    agreed = ModeratedScore.objects.get()
    assert (agreed.score, agreed.note, agreed.moderated_by) == (6, "Agreed at panel", staff)
    assert _json(client, "post", url, one, {"scores": [{"criterion": benefit.pk, "score": 1}]}
                 ).status_code == 403  # fmt: skip


def test_confirm_a_matching_run_through_the_api(client):
    staff = staff_user()
    p = make_partnership(lead=OrganisationFactory(), is_pathfinder=True, pathfinder_theme="Access")
    q = make_partnership(lead=OrganisationFactory(), is_pathfinder=True, pathfinder_theme="Access")
    sam = UserFactory(role=Role.ADVISER, username="api-sam")
    adviser_profile_set(user=sam, disciplines=["finance"], capacity=1, actor=staff)
    short = _json(client, "post", f"{API}/matching-runs", staff).json()
    assert short["status"] == "infeasible"
    r = _json(client, "post", f"{API}/matching-runs/{short['number']}/confirm", staff)
    assert r.status_code == 422 and r.json()["code"] == "programme.run_not_optimal"
    adviser_profile_set(user=sam, disciplines=["finance"], capacity=2, actor=staff)
    first = _json(client, "post", f"{API}/matching-runs", staff).json()
    latest = _json(client, "post", f"{API}/matching-runs", staff).json()
    r = _json(client, "post", f"{API}/matching-runs/{first['number']}/confirm", staff)
    assert r.status_code == 422 and r.json()["code"] == "programme.run_not_latest"
    assert not p.advisers.exists()
    r = _json(client, "post", f"{API}/matching-runs/{latest['number']}/confirm", staff)
    assert r.status_code == 200 and r.json()["confirmed_at"] is not None
    assert list(p.advisers.all()) == [sam] and list(q.advisers.all()) == [sam]
    assert MatchRun.objects.get(number=latest["number"]).confirmed_at is not None
    assert _json(client, "post", f"{API}/matching-runs/999/confirm", staff).status_code == 404


MODULE = {"title": "Councillors and partnerships", "summary": "The councillor's part",
          "learning_outcomes": ["Scrutinise a partnership"], "audience": "councillors",
          "duration_hours": "3", "format": "webinar", "is_published": True}  # fmt: skip


def test_change_a_module_through_the_api(client):
    staff = staff_user()
    module = ModuleFactory(slug="m-api")
    url = f"{API}/modules/{module.slug}"
    for bad in ({**MODULE, "duration_hours": "0.2"}, {**MODULE, "learning_outcomes": []},
                {**MODULE, "audience": "everyone"}, {**MODULE, "learning_outcomes": ["  "]}):  # fmt: skip
        r = _json(client, "put", url, staff, bad)
        assert r.status_code == 422 and r.json()["field"], bad
    assert TrainingModule.objects.get(pk=module.pk).title == module.title
    r = _json(client, "put", url, staff, MODULE)
    assert r.status_code == 200 and r.json()["slug"] == "m-api"
    assert TrainingModule.objects.get(pk=module.pk).title == "Councillors and partnerships"
    assert _json(client, "put", url, UserFactory(), MODULE).status_code == 403


def test_change_a_cohort_through_the_api(client):
    staff = staff_user()
    session = ModuleSessionFactory(places=3)
    EnrolmentFactory.create_batch(2, session=session)
    url = f"{API}/modules/{session.module.slug}/sessions/{session.pk}"
    start = session.starts_on.isoformat()
    for body, code, field in (
        ({"starts_on": start, "ends_on": start, "venue": "York", "places": 1},
         "programme.places_below_taken", "places"),
        ({"starts_on": start, "ends_on": (session.starts_on - timedelta(days=1)).isoformat(),
          "venue": "York", "places": 5}, "programme.session_dates", "ends_on"),
    ):  # fmt: skip
        r = _json(client, "put", url, staff, body)
        assert r.status_code == 422 and (r.json()["code"], r.json()["field"]) == (code, field)
    assert ModuleSession.objects.get(pk=session.pk).places == 3
    r = _json(client, "put", url, staff,
              {"starts_on": start, "ends_on": start, "venue": "York", "places": 2})  # fmt: skip
    assert r.status_code == 200 and r.json()["venue"] == "York" and r.json()["places"] == 2
    other = ModuleSessionFactory()
    wrong = f"{API}/modules/{session.module.slug}/sessions/{other.pk}"
    assert (
        _json(
            client,
            "put",
            wrong,
            staff,
            {"starts_on": start, "ends_on": start, "venue": "York", "places": 2},
        ).status_code
        == 404
    )


def _event_body(event, **changes):
    return {"title": event.title, "kind": event.kind, "summary": event.summary,
            "starts_at": event.starts_at.isoformat(), "ends_at": event.ends_at.isoformat(),
            "location": event.location, "places": event.places, "is_published": True, **changes}  # fmt: skip


def test_change_an_event_through_the_api(client):
    staff = staff_user()
    event = EventFactory(places=1)
    BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    url = f"{API}/events/{event.slug}"
    before = (event.starts_at - timedelta(hours=1)).isoformat()
    for body, code, field in (
        (_event_body(event, ends_at=before), "programme.event_dates", "ends_at"),
        (_event_body(event, places=0), None, None),
    ):  # fmt: skip
        r = _json(client, "put", url, staff, body)
        assert r.status_code == 422
        if code:
            assert (r.json()["code"], r.json()["field"]) == (code, field)
    assert Event.objects.get(pk=event.pk).ends_at == event.ends_at
    r = _json(client, "put", url, staff, _event_body(event, places=2, location="Online"))
    assert r.status_code == 200 and r.json()["location"] == "Online" and r.json()["booked"] == 2
    assert Booking.objects.get(pk=waiting.pk).status == "booked"


def test_withdraw_from_a_cohort_through_the_api(client):
    enrolment = EnrolmentFactory(session=ModuleSessionFactory(places=1))
    url = f"{API}/enrolments/{enrolment.pk}/withdraw"
    assert _json(client, "post", url, UserFactory()).status_code == 404
    r = _json(client, "post", url, enrolment.person)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert Enrolment.objects.get(pk=enrolment.pk).status == "withdrawn"
    again = _json(client, "post", url, enrolment.person)
    assert again.status_code == 422 and again.json()["code"] == "programme.not_enrolled"
    # the one place is free again
    org = OrganisationFactory()
    newcomer = UserFactory(organisations=[org])
    r = _json(client, "post", f"{API}/modules/{enrolment.session.module.slug}/enrolments", newcomer,
              {"session": enrolment.session.pk, "organisation": org.slug})  # fmt: skip
    assert r.status_code == 201
