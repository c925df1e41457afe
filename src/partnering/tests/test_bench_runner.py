"""bench/run.py finds every room's benchmark by its file name and, with --only, replaces that
part's section of docs/benchmarks.md without touching the others."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _runner():
    spec = importlib.util.spec_from_file_location("bench_runner", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_bench_file_is_a_part_web_and_fairshare_first():
    runner = _runner()
    parts = runner.discover_parts()
    on_disk = {p.name.removesuffix("_bench.py") for p in (ROOT / "bench").glob("*_bench.py")}
    assert set(parts) == on_disk
    assert parts[:2] == ["web", "fairshare"]
    assert parts[2:] == sorted(parts[2:])


def test_only_replaces_its_own_section_and_appends_a_new_one():
    runner = _runner()
    doc = "# Benchmarks\n"
    doc = runner.splice(doc, "assurance", "## Assurance\n\nfirst run")
    doc = runner.splice(doc, "library", "## Library\n\nsearch p95")
    doc = runner.splice(doc, "assurance", "## Assurance\n\nsecond run")
    assert "first run" not in doc
    assert doc.count("second run") == 1 and doc.count("search p95") == 1
    assert doc.index("Assurance") < doc.index("Library")
