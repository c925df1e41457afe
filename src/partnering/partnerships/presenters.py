"""The partnerships list's table rows, built in Python (``core.cells``, as the organisations list:
drawn with ``{% cell %}`` tags the rows were most of the page's time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partnering.core.cells import cell, join, link, tag, url_maker
from partnering.core.dates import govuk_date

from .models import Membership, Partnership

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


def member_table(
    members: Iterable[Membership], partnership: Partnership, *, actions: bool
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """The partnership page's members table (head, rows), built in Python as the lists are:
    with ``{% row %}{% cell %}`` tags it was a large part of the page. ``actions``: the change
    role and end membership links (for editors looking at today)."""
    head = [cell("Organisation"), cell("Role"), cell("Member")]
    if actions:
        head.append(cell(format_html('<span class="govuk-visually-hidden">{}</span>', "Actions")))
    organisation_url = url_maker("organisations:organisation-detail", "slug")
    rows = []
    for m in members:
        org = m.organisation
        name = join(
            link(organisation_url(org.slug), org.name),
            tag("Unverified", "govuk-tag--orange") if not m.is_verified else "",
            tag("Demo body", "govuk-tag--yellow") if org.is_demo else "",
        )
        period = f"From {govuk_date(m.joined_on)}"
        if m.left_on:
            period += f" to {govuk_date(m.left_on)}"
        row = [cell(name), cell(m.get_role_display()), cell(period)]
        if actions:
            row.append(cell(_member_actions(m, partnership)))
        rows.append(row)
    if not rows:
        rows = [[cell("No members on this date.", colspan=len(head))]]
    return head, rows


def _member_actions(m: Membership, partnership: Partnership) -> SafeString | str:
    if m.left_on:
        return ""
    hidden = format_html('<span class="govuk-visually-hidden"> of {}</span>', m.organisation.name)
    role = format_html(
        '<a class="govuk-link" href="{}">Change role{}</a><br>',
        reverse("partnerships:membership-role", args=[partnership.slug, m.pk]), hidden,
    )  # fmt: skip
    if m.organisation_id == partnership.lead_organisation_id:
        return role
    end = format_html(
        '<a class="govuk-link" href="{}">End membership{}</a>',
        reverse("partnerships:membership-end", args=[partnership.slug, m.pk]), hidden,
    )  # fmt: skip
    return join(role, end, sep="")
