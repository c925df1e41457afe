"""Fixtures for the organisations tests: the real registry, whole or a small slice of it."""

import csv
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from partnering.organisations.models import Organisation
from partnering.organisations.services import organisations_import

REAL_FILE = Path(settings.REFERENCE_DATA_DIR) / "local_authorities.csv"
# Worcestershire and its six districts, North Yorkshire and its seven districts, their successor
# North Yorkshire Council, the City of York and their combined authority.
SLICE_CODES = frozenset(
    {
        "E10000034", "E07000234", "E07000235", "E07000236", "E07000237", "E07000238",
        "E07000239", "E10000023", "E07000163", "E07000164", "E07000165", "E07000166",
        "E07000167", "E07000168", "E07000169", "E06000065", "E06000014", "E47000012",
    }
)  # fmt: skip


_SNAPSHOT: dict[str, list[Any]] = {}
_COPIED = ("parent_county", "combined_authority")
_NOT_COPIED = {"id", *(f"{name}_id" for name in _COPIED)}


@pytest.fixture
def registry(db) -> dict[str, Organisation]:
    """All 424 councils of ``local_authorities.csv``, by GSS code.

    The first test that asks runs the real import and keeps a snapshot; later tests copy the
    snapshot in with three bulk queries (no history rows: use ``registry_slice`` to see the
    import's history).
    """
    if not _SNAPSHOT:
        organisations_import(path=REAL_FILE)
        fields = [f.attname for f in Organisation._meta.concrete_fields if f.name != "id"]
        _SNAPSHOT["rows"] = list(Organisation.objects.values("id", *fields))
        _SNAPSHOT["links"] = list(
            Organisation.replaced_by.through.objects.values_list(
                "from_organisation_id", "to_organisation_id"
            )
        )
    else:
        rows = _SNAPSHOT["rows"]
        created = Organisation.objects.bulk_create(
            Organisation(**{k: v for k, v in row.items() if k not in _NOT_COPIED}) for row in rows
        )
        new_pk = {row["id"]: org.pk for row, org in zip(rows, created, strict=True)}
        for row, org in zip(rows, created, strict=True):
            for name in _COPIED:
                old = row[f"{name}_id"]
                setattr(org, f"{name}_id", new_pk[old] if old else None)
        Organisation.objects.bulk_update(created, [*_COPIED])
        Organisation.replaced_by.through.objects.bulk_create(
            Organisation.replaced_by.through(
                from_organisation_id=new_pk[a], to_organisation_id=new_pk[b]
            )
            for a, b in _SNAPSHOT["links"]
        )
    return {o.gss_code: o for o in Organisation.objects.all()}


@pytest.fixture
def registry_slice(db, tmp_path) -> dict[str, Organisation]:
    """The 18 councils of ``SLICE_CODES`` (imported from a slice of the real file), by GSS code."""
    with REAL_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["gss_code"] in SLICE_CODES]
        header = reader.fieldnames or []
    path = tmp_path / "slice.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    organisations_import(path=path)
    return {o.gss_code: o for o in Organisation.objects.all()}
