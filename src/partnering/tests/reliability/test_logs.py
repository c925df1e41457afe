"""No personal data or secrets in logs (issue 16, part 4).

Two checks: the scanner (scripts/log_scan.py) finds each kind of leak and passes what the
service does log; and the things most likely to leak (a failed and a locked-out sign-in, an API
key in use, an API server error, a resident's report with their contact details, a CSRF
failure, a rate-limited request) are done here with every log record captured, at DEBUG, and
none of their secrets or personal data is in it. CI also scans the logs of the whole test run
(`.ci/run`, section "Log scan")."""

import importlib.util
import json
import logging
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[4]


def _module():
    spec = importlib.util.spec_from_file_location("log_scan", ROOT / "scripts" / "log_scan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


log_scan = _module()


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("INFO x Sent update to jo.bloggs@example.co.uk", "email address"),
        ("INFO x call 07700 900123 back", "UK mobile number"),
        ("INFO x call +44 7700 900123 back", "UK mobile number"),
        ("WARNING x key sp_0a1b2c3d_Zm9vYmFyYmF6cXV4cXV1eA rejected", "API key"),
        ("WARNING x Authorization: Bearer abc.def-ghi_jkl", "bearer token"),
        ("DEBUG x cookie sessionid=0123456789abcdefghijklmnopqrstuv", "session or CSRF cookie"),
        ("DEBUG x {'csrfmiddlewaretoken': 'AbCdEfGhIjKlMnOpQrSt'}", "session or CSRF cookie"),
        ("DEBUG x form {'username': 'officer', 'password': 'hunter22'}", "password"),
        ("DEBUG x password=hunter22", "password"),
        ("INFO x signed with test-only-key", "a known secret"),
    ],
)
def test_the_scanner_finds_each_kind_of_leak_and_masks_it(line, kind):
    findings = log_scan.scan([line], "sample.log")

    assert len(findings) == 1
    assert findings[0].startswith(f"sample.log:1: {kind}")
    assert f"<{kind}>" in findings[0]


@pytest.mark.parametrize(
    "line",
    [
        'INFO axes.handlers.database AXES: New login failure by {username: "********************", '
        'ip_address: "********************", path_info: "/sign-in/"} from database.',
        "WARNING django.request Not Found: /frontdoor/track/FD-AB3D-7KXQ/",
        "WARNING django.security.csrf Forbidden (CSRF token missing.): /sign-out/",
        "2026-12-02 15:03:34,680 WARNING django.request Unprocessable Entity: /api/v1/partnerships/",
        "INFO partnering.core.ratelimit Rate limited: POST /frontdoor/ (public_write)",
    ],
)
def test_the_scanner_passes_what_the_service_logs(line):
    assert log_scan.scan([line]) == []


def test_the_scanner_fails_when_there_are_no_logs(tmp_path, capsys):
    assert log_scan.main([str(tmp_path)]) == 1
    assert "no log files" in capsys.readouterr().out


# --- what the service logs ------------------------------------------------------------------

PASSWORD = "Wr0ng-Pa55word-Guess"
RESIDENT = {
    "first_name": "Philippa",
    "last_name": "Quennell-Abernathy",
    "email": "philippa.quennell@example.net",
    "phone": "07700 900461",
    "address": "14 Larkspur Crescent",
}


@pytest.fixture
def every_record():
    """Every log record of the test, from every logger, at DEBUG, formatted as a handler would
    (tracebacks included)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    try:
        yield lambda: [formatter.format(r) for r in records]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.mark.django_db
def test_sign_in_failures_keys_errors_and_reports_leave_no_personal_data_in_logs(
    every_record, settings
):
    from partnering.frontdoor.tests.factories import import_councils, make_front_door

    cache.clear()
    client = Client()
    officer = UserFactory(username="officer", email="officer.person@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):  # the last ones are locked out
        client.post("/sign-in/", {"username": "officer", "password": PASSWORD})
    raw_key = api_key_create(name="leaky", actor=officer)[1]
    bearer = {"Authorization": f"Bearer {raw_key}"}
    client.get("/api/v1/organisations/", headers=bearer)
    client.get("/api/v1/organisations/", headers={"Authorization": f"Bearer {raw_key}x"})
    with mock.patch(
        "partnering.organisations.api.organisation_list", side_effect=RuntimeError("boom")
    ):
        assert client.get("/api/v1/organisations/", headers=bearer).status_code == 500
    client.post(
        "/api/v1/partnerships/",
        data=json.dumps({"name": RESIDENT["email"], "purpose": RESIDENT["phone"]}),
        content_type="application/json",
        headers=bearer,
    )
    Client(enforce_csrf_checks=True).post("/sign-in/", {"username": "x", "password": PASSWORD})
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        door = make_front_door(import_councils(Path(folder)))
    report = {"description": f"Pothole outside {RESIDENT['address']}", "lat": "52.0925",
              "long": "-1.9470", "attribute_size": "large", "form_token": "tok-logs",
              "website": "", "confirm": "1", **RESIDENT}  # fmt: skip
    sent = Client().post(f"/frontdoor/{door.slug}/report/557/", report)
    assert sent.status_code == 302, sent.content.decode()[:500]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (0, 600)}
    assert Client().post(f"/frontdoor/{door.slug}/report/557/", report).status_code == 429

    lines = every_record()
    text = "\n".join(lines)
    assert "Locking out" in text  # the lock-out is logged (with the username masked) ...
    assert "API error on GET /api/v1/organisations/" in text  # ... and so is the error
    secrets = [PASSWORD, raw_key, raw_key[3:11] + "_", officer.email, *RESIDENT.values(),
               settings.SECRET_KEY]  # fmt: skip
    assert [s for s in secrets if s in text] == []
    assert log_scan.scan(lines) == []
