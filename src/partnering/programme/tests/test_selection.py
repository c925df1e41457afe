"""The selection optimiser against brute-force enumeration, and its explanations."""

from __future__ import annotations

import itertools
import random

import pytest

from partnering.programme.maths._input import InputError
from partnering.programme.maths.selection import parse_problem, solve

TAGS = ["egov", "two_tier", "region:London", "size:small"]


def _brute(data: dict) -> float | None:
    apps = data["applications"]
    best = None
    for r in range(len(apps) + 1):
        if data.get("select") is not None and r != data["select"]:
            continue
        for combo in itertools.combinations(apps, r):
            ids = {a["id"] for a in combo}
            if not set(data.get("pinned", [])) <= ids or ids & set(data.get("excluded", [])):
                continue
            if "budget" in data and sum(a.get("cost", 0) for a in combo) > data["budget"]:
                continue
            ok = True
            for q in data.get("quotas", []):
                count = sum(q["tag"] in a["tags"] for a in combo)
                if ("min" in q and count < q["min"]) or ("max" in q and count > q["max"]):
                    ok = False
            if ok:
                total = sum(a["score"] for a in combo)
                best = total if best is None or total > best else best
    return best


def _random_case(rng: random.Random) -> dict:
    n = rng.randint(0, 9)
    apps = [
        {
            "id": f"APP-{i:04d}",
            "score": rng.randint(0, 100),
            "cost": rng.randint(1, 10) * 1000,
            "tags": [t for t in TAGS if rng.random() < 0.4],
        }
        for i in range(n)
    ]
    data: dict = {"applications": apps}
    if rng.random() < 0.8 and n:
        data["select"] = rng.randint(0, n)
    if rng.random() < 0.5:
        data["budget"] = rng.randint(5, 40) * 1000
    quotas = []
    for tag in rng.sample(TAGS, rng.randint(0, 3)):
        q: dict = {"tag": tag}
        if rng.random() < 0.6:
            q["min"] = rng.randint(0, 3)
        if rng.random() < 0.6 or "min" not in q:
            q["max"] = rng.randint(q.get("min", 0), 4)
        quotas.append(q)
    data["quotas"] = quotas
    ids = [a["id"] for a in apps]
    rng.shuffle(ids)
    data["pinned"] = ids[: rng.randint(0, min(2, len(ids)))]
    data["excluded"] = ids[len(data["pinned"]) : len(data["pinned"]) + rng.randint(0, 2)]
    return data


@pytest.mark.parametrize("seed", range(150))
def test_optimum_matches_brute_force(seed):
    data = _random_case(random.Random(seed))
    result = solve(parse_problem(data))
    best = _brute(data)
    if best is None:
        assert result.status == "infeasible"
        assert result.clashing, "an infeasible result names the constraints that clash"
        assert result.relaxation or data.get("pinned") or data.get("excluded")
    else:
        assert result.status == "optimal"
        assert result.total_score == pytest.approx(best)
        chosen = set(result.selected)
        assert set(data["pinned"]) <= chosen
        assert not chosen & set(data["excluded"])
        left_out = {a["id"] for a in data["applications"]} - chosen
        assert set(result.reasons) == left_out
        assert all(reason.startswith("scored ") for reason in result.reasons.values())


def _apps(*specs):
    return [{"id": i, "score": s, "tags": list(t)} for i, s, t in specs]


def test_binding_quota_and_the_reason_it_gives():
    data = {
        "select": 2,
        "applications": _apps(
            ("A", 90, ["region:London"]), ("B", 80, ["region:London"]), ("C", 50, [])
        ),
        "quotas": [{"tag": "region:London", "max": 1}],
    }
    result = solve(parse_problem(data))
    assert result.selected == ("A", "C")
    assert [b.constraint for b in result.binding] == ["at most 1 'region:London'"]
    assert result.binding[0].gain == pytest.approx(30)
    assert result.reasons["B"] == (
        "scored 80; taking it in place of C (50) would break at most 1 'region:London'"
    )


def test_a_slack_quota_does_not_bind():
    data = {
        "select": 1,
        "applications": _apps(("A", 90, ["egov"]), ("B", 80, [])),
        "quotas": [{"tag": "egov", "min": 1}],
    }
    result = solve(parse_problem(data))
    assert result.selected == ("A",)
    assert result.binding == ()
    assert (
        result.reasons["B"] == "scored 80, below every application selected (the lowest scored 90)"
    )


def test_budget_reason_and_pins_and_exclusions():
    data = {
        "select": 2,
        "budget": 300,
        "applications": [
            {"id": "A", "score": 90, "cost": 250},
            {"id": "B", "score": 70, "cost": 100},
            {"id": "C", "score": 60, "cost": 50},
            {"id": "D", "score": 95, "cost": 10},
        ],
        "pinned": ["C"],
        "excluded": ["D"],
    }
    result = solve(parse_problem(data))
    assert set(result.selected) == {"A", "C"}
    assert result.reasons["D"] == "scored 95; excluded by staff"
    assert result.reasons["B"].startswith("scored 70, below every")


def test_infeasible_names_the_smallest_clash_and_the_least_relaxation():
    apps = _apps(*[(f"A{i}", 50 + i, ["egov"] if i < 3 else ["region:London"]) for i in range(8)])
    data = {
        "select": 4,
        "applications": apps,
        "quotas": [
            {"tag": "egov", "min": 3},
            {"tag": "region:London", "min": 3},
            {"tag": "size:small", "max": 9},
        ],
    }
    result = solve(parse_problem(data))
    assert result.status == "infeasible"
    assert result.clash_is_smallest
    assert set(result.clashing) == {
        "at least 3 'egov'",
        "at least 3 'region:London'",
        "at most 4 selected",
    }
    assert sum(abs(r.relaxed_to - r.limit) for r in result.relaxation) == 2
    assert "cannot all hold" in result.explanation
    out = result.as_json()
    assert out["status"] == "infeasible" and out["explanation"]["clashing"]


def test_a_quota_nobody_can_meet():
    data = {"applications": _apps(("A", 1, [])), "quotas": [{"tag": "egov", "min": 1}]}
    result = solve(parse_problem(data))
    assert result.clashing == ("at least 1 'egov'",)
    assert result.relaxation[0].relaxed_to == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the input must be a JSON object"),
        ({}, "must have an 'applications' array"),
        ({"applications": [{"id": "A"}]}, "must have an 'id' and a 'score'"),
        ({"applications": [{"id": "A", "score": "x"}]}, "A's score must be a number"),
        ({"applications": [{"id": "A", "score": float("nan")}]}, "finite"),
        ({"applications": [{"id": "A", "score": 1e300}]}, "finite"),
        ({"applications": [{"id": "A", "score": True}]}, "must be a number"),
        ({"applications": [{"id": "A", "score": 1, "cost": -1}]}, "at least 0"),
        ({"applications": [{"id": "A\x00", "score": 1}]}, "null character"),
        ({"applications": [{"id": "A", "score": 1}] * 2}, "more than once"),
        ({"applications": [], "quotas": [{"tag": "x", "min": 3, "max": 2}]}, "greater than max"),
        ({"applications": [], "quotas": [{"tag": "x"}]}, "needs a min or a max"),
        ({"applications": [], "quotas": [{"tag": "x", "min": 1.5}]}, "whole number"),
        ({"applications": [], "pinned": ["Z"]}, "unknown application"),
        ({"applications": [{"id": "A", "score": 1}], "pinned": ["A"], "excluded": ["A"]}, "both"),
        ({"applications": [], "select": -1}, "at least 0"),
        ({"applications": [], "extra": 1}, "unknown field"),
    ],
)
def test_bad_input_is_refused_with_a_message(data, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_problem(data)


def test_large_instance_is_proven_optimal_quickly():
    rng = random.Random(7)
    apps = [
        {
            "id": f"APP-{i:04d}",
            "score": round(rng.uniform(40, 100), 1),
            "cost": rng.randint(50, 400) * 1000,
            "tags": [t for t in TAGS if rng.random() < 0.3],
        }
        for i in range(500)
    ]
    data = {
        "select": 24,
        "budget": 7_000_000,
        "applications": apps,
        "quotas": [{"tag": "egov", "min": 8}, {"tag": "two_tier", "min": 5}],
    }
    result = solve(parse_problem(data))
    assert result.status == "optimal"
    assert len(result.selected) == 24
    assert result.total_cost <= 7_000_000
