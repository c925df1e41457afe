"""`make bench`: run every benchmark and write docs/benchmarks.md.

    python bench/run.py [--quick] [--only <part>] [--output docs/benchmarks.md]

Parts: every ``bench/<name>_bench.py`` with a ``run(quick=...)`` that returns a Markdown section
(the web benchmark and the fair-share engine first, then the rooms alphabetically). A room adds
its benchmark by adding its file.

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


FIRST_PARTS = ("web", "fairshare")


def discover_parts() -> list[str]:
    """Every ``bench/<name>_bench.py``: the web and fair-share engine first, then the rooms in
    alphabetical order. A room adds its benchmark by adding its file; nothing here changes."""
    names = sorted(p.name.removesuffix("_bench.py") for p in BENCH.glob("*_bench.py"))
    return [n for n in FIRST_PARTS if n in names] + [n for n in names if n not in FIRST_PARTS]


def _marked(label: str, section: str) -> str:
    return f"<!-- bench:{label} -->\n{section.rstrip()}\n<!-- /bench:{label} -->\n"


def splice(existing: str, label: str, section: str) -> str:
    """Replace one part's section in an existing document (``--only``), or append it."""
    opening, closing = f"<!-- bench:{label} -->", f"<!-- /bench:{label} -->"
    if opening in existing and closing in existing:
        head, rest = existing.split(opening, 1)
        _, tail = rest.split(closing, 1)
        return head + _marked(label, section).rstrip("\n") + tail
    return existing.rstrip() + "\n\n" + _marked(label, section)


def main(argv: list[str] | None = None) -> int:
    available = discover_parts()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests and sizes (~3 min)")
    parser.add_argument(
        "--only",
        choices=available,
        help="run one part only and replace its section in the existing document",
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)

    started = time.monotonic()
    web = _load("web_bench")
    assert web is not None, "bench/web_bench.py is missing"
    pg_version = web.postgres_available()
    sections: list[tuple[str, str]] = []
    failed: list[str] = []

    parts = [args.only] if args.only else available
    for label in parts:
        module_name = f"{label}_bench"
        print(f"\n=== benchmark: {label} ===", flush=True)
        t0 = time.monotonic()
        module = web if module_name == "web_bench" else _load(module_name)
        if module is None or not hasattr(module, "run"):
            sections.append(
                (label, f"## {label}\n\nNot run: `bench/{module_name}.py` has no `run()`.\n")
            )
            print(f"skipped: bench/{module_name}.py has no run()")
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
        sections.append((label, section))
        print(section)
        print(f"({label}: {time.monotonic() - t0:.0f} s)", flush=True)

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.only and output.exists():
        label, section = sections[0]
        output.write_text(splice(output.read_text(), label, section).rstrip() + "\n")
    else:
        doc = [
            "# Benchmarks",
            "",
            "Generated by `make bench` (`python bench/run.py"
            + (" --quick" if args.quick else "")
            + "`); do not edit by hand. Every figure below was measured in one run on this "
            "machine (a part re-run on its own with `--only` replaces its section and says when):",
            "",
            *machine_facts(pg_version),
            f"- Mode: {'quick' if args.quick else 'full'}; the whole run took "
            f"{time.monotonic() - started:.0f} s",
            "",
            "The load generator, the server and PostgreSQL share the machine's cores: the web "
            "figures are what one small machine does with everything on it, not a capacity "
            "estimate.",
            "",
        ]
        doc += [_marked(label, section) for label, section in sections]
        output.write_text("\n".join(doc).rstrip() + "\n")
    print(f"\nWrote {output} in {time.monotonic() - started:.0f} s")
    if failed:
        print(f"Failed parts: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
