"""``python -m partnering.programme.maths select|match FILE.json [--json]`` (docs/programme.md).

Exit status: 0 when solved (``status`` says optimal or infeasible), 2 for a bad command line or
file (a one-line message on stderr, never a traceback), 3 when the solver gave up.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from . import matching, selection
from ._input import InputError


def _reject_constant(name: str) -> object:
    raise InputError(f"the file contains {name}, which is not a number JSON allows")


def _text(kind: str, out: dict[str, object]) -> str:
    lines = [f"status: {out['status']}"]
    if kind == "select":
        if out["status"] == "optimal":
            lines.append(f"selected ({len(out['selected'])}): {', '.join(out['selected'])}")  # type: ignore[arg-type]
            lines.append(f"total score: {out['total_score']}")
            lines.extend(
                f"binding: {b['constraint']} (+{b['gain_if_relaxed']} if relaxed)"
                for b in out["binding"]  # type: ignore[attr-defined]
            )
            lines.extend(
                f"left out {ident}: {reason}"
                for ident, reason in out["reasons"].items()  # type: ignore[attr-defined]
            )
        else:
            lines.append(out["explanation"]["message"])  # type: ignore[index]
    else:
        lines.extend(
            f"{a['adviser']} -> {a['partnership']}"
            for a in out["assignments"]  # type: ignore[attr-defined]
        )
        lines.append(f"total suitability: {out['total_suitability']}")
        lines.extend(
            f"cannot serve {u['partnership']}: {u['reason']}"
            for u in out.get("unserved", [])  # type: ignore[attr-defined]
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m partnering.programme.maths",
        description="The programme's optimisers: balanced selection and mentor matching.",
    )
    parser.add_argument("command", choices=["select", "match"])
    parser.add_argument("file", help="the problem as JSON (docs/programme.md)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return 0 if exc.code == 0 else 2
    try:
        with open(args.file, encoding="utf-8") as handle:
            data = json.load(handle, parse_constant=_reject_constant)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"error: {args.file} is not UTF-8 text", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(
            f"error: {args.file} is not valid JSON: {exc.msg} at line {exc.lineno}", file=sys.stderr
        )
        return 2
    except InputError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"error: {args.file} is nested too deeply", file=sys.stderr)
        return 2
    try:
        if args.command == "select":
            out = selection.solve(selection.parse_problem(data)).as_json()
        else:
            out = matching.solve(matching.parse_problem(data)).as_json()
    except InputError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    except (RuntimeError, MemoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(out, indent=2, allow_nan=False, default=_finite))
    else:
        print(_text(args.command, out))
    return 0


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"cannot encode {type(value).__name__}")


if __name__ == "__main__":
    sys.exit(main())
