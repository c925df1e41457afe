"""One-to-one mentoring: assign advisers to pathfinder partnerships, proven optimal.

Every partnership gets exactly the number of mentors it needs (``mentors``, default one), each an
adviser holding *every* discipline it requires, no adviser beyond their capacity, never a pair with
a declared conflict of interest and never the same adviser twice for one partnership; among all such
assignments, the one with the largest total suitability (a pair without a score scores 0).

This is a bipartite b-matching, a min-cost flow: its constraint matrix is totally unimodular, so the
linear programme has an integral optimum; HiGHS (``scipy.optimize.milp``, gap 0) returns it.

When no such assignment exists, the result is ``infeasible`` with the largest partial assignment
(most mentors placed, then the most suitable) and, for each partnership left short, why: no adviser
holds its disciplines, every holder is conflicted, too few are eligible, or its eligible advisers are
all taken by partnerships with no other choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from ._input import (
    InputError,
    as_count,
    as_list,
    as_number,
    as_object,
    as_text,
    only_keys,
    unique_ids,
)

__all__ = ["Adviser", "MatchProblem", "MatchResult", "Partnership", "parse_problem", "solve"]


@dataclass(frozen=True)
class Adviser:
    id: str
    capacity: int
    disciplines: frozenset[str]


@dataclass(frozen=True)
class Partnership:
    id: str
    requires: frozenset[str] = frozenset()
    mentors: int = 1


@dataclass(frozen=True)
class MatchProblem:
    advisers: tuple[Adviser, ...]
    partnerships: tuple[Partnership, ...]
    suitability: Mapping[tuple[str, str], float]
    conflicts: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Unserved:
    partnership: str
    needs: int
    assigned: int
    reason: str

    def as_json(self) -> dict[str, object]:
        return {
            "partnership": self.partnership,
            "needs": self.needs,
            "assigned": self.assigned,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MatchResult:
    status: str  # "optimal" | "infeasible"
    assignments: tuple[tuple[str, str], ...]
    total_suitability: float
    unserved: tuple[Unserved, ...] = ()

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "status": self.status,
            "assignments": [{"adviser": a, "partnership": p} for a, p in self.assignments],
            "total_suitability": round(self.total_suitability, 6),
        }
        if self.status == "infeasible":
            out["unserved"] = [u.as_json() for u in self.unserved]
        return out


def _ids(value: object, where: str) -> frozenset[str]:
    return frozenset(as_text(v, f"an entry of {where}") for v in as_list(value, where))


def parse_problem(data: object) -> MatchProblem:
    """The problem from decoded JSON (the CLI contract); raises ``InputError`` with one line."""
    top = as_object(data, "the input")
    only_keys(top, {"advisers", "partnerships", "suitability", "conflicts"}, "the input")
    for key in ("advisers", "partnerships"):
        if key not in top:
            raise InputError(f"the input must have an {key!r} array")
    advisers = []
    for n, raw in enumerate(as_list(top["advisers"], "'advisers'"), start=1):
        item = as_object(raw, f"adviser {n}")
        only_keys(item, {"id", "capacity", "disciplines"}, f"adviser {n}")
        ident = as_text(item.get("id"), f"adviser {n}'s id")
        advisers.append(
            Adviser(
                id=ident,
                capacity=as_count(item.get("capacity", 1), f"{ident}'s capacity"),
                disciplines=_ids(item.get("disciplines", []), f"{ident}'s disciplines"),
            )
        )
    partnerships = []
    for n, raw in enumerate(as_list(top["partnerships"], "'partnerships'"), start=1):
        item = as_object(raw, f"partnership {n}")
        only_keys(item, {"id", "requires", "mentors"}, f"partnership {n}")
        ident = as_text(item.get("id"), f"partnership {n}'s id")
        partnerships.append(
            Partnership(
                id=ident,
                requires=_ids(item.get("requires", []), f"{ident}'s requires"),
                mentors=as_count(item.get("mentors", 1), f"{ident}'s mentors"),
            )
        )
    unique_ids([a.id for a in advisers], "advisers")
    unique_ids([p.id for p in partnerships], "partnerships")
    known_a, known_p = {a.id for a in advisers}, {p.id for p in partnerships}

    def pair(raw: object, where: str) -> tuple[str, str]:
        item = as_object(raw, where)
        adviser = as_text(item.get("adviser"), f"{where}'s adviser")
        partnership = as_text(item.get("partnership"), f"{where}'s partnership")
        if adviser not in known_a:
            raise InputError(f"{where} names an unknown adviser {adviser!r}")
        if partnership not in known_p:
            raise InputError(f"{where} names an unknown partnership {partnership!r}")
        return adviser, partnership

    suitability: dict[tuple[str, str], float] = {}
    for n, raw in enumerate(as_list(top.get("suitability", []), "'suitability'"), start=1):
        where = f"suitability {n}"
        only_keys(as_object(raw, where), {"adviser", "partnership", "score"}, where)
        both = pair(raw, where)
        if both in suitability:
            raise InputError(f"{where} repeats the pair {both[0]} / {both[1]}")
        suitability[both] = as_number(as_object(raw, where).get("score"), f"{where}'s score")
    conflicts = set()
    for n, raw in enumerate(as_list(top.get("conflicts", []), "'conflicts'"), start=1):
        only_keys(as_object(raw, f"conflict {n}"), {"adviser", "partnership"}, f"conflict {n}")
        conflicts.add(pair(raw, f"conflict {n}"))
    return MatchProblem(tuple(advisers), tuple(partnerships), suitability, frozenset(conflicts))


def _and(words: Sequence[str]) -> str:
    words = sorted(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _few(ids: Sequence[str], limit: int = 5) -> str:
    ids = sorted(ids)
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def solve(problem: MatchProblem) -> MatchResult:
    advisers, partnerships = problem.advisers, problem.partnerships
    pairs: list[tuple[int, int]] = [
        (a, p)
        for p, ship in enumerate(partnerships)
        for a, adv in enumerate(advisers)
        if ship.requires <= adv.disciplines and (adv.id, ship.id) not in problem.conflicts
    ]
    scores = np.array(
        [problem.suitability.get((advisers[a].id, partnerships[p].id), 0.0) for a, p in pairs],
        dtype=np.float64,
    )
    demand = np.array([s.mentors for s in partnerships], dtype=np.float64)
    capacity = np.array([a.capacity for a in advisers], dtype=np.float64)
    m = len(pairs)
    rows_a = csr_array(
        (np.ones(m), ([a for a, _ in pairs], np.arange(m))), shape=(len(advisers), m)
    )
    rows_p = csr_array(
        (np.ones(m), ([p for _, p in pairs], np.arange(m))), shape=(len(partnerships), m)
    )

    def run(
        objective: NDArray[np.float64],
        demand_low: NDArray[np.float64],
        extra: list[LinearConstraint],
    ) -> NDArray[np.float64] | None:
        if m == 0:
            return np.zeros(0) if not demand_low.any() else None
        res = milp(
            -objective,
            constraints=[
                LinearConstraint(rows_a, -np.inf, capacity),
                LinearConstraint(rows_p, demand_low, demand),
                *extra,
            ],
            integrality=np.ones(m),
            bounds=Bounds(0, 1),
            # Presolve costs more than it saves on a flow problem of tens of thousands of pairs.
            options={"mip_rel_gap": 0.0, "presolve": False},
        )
        if res.status == 2:
            return None
        if res.status != 0 or res.x is None:
            raise RuntimeError(f"the solver stopped without a proven optimum: {res.message}")
        x: NDArray[np.float64] = np.round(res.x)
        return x

    x = run(scores, demand, [])
    status = "optimal"
    if x is None:
        status = "infeasible"
        # The most mentors that can be placed, then the most suitable such placement.
        most = run(np.ones(m), np.zeros(len(partnerships)), [])
        placed = float(most.sum()) if most is not None else 0.0
        x = (
            run(
                scores,
                np.zeros(len(partnerships)),
                [LinearConstraint(np.ones((1, m)), placed, np.inf)],
            )
            if m
            else np.zeros(0)
        )
        assert x is not None
    chosen = [pairs[k] for k in range(m) if x[k] > 0.5]
    assignments = tuple((advisers[a].id, partnerships[p].id) for a, p in chosen)
    total = float(scores @ x) if m else 0.0
    unserved: tuple[Unserved, ...] = ()
    if status == "infeasible":
        unserved = _why(problem, pairs, chosen)
    return MatchResult(status, assignments, total, unserved)


def _why(
    problem: MatchProblem, pairs: list[tuple[int, int]], chosen: list[tuple[int, int]]
) -> tuple[Unserved, ...]:
    advisers, partnerships = problem.advisers, problem.partnerships
    eligible: dict[int, set[int]] = {p: set() for p in range(len(partnerships))}
    for a, p in pairs:
        eligible[p].add(a)
    served_by: dict[int, set[int]] = {a: set() for a in range(len(advisers))}
    got: dict[int, int] = dict.fromkeys(range(len(partnerships)), 0)
    for a, p in chosen:
        served_by[a].add(p)
        got[p] += 1
    out = []
    for p, ship in enumerate(partnerships):
        if got[p] >= ship.mentors:
            continue
        need = _and(list(ship.requires)) or "any discipline"
        holders = [a for a in advisers if ship.requires <= a.disciplines]
        if not eligible[p]:
            if not holders:
                reason = f"no adviser holds {need}"
            elif all((a.id, ship.id) in problem.conflicts for a in holders):
                reason = (
                    f"every adviser holding {need} has a conflict of interest with it "
                    f"({_few([a.id for a in holders])})"
                )
            else:
                reason = f"no adviser holding {need} is free of conflicts"
        elif len(eligible[p]) < ship.mentors:
            names = _few([advisers[a].id for a in eligible[p]])
            reason = (
                f"needs {ship.mentors} mentors but only {len(eligible[p])} eligible "
                f"adviser(s) hold {need} without a conflict ({names})"
            )
        else:
            # The advisers it could have, and who holds them with no other choice (a Hall set).
            group, pool = {p}, set[int]()
            while True:
                grown_pool = pool | {a for q in group for a in eligible[q]}
                grown_group = group | {q for a in grown_pool for q in served_by[a]}
                if grown_pool == pool and grown_group == group:
                    break
                pool, group = grown_pool, grown_group
            capacity = sum(advisers[a].capacity for a in pool)
            demand = sum(partnerships[q].mentors for q in group)
            others = [partnerships[q].id for q in group if q != p]
            reason = (
                f"its eligible advisers ({_few([advisers[a].id for a in pool])}) have "
                f"{capacity} place(s) in all, and {len(group)} partnership(s) needing "
                f"{demand} mentors depend on them" + (f" ({_few(others)})" if others else "")
            )
        out.append(Unserved(ship.id, ship.mentors, got[p], reason))
    return tuple(out)
