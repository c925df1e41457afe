"""Audit history on top of django-simple-history.

simple-history was chosen over django-pghistory because pghistory's triggers need PostgreSQL and
the platform must also run on SQLite; simple-history records who, when and what on both.
Every service saves through ``audited_save`` / ``audited_delete`` so the actor and reason land in
the same transaction as the change.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
IGNORED_FIELDS = {"modified_at", "created_at", "history_change_reason"}


def audited_save(obj: models.Model, *, actor: Any, reason: str = "") -> models.Model:
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()
    return obj


def audited_delete(obj: models.Model, *, actor: Any, reason: str = "") -> None:
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_entries(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    """Newest first: who did what and when, with each changed field's old and new value."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    verbose = {f.name: str(getattr(f, "verbose_name", f.name)) for f in obj._meta.fields}
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=IGNORED_FIELDS)
            changes = [Change(verbose.get(c.field, c.field), c.old, c.new) for c in delta.changes]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.display_name if user else "System (import or script)",
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
