"""The mentor matching against brute-force enumeration, and its explanations."""

from __future__ import annotations

import itertools
import random

import pytest

from partnering.programme.maths._input import InputError
from partnering.programme.maths.matching import parse_problem, solve

DISCIPLINES = ["procurement", "project_management", "finance", "legal"]


def _brute(data: dict) -> float | None:
    advisers = {a["id"]: a for a in data["advisers"]}
    conflicts = {(c["adviser"], c["partnership"]) for c in data.get("conflicts", [])}
    score = {(s["adviser"], s["partnership"]): s["score"] for s in data.get("suitability", [])}
    options = []
    for p in data["partnerships"]:
        ok = [
            a
            for a, adv in advisers.items()
            if set(p.get("requires", [])) <= set(adv["disciplines"])
            and (a, p["id"]) not in conflicts
        ]
        options.append(
            [(p["id"], combo) for combo in itertools.combinations(ok, p.get("mentors", 1))]
        )
    best = None
    for choice in itertools.product(*options):
        load: dict[str, int] = {}
        for _, combo in choice:
            for a in combo:
                load[a] = load.get(a, 0) + 1
        if any(load[a] > advisers[a]["capacity"] for a in load):
            continue
        total = sum(score.get((a, p), 0.0) for p, combo in choice for a in combo)
        best = total if best is None or total > best else best
    return best


def _random_case(rng: random.Random) -> dict:
    advisers = [
        {
            "id": f"ADV-{i:03d}",
            "capacity": rng.randint(0, 2),
            "disciplines": [d for d in DISCIPLINES if rng.random() < 0.5],
        }
        for i in range(rng.randint(1, 4))
    ]
    partnerships = [
        {
            "id": f"PSHIP-{i:03d}",
            "requires": [d for d in DISCIPLINES if rng.random() < 0.25],
            "mentors": rng.choice([1, 1, 2]),
        }
        for i in range(rng.randint(0, 4))
    ]
    pairs = [(a["id"], p["id"]) for a in advisers for p in partnerships]
    return {
        "advisers": advisers,
        "partnerships": partnerships,
        "suitability": [
            {"adviser": a, "partnership": p, "score": round(rng.random(), 2)}
            for a, p in pairs
            if rng.random() < 0.7
        ],
        "conflicts": [{"adviser": a, "partnership": p} for a, p in pairs if rng.random() < 0.15],
    }


@pytest.mark.parametrize("seed", range(150))
def test_optimum_matches_brute_force(seed):
    data = _random_case(random.Random(seed))
    result = solve(parse_problem(data))
    best = _brute(data)
    if best is None:
        assert result.status == "infeasible"
        assert result.unserved and all(u.reason for u in result.unserved)
    else:
        assert result.status == "optimal"
        assert result.total_suitability == pytest.approx(best)
    conflicts = {(c["adviser"], c["partnership"]) for c in data["conflicts"]}
    assert not set(result.assignments) & conflicts
    assert len(set(result.assignments)) == len(result.assignments)
    capacity = {a["id"]: a["capacity"] for a in data["advisers"]}
    for adviser, cap in capacity.items():
        assert sum(a == adviser for a, _ in result.assignments) <= cap


def test_reasons_for_partnerships_that_cannot_be_served():
    data = {
        "advisers": [
            {"id": "ADV-1", "capacity": 1, "disciplines": ["finance"]},
            {"id": "ADV-2", "capacity": 2, "disciplines": ["finance", "legal"]},
        ],
        "partnerships": [
            {"id": "P-NOBODY", "requires": ["procurement"]},
            {"id": "P-CONFLICT", "requires": ["legal"]},
            {"id": "P-TWO", "requires": ["legal"], "mentors": 2},
            {"id": "P-A", "requires": ["finance"]},
            {"id": "P-B", "requires": ["finance"]},
            {"id": "P-C", "requires": ["finance"]},
        ],
        "conflicts": [{"adviser": "ADV-2", "partnership": "P-CONFLICT"}],
    }
    result = solve(parse_problem(data))
    assert result.status == "infeasible"
    why = {u.partnership: u.reason for u in result.unserved}
    assert why["P-NOBODY"] == "no adviser holds procurement"
    assert why["P-CONFLICT"] == (
        "every adviser holding legal has a conflict of interest with it (ADV-2)"
    )
    assert why["P-TWO"].startswith("needs 2 mentors but only 1 eligible adviser(s)")
    short = [p for p in ("P-A", "P-B", "P-C") if p in why]
    assert len(short) == 1
    assert "(ADV-1, ADV-2) have 3 place(s) in all" in why[short[0]]
    assert len(result.assignments) == 3  # the most mentors that can be placed


def test_prefers_the_most_suitable_assignment():
    data = {
        "advisers": [
            {"id": "A", "capacity": 1, "disciplines": ["finance"]},
            {"id": "B", "capacity": 1, "disciplines": ["finance"]},
        ],
        "partnerships": [{"id": "P"}, {"id": "Q"}],
        "suitability": [
            {"adviser": "A", "partnership": "P", "score": 0.9},
            {"adviser": "A", "partnership": "Q", "score": 0.8},
            {"adviser": "B", "partnership": "P", "score": 0.5},
        ],
    }
    result = solve(parse_problem(data))
    assert set(result.assignments) == {("A", "Q"), ("B", "P")}
    assert result.total_suitability == pytest.approx(1.3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"advisers": []}, "'partnerships' array"),
        ({"advisers": [{"id": "A", "capacity": -1}], "partnerships": []}, "at least 0"),
        ({"advisers": [{"id": "A"}, {"id": "A"}], "partnerships": []}, "more than once"),
        (
            {
                "advisers": [{"id": "A"}],
                "partnerships": [{"id": "P"}],
                "suitability": [{"adviser": "Z", "partnership": "P", "score": 1}],
            },
            "unknown adviser",
        ),
        (
            {
                "advisers": [{"id": "A"}],
                "partnerships": [{"id": "P"}],
                "suitability": [{"adviser": "A", "partnership": "P", "score": float("inf")}],
            },
            "finite",
        ),
        ({"advisers": [], "partnerships": [{"id": "P", "mentors": "x"}]}, "whole number"),
    ],
)
def test_bad_input_is_refused_with_a_message(data, message):
    with pytest.raises(InputError, match=message):
        parse_problem(data)


def test_matching_at_scale():
    rng = random.Random(3)
    advisers = [
        {"id": f"ADV-{i}", "capacity": 2, "disciplines": rng.sample(DISCIPLINES, 2)}
        for i in range(60)
    ]
    partnerships = [{"id": f"P-{i}", "requires": [rng.choice(DISCIPLINES)]} for i in range(100)]
    suitability = [
        {"adviser": a["id"], "partnership": p["id"], "score": round(rng.random(), 3)}
        for a in advisers
        for p in partnerships
    ]
    result = solve(
        parse_problem(
            {"advisers": advisers, "partnerships": partnerships, "suitability": suitability}
        )
    )
    assert result.status == "optimal"
    assert len(result.assignments) == 100
