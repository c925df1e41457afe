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
from collections.abc import Iterable
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


def tables(cursor: Any, vendor: str) -> list[str]:
    """Every table of the database behind ``cursor``, sorted."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    return sorted(table for (table,) in cursor.fetchall())


def table_digest(
    cursor: Any, vendor: str, table: str, *, skip: Iterable[str] = ()
) -> tuple[int, str]:
    """(rows, SHA-256 of every row in a fixed order) of one table; ``skip`` names columns left
    out (a time stamped on every read, say). Each row is turned into text by the database itself
    (PostgreSQL's row cast, SQLite's ``quote()``), so the digest does not depend on the driver's
    type conversions."""
    quoted = '"' + table.replace('"', '""') + '"'
    skip = set(skip)
    if vendor == "postgresql" and not skip:
        cursor.execute(f"SELECT t::text AS r FROM {quoted} t ORDER BY r")  # noqa: S608
    elif vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall() if name not in skip)
        cursor.execute(f"SELECT ROW({columns})::text AS r FROM {quoted} ORDER BY r")  # noqa: S608
    else:
        cursor.execute(f"PRAGMA table_info({quoted})")
        columns = [f'quote("{row[1]}")' for row in cursor.fetchall() if row[1] not in skip]
        row_text = " || ',' || ".join(columns)
        cursor.execute(f"SELECT {row_text} AS r FROM {quoted} ORDER BY r")  # noqa: S608
    digest = hashlib.sha256()
    rows = 0
    for (text,) in cursor.fetchall():
        rows += 1
        digest.update(text.encode() + b"\n")
    return rows, digest.hexdigest()


def fingerprint(cursor: Any, vendor: str) -> dict[str, tuple[int, str]]:
    """table -> (rows, digest of every row) of every table, read through any DB-API ``cursor``
    (Django's or a driver's own): ``table_digest`` of each."""
    return {table: table_digest(cursor, vendor, table) for table in tables(cursor, vendor)}
