"""Command line: ``fairshare solve GAME.json --method METHOD`` and ``fairshare check``.

Exit status 0 on success, 2 on bad input (the message goes to stderr, never a
traceback). See ``docs/fairshare.md`` for the file format.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .core import CoreCheck, check_core
from .errors import FairshareError, InvalidAllocationError, InvalidGameError
from .methods import METHOD_LABELS, METHODS, Allocation, compare_all, solve
from .models import Game, load_game
from .money import format_gbp
from .report import savings

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"fairshare: error: {message}\n")


def _read_json(path: str, what: str, error: type[FairshareError]) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            f"The {what} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})."
        ) from None


def _load(path: str) -> Game:
    return load_game(_read_json(path, "game", InvalidGameError))


def _money(value: float) -> str:
    return format_gbp(value, pennies=abs(value) < 1000)


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _table(game: Game, shares: dict[str, float], errors: dict[str, float] | None) -> str:
    rows = savings(game, shares)
    header = ["Partner", "Pays", "Alone", "Saving", "Saving %", "Of total saving"]
    if errors:
        header.insert(2, "± s.e.")
    body = []
    for p in game.players:
        row = rows[p]
        line = [
            p,
            format_gbp(row.share, pennies=abs(row.share) < 1000),
            format_gbp(row.standalone, pennies=abs(row.standalone) < 1000),
            format_gbp(row.saving, pennies=abs(row.saving) < 1000),
            _pct(row.saving_pct),
            _pct(row.share_of_total_saving),
        ]
        if errors:
            line.insert(2, format_gbp(errors.get(p, 0.0), pennies=True))
        body.append(line)
    total_share = sum(shares.values())
    total_alone = sum(game.standalone_costs.values())
    total = [
        "Total",
        format_gbp(total_share, pennies=abs(total_share) < 1000),
        format_gbp(total_alone, pennies=abs(total_alone) < 1000),
        format_gbp(total_alone - total_share, pennies=abs(total_alone - total_share) < 1000),
        _pct(100 * (total_alone - total_share) / total_alone if total_alone else 0.0),
        "",
    ]
    if errors:
        total.insert(2, "")
    widths = [max(len(r[k]) for r in [header, *body, total]) for k in range(len(header))]

    def fmt(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *map(fmt, body), rule, fmt(total)])


def _core_line(check: CoreCheck) -> str:
    group = "+".join(check.worst_coalition)
    scope = (
        "" if check.exhaustive else " (heuristic search: too many partners to check every group)"
    )
    if not check.efficient:
        lead = (
            f"Not efficient: the shares add up to {_money(check.total)}, "
            f"not the partnership's cost {_money(check.grand_cost)}."
        )
    else:
        lead = ""
    if check.in_core:
        text = "In the core: yes. No group of partners could do better by leaving"
        if group:
            text += f" (closest: {group}, {_money(-check.max_excess)} to spare)"
        return (lead + " " if lead else "") + text + "." + scope
    if check.max_excess > check.tolerance:
        text = (
            f"In the core: no. {group} would pay {_money(check.max_excess)} "
            f"less going ahead on its own (for {_money(check.worst_coalition_cost)})."
        )
    else:
        text = "In the core: no."
    return (lead + " " if lead else "") + text + scope


def _solve(args: argparse.Namespace) -> int:
    game = _load(args.game)
    if args.samples is not None and args.method != "shapley":
        raise FairshareError("--samples only applies to --method shapley.", field="samples")
    result = solve(game, args.method, samples=args.samples, seed=args.seed)
    check = check_core(game, result.shares)
    if args.json:
        data: dict[str, Any] = {"method": result.method, "allocation": result.shares}
        if result.standard_errors is not None:
            data["standard_errors"] = result.standard_errors
        data["in_core"] = check.in_core
        data["max_excess"] = check.max_excess
        print(json.dumps(data, indent=2))
        return 0
    title = game.name or "Partnership"
    print(
        f"{title}: {METHOD_LABELS[result.method]} ({game.n} partners, total cost "
        f"{format_gbp(game.grand_cost, pennies=abs(game.grand_cost) < 1000)})"
    )
    print()
    print(_table(game, result.shares, result.standard_errors))
    print()
    print(_core_line(check))
    notes = list(result.details.get("notes", []))
    if "epsilon" in result.details:
        notes.append(f"Least-core epsilon: {result.details['epsilon']:,.6g}.")
    if result.standard_errors is not None:
        notes.append(
            f"Estimated from {result.details.get('samples')} sampled orders (seed "
            f"{result.details.get('seed')})."
        )
    for note in notes:
        print(f"Note: {note}")
    return 0


def _check(args: argparse.Namespace) -> int:
    game = _load(args.game)
    data = _read_json(args.allocation, "allocation", InvalidAllocationError)
    if isinstance(data, dict) and isinstance(data.get("allocation"), dict):
        data = data["allocation"]
    check = check_core(game, data, tolerance=args.tolerance)
    if args.json:
        print(
            json.dumps(
                {
                    "in_core": check.in_core,
                    "max_excess": check.max_excess,
                    "worst_coalition": list(check.worst_coalition),
                    "efficient": check.efficient,
                    "total": check.total,
                    "grand_cost": check.grand_cost,
                    "exhaustive": check.exhaustive,
                },
                indent=2,
            )
        )
        return 0
    print(_table(game, {p: float(data[p]) for p in game.players}, None))
    print()
    print(_core_line(check))
    return 0


def _compare(args: argparse.Namespace) -> int:
    game = _load(args.game)
    results: dict[str, Allocation] = compare_all(game, samples=args.samples, seed=args.seed)
    if args.json:
        print(json.dumps({m: r.to_dict() for m, r in results.items()}, indent=2))
        return 0
    methods = list(results)
    header = ["Partner", "Alone", *methods]
    body = [
        [p, format_gbp(game.standalone_costs[p])]
        + [format_gbp(results[m].shares[p]) for m in methods]
        for p in game.players
    ]
    core = ["In core?", ""] + [
        "yes" if check_core(game, results[m].shares).in_core else "no" for m in methods
    ]
    widths = [max(len(r[k]) for r in [header, *body, core]) for k in range(len(header))]
    for row in [header, *body, core]:
        print(
            "  ".join(
                [row[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
            )
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests)."""
    parser = _Parser(prog="fairshare", description="Fair shares of a joint project's costs.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="split the cost by one method")
    p_solve.add_argument("game", metavar="GAME.json")
    p_solve.add_argument("--method", required=True, choices=METHODS)
    p_solve.add_argument(
        "--samples", type=int, help="estimate the Shapley value from N sampled orders"
    )
    p_solve.add_argument(
        "--seed", type=int, default=None, help="random seed for --samples (default 0)"
    )
    p_solve.add_argument("--json", action="store_true", help="print JSON")
    p_solve.set_defaults(run=_solve)
    p_check = sub.add_parser("check", help="check whether a split is in the core")
    p_check.add_argument("game", metavar="GAME.json")
    p_check.add_argument("--allocation", required=True, metavar="ALLOC.json")
    p_check.add_argument(
        "--tolerance", type=float, default=None, help="slack in GBP (default 1e-9 x total)"
    )
    p_check.add_argument("--json", action="store_true", help="print JSON")
    p_check.set_defaults(run=_check)
    p_compare = sub.add_parser("compare", help="every method side by side")
    p_compare.add_argument("game", metavar="GAME.json")
    p_compare.add_argument("--samples", type=int)
    p_compare.add_argument("--seed", type=int, default=None)
    p_compare.add_argument("--json", action="store_true")
    p_compare.set_defaults(run=_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (also used as ``sys.exit`` status)."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            status = int(args.run(args))
        except FairshareError as error:
            status = 2
            where = f" ({error.field})" if error.field else ""
            print(f"fairshare: error: {error.message}{where}", file=sys.stderr)
        except Exception as error:
            status = 1
            print(f"fairshare: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
    for warning in caught:
        print(f"fairshare: warning: {warning.message}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
