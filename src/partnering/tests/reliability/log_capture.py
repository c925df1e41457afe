"""A pytest plugin that keeps every log record of a test run in files, for the log scan
(scripts/log_scan.py): no personal data or secret may reach a log.

    PYTEST_ADDOPTS="-p partnering.tests.reliability.log_capture" \\
    PARTNERING_TEST_LOG_DIR=var/ci/test-logs make test
    .venv/bin/python scripts/log_scan.py var/ci/test-logs

Each process (each xdist worker) writes ``<dir>/<worker>.log`` with what the root logger passes
at INFO and above: what a production server would write (``LOG_LEVEL=INFO``), including the
tracebacks of logged errors.
"""

import logging
import os
from pathlib import Path

import pytest

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """After Django's own logging set-up (which replaces the root logger's handlers)."""
    folder = os.environ.get("PARTNERING_TEST_LOG_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    handler = logging.FileHandler(Path(folder) / f"{worker}.log", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
