"""Benchmark of the fair-share engine, anchored on coopgame-py timed in the same run.

Run ``uv run python bench/fairshare_bench.py`` (add ``--quick`` for small sizes). ``run()``
returns a Markdown section headed ``## Fair-share engine`` for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
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
from fairshare._pooled import gauss_legendre
from fairshare.methods import airport_nucleolus, nucleolus
from fairshare.shapley import shapley_sampled

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


def _pooled_game(demand: np.ndarray) -> Game:
    players = tuple(f"P{i}" for i in range(demand.size))
    return Game(
        players,
        (Pooled(dict(zip(players, demand.tolist(), strict=True)), PowerCurve(50.0, 0.7)),),
    )


def _pooled_section(quick: bool) -> tuple[list[str], list[tuple[str, str, str]], Game]:
    """Pooled-demand Shapley: whole demands (exact) at 1,000 to 100,000 partners and
    fractional demands (proven bound); the goals rows from the measured figures."""
    rows: list[str] = []
    goals: list[tuple[str, str, str]] = []
    measured: dict[tuple[int, int], float] = {}
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    for top in (2, 10):
        for n in sizes:
            previous = measured.get((top, n // 10))
            if n >= 100_000 and previous is not None and previous * 40 > 120:
                rows.append(
                    f"| {n:,} | Shapley, pooled demand, whole demands of 1-{top} | not run | "
                    f"{previous:.2f} s at {n // 10:,} predicts over 2 minutes (the work grows "
                    "about as n^1.5) |"
                )
                continue
            demand = np.random.default_rng(7 + n + top).integers(1, top + 1, n).astype(float)
            game = _pooled_game(demand)
            gauss_legendre.cache_clear()  # time the nodes too, as a first call would
            t, result = _time(lambda g=game: fairshare.solve(g, "shapley"), 1)
            measured[(top, n)] = t
            rows.append(
                f"| {n:,} | Shapley, pooled demand, whole demands of 1-{top} (total "
                f"{demand.sum():,.0f} units) | {t:.3f} | exact: {result.exact} "
                f"({result.error_kind or 'exact engine'}"
                + (f": {'; '.join(result.notes)}" if not result.exact else "")
                + ") |"
            )
            _say(f"pooled whole 1-{top} n={n}: {t:.3f}s exact={result.exact}")
            if n == 10_000:
                goals.append(
                    (
                        f"Pooled-demand Shapley exact for integer demands (1-{top}) at "
                        "n = 10,000 within 1 s",
                        f"{t:.3f} s, exact: {result.exact}",
                        _met(t < 1 and result.exact),
                    )
                )
    proven_ok: list[bool] = []
    figures: list[str] = []
    pooled: Game | None = None
    for n in (1_000, 10_000):
        demand = np.random.default_rng(n).uniform(1e4, 2e5, n)
        game = _pooled_game(demand)
        gauss_legendre.cache_clear()
        t, result = _time(lambda g=game: fairshare.solve(g, "shapley"), 1)
        relative = result.details.get("relative_error_bound")
        rows.append(
            f"| {n:,} | Shapley, pooled demand, fractional demands (power curve) | {t:.3f} | "
            f"exact: {result.exact}; {result.error_kind} bound {result.error_bound or 0:.2g} GBP "
            f"on shares of about {game.grand_cost / n:,.0f} (relative {relative or 0:.1e}) |"
        )
        _say(f"pooled fractional n={n}: {t:.3f}s bound {relative}")
        proven_ok.append(
            result.error_kind == "proven" and relative is not None and relative <= 1e-9
        )
        figures.append(f"n = {n:,}: relative {relative or float('nan'):.1e} in {t:.2f} s")
        if n == 1_000:
            pooled = game
    goals.append(
        (
            "Pooled-demand Shapley with a proven 1e-9 relative bound (demands not whole)",
            "; ".join(figures),
            _met(all(proven_ok)),
        )
    )
    assert pooled is not None
    return rows, goals, pooled


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


_CHILD = r"""
import json, resource, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
sys.path.insert(0, {src!r})
kind, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(n)
def concave_vector(n):
    from fairshare import Airport, Game, Pooled, PowerCurve, Standalone
    players = tuple(f"P{{i}}" for i in range(n))
    game = Game(players, (
        Standalone(dict(zip(players, rng.uniform(1e4, 5e4, n)))),
        Pooled(dict(zip(players, rng.uniform(1e4, 2e5, n))), PowerCurve(50.0, 0.7), fixed=2e5),
        Airport(dict(zip(players, rng.uniform(1e5, 3e5, n))))))
    return np.array(game.cost_vector())
if kind.startswith("ours"):
    from fairshare import Game, check_core, solve
    from scipy.optimize import linprog  # imported before the clock, as coopgame's is
if kind in ("ours-shapley", "coopgame-shapley"):
    v = rng.random(1 << n); v[0] = 0.0
else:
    v = concave_vector(n)
if kind.startswith("coopgame"):
    import coopgame
    g = coopgame.Game(v[1:].tolist())
start = time.perf_counter()
if kind == "ours-shapley":
    from fairshare.shapley import shapley_from_vector
    shapley_from_vector(v)
elif kind == "coopgame-shapley":
    coopgame.shapley(g)
elif kind in ("ours-nucleolus", "ours-least_core"):
    game = Game.from_vector([f"P{{i}}" for i in range(n)], v[1:])
    solve(game, kind.split("-")[1])
elif kind == "coopgame-nucleolus":
    coopgame.cost_nucleolus(g)
elif kind == "coopgame-least_core":
    single = v[1 << np.arange(n)]
    from fairshare._bits import additive_vector
    coopgame.least_core(coopgame.Game((additive_vector(single) - v)[1:].tolist()), domain="preimputation")
elif kind == "ours-core_check":
    game = Game.from_vector([f"P{{i}}" for i in range(n)], v[1:])
    check_core(game, dict.fromkeys(game.players, float(v[-1]) / n))
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _child(kind: str, n: int, timeout: float) -> dict[str, Any] | None:
    """One measurement in a fresh process (its own peak memory; killed past ``timeout``)."""
    code = _CHILD.format(src=str(ROOT / "src"))
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, kind, str(n)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _largest_n(kind: str, sizes: list[int], limit: float = 10.0) -> tuple[list[str], int | None]:
    """Run ``kind`` at growing n until a run takes over ``limit`` s (or would: each step
    of 2 partners costs about 4x, so a run predicted over 2.5x the limit is not tried)."""
    rows: list[str] = []
    best: int | None = None
    previous: float | None = None
    for n in sizes:
        if previous is not None and previous * 4 > 2.5 * limit:
            rows.append(
                f"| {kind} | {n} | not run: {previous:.1f} s at n = {n - 2} predicts over {2.5 * limit:.0f} s | |"
            )
            break
        timeout = 3 * limit + 30 if n < 26 else 300  # at 26, building the table takes a while
        result = _child(kind, n, timeout=timeout)
        if result is None:
            rows.append(f"| {kind} | {n} | not finished in {timeout:.0f} s (stopped) | |")
            break
        if "error" in result:
            rows.append(f"| {kind} | {n} | failed: {result['error'][:80]} | |")
            break
        seconds = float(result["seconds"])
        rows.append(f"| {kind} | {n} | {seconds:.2f} | {result['peak_mb']:.0f} |")
        _say(f"{kind} n={n}: {seconds:.2f}s peak {result['peak_mb']:.0f} MB")
        if seconds <= limit:
            best = n
        else:
            break
        previous = seconds
    return rows, best


def run(quick: bool = False) -> str:
    """Run the benchmark; print figures as they come and return a Markdown section."""
    out: list[str] = ["## Fair-share engine", ""]
    out.append(
        f"Python {platform.python_version()}, NumPy {np.__version__}, coopgame-py "
        f"{getattr(coopgame, '__version__', '0.3')} on {platform.machine()}; coopgame-py timed "
        "in the same run, on the same games, as the anchor. The machine's 2 cores are shared "
        "with other work, so absolute times are noisy; the side-by-side ratios are the "
        "figures to read." + (" Quick mode: small sizes." if quick else "")
    )
    load_start = os.getloadavg()
    out.append("")
    goals: list[tuple[str, str, str]] = []

    # 1. Largest explicit game each exact method finishes in 10 s, ours and coopgame's.
    limit = 2.0 if quick else 10.0
    out += [
        f"### Largest explicit game each exact method finishes in {limit:.0f} s",
        "",
        "Each run in a fresh process (time measured inside it, after building the game's "
        "cost vector; peak memory is the process's maximum resident set). Shapley on random "
        "costs; the nucleolus, least core and exhaustive core check on the cost table of a "
        "concave project (own costs, pooled service, data centre) given as an explicit table.",
        "",
        "| method | n | seconds | peak MB |",
        "|---|---|---|---|",
    ]
    largest: dict[str, int | None] = {}
    sizes = list(range(12, 19, 2)) if quick else list(range(16, 27, 2))
    for kind in (
        "ours-shapley",
        "coopgame-shapley",
        "ours-nucleolus",
        "coopgame-nucleolus",
        "ours-least_core",
        "coopgame-least_core",
        "ours-core_check",
    ):
        rows, best = _largest_n(kind, sizes, limit)
        out += rows
        largest[kind] = best
    out.append("")
    out.append(
        "Largest n within the limit: "
        + ", ".join(f"{k} {v if v is not None else '-'}" for k, v in largest.items())
        + "."
    )
    out.append("")
    for method in ("shapley", "nucleolus", "least_core", "core_check"):
        ours = largest.get(f"ours-{method}") or 0
        theirs = largest.get(f"coopgame-{method}")
        target = 26
        goals.append(
            (
                f"Explicit {method.replace('_', ' ')} to n = {target} within {limit:.0f} s "
                + (f"(coopgame-py reaches {theirs})" if theirs is not None else ""),
                f"largest n {ours}",
                _met(ours >= target),
            )
        )

    # 2. Structured games at 1,000, 10,000 and 100,000 partners.
    out += [
        "### Structured games at national scale",
        "",
        "| n | what | seconds | note |",
        "|---|---|---|---|",
    ]
    structured_sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    for n in structured_sizes:
        rng = np.random.default_rng(n)
        players = tuple(f"P{i}" for i in range(n))
        own = Standalone(dict(zip(players, rng.uniform(1e4, 5e4, n), strict=True)))
        r = rng.uniform(1e5, 3e5, n)
        airport = Game(players, (own, Airport(dict(zip(players, r, strict=True)))))
        t, result = _time(lambda g=airport: fairshare.solve(g, "shapley"), 1)
        out.append(
            f"| {n:,} | Shapley, own costs + airport (exact) | {t:.3f} | exact: {result.exact} |"
        )
        t, nuc = _time(lambda g=airport: nucleolus(g), 1)
        out.append(
            f"| {n:,} | nucleolus, own costs + airport (random requirements) | {t:.3f} | exact |"
        )
        if n == 10_000:
            goals.append(
                (
                    "Airport nucleolus n = 10,000 well under 1 s (O(n log n))",
                    f"{t:.3f} s",
                    _met(t < 1),
                )
            )
        worst_r = (np.arange(n, dtype=float) + 1) ** 2
        t, _ = _time(lambda w=worst_r: airport_nucleolus(w), 1)
        out.append(
            f"| {n:,} | airport nucleolus, worst case (one stage per partner) | {t:.3f} | exact |"
        )
        if n >= 1_000:
            goals.append(
                (
                    f"Structured nucleolus (airport) n = {n:,} within 10 s",
                    f"{t:.3f} s",
                    _met(t < 10),
                )
            )
        t, check = _time(lambda g=airport, s=nuc.shares: check_core(g, s), 1)
        out.append(
            f"| {n:,} | core check by structure (airport) | {t:.3f} | in core: {check.in_core}, exact: {check.exact} |"
        )
        if n == 10_000:
            goals.append(
                (
                    "Exact core check of a concave game n = 10,000 under 1 s",
                    f"{t:.3f} s",
                    _met(t < 1 and check.exact),
                )
            )
        _say(f"structured n={n} done")
    names, population, source = _councils()
    national = _national_game(names, population)
    t_nat, res_nat = _time(lambda g=national: fairshare.solve(g, "shapley"), 1)
    out.append(
        f"| {national.n} | Shapley, every English council from `{Path(source).name}` (own back "
        f"office, pooled service on population, data centre) | {t_nat:.3f} | exact: "
        f"{res_nat.exact}; {res_nat.error_kind or 'no'} error bound "
        f"{res_nat.error_bound or 0:,.2g} GBP on a mean share of "
        f"{national.grand_cost / national.n:,.0f} |"
    )
    t_nc, check_nat = _time(lambda g=national, s=res_nat.shares: check_core(g, s), 1)
    out.append(
        f"| {national.n} | core check of that split | {t_nc:.3f} | method: {check_nat.method}, in core: {check_nat.in_core} |"
    )
    # Pooled demand: exact (spectral) for whole demands, proven bound otherwise.
    pooled_rows, pooled_goals, pooled = _pooled_section(quick)
    out += pooled_rows
    pooled_shares = fairshare.solve(pooled, "shapley").shares
    t_c, check_p = _time(lambda g=pooled, s=pooled_shares: check_core(g, s), 1)
    out.append(
        f"| {pooled.n:,} | core check by structure (pooled) | {t_c:.3f} | in core: {check_p.in_core}, exact: {check_p.exact} |"
    )
    goals += pooled_goals
    out.append("")

    # 3. CLI: a 22-partner explicit game from a .npy cost vector.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        n = 18 if quick else 22
        v = np.random.default_rng(22).random(1 << n)
        v[0] = 0.0
        path = Path(tmp) / "game.npy"
        np.save(path, v)
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "fairshare",
                "solve",
                str(path),
                "--method",
                "shapley",
                "--json",
            ],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")},
        )
        t_cli = time.perf_counter() - start
    out += [
        "### Command line",
        "",
        f"`fairshare solve game.npy --method shapley --json` on a {n}-partner explicit game "
        f"(random costs, {v.nbytes / 2**20:.0f} MB vector): {t_cli:.1f} s wall clock including "
        f"Python start-up, the exhaustive core check and the least-core programme for "
        f"`core_empty` (exit status {done.returncode}).",
        "",
    ]
    goals.append(
        (
            f"CLI loads and solves a {n}-partner explicit game (.npy) in seconds, not 42 s",
            f"{t_cli:.1f} s",
            _met(t_cli < 42.6 / 2 and done.returncode == 0),
        )
    )
    _say(f"cli n={n}: {t_cli:.1f}s")

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
    load_end = os.getloadavg()
    out.append(
        f"Measured on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"{', '.join(f'{x:.1f}' for x in load_start)} at the start and "
        f"{', '.join(f'{x:.1f}' for x in load_end)} at the end, on {os.cpu_count()} cores "
        "shared with other sessions' work."
    )
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
