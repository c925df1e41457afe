"""The README's quick start (issue 8, part 1): `make run` serves the demo together with the
background task worker in one process group that Ctrl+C stops; the demo shows the GOV.UK 404 page,
not Django's debug page; the README's `uv run` lines work on a fresh machine."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _group(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True).stdout
    return [line.split(None, 1)[1] for line in out.splitlines() if int(line.split()[0]) == pgid]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PARTNERING_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "partnering.config.settings.dev",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DEBUG", None)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    # A session of its own, as a terminal gives `make run`: Ctrl+C signals the whole group. And
    # Ctrl+C's default action, as in a terminal: a test run started in the background (`cmd &`
    # in a script) ignores SIGINT, its children inherit that, and the web server then ignored
    # Ctrl+C (shown on 3 December 2026: run so, this test failed without the reset and passed
    # with it; earlier "passes" in the background had `timeout` in between, which resets it).
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        preexec_fn=_default_sigint,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.5)
    yield base, process, env
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)


QUEUE_A_LARGE_CALCULATION = """
import django; django.setup()
from partnering.sharing import services
from partnering.sharing.tests.factories import make_partnership, spec_for
partnership = make_partnership(20)
services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
calculation = services.calculation_request(
    cost_model=partnership.cost_models.get(), actor=None
)
print(calculation.pk, calculation.is_background, calculation.status)
"""

CALCULATION_STATUS = """
import django; django.setup()
from partnering.sharing.models import ShareCalculation
calculation = ShareCalculation.objects.get(pk={pk})
print(calculation.status, len(calculation.results or {{}}))
"""


def _run_in_dev(env: dict, script: str) -> list[str]:
    import sys

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()


def test_make_serve_runs_the_worker_beside_the_web_server_and_ctrl_c_stops_both(served):
    """One test, as the fixture's fresh database costs minutes on a busy machine: the worker
    beside the web server finishes a 20-member partnership's queued calculation (it waited for
    ever before), the service's own 404 page is served, and Ctrl+C stops both processes."""
    base, process, env = served
    group = _group(process.pid)
    assert any("manage.py runserver" in args for args in group), group
    assert any("manage.py db_worker" in args for args in group), group

    pk, in_background, status = _run_in_dev(env, QUEUE_A_LARGE_CALCULATION)
    assert (in_background, status) == ("True", "queued")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status, methods = _run_in_dev(env, CALCULATION_STATUS.format(pk=pk))
        if status not in ("queued", "running"):
            break
        time.sleep(1)
    assert status == "done", status
    assert int(methods) > 0

    status, html = _get(f"{base}/no-such-page/")
    assert status == 404
    assert "Page not found" in html and "govuk-template" in html
    assert "Django" not in html  # not the debug page
    assert _get(f"{base}/static/govuk/govuk-frontend.min.css")[0] == 200

    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does
    # Patient: on a machine at load 10 (CI beside other sessions) the two Python processes took
    # over 20 s to unwind; what matters is that both stop, not how fast a busy machine is.
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"Ctrl+C left these running after 90 s: {_group(process.pid)}")
    deadline = time.monotonic() + 30
    while _group(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _group(process.pid) == []


def test_make_run_serves_through_make_serve():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "load_demo" in recipe
    assert "serve" in recipe


def test_the_readmes_uv_run_lines_work_as_written():
    readme = (ROOT / "README.md").read_text()
    lines = re.findall(r"`([^`]*\buv run [^`]*)`", readme)
    assert lines, "the README has uv run lines"
    for line in lines:
        assert line.startswith(".tools/bin/uv run "), line
    makefile = (ROOT / "Makefile").read_text()
    assert 'ln -s "$(UV)" .tools/bin/uv' in makefile  # setup makes .tools/bin/uv always exist
    assert (ROOT / ".tools" / "bin" / "uv").exists()
    help_ = subprocess.run(
        [".tools/bin/uv", "run", "--locked", "fairshare", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert help_.returncode == 0, help_.stderr


def test_development_mail_needs_no_mail_server(tmp_path):
    """`make run` loads the demo, which sends reminders and request updates: on a machine with
    no mail server the development settings write mail to var/sent-mail/ (load_demo through
    manage.py failed with 'Connection refused' before)."""
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env["DJANGO_SETTINGS_MODULE"] = "partnering.config.settings.dev"
    env["PARTNERING_VAR_DIR"] = str(tmp_path)
    script = (
        "import django; django.setup();"
        "from django.core.mail import send_mail; from django.conf import settings;"
        "send_mail('Reminder', 'Body', None, ['officer@example.gov.uk']);"
        "print(settings.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("filebased.EmailBackend")
