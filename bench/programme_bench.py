"""Benchmark of the programme room's optimisers (selection and mentor matching).

Run ``uv run python bench/programme_bench.py`` (``--quick`` for fewer repeats). ``run()`` returns a
Markdown section headed ``## Programme optimisers`` for ``docs/benchmarks.md``. The instances are
generated from a fixed seed: scores on a 0-100 scale with one decimal, costs of £50k-£400k, the
seed programme's quotas (at least a third e-government, at least a fifth two-tier, each kind and
region capped) scaled to the number of places.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from partnering.programme.maths import matching, selection

KINDS = ["public_public", "public_private", "public_voluntary", "shared_service"]
REGIONS = [
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]  # fmt: skip
SIZES = ["small", "medium", "large"]
DISCIPLINES = ["procurement", "project_management", "finance", "legal"]


def selection_instance(n: int, places: int, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    apps = []
    for i in range(n):
        tags = [f"kind:{rng.choice(KINDS)}", f"region:{rng.choice(REGIONS)}"]
        tags.append(f"size:{rng.choice(SIZES)}")
        if rng.random() < 0.35:
            tags.append("egov")
        if rng.random() < 0.3:
            tags.append("two_tier")
        apps.append(
            {
                "id": f"APP-{i:05d}",
                "score": round(rng.uniform(35, 95), 1),
                "cost": rng.randint(50, 400) * 1000,
                "tags": tags,
            }
        )
    quotas: list[dict[str, object]] = [
        {"tag": "egov", "min": places // 3},
        {"tag": "two_tier", "min": places // 5},
    ]
    quotas += [{"tag": f"kind:{k}", "min": max(1, places // 12)} for k in KINDS]
    quotas += [{"tag": f"region:{r}", "max": max(2, places // 5)} for r in REGIONS]
    quotas += [{"tag": f"size:{s}", "min": max(1, places // 6)} for s in SIZES]
    return {
        "select": places,
        "budget": places * 230_000,
        "applications": apps,
        "quotas": quotas,
    }


def matching_instance(partnerships: int, advisers: int, seed: int = 2) -> dict[str, object]:
    rng = random.Random(seed)
    advs = [
        {
            "id": f"ADV-{i:03d}",
            "capacity": rng.randint(1, 3),
            "disciplines": rng.sample(DISCIPLINES, rng.randint(1, 3)),
        }
        for i in range(advisers)
    ]
    ships = [
        {"id": f"PSHIP-{i:03d}", "requires": [rng.choice(DISCIPLINES)], "mentors": 1}
        for i in range(partnerships)
    ]
    suitability = [
        {"adviser": a["id"], "partnership": p["id"], "score": round(rng.random(), 3)}
        for a in advs
        for p in ships
        if rng.random() < 0.6
    ]
    conflicts = [
        {"adviser": a["id"], "partnership": p["id"]}
        for a in advs
        for p in ships
        if rng.random() < 0.02
    ]
    return {
        "advisers": advs,
        "partnerships": ships,
        "suitability": suitability,
        "conflicts": conflicts,
    }


def _best(fn, repeat: int):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(quick: bool = False) -> str:
    repeat = 1 if quick else 3
    out = [
        "## Programme optimisers",
        "",
        "Balanced selection (`programme/maths/selection.py`, HiGHS through `scipy.optimize.milp`,"
        " gap 0) and mentor matching (`programme/maths/matching.py`). Best of "
        f"{repeat} wall-clock runs; *solve* is the integer programme alone, *full* adds the "
        "binding-quota re-solves and the one-line reasons for every application left out.",
        "",
        "| Case | Solve | Full | Result | Goal |",
        "|---|---|---|---|---|",
    ]
    for n, places in ((60, 24), (500, 24), (5000, 24), (5000, 240)):
        problem = selection.parse_problem(selection_instance(n, places))
        model = selection._Model(problem)
        solve_s, _ = _best(lambda model=model: model.run(model.limits), repeat)
        full_s, result = _best(lambda problem=problem: selection.solve(problem), repeat)
        goal = "proven optimum < 5 s" if n == 5000 else ""
        verdict = ""
        if goal:
            verdict = " (met)" if solve_s < 5 and result.status == "optimal" else " (missed)"
        line = (
            f"| Selection: {n:,} applications, {places} places, {len(problem.quotas)} quotas, "
            f"budget | {solve_s:.2f} s | {full_s:.2f} s | {result.status}, "
            f"{len(result.binding)} binding | {goal}{verdict} |"
        )
        print(line, flush=True)
        out.append(line)
    mproblem = matching.parse_problem(matching_instance(350, 200))
    match_s, mresult = _best(lambda: matching.solve(mproblem), repeat)
    line = (
        f"| Matching: 350 partnerships x 200 advisers | {match_s:.2f} s | {match_s:.2f} s | "
        f"{mresult.status}, {len(mresult.assignments)} assigned | < 2 s "
        f"({'met' if match_s < 2 else 'missed'}) |"
    )
    print(line, flush=True)
    out.append(line)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
