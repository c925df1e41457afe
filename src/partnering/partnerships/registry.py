"""What rooms that hang off a partnership add to it, registered instead of imported.

A later room (sharing, assurance, procurement, funding, ...) subclasses
:class:`PartnershipRoomConfig` in its ``apps.py`` and declares:

- ``partnership_urls``: a urls module mounted at ``/partnerships/<slug>/<partnership_url_prefix>``
  (its views take ``slug`` first and start with ``partnerships.access.partnership_for_viewing``);
- ``page_sections`` with ``PartnershipSection(...)``: sections on the partnership's page (a
  title, a template, a context function ``(request, partnership) -> dict`` and who sees it;
  optionally ``has_content`` and ``empty_context`` so a section with nothing runs no query);
- ``stage_checks``: functions ``(partnership, to_stage, actor) -> list[StageBlock]`` asked
  before the lifecycle stage moves (e.g. assurance: "a Critical recommendation is open").

The partnerships room finds them by walking the installed rooms; it never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from partnering.core.rooms import (
    PageSection,
    RenderedSection,
    RoomConfig,
    content_annotations,
    resolve,
)
from partnering.core.rooms import sections_for as page_sections_for

PARTNERSHIP_PAGE = "partnership"


def PartnershipSection(**kwargs: Any) -> PageSection:
    """A section on a partnership's page (``core.rooms.PageSection`` for page "partnership")."""
    return PageSection(page=PARTNERSHIP_PAGE, **kwargs)


def section_content_annotations() -> dict[str, Any]:
    """What to annotate the fetch of a partnership for its page with, so the sections that
    declare ``has_content`` learn whether they have any without a query of their own."""
    return content_annotations(PARTNERSHIP_PAGE)


def sections_for(request: HttpRequest, partnership: Any) -> list[RenderedSection]:
    """The sections rooms registered for a partnership's page that this viewer may see."""
    return page_sections_for(PARTNERSHIP_PAGE, request, partnership)


@dataclass(frozen=True)
class StageBlock:
    """Why a stage move cannot go ahead. ``overridable``: staff may go ahead with a reason."""

    code: str
    message: str
    overridable: bool = False


StageCheck = Callable[[Any, str, Any], list[StageBlock]]


class PartnershipRoomConfig(RoomConfig):
    """A room whose records hang off a partnership."""

    default = False  # a base class: see RoomConfig

    partnership_url_prefix: str | None = None
    stage_checks: tuple[StageCheck | str, ...] = ()

    @property
    def partnership_urls(self) -> str:
        return f"{self.name}.partnership_urls"

    def url_mounts(self) -> list[tuple[str, str]]:
        """Its own mounts, plus ``/partnerships/<slug>/<partnership_url_prefix>`` (the views
        receive ``slug`` first). Mounted at the top level, so its URL namespace stays its own
        (``sharing:overview``, not ``partnerships:sharing:overview``)."""
        mounts = super().url_mounts()
        if self.partnership_url_prefix is not None:
            prefix = f"partnerships/<slug:slug>/{self.partnership_url_prefix}"
            mounts.append((prefix, self.partnership_urls))
        return mounts


def partnership_rooms() -> list[PartnershipRoomConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, PartnershipRoomConfig)]


def stage_blocks(partnership: Any, to_stage: str, actor: Any) -> list[StageBlock]:
    """Every registered room's reasons not to move ``partnership`` to ``to_stage``."""
    blocks: list[StageBlock] = []
    for room in partnership_rooms():
        for check in room.stage_checks:
            blocks.extend(resolve(check)(partnership, to_stage, actor))
    return blocks
