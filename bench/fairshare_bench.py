"""Benchmark of the fair-share engine, anchored on coopgame-py timed in the same run.

Run ``uv run python bench/fairshare_bench.py`` (add ``--quick`` for small sizes). ``run()``
returns a Markdown section headed ``## Fair-share engine`` for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import csv
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import coopgame
import numpy as np

import fairshare
from fairshare import Airport, Game, Pooled, PowerCurve, Standalone, check_core, compare_all
from fairshare.methods import nucleolus
from fairshare.shapley import shapley_from_vector, shapley_sampled, shapley_structured

ROOT = Path(__file__).resolve().parents[1]
COUNCIL_FILES = [
    ROOT / "src/partnering/organisations/data/local_authorities.csv",
    Path("/work/shared/data/local_authorities.csv"),
]


def _time(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _say(line: str) -> None:
    print(line, flush=True)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _concave_game(n: int, seed: int) -> Game:
    rng = np.random.default_rng(seed)
    players = tuple(f"P{i:02d}" for i in range(n))
    return Game(
        players,
        (
            Standalone(dict(zip(players, rng.uniform(1e4, 5e4, n), strict=True))),
            Pooled(
                dict(zip(players, rng.uniform(1e4, 2e5, n), strict=True)),
                PowerCurve(50.0, 0.7),
                fixed=2e5,
                name="Shared CRM",
            ),
            Airport(dict(zip(players, rng.uniform(1e5, 3e5, n), strict=True)), name="Data centre"),
        ),
    )


def _councils() -> tuple[list[str], np.ndarray, str]:
    for path in COUNCIL_FILES:
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                rows = [
                    r
                    for r in csv.DictReader(handle)
                    if not r["end_date"]
                    and r["nation"] == "England"
                    and r["tier"] in ("district", "unitary", "county")
                    and r["population"]
                ]
            names = [r["short_name"] or r["name"] for r in rows]
            return names, np.array([float(r["population"]) for r in rows]), str(path)
    raise FileNotFoundError("local_authorities.csv not found")


def _national_game(names: list[str], population: np.ndarray) -> Game:
    players = tuple(dict.fromkeys(names))  # unique names, order kept
    population = population[: len(players)]
    return Game(
        players,
        (
            Standalone(dict(zip(players, 2.0 * population, strict=True)), name="Own back office"),
            Pooled(
                dict(zip(players, population, strict=True)),
                PowerCurve(50.0, 0.7),
                fixed=2_000_000,
                name="National shared service",
            ),
            Airport(
                dict(zip(players, 20_000 + 300 * np.sqrt(population), strict=True)),
                name="Data centre",
            ),
        ),
    )


def run(quick: bool = False) -> str:
    """Run the benchmark; print figures as they come and return a Markdown section."""
    out: list[str] = ["## Fair-share engine", ""]
    out.append(
        f"Python {platform.python_version()}, NumPy {np.__version__}, coopgame-py "
        f"{getattr(coopgame, '__version__', '0.3')} on {platform.machine()}; best of 3 "
        "wall-clock runs (1 for the largest); coopgame-py timed in the same run as the anchor."
        + (" Quick mode: small sizes." if quick else "")
    )
    out.append("")
    goals: list[tuple[str, str, str]] = []

    # 1. Exact Shapley over all coalitions.
    sizes = range(10, 17, 2) if quick else range(10, 23, 2)
    out += [
        "### Exact Shapley value (all coalitions)",
        "",
        "| n | ours (s) | coopgame.shapley (s) | ratio | max abs difference |",
        "|---|---|---|---|---|",
    ]
    rng = np.random.default_rng(0)
    worst_diff = 0.0
    ratio20 = None
    for n in sizes:
        v = rng.random(1 << n)
        v[0] = 0.0
        anchor_game = coopgame.Game(v[1:].tolist())
        repeat = 1 if n >= 22 else 3
        ours_t, ours = _time(lambda v=v: shapley_from_vector(v), repeat)
        theirs_t, theirs = _time(lambda g=anchor_game: coopgame.shapley(g), repeat)
        diff = float(np.max(np.abs(ours - np.array(theirs))))
        worst_diff = max(worst_diff, diff)
        if n == 20:
            ratio20 = ours_t / theirs_t
        out.append(
            f"| {n} | {ours_t:.4f} | {theirs_t:.4f} | {ours_t / theirs_t:.2f} | {diff:.1e} |"
        )
        _say(f"exact Shapley n={n}: ours {ours_t:.4f}s coopgame {theirs_t:.4f}s diff {diff:.1e}")
    goals.append(
        ("Exact values equal coopgame's to 1e-9", f"max {worst_diff:.1e}", _met(worst_diff <= 1e-9))
    )
    if ratio20 is not None:
        goals.append(
            ("Exact Shapley n = 20 within 2x of coopgame", f"{ratio20:.2f}x", _met(ratio20 <= 2))
        )
    out.append("")

    # 2. Nucleolus.
    sizes = range(8, 13, 2) if quick else range(8, 17, 2)
    out += [
        "### Nucleolus (cost game: shared CRM + data centre + own costs)",
        "",
        "| n | fairshare.solve (s) | coopgame.cost_nucleolus (s) | max abs difference (GBP) | in core |",
        "|---|---|---|---|---|",
    ]
    nuc16 = None
    for n in sizes:
        game = _concave_game(n, seed=n)
        start = time.perf_counter()
        result = nucleolus(game)  # includes tabulating the 2^n costs and the savings game
        ours_t = time.perf_counter() - start
        anchor_game = coopgame.Game(game.cost_vector()[1:].tolist())
        theirs_t, theirs = _time(lambda g=anchor_game: coopgame.cost_nucleolus(g), 1)
        diff = float(np.max(np.abs(np.array(list(result.shares.values())) - np.array(theirs))))
        core = check_core(game, result.shares, tolerance=1e-6 * game.grand_cost).in_core
        if n == 16:
            nuc16 = ours_t
        out.append(
            f"| {n} | {ours_t:.3f} | {theirs_t:.3f} | {diff:.1e} | {'yes' if core else 'no'} |"
        )
        _say(f"nucleolus n={n}: ours {ours_t:.3f}s coopgame {theirs_t:.3f}s diff {diff:.1e}")
    if nuc16 is not None:
        goals.append(("Nucleolus n = 16 under 1 s", f"{nuc16:.3f} s", _met(nuc16 < 1)))
    out.append("")

    # 3. Structured models at national scale.
    names, population, source = _councils()
    national = _national_game(names, population)
    rng = np.random.default_rng(350)
    padded_names = names + [f"Extra {i}" for i in range(350 - len(names))]
    padded_pop = np.concatenate([population, rng.choice(population, max(0, 350 - len(names)))])
    game350 = _national_game(padded_names, padded_pop) if not quick else national
    out += [
        "### Structured models at national scale",
        "",
        f"Every current English council (district, unitary, county) from `{Path(source).name}` "
        f"({national.n} councils, population {population.sum() / 1e6:.1f}m) in one national shared "
        "service: own back office (£2 a head), a pooled service (£2m fixed + 50 D^0.7 on "
        "population) and a data centre sized for the largest council; the 350 row tops the list "
        "up with resampled populations (county and district populations overlap in two-tier areas: both councils join).",
        "",
        "| n | computation | time (s) | note |",
        "|---|---|---|---|",
    ]
    structured_time = None
    for game in [national] if quick else [national, game350]:
        t, result = _time(lambda game=game: shapley_structured(game), 1 if quick else 3)
        fine = shapley_structured(game, resolution=4096 if quick else 16384)
        rel = max(abs(result.shares[p] - fine.shares[p]) / fine.shares[p] for p in game.players)
        eff = abs(sum(result.shares.values()) - game.grand_cost)
        out.append(
            f"| {game.n} | Shapley, structured (pooled demand in 1024 units) | {t:.3f} | max relative "
            f"difference from {4096 if quick else 16384} units: {rel:.1e}; efficiency gap £{eff:.2g} |"
        )
        _say(f"structured Shapley n={game.n}: {t:.3f}s, rel diff vs finer {rel:.1e}")
        structured_time = t
        t_scrb, _ = _time(lambda game=game: fairshare.solve(game, "scrb"), 1)
        out.append(f"| {game.n} | SCRB | {t_scrb:.3f} | n + 1 coalition costs |")
        t_check, check = _time(lambda game=game, r=result: check_core(game, r.shares), 1)
        out.append(
            f"| {game.n} | core check (heuristic) | {t_check:.3f} | in core: "
            f"{'yes' if check.in_core else 'no'}, max excess found {fairshare.format_gbp(check.max_excess)} |"
        )
        airport_only = Game(game.players, game.components[2:])
        t_nuc, _ = _time(lambda g=airport_only: nucleolus(g), 1)
        out.append(
            f"| {game.n} | nucleolus of the data centre (Littlechild 1974) | {t_nuc:.3f} | closed form |"
        )
    if structured_time is not None:
        goals.append(
            (
                f"Structured Shapley (pooled demand discretised) n = {game350.n if not quick else national.n} under 1 s",
                f"{structured_time:.3f} s",
                _met(structured_time < 1),
            )
        )
    out.append("")

    # 4. Sampled Shapley error against samples.
    game = _concave_game(12, seed=12)
    exact = np.array(list(fairshare.solve(game, "shapley").shares.values()))
    scale = game.grand_cost / game.n
    out += [
        "### Sampled Shapley: error against samples (n = 12, exact value known)",
        "",
        "| samples | ours: RMS error / mean share | ours: mean s.e. / mean share | ours (s) | coopgame.shapley_sampling RMS error / mean share | coopgame (s) |",
        "|---|---|---|---|---|---|",
    ]
    index = {p: i for i, p in enumerate(game.players)}

    def cost(coalition: tuple[int, ...]) -> float:
        return game.cost([game.players[i] for i in coalition])

    function_game = coopgame.FunctionGame(game.n, cost)
    for samples in (100, 1000) if quick else (100, 1000, 10000):
        start = time.perf_counter()
        sampled = shapley_sampled(game, samples, seed=1)
        ours_t = time.perf_counter() - start
        est = np.array([sampled.shares[p] for p in index])
        se = np.mean(list(sampled.standard_errors.values()))
        rms = float(np.sqrt(np.mean((est - exact) ** 2)))
        start = time.perf_counter()
        theirs = np.array(coopgame.shapley_sampling(function_game, samples, seed=1)["values"])
        theirs_t = time.perf_counter() - start
        rms_theirs = float(np.sqrt(np.mean((theirs - exact) ** 2)))
        out.append(
            f"| {samples} | {rms / scale:.1e} | {se / scale:.1e} | {ours_t:.3f} | "
            f"{rms_theirs / scale:.1e} | {theirs_t:.3f} |"
        )
        _say(
            f"sampled n=12 samples={samples}: rms {rms / scale:.1e} coopgame {rms_theirs / scale:.1e}"
        )
    out.append(
        "\nOurs uses antithetic pairs (each order and its reverse) and evaluates prefix costs "
        "vectorised; coopgame-py calls the Python cost function once per coalition."
    )
    out.append("")

    # 5. Full recompute for 16 partners.
    game = _concave_game(16, seed=99)

    def recompute() -> None:
        fresh = Game(game.players, game.components)  # nothing cached
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = compare_all(fresh)
        for result in results.values():
            fairshare.explain(fresh, result)

    t_full, _ = _time(recompute, 1 if quick else 3)
    _say(f"full recompute n=16: {t_full:.3f}s")
    goals.append(
        (
            "Full recompute of all methods, core checks and explanations, n = 16, under 2 s",
            f"{t_full:.3f} s",
            _met(t_full < 2),
        )
    )

    out += ["### Goals", "", "| goal | measured | status |", "|---|---|---|"]
    out += [f"| {g} | {m} | {s} |" for g, m, s in goals]
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
