"""The relevance set: realistic queries an officer would type, each with the document that
should come first (the demo library, ``demo_content.py``). ``hit_rate`` runs them through the
same selector as the search page; the tests require every one to hit on SQLite and on
PostgreSQL, and ``bench/library_bench.py`` reports the rate on both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RELEVANCE_SET: list[tuple[str, str]] = [
    ("two-tier e-government partnership", "Forming a two-tier e-government partnership: a toolkit"),
    (
        "Forming a two-tier e-government partnership: a toolkit",
        "Forming a two-tier e-government partnership: a toolkit",
    ),
    ("shapley value", "Sharing costs fairly: a guide to the Shapley value for finance officers"),
    ("model partnership agreement ICT", "Model partnership agreement for shared ICT services"),
    ("gateway review", "Gateway reviews for partnerships"),
    (
        "output specification contact centre",
        "Model output specification for a joint contact centre",
    ),
    ("cost sharing spreadsheet", "Cost-sharing model for multi-authority partnerships"),
    (
        "memorandum of understanding",
        "Model memorandum of understanding between county and district councils",
    ),
    ("data protection sharing personal data", "Model data-sharing protocol for partner councils"),
    ("terms of reference board", "Model terms of reference for a partnership board"),
    ("invitation to negotiate", "Model invitation to negotiate for a strategic service partner"),
    ("exit plan", "Model exit plan for a shared service"),
    ("TUPE", "Staff transfer in shared services: TUPE guidance"),
    ("EU procurement rules OJEU", "Procuring a strategic partner: EU procurement rules explained"),
    ("IEG statement 2003", "Implementing Electronic Government statements: guidance for 2003"),
    ("risk register heat map", "Risk management toolkit for partnerships"),
    ("who carries the risk of overruns", "Managing risk in partnerships: who carries what"),
    ("councillors involvement", "Involving councillors in partnership decisions"),
    ("well-being power", "Legal powers for councils to work in partnership"),
    ("joint committee constitution", "Setting up a joint committee"),
    ("BVPI 157", "Measuring e-government progress: the BVPI 157 indicator"),
    ("accessible website", "Accessible websites for councils"),
    ("business case", "Writing a business case for a partnership project"),
    ("dispute mediation", "Resolving disputes between partners"),
    ("training for councillors", "Partnership working for councillors: a one-day programme"),
    ("procurement course", "Procurement of strategic partners: a two-day course"),
    ("fair shares workshop", "Fair shares for finance officers: a half-day workshop"),
    ("PRINCE2 project management", "Project management for partnership projects"),
    (
        "revenues and benefits shared service",
        "Case study: a shared revenues and benefits service in the Midlands",
    ),
    ("voluntary sector compact", "Working with the voluntary sector: a partnership toolkit"),
    ("private sector partner", "Public-private partnership toolkit for local authorities"),
    ("options appraisal", "Options appraisal toolkit"),
    ("benefits realisation", "Benefits realisation toolkit"),
    ("one front door", "Customer access toolkit: one front door for every council service"),
    ('"shared ICT"', "Model partnership agreement for shared ICT services"),
    ("governance scrutiny", "Governance of strategic partnerships"),
]


@dataclass(frozen=True)
class RelevanceResult:
    query: str
    expected: str
    got: str | None

    @property
    def hit(self) -> bool:
        return self.got == self.expected


def run(viewer: Any = None) -> list[RelevanceResult]:
    from .selectors import DocumentFilters, document_search

    results = []
    for query, expected in RELEVANCE_SET:
        page = document_search(viewer=viewer, filters=DocumentFilters(q=query), limit=1)
        results.append(
            RelevanceResult(query, expected, page.hits[0].document.title if page.hits else None)
        )
    return results


def hit_rate(results: list[RelevanceResult]) -> float:
    return sum(r.hit for r in results) / len(results)
