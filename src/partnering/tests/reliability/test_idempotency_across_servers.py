"""What ``bench/cluster.py`` (faults under load on two app servers) relies on, without HAProxy:
a write retried with the same ``Idempotency-Key`` through another app server makes one row, and a
task interrupted by a killed worker goes back in the queue (and is then done once)."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from partnering.core.models import IdempotencyKey
from partnering.core.services import api_key_create, interrupted_tasks_requeue
from partnering.core.tests.factories import UserFactory
from partnering.frontdoor.models import RequestUpdate, ServiceRequest
from partnering.frontdoor.tasks import email_update
from partnering.frontdoor.tests.factories import import_councils, make_front_door, make_key
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def two_servers() -> tuple[Client, Client]:
    """Two app servers: each client has its own WSGI handler, with its own middleware chain."""
    a, b = Client(), Client()
    assert a.handler is not b.handler
    return a, b


def test_an_api_post_retried_on_another_server_creates_one_row():
    lead = OrganisationFactory()
    _, raw = api_key_create(name="integrator", actor=UserFactory(organisations=[lead]))
    body = json.dumps({"name": "Retried partnership", "reference": "RETRY-1", "purpose": "x",
                       "lead_organisation": lead.slug})  # fmt: skip
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "integrator-42"}
    first_server, second_server = two_servers()

    first = first_server.post("/api/v1/partnerships/", body, "application/json", headers=headers)
    retry = second_server.post("/api/v1/partnerships/", body, "application/json", headers=headers)

    assert first.status_code == 201, first.content
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Partnership.objects.filter(reference="RETRY-1").count() == 1
    assert IdempotencyKey.objects.filter(key="integrator-42").count() == 1


def test_a_refused_api_post_keeps_no_key_so_its_corrected_retry_is_saved():
    lead = OrganisationFactory()
    _, raw = api_key_create(name="integrator", actor=UserFactory(organisations=[lead]))
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "integrator-43"}
    first_server, second_server = two_servers()
    bad = {
        "name": "Refused",
        "reference": "RETRY-2",
        "purpose": "x",
        "lead_organisation": "nowhere",
    }

    refused = first_server.post(
        "/api/v1/partnerships/", json.dumps(bad), "application/json", headers=headers
    )
    good = {**bad, "lead_organisation": lead.slug}
    saved = second_server.post(
        "/api/v1/partnerships/", json.dumps(good), "application/json", headers=headers
    )

    assert refused.status_code == 422
    assert saved.status_code == 201
    assert Partnership.objects.filter(reference="RETRY-2").count() == 1


def test_an_open311_post_retried_on_another_server_creates_one_request(tmp_path):
    make_front_door(import_councils(tmp_path))
    _, key = make_key()
    form = {"api_key": key, "service_code": "557", "lat": "52.0925", "long": "-1.9470",
            "description": "Pothole", "attribute[size]": "small", "email": "resident@example.com"}  # fmt: skip
    first_server, second_server = two_servers()

    first = first_server.post("/open311/v2/requests.json", form, headers={"Idempotency-Key": "r-1"})
    retry = second_server.post(
        "/open311/v2/requests.json", form, headers={"Idempotency-Key": "r-1"}
    )

    assert first.status_code == 201, first.content
    assert retry.status_code == 200
    reference = first.json()[0]["service_request_id"]
    assert retry.json()[0]["service_request_id"] == reference
    assert ServiceRequest.objects.filter(reference=reference).count() == 1
    assert ServiceRequest.objects.count() == 1


def _running(worker_id: str) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now, run_after=now - timedelta(seconds=1),
        args_kwargs={"args": [], "kwargs": {}}, task_path="partnering.frontdoor.tasks.email_update",
        backend_name="default", worker_ids=[worker_id],
    )  # fmt: skip


def test_the_tasks_of_a_killed_worker_go_back_in_the_queue_and_no_one_elses():
    killed, other = _running("worker-1"), _running("worker-2")

    assert interrupted_tasks_requeue(worker_id="worker-1") == 1

    killed.refresh_from_db()
    other.refresh_from_db()
    assert killed.status == TaskResultStatus.READY
    assert killed.started_at is None
    assert other.status == TaskResultStatus.RUNNING
    assert interrupted_tasks_requeue(worker_id="worker-1") == 0


def test_an_email_task_run_again_after_a_kill_sends_the_email_once(tmp_path):
    make_front_door(import_councils(tmp_path))
    _, key = make_key()
    form = {"api_key": key, "service_code": "557", "lat": "52.0925", "long": "-1.9470",
            "description": "Pothole", "attribute[size]": "small", "email": "resident@example.com"}  # fmt: skip
    Client().post("/open311/v2/requests.json", form)
    update = RequestUpdate.objects.get()
    sent = len(mail.outbox)  # the test settings run the task at once

    email_update.call(update.pk)  # the requeued run of the same task

    assert sent == 1
    assert len(mail.outbox) == 1
    update.refresh_from_db()
    assert update.emailed_at is not None
