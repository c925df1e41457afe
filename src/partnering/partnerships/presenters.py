"""The partnerships list's table rows, built in Python (``core.cells``, as the organisations list:
drawn with ``{% cell %}`` tags the rows were most of the page's time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html

from partnering.core.cells import cell, join, link, tag, url_maker

from .models import Partnership

HEAD = [
    cell("Partnership"), cell("Kind"), cell("Stage"), cell("Region"),
    cell("Members", format="numeric"),
]  # fmt: skip


def list_rows(partnerships: Iterable[Partnership]) -> list[list[dict[str, Any]]]:
    rows = []
    url = url_maker("partnerships:partnership-detail", "slug")
    for p in partnerships:
        tags = join(
            tag("Two tiers", "govuk-tag--turquoise") if p.joins_two_tiers else "",
            tag("Not published", "govuk-tag--orange") if not p.is_published else "",
            tag("Demo data", "govuk-tag--yellow") if p.is_demo else "",
        )
        name = join(
            link(url(p.slug), p.name),
            format_html(
                '<br><span class="govuk-body-s">{} · led by {}</span>',
                p.reference, p.lead_organisation.name if p.lead_organisation else "",
            ),
            format_html("<br>{}", tag("Pathfinder", "govuk-tag--green")) if p.is_pathfinder else "",
            tags,
        )  # fmt: skip
        rows.append([
            cell(name),
            cell(p.get_kind_display() or "No current members"),
            cell(p.get_stage_display()),
            cell(p.region or "Not recorded"),
            cell(p.member_count, format="numeric"),
        ])  # fmt: skip
    return rows or [[cell("No partnerships match. Try fewer filters.", colspan=5)]]
