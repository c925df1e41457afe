"""Backups and restores of the one database (uploaded files included: the front door's photos
are stored in it), for ``manage.py backup`` and ``manage.py restore`` (docs/operations.md).

- PostgreSQL: ``pg_dump --format=custom`` (compressed, restorable table by table, in parallel
  with ``pg_restore --jobs``), restored with ``pg_restore --no-owner --exit-on-error``.
- SQLite: the online backup API (``sqlite3.Connection.backup``): a consistent copy taken while
  the site runs, page by page, without stopping writers for long.

``fingerprint(cursor, vendor)`` is what a restore is checked against: every table's row count
and a digest of its rows in a fixed order, so a restore that lost or changed one record differs.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(RuntimeError):
    pass


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-1000:]}")


def backup(connection: BaseDatabaseWrapper, target: Path) -> Path:
    """Write a backup of the database behind ``connection`` to ``target`` and return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target),
              settings_dict["NAME"]], _pg_env(settings_dict))  # fmt: skip
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # type: ignore[union-attr]
        copy.close()
    else:
        raise BackupError(f"No backup for {connection.vendor} databases")
    return target


def restore(source: Path, settings_dict: dict[str, Any], vendor: str) -> None:
    """Restore the backup ``source`` into the empty database ``settings_dict`` describes."""
    if not source.exists():
        raise BackupError(f"No backup at {source}")
    if vendor == "postgresql":
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", settings_dict["NAME"],
              str(source)], _pg_env(settings_dict))  # fmt: skip
    elif vendor == "sqlite":
        with sqlite3.connect(source) as backup_file, sqlite3.connect(settings_dict["NAME"]) as live:
            backup_file.backup(live)
        backup_file.close()
        live.close()
    else:
        raise BackupError(f"No restore for {vendor} databases")


def fingerprint(cursor: Any, vendor: str) -> dict[str, tuple[int, str]]:
    """table -> (rows, digest of every row), read through any DB-API ``cursor`` (Django's or a
    driver's own): each row is turned into text by the database itself (PostgreSQL's row cast,
    SQLite's ``quote()``), so the digest does not depend on the driver's type conversions."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    found = {}
    for (table,) in sorted(cursor.fetchall()):
        quoted = '"' + table.replace('"', '""') + '"'
        if vendor == "postgresql":
            cursor.execute(f"SELECT t::text AS r FROM {quoted} t ORDER BY r")  # noqa: S608
        else:
            cursor.execute(f"PRAGMA table_info({quoted})")
            columns = [f'quote("{row[1]}")' for row in cursor.fetchall()]
            row_text = " || ',' || ".join(columns)
            cursor.execute(f"SELECT {row_text} AS r FROM {quoted} ORDER BY r")  # noqa: S608
        digest = hashlib.sha256()
        rows = 0
        for (text,) in cursor.fetchall():
            rows += 1
            digest.update(text.encode() + b"\n")
        found[table] = (rows, digest.hexdigest())
    return found
