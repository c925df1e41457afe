"""Writes to the organisations registry."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from partnering.core.audit import audited_save, model_update

from .importer import AuthorityRow, ImportFileError, read_authorities
from .models import Organisation


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:100] or "organisation"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


EDITABLE_FIELDS = frozenset(
    f.name
    for f in Organisation._meta.get_fields()
    if getattr(f, "concrete", False)
    and not f.many_to_many
    and f.name not in {"id", "slug", "created_at", "modified_at"}
)


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, actor: Any, reason: str = "", **fields: Any
) -> Organisation:
    """Add an organisation (a body beyond the imported councils); audited with ``actor``."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"organisation_create() got unknown field(s): {', '.join(sorted(unknown))}")
    taken = set(Organisation.objects.values_list("slug", flat=True))
    organisation = Organisation(name=name, kind=kind, slug=unique_slug(name, taken), **fields)
    organisation.full_clean()
    audited_save(organisation, actor=actor, reason=reason or "Organisation created")
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: Any, reason: str = "", **changes: Any
) -> Organisation:
    """Change fields of an organisation; audited with ``actor``. No change, no history row."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"organisation_update() got unknown field(s): {', '.join(sorted(unknown))}")
    organisation, _ = model_update(
        organisation,
        fields=EDITABLE_FIELDS,
        data=changes,
        actor=actor,
        reason=reason or "Organisation changed",
    )
    return organisation


TIER_ORDER = {"strategic_authority": 0, "combined_authority": 0, "county": 1}


def organisations_import(
    *,
    path: Path,
    actor: Any = None,
    progress: Callable[[Iterable[AuthorityRow]], Iterable[AuthorityRow]] = lambda rows: rows,
) -> ImportResult:
    """Create or update every council in the file, in one transaction; idempotent.

    Raises ImportFileError (file, line, reason) before anything is written. Rows are written
    combined authorities first, then counties, so parents exist before the rows that point at them.
    """
    rows = sorted(read_authorities(path), key=lambda r: (TIER_ORDER.get(r.tier, 2), r.line))
    result = ImportResult()
    with transaction.atomic():
        existing = {o.gss_code: o for o in Organisation.objects.filter(gss_code__isnull=False)}
        taken = set(Organisation.objects.values_list("slug", flat=True))
        by_gss: dict[str, Organisation] = {}
        for row in progress(rows):
            fields = row.fields()
            # Compare and set relations by id: no query per row to load the related object.
            fields["parent_county_id"] = _pk(by_gss.get(row.parent_county_gss))
            fields["combined_authority_id"] = _pk(by_gss.get(row.combined_authority_gss))
            org = existing.get(row.gss_code)
            if org is None:
                org = Organisation(
                    gss_code=row.gss_code, slug=unique_slug(row.name, taken), **fields
                )
                _validate(org, path, row)
                audited_save(org, actor=actor, reason="Imported from local_authorities.csv")
                result.created += 1
            else:
                _, changed = model_update(
                    org,
                    fields=fields.keys(),
                    data=fields,
                    actor=actor,
                    reason="Updated from local_authorities.csv",
                    clean=partial(_validate, path=path, row=row),
                )
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            by_gss[row.gss_code] = org
        _link_successors(rows, by_gss)
    return result


def _pk(organisation: Organisation | None) -> int | None:
    return organisation.pk if organisation is not None else None


def _validate(org: Organisation, path: Path, row: AuthorityRow) -> None:
    """Model validation (lengths, choices); a failure names the file and line, and rolls back."""
    try:
        org.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise ImportFileError(path, row.line, reasons) from None


def _link_successors(rows: list[AuthorityRow], by_gss: dict[str, Organisation]) -> None:
    through = Organisation.replaced_by.through
    current: dict[int, set[int]] = {}
    for from_id, to_id in through.objects.values_list("from_organisation_id", "to_organisation_id"):
        current.setdefault(from_id, set()).add(to_id)
    for row in rows:
        org = by_gss[row.gss_code]
        successors = {by_gss[code].pk for code in row.replaced_by_gss}
        if current.get(org.pk, set()) != successors:
            org.replaced_by.set(successors)
