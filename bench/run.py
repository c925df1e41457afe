"""`make bench`: run every benchmark and write docs/benchmarks.md.

    python bench/run.py [--quick] [--only web|fairshare] [--output docs/benchmarks.md]

Parts:
- the web benchmark (``bench/web_bench.py``): PostgreSQL + gunicorn, p50/p95 latency, requests/s
  and queries per page at 1x and 10x data;
- the fair-share engine benchmark (``bench/fairshare_bench.py``, when present): its ``run()``
  returns a Markdown section;
- the front door benchmark (``bench/frontdoor_bench.py``): routing, Open311 POST and GET.

Each part that fails is reported in the document (with the error) instead of stopping the others;
the exit status is non-zero if any part failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT / "src"))


def _load(name: str) -> ModuleType | None:
    path = BENCH / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"


def machine_facts(pg_version: str | None) -> list[str]:
    import django

    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}; commit `{_git_commit()}`",
        f"- Machine: {os.cpu_count()} cores ({_cpu_model()}), {_memory()} RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg_version or 'not reachable'}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests and sizes (~3 min)")
    parser.add_argument(
        "--only",
        choices=["web", "fairshare", "programme", "assurance", "frontdoor"],
        help="run one part only",
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)

    started = time.monotonic()
    web = _load("web_bench")
    assert web is not None, "bench/web_bench.py is missing"
    pg_version = web.postgres_available()
    sections: list[str] = []
    failed: list[str] = []

    parts: list[tuple[str, str]] = []
    if args.only in (None, "web"):
        parts.append(("web", "web_bench"))
    if args.only in (None, "fairshare"):
        parts.append(("fairshare", "fairshare_bench"))
    if args.only in (None, "programme"):
        parts.append(("programme", "programme_bench"))
    if args.only in (None, "assurance"):
        parts.append(("assurance", "assurance_bench"))
    if args.only in (None, "frontdoor"):
        parts.append(("frontdoor", "frontdoor_bench"))

    for label, module_name in parts:
        print(f"\n=== benchmark: {label} ===", flush=True)
        t0 = time.monotonic()
        module = web if module_name == "web_bench" else _load(module_name)
        if module is None or not hasattr(module, "run"):
            sections.append(
                f"## {label}\n\nNot run: `bench/{module_name}.py` with `run()` is not there yet.\n"
            )
            print(f"skipped: bench/{module_name}.py not there yet")
            continue
        try:
            section = module.run(quick=args.quick)
        except Exception as exc:
            failed.append(label)
            detail = traceback.format_exc()
            print(detail, file=sys.stderr)
            section = (
                f"## {label}\n\n**Failed** after {time.monotonic() - t0:.0f} s: "
                f"`{type(exc).__name__}: {exc}`\n"
            )
        sections.append(section.rstrip() + "\n")
        print(section)
        print(f"({label}: {time.monotonic() - t0:.0f} s)", flush=True)

    doc = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python bench/run.py"
        + (" --quick" if args.quick else "")
        + "`); do not edit by hand. Every figure below was measured in one run on this machine:",
        "",
        *machine_facts(pg_version),
        f"- Mode: {'quick' if args.quick else 'full'}; the whole run took "
        f"{time.monotonic() - started:.0f} s",
        "",
        "The load generator, the server and PostgreSQL share the machine's cores: the web figures "
        "are what one small machine does with everything on it, not a capacity estimate.",
        "",
    ]
    doc += [s + "\n" for s in sections]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(doc).rstrip() + "\n")
    print(f"\nWrote {output} in {time.monotonic() - started:.0f} s")
    if failed:
        print(f"Failed parts: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
