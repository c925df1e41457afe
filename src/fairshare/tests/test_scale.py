"""Structured games at scale: the O(n log n) airport nucleolus against Littlechild's
stage-by-stage procedure, and exact core checks by structure."""

import numpy as np
import pytest

import fairshare.methods as methods
from fairshare import Airport, Game, Pooled, PowerCurve, Standalone, check_core, solve
from fairshare.methods import airport_nucleolus


def littlechild_by_stages(requirements):
    """Littlechild (1974) stage by stage (O(n) per stage), the first edition's code."""
    r = np.asarray(requirements, dtype=float)
    n = r.size
    order = np.argsort(r, kind="stable")
    s = r[order]
    x = np.zeros(n)
    start, paid = 0, 0.0
    while start < n - 1:
        idx = np.arange(start, n - 1)
        rates = (s[idx] - paid) / (idx - start + 2)
        rate = float(rates.min())
        last = int(idx[np.flatnonzero(rates <= rate + 1e-12 * max(1.0, abs(rate)))[-1]])
        x[start : last + 1] = rate
        paid += rate * (last + 1 - start)
        start = last + 1
    x[n - 1] = s[n - 1] - paid
    out = np.empty(n)
    out[order] = x
    return out


@pytest.mark.parametrize("vectorised_stages", [0, 1, 3, 32])
def test_convex_hull_airport_nucleolus_matches_the_stages(monkeypatch, vectorised_stages):
    monkeypatch.setattr(methods, "_VECTORISED_STAGES", vectorised_stages)
    rng = np.random.default_rng(vectorised_stages)
    for trial in range(400):
        n = int(rng.integers(1, 60))
        if trial % 3 == 0:
            r = rng.integers(0, 6, n).astype(float)  # many ties
        elif trial % 3 == 1:
            r = rng.uniform(0, 100, n)
        else:
            r = (np.arange(n, dtype=float) + 1) ** rng.uniform(1, 3)  # a stage per partner
            rng.shuffle(r)
        assert airport_nucleolus(r) == pytest.approx(
            littlechild_by_stages(r), abs=1e-9 * max(1.0, float(r.max(initial=0)))
        )


def test_airport_nucleolus_at_30000_partners_is_efficient_and_in_the_core():
    n = 30_000
    r = (np.arange(n, dtype=float) + 1) ** 2  # the worst case: one stage per partner
    x = airport_nucleolus(r)
    assert x.sum() == pytest.approx(r.max())
    players = tuple(f"P{i}" for i in range(n))
    game = Game(players, (Airport(dict(zip(players, r, strict=True))),))
    check = check_core(game, dict(zip(players, x.tolist(), strict=True)))
    assert check.in_core and check.exact and check.method == "structure"


def test_structured_core_check_finds_a_real_violation_at_scale():
    n = 1_000
    rng = np.random.default_rng(2)
    players = tuple(f"P{i}" for i in range(n))
    game = Game(
        players,
        (
            Standalone(dict(zip(players, rng.uniform(1, 10, n), strict=True))),
            Pooled(dict(zip(players, rng.uniform(1, 100, n), strict=True)), PowerCurve(20.0, 0.6)),
        ),
    )
    fair = solve(game, "shapley").shares
    assert check_core(game, fair).in_core
    unfair = dict(fair)
    unfair["P0"] += 1_000.0
    unfair["P1"] -= 1_000.0
    check = check_core(game, unfair)
    assert not check.in_core and check.exact
    assert game.cost(check.worst_coalition) == pytest.approx(check.worst_coalition_cost)
    paid = sum(unfair[p] for p in check.worst_coalition)
    assert paid - check.worst_coalition_cost == pytest.approx(check.max_excess)
