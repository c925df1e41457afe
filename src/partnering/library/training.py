"""The seam to the programme room's training modules.

The programme room owns training and development modules (design note); the library publishes
them as training programmes for authorities outside the pathfinder programme. While the
programme room has no ``TrainingModule`` model, :func:`modules` gives nothing and the library
shows only the training programmes its editors write. When the model exists, each module is read
through the attributes below (the first that exists of each), so the seam needs no change if the
module's fields are named ``title`` or ``name``, ``summary`` or ``description``, and so on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from .models import Audience


@dataclass(frozen=True)
class TrainingModuleText:
    source_key: str
    title: str
    summary: str
    body: str
    how_to_take: str
    audiences: list[str]


def training_module_model() -> Any | None:
    """The programme room's TrainingModule model, or None while it has none."""
    try:
        return apps.get_model("programme", "TrainingModule")
    except LookupError:
        return None


def _first(obj: Any, *names: str) -> str:
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return str(value() if callable(value) else value)
    return ""


def modules() -> Iterator[TrainingModuleText]:
    model = training_module_model()
    if model is None:
        return
    for module in model._default_manager.all().order_by("pk"):
        title = _first(module, "title", "name") or f"Training module {module.pk}"
        summary = _first(module, "summary", "description", "aims") or title
        body = _first(module, "body", "description", "content", "outline") or summary
        how = _first(module, "how_to_take", "delivery", "format", "get_format_display")
        duration = _first(module, "duration", "duration_hours", "hours", "days")
        how_parts = [how] if how else []
        if duration:
            how_parts.append(f"Length: {duration}.")
        how_parts.append(
            "Authorities outside the pathfinder programme can book a place through the "
            "taskforce's training team."
        )
        audience = _first(module, "audience")
        audiences = [audience] if audience in Audience.values else [Audience.OFFICERS]
        yield TrainingModuleText(
            source_key=f"programme.trainingmodule:{module.pk}",
            title=title[:200],
            summary=summary[:600],
            body=body,
            how_to_take=" ".join(how_parts),
            audiences=audiences,
        )
