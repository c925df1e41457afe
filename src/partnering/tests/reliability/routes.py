"""Every route of the project, found rather than listed, for the tests that walk them all
(``test_closed_partnership_read_only.py``, ``test_role_route_matrix.py``).

- ``page_patterns()``: every URL pattern of Django's resolver: its full route
  (``partnerships/<slug:slug>/edit/``) and its full name (``partnerships:partnership-update``, or
  None for an unnamed pattern);
- ``each_api_operation()`` (from the permission matrices' kit): every operation of the ninja API;
- ``fill(path, values)``: a route's path with its parameters filled from a dict of values.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from partnering.core.tests.matrix import each_api_operation

__all__ = ["TAKES_A_PARTNERSHIP", "each_api_operation", "fill", "page_patterns"]

#: A route that names a partnership (every room's ``partnership_urls`` are mounted under
#: ``partnerships/<slug:slug>/``, the API's under ``…/partnerships/{slug}…``) or a programme or
#: funding application (``applications/<reference>``, hanging off one).
TAKES_A_PARTNERSHIP = re.compile(
    r"partnerships/(<slug:slug>|\{slug\})|applications/(<str:reference>|\{reference\})"
)
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def page_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None]]:
    """(route, full name or None) of every URL pattern, in the resolver's order."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from page_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = None
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def fill(path: str, values: dict[Any, Any]) -> str | None:
    """``path`` with its parameters filled from ``values``, or None when one is unknown.

    A value is looked up by (the path segment before the parameter, its name), then by (the
    room, its name), then by its name alone: ``("reviews", "pk")``, ``("funding",
    "reference")``, ``"slug"``."""
    room = path.strip("/").split("/")[0]
    room = path.strip("/").split("/")[2] if room == "api" else room
    out, at = [], 0
    for match in PARAM.finditer(path):
        name = match.group(1) or match.group(2)
        before = re.sub(r"[^a-z]", "", path[: match.start()].rstrip("/").rsplit("/", 1)[-1])
        for key in ((before, name), (room, name), name):
            if key in values:
                value = values[key]
                break
        else:
            return None
        out += [path[at : match.start()], str(value)]
        at = match.end()
    return "".join([*out, path[at:]])
