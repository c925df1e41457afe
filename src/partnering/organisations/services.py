"""Writes to the organisations registry."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from partnering.core.audit import audited_save

from .importer import AuthorityRow, read_authorities
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
            fields["parent_county"] = by_gss.get(row.parent_county_gss)
            fields["combined_authority"] = by_gss.get(row.combined_authority_gss)
            org = existing.get(row.gss_code)
            if org is None:
                org = Organisation(
                    gss_code=row.gss_code, slug=unique_slug(row.name, taken), **fields
                )
                org.full_clean(validate_unique=False, validate_constraints=False)
                audited_save(org, actor=actor, reason="Imported from local_authorities.csv")
                result.created += 1
            elif any(getattr(org, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(org, key, value)
                audited_save(org, actor=actor, reason="Updated from local_authorities.csv")
                result.updated += 1
            else:
                result.unchanged += 1
            by_gss[row.gss_code] = org
        _link_successors(rows, by_gss)
    return result


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
