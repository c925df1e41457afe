"""Races and retries with real threads on PostgreSQL (issue 8, part 5): concurrent creates of the
same thing give 422, never a 500 from a database constraint; a retried POST with the same
Idempotency-Key creates once and answers twice the same; two agreements of one cost-model version
recorded at once never give a 500."""

import json
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import AimScore, Partnership, Priority, StrategicAim
from partnering.sharing import services as sharing
from partnering.sharing.models import RiskScenario, ShareAgreement
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="real concurrent transactions need PostgreSQL",
    ),
]

PARTNERSHIPS = "/api/v1/partnerships/"


def concurrently(*calls):
    """Run each call in its own thread (and database connection); return their results."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def poster(url, body, headers):
    def post():
        response = Client().post(
            url, data=json.dumps(body), content_type="application/json", headers=headers
        )
        return response.status_code, response.json()

    return post


def bearer(user):
    return {"Authorization": f"Bearer {api_key_create(name='race', actor=user)[1]}"}


@pytest.fixture
def lead():
    return OrganisationFactory()


def registration(lead, name):
    return {"name": name, "reference": "RACE-1", "purpose": "x", "lead_organisation": lead.slug}


def both_past_the_checks(model=Partnership):
    """Hold each save of ``model`` until both requests have passed the service's own checks."""
    meeting = threading.Barrier(2, timeout=20)
    original = model.full_clean

    def full_clean(self, *args, **kwargs):
        original(self, *args, **kwargs)
        meeting.wait()

    return mock.patch.object(model, "full_clean", full_clean)


def sender(method, url, body, headers):
    def send():
        response = getattr(Client(), method)(
            url, data=json.dumps(body), content_type="application/json", headers=headers
        )
        return response.status_code, response.json()

    return send


def test_two_creates_of_the_same_reference_at_once_give_201_and_422(lead):
    first = UserFactory(username="first", organisations=[lead])
    second = UserFactory(username="second", organisations=[lead])

    with both_past_the_checks():
        results = concurrently(
            poster(PARTNERSHIPS, registration(lead, "Race A"), bearer(first)),
            poster(PARTNERSHIPS, registration(lead, "Race B"), bearer(second)),
        )

    assert sorted(status for status, _ in results) == [201, 422], results
    loser = next(body for status, body in results if status == 422)
    assert loser["code"] == "core.conflict"
    assert Partnership.objects.filter(reference="RACE-1").count() == 1


def test_a_retry_racing_its_first_try_creates_once_and_answers_the_same(lead):
    user = UserFactory(username="retrier", organisations=[lead])
    headers = {**bearer(user), "Idempotency-Key": "race-key"}
    original = Partnership.full_clean

    def slow_full_clean(self, *args, **kwargs):
        time.sleep(0.5)  # the first try holds its transaction while the retry arrives
        original(self, *args, **kwargs)

    with mock.patch.object(Partnership, "full_clean", slow_full_clean):
        results = concurrently(
            poster(PARTNERSHIPS, registration(lead, "Retried"), headers),
            poster(PARTNERSHIPS, registration(lead, "Retried"), headers),
        )

    assert [status for status, _ in results] == [201, 201], results
    assert results[0][1] == results[1][1]
    assert Partnership.objects.count() == 1


def test_two_agreements_of_one_version_at_once_accept_one_and_refuse_the_other():
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    sharing.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    users = [UserFactory(username=f"agree-{n}", organisations=[own]) for n in range(2)]
    url = f"{PARTNERSHIPS}{partnership.slug}/agreements"

    results = concurrently(
        *(
            poster(
                url,
                {
                    "version": 1,
                    "method": method,
                    "agreed_on": str(timezone.localdate()),
                    "reason": "x",
                },
                bearer(user),
            )
            for method, user in zip(("shapley", "nucleolus"), users, strict=True)
        )
    )

    statuses = sorted(status for status, _ in results)
    assert statuses == [201, 422], results
    loser = next(body for status, body in results if status == 422)
    assert "already agreed" in str(loser)
    assert ShareAgreement.objects.filter(partnership=partnership).count() == 1


def test_two_creates_of_the_same_name_at_once_give_201_and_422(lead):
    """Two registrations with different references but one name: the slug is taken once."""
    first = UserFactory(username="name-first", organisations=[lead])
    second = UserFactory(username="name-second", organisations=[lead])
    bodies = [{**registration(lead, "Same Name"), "reference": ref} for ref in ("N-1", "N-2")]

    with both_past_the_checks():
        results = concurrently(
            poster(PARTNERSHIPS, bodies[0], bearer(first)),
            poster(PARTNERSHIPS, bodies[1], bearer(second)),
        )

    assert sorted(status for status, _ in results) == [201, 422], results
    assert next(body for status, body in results if status == 422)["code"] == "core.conflict"
    assert Partnership.objects.filter(name="Same Name").count() == 1


def test_two_first_scores_of_one_aim_at_once_never_give_a_500():
    own = OrganisationFactory()
    partnership = make_partnership(2, lead=own)
    aim = StrategicAim.objects.create(partnership=partnership, title="Shared ICT")
    priority = Priority.objects.create(organisation=own, title="Cheaper ICT", weight=5)
    users = [UserFactory(username=f"score-{n}", organisations=[own]) for n in range(2)]
    url = f"{PARTNERSHIPS}{partnership.slug}/aims/{aim.pk}/scores"

    with both_past_the_checks(AimScore):
        results = concurrently(
            *(
                sender("put", url, [{"priority": priority.pk, "score": score}], bearer(user))
                for score, user in zip((1, 3), users, strict=True)
            )
        )

    assert sorted(status for status, _ in results) == [200, 422], results
    assert next(body for status, body in results if status == 422)["code"] == "core.conflict"
    winner = next(body for status, body in results if status == 200)
    assert AimScore.objects.get(aim=aim, priority=priority).score == winner[str(priority.pk)]


def test_two_scenarios_of_one_name_at_once_give_201_and_422():
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    sharing.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    users = [UserFactory(username=f"risk-{n}", organisations=[own]) for n in range(2)]
    url = f"{PARTNERSHIPS}{partnership.slug}/cost-models/1/risk-scenarios"
    body = {
        "name": "Overrun",
        "split_basis": "equal",
        "rule": "proportional",
        "runs": 100,
        "estimates": [{"component": "Shared CRM", "low": 0, "likely": 1000, "high": 9000}],
    }

    with both_past_the_checks(RiskScenario):
        results = concurrently(*(poster(url, body, bearer(user)) for user in users))

    assert sorted(status for status, _ in results) == [201, 422], results
    assert next(body for status, body in results if status == 422)["code"] == "core.conflict"
    assert RiskScenario.objects.filter(name="Overrun").count() == 1
