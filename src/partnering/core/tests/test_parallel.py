"""`make test` runs the suite in pytest-xdist workers: each has a database of its own."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_each_worker_has_its_own_test_database():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = str(connection.settings_dict["NAME"])

    if connection.vendor == "sqlite":
        # In memory: one per process, so workers cannot share (or lock) a file.
        assert connection.is_in_memory_db(), name
    else:
        assert name.startswith("test_"), name
        if worker:
            assert name.endswith(f"_{worker}"), name
