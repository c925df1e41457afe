"""The programme room's training modules as the library's training programmes.

The programme room owns training and development modules; the library publishes them for
authorities outside the pathfinder programme. It reads them only through the programme's
documented contract, ``programme.selectors.published_modules()`` (published modules only: a
draft module never becomes a training programme), so the library never depends on how the
programme stores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from partnering.programme.selectors import published_modules

from .models import Audience


@dataclass(frozen=True)
class TrainingModuleText:
    source_key: str
    title: str
    summary: str
    body: str
    how_to_take: str
    audiences: list[str]


def modules() -> Iterator[TrainingModuleText]:
    """One text per published module: what it is, what people learn, how to take it."""
    for module in published_modules().order_by("pk"):
        outcomes = [str(line) for line in (module.learning_outcomes or []) if str(line).strip()]
        body = module.summary
        if outcomes:
            body += "\n\n## What you will learn\n\n" + "\n".join(f"- {line}" for line in outcomes)
        hours = f"{module.duration_hours.normalize():f}"
        sessions = list(module.sessions.all())
        how = [
            f"{module.get_format_display()}, {hours} hour{'s' if module.duration_hours != 1 else ''}.",
            f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} planned."
            if sessions else "No sessions planned yet.",
            "Authorities outside the pathfinder programme can book a place through the "
            "taskforce's training team.",
        ]  # fmt: skip
        audiences = (
            [Audience.OFFICERS, Audience.COUNCILLORS]
            if module.audience == "all"
            else [module.audience if module.audience in Audience.values else Audience.OFFICERS]
        )
        yield TrainingModuleText(
            source_key=f"programme.trainingmodule:{module.pk}",
            title=module.title[:200],
            summary=module.summary[:600],
            body=body,
            how_to_take=" ".join(how),
            audiences=audiences,
        )
