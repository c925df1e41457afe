"""The organisations list's table rows, built in Python (``core.cells``: a 50-row list drawn with
``{% cell %}`` tags spent most of its time in the template engine)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from partnering.core.cells import cell, join, link, number, tag, url_maker

from .models import Organisation

HEAD = [
    cell("Name"), cell("Code"), cell("Kind"), cell("Region"), cell("Population", format="numeric"),
]  # fmt: skip
NOT_KNOWN = mark_safe('–<span class="govuk-visually-hidden">not known</span>')


def list_rows(organisations: Iterable[Organisation]) -> list[list[dict[str, Any]]]:
    rows = []
    url = url_maker("organisations:organisation-detail", "slug")
    for org in organisations:
        county = org.parent_county
        name = join(
            link(url(org.slug), org.name),
            tag(f"Abolished {org.end_date.year}", "govuk-tag--grey") if org.end_date else "",
            tag("Demo", "govuk-tag--yellow") if org.is_demo else "",
            format_html(
                '<br><span class="govuk-body-s">in {}</span>', county.short_name or county.name
            )
            if county
            else "",
        )
        rows.append([
            cell(name),
            cell(org.gss_code or org.org_id or "", classes="app-nowrap"),
            cell(org.get_kind_display()),
            cell(org.region),
            cell(number(org.population, NOT_KNOWN), format="numeric"),
        ])  # fmt: skip
    return rows or [[cell("No organisations match. Try fewer filters.", colspan=5)]]
