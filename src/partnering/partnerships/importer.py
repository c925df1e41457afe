"""Import of the LGSL service list (reference data) into ``ServiceArea``."""

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from partnering.core.audit import model_update

from .models import ServiceArea


def _disabled_on(row: dict[str, str]) -> date | None:
    if row.get("in_current_govuk_list") == "yes":
        return None
    last = row.get("last_listed") or ""
    return date.fromisoformat(last) if last else date(2000, 1, 1)


@transaction.atomic
def import_service_areas(path: Path | None = None) -> tuple[int, int]:
    """Create or update one ``ServiceArea`` per LGSL code; return (created, updated)."""
    path = path or Path(settings.REFERENCE_DATA_DIR) / "services_lgsl.csv"
    existing = {s.lgsl_code: s for s in ServiceArea.objects.all()}
    created = updated = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                code = int(row["lgsl_code"])
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path.name}, line {line}: bad LGSL code") from error
            values = {
                "label": row["label"].strip(),
                "providing_tier": row.get("providing_tier", "").strip(),
                "two_tier_area_provider": row.get("two_tier_area_provider", "").strip(),
                "disabled_on": _disabled_on(row),
            }
            area = existing.get(code)
            if area is None:
                ServiceArea.objects.create(lgsl_code=code, **values)
                created += 1
            else:
                _, changed = model_update(
                    area,
                    fields=values.keys(),
                    data=values,
                    actor=None,
                    reason="Updated from services_lgsl.csv",
                )
                updated += changed
    return created, updated
