"""The room kit: what a room declares so that core never names it.

Each room's ``apps.py`` subclasses :class:`RoomConfig` and declares what it adds:

- ``url_prefix``: its pages are mounted at ``/<url_prefix>`` from ``<room>.urls``;
- ``api_prefix``: its django-ninja ``router`` in ``<room>.api`` is mounted at ``/api<api_prefix>``;
- ``navigation``: entries in the service navigation, each with who sees it;
- ``home_panels``: panels on the home page, each with its template and a context function;
- ``self_limited_prefixes``: paths whose writes the room rate-limits itself (core's page-write
  limit per address leaves them alone);
- ``error_formats``: paths that answer errors in a format of their own (Open311's error array):
  core's request guards (a null byte, a body too large, a method pages do not take) refuse
  there in that format instead of a GOV.UK page;
- ``page_sections``: sections on another room's object pages (e.g. a "Fair shares" section on
  a partnership's page, a council's partnerships on an organisation's page), by page name;
- a demo loader: ``<room>.demo.load() -> str`` is found and run by ``manage.py load_demo``.

Rooms are found by walking ``INSTALLED_APPS`` in order, which is the order of the data flow, so
demo loaders and panels run in flow order. Callables may be given as dotted paths so ``apps.py``
imports nothing that needs the models (they are resolved on first use).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

UserPredicate = Callable[[Any], bool]


def everyone(user: Any) -> bool:
    """The default audience: every visitor, signed in or not."""
    return True


def resolve(target: Callable[..., Any] | str) -> Callable[..., Any]:
    """A callable given directly or as a dotted path (so apps.py need not import models)."""
    return import_string(target) if isinstance(target, str) else target


@dataclass(frozen=True)
class NavEntry:
    """One link in the service navigation."""

    label: str
    url_name: str
    active_prefix: str  # the path prefix that marks this entry as the current section
    visible_to: UserPredicate | str = everyone
    order: int = 100


@dataclass(frozen=True)
class ActiveNavEntry:
    label: str
    url: str
    is_current_section: bool
    is_current_page: bool


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page. ``context(request) -> dict`` must run a fixed number of queries."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]] | str
    visible_to: UserPredicate | str = everyone
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    html: SafeString


@dataclass(frozen=True)
class PageSection:
    """A section a room adds to an object page another room owns.

    ``page`` names the page ("organisation", "partnership", ...: the owning room documents it);
    ``context(request, obj) -> dict`` must run a fixed number of queries;
    ``visible_to(user, obj) -> bool`` says who sees it.

    Optionally, ``has_content() -> expression`` (an ``Exists(...)`` over ``OuterRef("pk")``, the
    page object's row) with ``empty_context(request, obj) -> dict`` (no queries): the page asks
    every section's ``has_content`` in the query that fetches its object (or in one query of
    their own), and a section with nothing renders from ``empty_context`` instead of running
    ``context``'s queries. Most partnerships have no gateway review, procurement or funding yet;
    each of those sections then costs no query. ``empty_context`` must render exactly what
    ``context`` would with nothing there (a test checks it for every registered section).
    """

    page: str
    key: str
    title: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]] | str
    visible_to: Callable[[Any, Any], bool] | str = lambda user, obj: True
    order: int = 100
    has_content: Callable[[], Any] | str | None = None
    empty_context: Callable[[HttpRequest, Any], dict[str, Any]] | str | None = None

    def __post_init__(self) -> None:
        if (self.has_content is None) != (self.empty_context is None):
            raise ImproperlyConfigured(
                f"Page section {self.key!r}: has_content and empty_context go together"
            )

    @property
    def content_annotation(self) -> str:
        """The attribute the page object's fetch gives ``has_content``'s answer under."""
        return "has_section_" + self.key.replace("-", "_")


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    html: SafeString


class RoomConfig(AppConfig):
    """An ``AppConfig`` for a room. Subclass it and set the class attributes you need."""

    # Django picks the one AppConfig of an apps.py marked default: the room's own, never a base
    # class imported into it (a base sets ``default = False`` in its own body).
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    url_prefix: str | None = None
    # More mounts of the room's own urls modules, e.g. (("open311/", "partnering.frontdoor.open311"),)
    extra_url_mounts: tuple[tuple[str, str], ...] = ()
    # Path prefixes whose writes the room rate-limits itself (its own keys and allowances, e.g.
    # Open311's api_key): core's page-write limit per address leaves them to the room.
    self_limited_prefixes: tuple[str, ...] = ()
    # (path prefix, dotted path of ``render(request, status, message) -> HttpResponse``): how
    # core's request guards refuse under that prefix, in the format its clients read.
    error_formats: tuple[tuple[str, str], ...] = ()
    api_prefix: str | None = None
    navigation: tuple[NavEntry, ...] = ()
    home_panels: tuple[HomePanel, ...] = ()
    page_sections: tuple[PageSection, ...] = ()
    demo_module: str = "demo"

    @property
    def urls_module(self) -> str:
        return f"{self.name}.urls"

    def url_mounts(self) -> list[tuple[str, str]]:
        """``(path prefix, urls module)`` pairs this room adds to the site's URLs."""
        mounts = [] if self.url_prefix is None else [(self.url_prefix, self.urls_module)]
        return mounts + list(self.extra_url_mounts)

    @property
    def api_router(self) -> str:
        return f"{self.name}.api.router"

    @property
    def demo_loader(self) -> str | None:
        """The dotted path of this room's ``demo.load``, or None when it has no demo."""
        module = f"{self.name}.{self.demo_module}"
        return f"{module}.load" if importlib.util.find_spec(module) is not None else None


def room_configs() -> list[RoomConfig]:
    """Every installed room, in INSTALLED_APPS (data-flow) order."""
    return [config for config in apps.get_app_configs() if isinstance(config, RoomConfig)]


# --- what core assembles from the rooms -------------------------------------------------------


def url_mounts() -> Iterator[tuple[str, str]]:
    """``(prefix, urls module)`` of every room with pages of its own."""
    for room in room_configs():
        yield from room.url_mounts()


def api_mounts() -> Iterator[tuple[str, str]]:
    """``(prefix, router dotted path)`` of every room with an API router."""
    for room in room_configs():
        if room.api_prefix is not None:
            yield room.api_prefix, room.api_router


@cache
def self_limited_prefixes() -> tuple[str, ...]:
    """Every room's ``self_limited_prefixes``, as absolute paths (``/open311/``)."""
    return tuple(
        "/" + prefix.lstrip("/") for room in room_configs() for prefix in room.self_limited_prefixes
    )


@cache
def error_formats() -> tuple[tuple[str, Callable[..., Any]], ...]:
    """Every room's ``error_formats``: (absolute path prefix, its renderer)."""
    return tuple(
        ("/" + prefix.lstrip("/"), import_string(renderer))
        for room in room_configs()
        for prefix, renderer in room.error_formats
    )


def demo_loaders() -> Iterator[tuple[str, Callable[[], str]]]:
    """``(room label, load)`` of every room with a demo, in flow order."""
    for room in room_configs():
        loader = room.demo_loader
        if loader is not None:
            yield room.label, import_string(loader)


@cache
def _navigation() -> tuple[NavEntry, ...]:
    entries = [entry for room in room_configs() for entry in room.navigation]
    return tuple(sorted(entries, key=lambda entry: entry.order))


def navigation_for(request: HttpRequest) -> list[ActiveNavEntry]:
    """The navigation entries this visitor may see, with the current one marked."""
    user = getattr(request, "user", None)
    path = request.path
    shown = []
    for entry in _navigation():
        if not resolve(entry.visible_to)(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        shown.append(
            ActiveNavEntry(
                label=entry.label,
                url=url,
                is_current_section=path.startswith(entry.active_prefix),
                is_current_page=path == url,
            )
        )
    return shown


@cache
def _home_panels() -> tuple[HomePanel, ...]:
    panels = [panel for room in room_configs() for panel in room.home_panels]
    return tuple(sorted(panels, key=lambda panel: panel.order))


def home_panels_for(request: HttpRequest) -> list[RenderedPanel]:
    """The home-page panels this visitor may see, each with its context."""
    user = getattr(request, "user", None)
    return [
        RenderedPanel(
            key=panel.key,
            html=mark_safe(
                render_to_string(panel.template, resolve(panel.context)(request), request=request)
            ),
        )
        for panel in _home_panels()
        if resolve(panel.visible_to)(user)
    ]


@cache
def _sections(page: str) -> tuple[PageSection, ...]:
    found = [s for room in room_configs() for s in room.page_sections if s.page == page]
    return tuple(sorted(found, key=lambda s: s.order))


def content_annotations(page: str) -> dict[str, Any]:
    """``{attribute: expression}`` answering whether each section of ``page`` that declares
    ``has_content`` has any: annotate the query that fetches the page's object with them and
    ``sections_for`` asks no query of its own."""
    return {
        s.content_annotation: resolve(s.has_content)()
        for s in _sections(page)
        if s.has_content is not None
    }


def _contents(sections: list[PageSection], obj: Any) -> dict[str, bool]:
    """Each probed section's ``has_content`` answer: from ``obj``'s annotations where its fetch
    had them, else in one query for them all."""
    probed = [s for s in sections if s.has_content is not None]
    answers = {
        s.key: bool(getattr(obj, s.content_annotation))
        for s in probed
        if hasattr(obj, s.content_annotation)
    }
    asked = [s for s in probed if s.key not in answers]
    if asked:
        row = (
            type(obj)
            ._base_manager.filter(pk=obj.pk)
            .values(**{s.content_annotation: resolve(s.has_content)() for s in asked})
            .first()
        ) or {}
        answers |= {s.key: bool(row.get(s.content_annotation)) for s in asked}
    return answers


def sections_for(page: str, request: HttpRequest, obj: Any) -> list[RenderedSection]:
    """The sections rooms registered for ``page`` that this viewer may see on ``obj``."""
    user = getattr(request, "user", None)
    shown = [s for s in _sections(page) if resolve(s.visible_to)(user, obj)]
    contents = _contents(shown, obj)
    rendered = []
    for s in shown:
        empty = s.key in contents and not contents[s.key]
        context = resolve(s.empty_context if empty else s.context)(request, obj)  # type: ignore[arg-type]
        rendered.append(
            RenderedSection(
                key=s.key,
                title=s.title,
                html=mark_safe(render_to_string(s.template, context, request=request)),
            )
        )
    return rendered
