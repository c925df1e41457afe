"""A case study's first draft, written from a partnership's record: its members (with when they
joined and left), its stage history, the fair shares its members agreed (the sharing room) and
its gateway review ratings (the assurance room), where present. Editors and the partners then
edit it; the partners approve it before an editor can publish it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from partnering.assurance.models import Review, ReviewStatus
from partnering.core.dates import govuk_date, govuk_month
from partnering.partnerships.models import Membership, Partnership, StageChange
from partnering.sharing.models import AgreedShare, ShareAgreement


@dataclass(frozen=True)
class CaseStudyText:
    title: str
    summary: str
    body: str


def _money(pence: int) -> str:
    pounds = Decimal(pence) / 100
    return f"£{pounds:,.2f}".replace(".00", "")


def _md(text: str) -> str:
    """Text from a record, safe inside Markdown (no markup of its own)."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, f"\\{ch}")
    return " ".join(text.split())


def case_study_text(partnership: Partnership) -> CaseStudyText:
    members = list(
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("joined_on", "organisation__name")
    )
    stages = list(StageChange.objects.filter(partnership=partnership).order_by("moved_on", "pk"))
    agreement = ShareAgreement.objects.filter(partnership=partnership).order_by("-version").first()
    shares = (
        list(AgreedShare.objects.filter(agreement=agreement).order_by("position", "pk"))
        if agreement
        else []
    )
    reviews = list(
        Review.objects.filter(partnership=partnership, status=ReviewStatus.FINAL)
        .exclude(rating="")
        .order_by("starts_on", "gate")
    )
    current = [m for m in members if m.left_on is None]
    name = _md(partnership.name)
    lines = [
        f"This case study is about {name}, one of the taskforce's "
        + ("pathfinder partnerships" if partnership.is_pathfinder else "partnerships")
        + ". It was drafted from the partnership's record and approved by its partners.",
        "",
        "## What the partnership set out to do",
        "",
        _md(partnership.purpose),
        "",
        "## Who is in it",
        "",
    ]
    if members:
        lines += ["| Member | Role | Joined | Left |", "| --- | --- | --- | --- |"]
        for m in members:
            left = govuk_date(m.left_on) if m.left_on else ""
            lines.append(
                f"| {_md(m.organisation.name)} | {m.get_role_display()} | "
                f"{govuk_date(m.joined_on)} | {left} |"
            )
    else:
        lines.append("No members are recorded yet.")
    lines += ["", "## How it developed", ""]
    if stages:
        for s in stages:
            reason = f": {_md(s.reason)}" if s.reason else ""
            lines.append(f"- {govuk_date(s.moved_on)}: {s.get_to_stage_display()}{reason}")
    else:
        lines.append(f"The partnership is at the {partnership.get_stage_display().lower()} stage.")
    lines += ["", "## Sharing the costs fairly", ""]
    if agreement and shares:
        lines += [
            f"On {govuk_date(agreement.agreed_on)} the members agreed to share "
            f"{_money(agreement.total_pence)} by the {agreement.get_method_display()} method"
            + (
                " (a split no group of members could beat on its own)."
                if agreement.in_core
                else "."
            ),
            "",
            "| Member | Agreed share |",
            "| --- | --- |",
        ]
        lines += [f"| {_md(s.player_name)} | {_money(s.amount_pence)} |" for s in shares]
    else:
        lines.append("The members have not recorded a fair-shares agreement yet.")
    if reviews:
        lines += ["", "## What the gateway reviews found", ""]
        lines += [
            f"- {r.gate_info.label} ({govuk_month(r.ends_on)}): delivery confidence {r.get_rating_display()}"
            for r in reviews
        ]
    lines += [
        "",
        "## What others can learn",
        "",
        "The partners will add what worked, what they would do differently and their advice "
        "for councils starting out.",
    ]
    summary = (
        f"How {partnership.name} brought together {len(current) or len(members)} "
        f"organisations: its members, how it developed and how it shares its costs."
    )
    return CaseStudyText(
        title=f"Case study: {partnership.name}"[:200], summary=summary[:600], body="\n".join(lines)
    )
