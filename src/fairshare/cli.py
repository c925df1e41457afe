"""Command line: ``fairshare solve GAME.json --method METHOD`` and ``fairshare check``.

Exit status 0 on success, 2 on bad input (the message goes to stderr, never a
traceback). See ``docs/fairshare.md`` for the file format.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from .core import CoreCheck, check_core, validate_shares
from .errors import FairshareError, InvalidAllocationError, InvalidGameError
from .methods import METHOD_LABELS, METHODS, Allocation, compare_all, solve
from .models import MAX_AMOUNT, Explicit, Game, load_game
from .money import format_gbp
from .report import core_is_empty, savings

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"fairshare: error: {message}\n")


#: Largest input file read (bytes): a 22-partner explicit game in JSON is about 200 MB.
MAX_FILE_BYTES = 1 << 30
#: Deepest nesting of JSON arrays and objects accepted (a game needs 4 levels).
MAX_NESTING = 32
#: Most sampled orders ``--samples`` accepts.
MAX_SAMPLES = 10_000_000

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decode(raw: bytes, path: str, what: str, error: type[FairshareError]) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16/32 with a byte-order mark;
    anything else is refused with a message saying how to fix it."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in raw[:4096]:
        raise error(
            f"The {what} file {path} looks like UTF-16 or UTF-32 text without a byte-order "
            "mark; save it as UTF-8."
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"The {what} file {path} is not UTF-8 text (byte {exc.start + 1} is "
            f"0x{raw[exc.start]:02x}; Latin-1 or Windows-1252 perhaps); save it as UTF-8."
        ) from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _nesting(text: str) -> int:
    """Deepest bracket nesting outside strings, found without parsing (so a file nested
    100,000 deep is refused without recursion), vectorised."""
    bare = np.frombuffer(_STRING.sub("", text).encode("utf-8", "replace"), dtype=np.uint8)
    steps = (
        (bare == ord("[")).astype(np.int64)
        + (bare == ord("{"))
        - (bare == ord("]"))
        - (bare == ord("}"))
    )
    return int(np.cumsum(steps).max(initial=0))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(path: str, what: str, error: type[FairshareError]) -> Any:
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise error(f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_FILE_BYTES:
        raise error(
            f"The {what} file {path} is larger than {MAX_FILE_BYTES >> 20} MB; for a large "
            "explicit game give the costs as a NumPy .npy vector instead."
        )
    text = _decode(raw, path, what, error)
    if not text.strip():
        raise error(f"The {what} file {path} is empty.")
    if _nesting(text) > MAX_NESTING:
        raise error(
            f"The {what} file {path} is nested more than {MAX_NESTING} levels deep; a game "
            "needs only a few."
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise error(
            f"The {what} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})."
        ) from None
    except ValueError as exc:  # NaN/Infinity, or an integer of more than 4,300 digits
        raise error(
            f"The {what} file {path} has a value that is not a usable number: {exc}."
        ) from None
    except RecursionError:  # pragma: no cover - prevented by the nesting check
        raise error(f"The {what} file {path} is nested too deeply.") from None


def _players_option(text: str | None, n: int) -> list[str]:
    if text is None:
        return [f"P{i + 1}" for i in range(n)]
    path = Path(text)
    if path.suffix.lower() in (".txt", ".csv") and path.exists():
        try:
            names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidGameError(f"Cannot read the partner names file {text}: {exc}.") from None
        names = [name for name in names if name]
    else:
        names = [name.strip() for name in text.split(",")]
    if len(names) != n:
        raise InvalidGameError(
            f"The cost vector is for {n} partners but {len(names)} names were given.",
            field="players",
        )
    return names


def _load_npy(path: str, players: str | None) -> Game:
    """An explicit game from a NumPy ``.npy`` cost vector in bitmask order (bit ``i`` is
    partner ``i``; length ``2**n``, the empty coalition first, or ``2**n - 1`` without
    it), or an ``.npz`` holding ``costs`` and optionally ``players``."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except OSError as exc:
        raise InvalidGameError(
            f"Cannot read the game file {path}: {exc.strerror or exc}."
        ) from None
    except ValueError as exc:
        raise InvalidGameError(
            f"The game file {path} is not a NumPy array without Python objects: {exc}."
        ) from None
    names: list[str] | None = None
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            if "costs" not in loaded.files:
                raise InvalidGameError(
                    f"The game file {path} needs an array named 'costs'.", field="costs"
                )
            values = loaded["costs"]
            if "players" in loaded.files:
                names = [str(name) for name in loaded["players"].tolist()]
    else:
        values = loaded
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.number):
        raise InvalidGameError(
            f"The game file {path} must hold one vector of numbers (got shape {values.shape}, "
            f"type {values.dtype}).",
            field="costs",
        )
    size = int(values.size)
    with_empty = size >= 1 and size & (size - 1) == 0
    n = (size.bit_length() - 1) if with_empty else (size + 1).bit_length() - 1
    if (not with_empty and size + 1 != 1 << n) or n < 1:
        raise InvalidGameError(
            f"A cost vector must have 2**n or 2**n - 1 entries; {path} has {size}.",
            field="costs",
        )
    if names is None:
        names = _players_option(players, n)
    elif len(names) != n:
        raise InvalidGameError(f"{path} names {len(names)} players for {n}.", field="players")
    array = values.astype(np.float64)
    if with_empty and array[0] != 0:
        raise InvalidGameError("The empty coalition must cost 0.", field="costs", code="empty_cost")
    explicit = Explicit.from_vector(names, array, include_empty=with_empty)
    return Game(tuple(names), (explicit,))


def _load(path: str, players: str | None = None) -> Game:
    if path.lower().endswith((".npy", ".npz")):
        return _load_npy(path, players)
    if players is not None:
        raise InvalidGameError("--players only applies to a .npy cost vector.", field="players")
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


def _core_line(check: CoreCheck, game: Game) -> str:
    group = "+".join(check.worst_coalition)
    scope = {
        "every coalition": "",
        "structure": " (every group covered by the project's structure, not one by one)",
        "heuristic": " (heuristic search: too many partners to check every group, so this "
        "is not a proof)",
    }.get(check.method, "")
    if not check.efficient:
        lead = (
            f"Not efficient: the shares add up to {_money(check.total)}, "
            f"not the partnership's cost {_money(check.grand_cost)}."
        )
    else:
        lead = ""
    if check.in_core:
        text = "In the core: yes. No group of partners could do better by leaving"
        if not check.exact:
            text = "In the core: yes, as far as checked. No group we checked could do better by leaving"
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
    text = (lead + " " if lead else "") + text + scope
    if check.efficient:
        empty, epsilon = core_is_empty(game)
        if empty and epsilon is not None:
            text += (
                "\nNo split of this partnership can be stable: the best any split can do is "
                f"leave some group {_money(epsilon)} better off going ahead on its own (the "
                "least core)."
            )
    return text


def _flags(result: Allocation, check: CoreCheck, game: Game) -> dict[str, Any]:
    """The honest flags every ``--json`` result carries."""
    empty, epsilon = core_is_empty(game)
    data = result.to_dict()
    data["in_core"] = check.in_core
    data["max_excess"] = check.max_excess
    data["core_check"] = _check_json(check)
    data["core_empty"] = empty
    if epsilon is not None and "epsilon" not in data:
        data["least_core_epsilon"] = epsilon
    data["warnings"] = list(game.warnings)
    data["game_notes"] = list(game.notes)
    return data


def _check_json(check: CoreCheck) -> dict[str, Any]:
    return {
        "in_core": check.in_core,
        "max_excess": check.max_excess,
        "worst_coalition": list(check.worst_coalition),
        "worst_coalition_cost": check.worst_coalition_cost,
        "efficient": check.efficient,
        "total": check.total,
        "grand_cost": check.grand_cost,
        "exhaustive": check.exhaustive,
        "exact": check.exact,
        "method": check.method,
        "tolerance": check.tolerance,
    }


def _how_computed(result: Allocation) -> str:
    used = result.method_used
    if result.method == "nucleolus" and used == "prenucleolus":
        head = "Method used: the prenucleolus (the nucleolus is not defined for this partnership)."
    elif result.method == "least_core":
        head = f"Method used: the least core's canonical point, the {used}."
    else:
        head = f"Method used: the {result.label}."
    computation = result.details.get("computation")
    if result.exact:
        tail = " Exact" + (f" ({computation})." if computation else ".")
    else:
        kind = {
            "statistical": "three standard errors",
            "estimated": "an estimate, not a proof",
            "proven": "a proven bound",
        }.get(result.error_kind, result.error_kind)
        bound = ""
        if result.error_bound is not None:
            amount = (
                f"{result.error_bound:.1e} GBP"
                if result.error_bound < 0.005
                else format_gbp(result.error_bound, pennies=True)
            )
            bound = f", error up to {amount} per share ({kind})"
            relative = result.details.get("relative_error_bound")
            if relative is not None:
                bound += f", at most {relative:.1e} of a share"
        tail = f" Not exact ({computation}{bound})."
    return head + tail


def _solve(args: argparse.Namespace) -> int:
    game = _load(args.game, args.players)
    if args.samples is not None and args.method != "shapley":
        raise FairshareError("--samples only applies to --method shapley.", field="samples")
    if args.seed is not None and args.samples is None:
        raise FairshareError("--seed only applies with --samples.", field="seed")
    result = solve(game, args.method, samples=args.samples, seed=args.seed)
    check = check_core(game, result.shares)
    if args.json:
        print(json.dumps(_flags(result, check, game), indent=2))
        return 0
    title = game.name or "Partnership"
    label = "prenucleolus" if result.method_used == "prenucleolus" else METHOD_LABELS[result.method]
    print(
        f"{title}: {label} ({game.n} partners, total cost "
        f"{format_gbp(game.grand_cost, pennies=abs(game.grand_cost) < 1000)})"
    )
    print()
    print(_table(game, result.shares, result.standard_errors))
    print()
    print(_core_line(check, game))
    print(_how_computed(result))
    notes = list(result.notes) + list(game.notes)
    if "epsilon" in result.details:
        notes.append(f"Least-core epsilon: {result.details['epsilon']:,.6g}.")
    for note in notes:
        print(f"Note: {note}")
    return 0


def _check(args: argparse.Namespace) -> int:
    game = _load(args.game, args.players)
    data = _read_json(args.allocation, "allocation", InvalidAllocationError)
    if isinstance(data, dict) and isinstance(data.get("allocation"), dict):
        data = data["allocation"]
    if not isinstance(data, dict):
        raise InvalidAllocationError(
            "The allocation file must be a JSON object mapping each partner to what it pays."
        )
    shares = validate_shares(game, data)
    check = check_core(game, shares, tolerance=args.tolerance)
    if args.json:
        report = _check_json(check)
        report["core_empty"] = core_is_empty(game)[0]
        print(json.dumps(report, indent=2))
        return 0
    print(_table(game, shares, None))
    print()
    print(_core_line(check, game))
    return 0


def _compare(args: argparse.Namespace) -> int:
    game = _load(args.game, args.players)
    if args.seed is not None and args.samples is None:
        raise FairshareError("--seed only applies with --samples.", field="seed")
    results: dict[str, Allocation] = compare_all(game, samples=args.samples, seed=args.seed)
    checks = {m: check_core(game, r.shares) for m, r in results.items()}
    if args.json:
        print(json.dumps({m: _flags(r, checks[m], game) for m, r in results.items()}, indent=2))
        return 0
    methods = list(results)
    header = ["Partner", "Alone", *methods]
    body = [
        [p, format_gbp(game.standalone_costs[p])]
        + [format_gbp(results[m].shares[p]) for m in methods]
        for p in game.players
    ]
    core = ["In core?", ""] + [
        ("yes" if checks[m].in_core else "no") + ("" if checks[m].exact else " (checked)")
        for m in methods
    ]
    widths = [max(len(r[k]) for r in [header, *body, core]) for k in range(len(header))]
    for row in [header, *body, core]:
        print(
            "  ".join(
                [row[0].ljust(widths[0])]
                + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
            )
        )
    for m in methods:
        if not results[m].exact or results[m].method_used != m:
            print(f"Note: {m}: {_how_computed(results[m])}")
    return 0


def _count(low: int, high: int, what: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number from {low:,} to {high:,}, not {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number from {low:,} to {high:,}, not {value:,}"
            )
        return value

    return parse


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"the tolerance must be a number, not {text!r}") from None
    if not math.isfinite(value) or value < 0 or value > MAX_AMOUNT:
        raise argparse.ArgumentTypeError(
            f"the tolerance must be a finite amount from 0 to {MAX_AMOUNT:.0e} GBP, not {text}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and tests)."""
    parser = _Parser(prog="fairshare", description="Fair shares of a joint project's costs.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="split the cost by one method")
    p_solve.add_argument("game", metavar="GAME.json")
    p_solve.add_argument("--method", required=True, choices=METHODS)
    samples = _count(2, MAX_SAMPLES, "--samples")
    seed = _count(0, 2**63 - 1, "--seed")
    players_help = "partner names for a .npy cost vector: A,B,C or a .txt file, one a line"
    p_solve.add_argument(
        "--samples", type=samples, help="estimate the Shapley value from N sampled orders"
    )
    p_solve.add_argument(
        "--seed", type=seed, default=None, help="random seed for --samples (default 0)"
    )
    p_solve.add_argument("--players", help=players_help)
    p_solve.add_argument("--json", action="store_true", help="print JSON")
    p_solve.set_defaults(run=_solve)
    p_check = sub.add_parser("check", help="check whether a split is in the core")
    p_check.add_argument("game", metavar="GAME.json")
    p_check.add_argument("--allocation", required=True, metavar="ALLOC.json")
    p_check.add_argument(
        "--tolerance", type=_tolerance, default=None, help="slack in GBP (default 1e-9 x total)"
    )
    p_check.add_argument("--players", help=players_help)
    p_check.add_argument("--json", action="store_true", help="print JSON")
    p_check.set_defaults(run=_check)
    p_compare = sub.add_parser("compare", help="every method side by side")
    p_compare.add_argument("game", metavar="GAME.json")
    p_compare.add_argument("--samples", type=samples)
    p_compare.add_argument("--seed", type=seed, default=None)
    p_compare.add_argument("--players", help=players_help)
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
        except BrokenPipeError:  # e.g. piped into head: the reader has what it wanted
            status = 0
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed stdout
        except MemoryError:
            status = 2
            print(
                "fairshare: error: not enough memory for this game; describe the project "
                "with components, or use fewer partners.",
                file=sys.stderr,
            )
        except RecursionError:
            status = 2
            print("fairshare: error: the input is nested too deeply.", file=sys.stderr)
        except Exception as error:
            status = 1
            print(f"fairshare: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
    for warning in caught:
        print(f"fairshare: warning: {warning.message}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
