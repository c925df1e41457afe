"""Audit history on top of django-simple-history.

simple-history was chosen over django-pghistory because pghistory's triggers need PostgreSQL and
the platform must also run on SQLite; simple-history records who, when and what on both.
Every service saves through ``audited_save`` / ``audited_delete`` / ``model_update`` /
``audited_bulk_create`` so the actor and reason land in the same transaction as the change, and a
history row exists for every row written (``core/tests/test_history_complete.py`` checks it).
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history

M = TypeVar("M", bound=models.Model)

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
IGNORED_FIELDS = {"modified_at", "created_at", "history_change_reason"}


def cache_history_managers() -> None:
    """Make simple-history's ``Model.history`` / ``obj.history`` build its manager class once.

    ``HistoryDescriptor.__get__`` calls ``HistoryManager.from_queryset(HistoricalQuerySet)`` on
    every access, which makes a new class with ``inspect.getmembers`` (0.3 ms each); every
    ``audited_save`` reads it once to write the history row, so it was about 0.8 ms of a front
    door POST (two saves). The class is the same every time (the descriptor's manager and
    queryset classes never change), so it is built once per descriptor; the manager instance is
    still new on each access. Called from ``CoreConfig.ready``."""
    from simple_history.manager import HistoryDescriptor

    if getattr(HistoryDescriptor, "_partnering_cached", False):
        return

    def __get__(self: HistoryDescriptor, instance: Any, owner: Any) -> Any:
        manager_class = self.__dict__.get("_manager_class")
        if manager_class is None:
            manager_class = self.manager_class.from_queryset(self.queryset_class)
            self._manager_class = manager_class
        return manager_class(self.model, instance)

    HistoryDescriptor.__get__ = __get__  # type: ignore[method-assign]
    HistoryDescriptor._partnering_cached = True  # type: ignore[attr-defined]


def audited_save(obj: models.Model, *, actor: Any, reason: str = "") -> models.Model:
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save()
    return obj


def model_update(
    instance: M,
    *,
    fields: Collection[str],
    data: Mapping[str, Any],
    actor: Any,
    reason: str | None = None,
    clean: bool | Callable[[M], None] = True,
) -> tuple[M, bool]:
    """Set the ``fields`` present in ``data`` that differ, then validate and save with history.

    Nothing changed: no save and no history row. Keys of ``data`` outside ``fields`` are ignored
    (so a service can pass a whole form's or schema's data and name what it lets change).
    ``clean`` is ``full_clean()`` by default; pass a callable to validate differently (for
    example without the unique checks), or False when the caller has validated already.
    Returns ``(instance, changed)``.
    """
    changed = False
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if not changed:
        return instance, False
    if callable(clean):
        clean(instance)
    elif clean:
        instance.full_clean()
    audited_save(instance, actor=actor, reason=reason or "Changed")
    return instance, True


def audited_bulk_create(
    objs: Sequence[M], *, actor: Any, reason: str = "", batch_size: int | None = None
) -> list[M]:
    """``bulk_create`` that also writes each row's history (one insert for the rows and one for
    their history), with the actor and reason, in the caller's transaction."""
    if not objs:
        return []
    model = type(objs[0])
    user = actor if getattr(actor, "is_authenticated", False) else None
    return list(
        bulk_create_with_history(
            list(objs),
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
        )
    )


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
    """Newest first: who did what and when, with each changed field's old and new value.

    Values are shown as people read them: a choice by its label and a related object by its
    name (one query per related model, however long the history).
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    fields = {f.name: f for f in obj._meta.fields}
    raw: list[tuple[Any, list[tuple[str, Any, Any]]]] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[tuple[str, Any, Any]] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=IGNORED_FIELDS)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        raw.append((record, changes))
    labels = _related_labels(fields, (c for _, changes in raw for c in changes))
    entries = []
    for record, changes in raw:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.display_name if user else "System (import or script)",
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=[
                    Change(
                        str(getattr(fields.get(name), "verbose_name", name)),
                        _readable(fields.get(name), old, labels),
                        _readable(fields.get(name), new, labels),
                    )
                    for name, old, new in changes
                ],
            )
        )
    return entries


def _related_labels(fields: dict[str, models.Field], changes: Any) -> dict[tuple[str, Any], str]:
    """``(field name, pk) -> str(object)`` for every related object the changes mention."""
    wanted: dict[str, set[Any]] = {}
    for name, old, new in changes:
        if getattr(fields.get(name), "is_relation", False):
            wanted.setdefault(name, set()).update(v for v in (old, new) if v is not None)
    labels: dict[tuple[str, Any], str] = {}
    for name, pks in wanted.items():
        model = fields[name].related_model
        found = model._default_manager.in_bulk(pks)  # type: ignore[union-attr]
        for pk in pks:
            labels[(name, pk)] = str(found[pk]) if pk in found else f"deleted (#{pk})"
    return labels


def _readable(field: models.Field | None, value: Any, labels: dict[tuple[str, Any], str]) -> Any:
    if field is None or value is None:
        return value
    if field.is_relation:
        return labels.get((field.name, value), value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
