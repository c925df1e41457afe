"""Backups restore (issue 16, part 6): the demo of every room plus residents' reports with photos
(the uploaded files, kept in the database) is backed up with ``manage.py backup``, restored
into a fresh database with ``manage.py restore``, and every table has the same rows, byte for
byte; the photos come back identical and the restored database serves the models.

On PostgreSQL (CI's second run, or ``DATABASE_URL=postgres://…``): pg_dump's custom format into
a new database. On SQLite: the online backup API into a new file."""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from PIL import Image

from partnering.core.backup import fingerprint
from partnering.frontdoor.tests.factories import ServiceRequestFactory
from partnering.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[4]


def photo(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def populated():
    """The demo of every room, and three reports with photos."""
    call_command("load_demo", stdout=StringIO())
    council = Organisation.objects.order_by("pk").first()
    rows = [
        ServiceRequestFactory(council=council, photo=photo(colour), photo_type="image/jpeg")
        for colour in ((200, 10, 10), (10, 200, 10), (10, 10, 200))
    ]
    return {row.reference: hashlib.sha256(row.photo).hexdigest() for row in rows}


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, DB-API connection opener) of a new, empty database of the test
    database's kind; dropped afterwards."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{settings_dict['NAME']}_restore"[:63]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = settings_dict["USER"] + (
            f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        )
        url = f"postgres://{auth}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"
        opened = []

        def open_():
            opened.append(psycopg.connect(url.replace("postgres://", "postgresql://", 1)))
            return opened[-1]

        yield url, open_
        for raw in opened:
            raw.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)


def manage(*args, database_url):
    """A manage.py command in its own process, with the test settings and this database."""
    env = {**os.environ, "DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": "partnering.config.settings.test"}  # fmt: skip
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_a_backup_restored_into_a_fresh_database_has_every_record_and_photo(
    populated, fresh_database, tmp_path
):
    url, open_restored = fresh_database
    vendor = connection.vendor
    target = tmp_path / ("backup.dump" if vendor == "postgresql" else "backup.sqlite3")
    out = StringIO()

    call_command("backup", to=str(target), stdout=out)
    restored = manage("restore", str(target), database_url=url)

    assert out.getvalue().startswith(f"{target} (")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {target} into ")
    with connection.cursor() as cursor:
        before = fingerprint(cursor, vendor)
    raw = open_restored()
    after = fingerprint(raw.cursor(), vendor)
    assert sum(rows for rows, _ in before.values()) > 1000  # the demo is there to lose
    assert set(after) == set(before)
    differ = [table for table in before if after[table] != before[table]]
    assert differ == [], [(t, before[t][0], after[t][0]) for t in differ]
    cursor = raw.cursor()
    cursor.execute("SELECT reference, photo FROM frontdoor_servicerequest WHERE photo IS NOT NULL")
    photos = {ref: hashlib.sha256(bytes(data)).hexdigest() for ref, data in cursor.fetchall()}
    assert {ref: photos.get(ref) for ref in populated} == populated
    if vendor == "postgresql":
        assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
        again = manage("restore", str(target), database_url=url)
        assert again.returncode != 0
        assert "is not empty: createdb a new one" in again.stderr


def test_a_restore_refuses_an_existing_sqlite_file(tmp_path):
    existing = tmp_path / "live.sqlite3"
    existing.write_bytes(b"")

    result = manage("restore", str(tmp_path / "b.sqlite3"), database_url=f"sqlite:///{existing}")

    assert result.returncode != 0
    assert "exists: restore into a new file" in result.stderr


def test_a_restore_of_a_missing_backup_says_so(tmp_path):
    missing = tmp_path / "nothing.sqlite3"

    result = manage("restore", str(missing), database_url=f"sqlite:///{tmp_path / 'new.sqlite3'}")

    assert result.returncode != 0
    assert f"No backup at {missing}" in result.stderr
