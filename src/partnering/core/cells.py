"""Table cells built in Python, for list pages with many rows.

A ``{% rows %}{% row %}{% cell %}`` block costs the template engine about 30 µs a cell, which on
a 50-row list was most of the page (docs/benchmarks.md). A list page's view can instead build its
rows here and pass them to the ``govukTable`` include as ``rows``: each cell is the same dict the
``{% cell %}`` tag makes. Component markup still comes from the includes: ``tag`` renders the
``govukTag`` include once per distinct text and colour and reuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

_CELL = {"text": "", "format": "", "classes": "", "colspan": "", "header": False, "empty": False}


def cell(html: Any = "", **params: Any) -> dict[str, Any]:
    """One cell for ``govukTable`` (``format="numeric"``, ``classes``, ``colspan``, ``header``);
    ``html`` is escaped unless it is already safe."""
    return {**_CELL, "html": conditional_escape(html), **params}


def link(href: str, text: Any) -> SafeString:
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text)


@lru_cache(maxsize=512)
def _tag(text: str, classes: str) -> str:
    return render_to_string(
        "components/govuk/govukTag.html", {"text": text, "classes": classes}
    ).strip()


def tag(text: Any, classes: str = "") -> SafeString:
    """The ``govukTag`` include's markup for ``text`` (escaped by the include)."""
    return mark_safe(_tag(str(text), classes))  # rendered (and escaped) by the include


def join(*parts: Any, sep: str = " ") -> SafeString:
    """Safe pieces (and escaped plain ones) joined by ``sep``, skipping empty ones."""
    kept = [part for part in parts if part]
    if not kept:
        return mark_safe("")
    return format_html(sep.join("{}" for _ in kept), *kept)


def number(value: int | None, missing: Any = "") -> Any:
    """A whole number with thousands commas ("1,250,000"), or ``missing`` when there is none."""
    return missing if value is None else f"{value:,}"


def url_maker(viewname: str, kwarg: str) -> Callable[[Any], str]:
    """``reverse(viewname, kwargs={kwarg: value})`` for every row of a list: reversed once with a
    marker and filled in per row (``reverse`` costs about 28 µs a call, 1.4 ms a 50-row page).
    Only for a single slug or number argument, which needs no quoting beyond this."""
    marker = "0marker0"
    head, found, tail = reverse(viewname, kwargs={kwarg: marker}).partition(marker)
    if not found:
        raise ValueError(f"{viewname}: {kwarg} does not appear in its URL")
    return lambda value: f"{head}{quote(str(value), safe='')}{tail}"
