"""Balanced selection of pathfinder applications: an integer programme solved to proven optimality.

Choose the applications that maximise the total (moderated) score subject to

- a count (``select``: exactly that many, when given),
- a budget (the total cost at most ``budget``, when given),
- quotas on tags (each with a ``min`` and/or a ``max`` number of chosen applications carrying it),
- pinned applications (always chosen) and excluded ones (never chosen).

The model has one binary variable per application; HiGHS (through ``scipy.optimize.milp``) solves
it with a relative gap of 0, so a result marked ``optimal`` is the proven optimum.

The result also says which quotas *bind* (relaxing the bound by one would raise the total) and, for
each application left out, why in one line. When the constraints cannot all hold, the result is
``infeasible`` with a smallest set of constraints that clash (found by enumeration; a minimal one by
deletion when the enumeration would be too long) and the least relaxation that makes it feasible.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

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

__all__ = [
    "Application",
    "Quota",
    "SelectionProblem",
    "SelectionResult",
    "SolverError",
    "parse_problem",
    "solve",
]

#: Subsets tried when looking for the smallest clashing set before falling back to deletion.
MAX_CLASH_CHECKS = 400
#: Seconds for each re-solve that measures what relaxing a tight quota would gain.
BINDING_TIME_LIMIT = 0.5


class SolverError(RuntimeError):
    """HiGHS stopped without an answer (time or node limit): never a silent sub-optimum."""


@dataclass(frozen=True)
class Application:
    id: str
    score: float
    cost: float = 0.0
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Quota:
    tag: str
    min: int | None = None
    max: int | None = None

    def describe(self, side: str) -> str:
        bound = self.min if side == "min" else self.max
        return f"at {'least' if side == 'min' else 'most'} {bound} '{self.tag}'"


@dataclass(frozen=True)
class SelectionProblem:
    applications: tuple[Application, ...]
    select: int | None = None
    budget: float | None = None
    quotas: tuple[Quota, ...] = ()
    pinned: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Binding:
    """A bound holding the optimum back: relaxing it by one unit raises the total by ``gain``."""

    constraint: str
    tag: str | None
    side: str
    limit: float
    count: float
    gain: float
    exact: bool = True  # False: the re-solve hit its time limit, so the gain is at least this

    def as_json(self) -> dict[str, object]:
        return {
            "constraint": self.constraint,
            "tag": self.tag,
            "side": self.side,
            "limit": _plain(self.limit),
            "count": _plain(self.count),
            "gain_if_relaxed": round(self.gain, 6),
            "gain_exact": self.exact,
        }


@dataclass(frozen=True)
class Relaxation:
    constraint: str
    side: str
    limit: float
    relaxed_to: float

    def describe(self) -> str:
        verb = "lower" if self.relaxed_to < self.limit else "raise"
        return f"{verb} {self.constraint} to {_plain(self.relaxed_to)}"


@dataclass(frozen=True)
class SelectionResult:
    status: str  # "optimal" | "infeasible"
    selected: tuple[str, ...] = ()
    total_score: float = 0.0
    total_cost: float = 0.0
    binding: tuple[Binding, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)
    clashing: tuple[str, ...] = ()
    clash_is_smallest: bool = False
    relaxation: tuple[Relaxation, ...] = ()

    @property
    def explanation(self) -> str:
        if self.status != "infeasible":
            return ""
        which = "A smallest set" if self.clash_is_smallest else "A set"
        fix = "; ".join(r.describe() for r in self.relaxation) or "none found"
        return (
            f"The constraints cannot all hold. {which} that clash: "
            f"{'; '.join(self.clashing)}. The least relaxation that makes it feasible: {fix}."
        )

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "status": self.status,
            "selected": list(self.selected),
            "total_score": round(self.total_score, 6),
            "total_cost": _plain(round(self.total_cost, 2)),
            "binding": [b.as_json() for b in self.binding],
            "reasons": dict(self.reasons),
        }
        if self.status == "infeasible":
            out["explanation"] = {
                "message": self.explanation,
                "clashing": list(self.clashing),
                "smallest": self.clash_is_smallest,
                "relaxation": [
                    {
                        "constraint": r.constraint,
                        "side": r.side,
                        "limit": _plain(r.limit),
                        "relaxed_to": _plain(r.relaxed_to),
                        "message": r.describe(),
                    }
                    for r in self.relaxation
                ],
            }
        return out


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# ----------------------------------------------------------------------------- parsing


def parse_problem(data: object) -> SelectionProblem:
    """The problem from decoded JSON (the CLI contract); raises ``InputError`` with one line."""
    top = as_object(data, "the input")
    only_keys(
        top, {"select", "budget", "applications", "quotas", "pinned", "excluded"}, "the input"
    )
    if "applications" not in top:
        raise InputError("the input must have an 'applications' array")
    apps: list[Application] = []
    for n, raw in enumerate(as_list(top["applications"], "'applications'"), start=1):
        where = f"application {n}"
        item = as_object(raw, where)
        only_keys(item, {"id", "score", "cost", "tags"}, where)
        if "id" not in item or "score" not in item:
            raise InputError(f"{where} must have an 'id' and a 'score'")
        ident = as_text(item["id"], f"{where}'s id")
        tags = frozenset(
            as_text(t, f"a tag of {ident}")
            for t in as_list(item.get("tags", []), f"{ident}'s tags")
        )
        apps.append(
            Application(
                id=ident,
                score=as_number(item["score"], f"{ident}'s score"),
                cost=as_number(item.get("cost", 0), f"{ident}'s cost", minimum=0),
                tags=tags,
            )
        )
    unique_ids([a.id for a in apps], "applications")
    known = {a.id for a in apps}

    quotas: list[Quota] = []
    for n, raw in enumerate(as_list(top.get("quotas", []), "'quotas'"), start=1):
        item = as_object(raw, f"quota {n}")
        only_keys(item, {"tag", "min", "max"}, f"quota {n}")
        tag = as_text(item.get("tag"), f"quota {n}'s tag")
        low = as_count(item["min"], f"quota '{tag}' min") if item.get("min") is not None else None
        high = as_count(item["max"], f"quota '{tag}' max") if item.get("max") is not None else None
        if low is None and high is None:
            raise InputError(f"quota '{tag}' needs a min or a max")
        if low is not None and high is not None and low > high:
            raise InputError(f"quota '{tag}' has min {low} greater than max {high}")
        quotas.append(Quota(tag=tag, min=low, max=high))
    unique_ids([q.tag for q in quotas], "quotas")

    def id_set(key: str) -> frozenset[str]:
        ids = [as_text(i, f"an id in '{key}'") for i in as_list(top.get(key, []), f"'{key}'")]
        unknown = sorted(set(ids) - known)
        if unknown:
            raise InputError(f"'{key}' names unknown application(s): {', '.join(unknown[:5])}")
        return frozenset(ids)

    pinned, excluded = id_set("pinned"), id_set("excluded")
    both = sorted(pinned & excluded)
    if both:
        raise InputError(f"{', '.join(both[:5])} cannot be both pinned and excluded")
    select = as_count(top["select"], "'select'") if top.get("select") is not None else None
    budget = (
        as_number(top["budget"], "'budget'", minimum=0) if top.get("budget") is not None else None
    )
    return SelectionProblem(
        applications=tuple(apps),
        select=select,
        budget=budget,
        quotas=tuple(quotas),
        pinned=pinned,
        excluded=excluded,
    )


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class _Limit:
    """One side of one constraint: ``coeffs @ x`` >= bound (side "min") or <= bound ("max")."""

    key: str
    label: str
    side: str
    coeffs: NDArray[np.float64]
    bound: float
    tag: str | None = None
    money: bool = False

    def holds(self, total: float) -> bool:
        tol = 1e-7 * max(1.0, abs(self.bound))
        return total >= self.bound - tol if self.side == "min" else total <= self.bound + tol


class _Model:
    def __init__(self, problem: SelectionProblem) -> None:
        self.problem = problem
        apps = problem.applications
        self.n = len(apps)
        self.index = {a.id: i for i, a in enumerate(apps)}
        self.scores = np.array([a.score for a in apps], dtype=np.float64)
        self.costs = np.array([a.cost for a in apps], dtype=np.float64)
        self.limits: list[_Limit] = []
        ones = np.ones(self.n)
        if problem.select is not None:
            k = problem.select
            self.limits.append(_Limit("count:min", f"at least {k} selected", "min", ones, k))
            self.limits.append(_Limit("count:max", f"at most {k} selected", "max", ones, k))
        if problem.budget is not None:
            label = f"the budget of {_plain(problem.budget):,}"
            self.limits.append(
                _Limit("budget", label, "max", self.costs, problem.budget, money=True)
            )
        for q in problem.quotas:
            has = np.array([1.0 if q.tag in a.tags else 0.0 for a in apps])
            for side, bound in (("min", q.min), ("max", q.max)):
                if bound is not None:
                    self.limits.append(
                        _Limit(f"quota:{q.tag}:{side}", q.describe(side), side, has, bound, q.tag)
                    )
        self.last_proven = True
        self.lower = np.zeros(self.n)
        self.upper = np.ones(self.n)
        for ident in problem.pinned:
            self.lower[self.index[ident]] = 1
        for ident in problem.excluded:
            self.upper[self.index[ident]] = 0

    def run(
        self,
        limits: Sequence[_Limit],
        *,
        objective: bool = True,
        pins: bool = True,
        exclusions: bool = True,
        time_limit: float | None = None,
    ) -> NDArray[np.float64] | None:
        """The optimal 0/1 vector under ``limits``, or None when infeasible.

        With ``time_limit``, the best solution found in that time (used only where a good
        solution is enough: a lower bound on what relaxing a quota would gain).
        """
        if self.n == 0:
            return np.zeros(0) if all(lim.holds(0.0) for lim in limits) else None
        c = -self.scores if objective else np.zeros(self.n)
        constraints = []
        if limits:
            a = np.vstack([lim.coeffs for lim in limits])
            lo = np.array([lim.bound if lim.side == "min" else -np.inf for lim in limits])
            hi = np.array([lim.bound if lim.side == "max" else np.inf for lim in limits])
            constraints.append(LinearConstraint(a, lo, hi))
        lower = self.lower if pins else np.zeros(self.n)
        upper = self.upper if exclusions else np.ones(self.n)
        # HiGHS's presolve costs seconds on thousands of binaries and gains nothing here.
        options: dict[str, object] = {"mip_rel_gap": 0.0, "presolve": False}
        if time_limit is not None:
            options["time_limit"] = time_limit
        res = milp(
            c,
            constraints=constraints,
            integrality=np.ones(self.n),
            bounds=Bounds(lower, upper),
            options=options,
        )
        self.last_proven = res.status == 0
        if res.status == 2:
            return None
        if time_limit is not None and res.status == 1 and res.x is not None:
            found: NDArray[np.float64] = np.round(res.x)
            return found
        if res.status != 0 or res.x is None:
            raise SolverError(f"the solver stopped without a proven optimum: {res.message}")
        x: NDArray[np.float64] = np.round(res.x)
        return x


def solve(problem: SelectionProblem) -> SelectionResult:
    """The proven optimum of ``problem``, with binding quotas and one-line reasons; or why not."""
    model = _Model(problem)
    x = model.run(model.limits)
    if x is None:
        return _explain_infeasible(model)
    chosen = x > 0.5
    total = float(model.scores @ x)
    return SelectionResult(
        status="optimal",
        selected=tuple(a.id for a, c in zip(problem.applications, chosen, strict=True) if c),
        total_score=total,
        total_cost=float(model.costs @ x),
        binding=tuple(_binding(model, x, total)),
        reasons=_reasons(model, x),
    )


def _binding(model: _Model, x: NDArray[np.float64], total: float) -> Iterable[Binding]:
    for lim in model.limits:
        if lim.key.startswith("count:"):
            continue
        count = float(lim.coeffs @ x)
        if lim.money:
            relaxed = [other for other in model.limits if other is not lim]
            step = 0.0
        else:
            if abs(count - lim.bound) > 1e-7:
                continue
            step = -1.0 if lim.side == "min" else 1.0
            if lim.bound + step < 0:
                continue
            loosened = _Limit(lim.key, lim.label, lim.side, lim.coeffs, lim.bound + step, lim.tag)
            relaxed = [loosened if other is lim else other for other in model.limits]
        y = model.run(relaxed, time_limit=BINDING_TIME_LIMIT)
        gain = float(model.scores @ y) - total if y is not None else 0.0
        if gain > 1e-7:
            yield Binding(
                lim.label, lim.tag, lim.side, lim.bound, count, gain, exact=model.last_proven
            )


def _fmt(score: float) -> str:
    return f"{score:g}"


def _reasons(model: _Model, x: NDArray[np.float64]) -> dict[str, str]:
    problem = model.problem
    apps = problem.applications
    limits = model.limits
    chosen = [i for i in range(model.n) if x[i] > 0.5]
    swappable = sorted(
        (i for i in chosen if apps[i].id not in problem.pinned), key=lambda i: model.scores[i]
    )
    weakest = swappable[0] if swappable and problem.select is not None else None
    # For every application at once: each limit's total if it were taken (in place of the
    # weakest swappable one when the count is fixed), and the first limit that would then break.
    first_broken = np.full(model.n, -1)
    if limits and model.n:
        a = np.vstack([lim.coeffs for lim in limits])
        totals = a @ x
        after = totals[:, None] + a - (a[:, [weakest]] if weakest is not None else 0.0)
        bounds = np.array([lim.bound for lim in limits])[:, None]
        tol = 1e-7 * np.maximum(1.0, np.abs(bounds))
        is_min = np.array([lim.side == "min" for lim in limits])[:, None]
        broken = np.where(is_min, after < bounds - tol, after > bounds + tol)
        if weakest is not None:
            broken[[k for k, lim in enumerate(limits) if lim.key.startswith("count:")], :] = False
        any_broken = broken.any(axis=0)
        first_broken = np.where(any_broken, broken.argmax(axis=0), -1)

    reasons: dict[str, str] = {}
    for j in range(model.n):
        if x[j] > 0.5:
            continue
        app = apps[j]
        score = _fmt(app.score)
        clash = limits[int(first_broken[j])].label if first_broken[j] >= 0 else None
        if app.id in problem.excluded:
            reason = f"scored {score}; excluded by staff"
        elif problem.select is None:
            if clash:
                reason = f"scored {score}; taking it would break {clash}"
            else:
                reason = f"scored {score}; taking it would not raise the total"
        elif weakest is None:
            reason = f"scored {score}; every place is held by a pinned application"
        elif model.scores[weakest] > app.score:
            reason = (
                f"scored {score}, below every application selected "
                f"(the lowest scored {_fmt(float(model.scores[weakest]))})"
            )
        else:
            other = apps[weakest]
            if clash:
                reason = (
                    f"scored {score}; taking it in place of {other.id} ({_fmt(other.score)}) "
                    f"would break {clash}"
                )
            else:
                reason = f"scored {score}, tied with {other.id}, which was taken"
        reasons[app.id] = reason
    return reasons


# ----------------------------------------------------------------------------- infeasibility


def _explain_infeasible(model: _Model) -> SelectionResult:
    # The members that can clash: each side of each limit, and the pins and exclusions as groups.
    members: list[str | _Limit] = list(model.limits)
    if model.problem.pinned:
        members.append("pinned")
    if model.problem.excluded:
        members.append("excluded")

    def feasible(subset: Sequence[str | _Limit]) -> bool:
        limits = [m for m in subset if isinstance(m, _Limit)]
        return (
            model.run(
                limits,
                objective=False,
                pins="pinned" in subset,
                exclusions="excluded" in subset,
            )
            is not None
        )

    clash: Sequence[str | _Limit] | None = None
    smallest = False
    checks = 0
    for size in range(1, len(members) + 1):
        combos = math.comb(len(members), size)
        if checks + combos > MAX_CLASH_CHECKS:
            break
        for subset in itertools.combinations(members, size):
            checks += 1
            if not feasible(subset):
                clash, smallest = subset, True
                break
        if clash is not None:
            break
    if clash is None:  # deletion filter: an irreducible (minimal) clashing set
        current = list(members)
        for member in list(members):
            trial = [m for m in current if m is not member]
            if not feasible(trial):
                current = trial
        clash = current

    def name(member: str | _Limit) -> str:
        if isinstance(member, _Limit):
            return member.label
        return f"the {member} applications"

    labels = tuple(dict.fromkeys(name(m) for m in clash))
    return SelectionResult(
        status="infeasible", clashing=labels, clash_is_smallest=smallest, relaxation=_relax(model)
    )


def _relax(model: _Model) -> tuple[Relaxation, ...]:
    """The least total relaxation (in applications; money in units of the largest cost)."""
    n, m = model.n, len(model.limits)
    if m == 0:
        return ()
    money_unit = max(1.0, float(model.costs.max()) if n else 1.0)
    weights = np.array([1.0 / money_unit if lim.money else 1.0 for lim in model.limits])
    c = np.concatenate([np.zeros(n), weights])
    rows = []
    for k, lim in enumerate(model.limits):
        slack = np.zeros(m)
        slack[k] = 1.0 if lim.side == "min" else -1.0
        rows.append(np.concatenate([lim.coeffs, slack]))
    lo = np.array([lim.bound if lim.side == "min" else -np.inf for lim in model.limits])
    hi = np.array([lim.bound if lim.side == "max" else np.inf for lim in model.limits])
    integrality = np.concatenate([np.ones(n), [0.0 if lim.money else 1.0 for lim in model.limits]])
    max_slack = np.array([np.inf if lim.money else float(n) + lim.bound for lim in model.limits])
    res = milp(
        c,
        constraints=[LinearConstraint(np.vstack(rows), lo, hi)],
        integrality=integrality,
        bounds=Bounds(
            np.concatenate([model.lower, np.zeros(m)]),
            np.concatenate([model.upper, max_slack]),
        ),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0 or res.x is None:
        return ()
    out = []
    for k, lim in enumerate(model.limits):
        used = float(res.x[n + k])
        if used > 1e-6:
            amount = round(used, 2) if lim.money else float(round(used))
            to = lim.bound - amount if lim.side == "min" else lim.bound + amount
            out.append(Relaxation(lim.label, lim.side, lim.bound, to))
    return tuple(out)
