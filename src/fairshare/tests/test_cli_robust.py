"""Every bad input the audit tried (and more) gives a clear message and exit status 2,
never "unexpected error" or a traceback."""

import json

import numpy as np
import pytest

from fairshare.cli import MAX_NESTING, main

THREE = {
    "players": ["A", "B", "C"],
    "costs": {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15},
}


def with_cost(key, value):
    costs = dict(THREE["costs"])
    costs[key] = value
    return json.dumps({"players": THREE["players"], "costs": costs})


def pooled(**changes):
    component = {
        "kind": "pooled",
        "demand": {"A": 1, "B": 2},
        "curve": {"type": "power", "scale": 1, "exponent": 0.5},
    }
    component.update(changes)
    return json.dumps({"players": ["A", "B"], "components": [component]})


GAME_FILES = {
    "latin-1 text": (
        '{"players": ["Caf\xe9"], "costs": {"Caf\xe9": 1}}'.encode("latin-1"),
        "not UTF-8",
    ),
    "utf-16 without a byte-order mark": (json.dumps(THREE).encode("utf-16-le"), "UTF-16"),
    "binary garbage": (bytes(range(256)), "UTF-8"),
    "empty file": (b"", "empty"),
    "whitespace only": (b"  \n ", "empty"),
    "not json": (b"{not json", "not valid JSON"),
    "truncated json": (json.dumps(THREE)[:-5].encode(), "not valid JSON"),
    "integer of 400 digits": (with_cost("A", 10**400).encode(), "too large"),
    "integer of 5000 digits": (
        with_cost("A", "XX").replace('"XX"', "1" + "0" * 5000).encode(),
        "not a usable number",
    ),
    "1e400": (with_cost("A", "XX").replace('"XX"', "1e400").encode(), "too large"),
    "NaN literal": (with_cost("A", "XX").replace('"XX"', "NaN").encode(), "not a usable number"),
    "Infinity literal": (
        with_cost("A", "XX").replace('"XX"', "-Infinity").encode(),
        "not a usable number",
    ),
    "cost near 1e308": (with_cost("A+B+C", 1.7e308).encode(), "too large"),
    "cost as text": (with_cost("A", "six").encode(), "must be a number"),
    "cost true": (with_cost("A", True).encode(), "must be a number"),
    "cost null": (with_cost("A", None).encode(), "must be a number"),
    "cost as a list": (with_cost("A", [6]).encode(), "must be a number"),
    "negative cost": (with_cost("A", -1).encode(), "cannot be negative"),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
    "nested just too deep": (
        b"[" * (MAX_NESTING + 1) + b"]" * (MAX_NESTING + 1),
        "nested more than",
    ),
    "top level is a list": (json.dumps([THREE]).encode(), "JSON object"),
    "top level is a number": (b"42", "JSON object"),
    "players is text": (json.dumps({"players": "A,B", "costs": {}}).encode(), "list of partner"),
    "no players": (json.dumps({"players": [], "costs": {}}).encode(), "at least one partner"),
    "player is a number": (json.dumps({"players": [1], "costs": {"1": 1}}).encode(), "text"),
    "player listed twice": (
        json.dumps({"players": ["A", "A"], "costs": {"A": 1}}).encode(),
        "listed twice",
    ),
    "player with a plus": (json.dumps({"players": ["A+B"], "costs": {"A+B": 1}}).encode(), "'+'"),
    "unknown field": (json.dumps({**THREE, "extra": 1}).encode(), "Unknown field"),
    "costs and components": (json.dumps({**THREE, "components": []}).encode(), "either"),
    "neither costs nor components": (json.dumps({"players": ["A"]}).encode(), "either"),
    "missing coalition": (
        json.dumps({"players": ["A", "B"], "costs": {"A": 1, "B": 2}}).encode(),
        "missing: A+B",
    ),
    "unknown partner in a coalition": (with_cost("A+Z", 3).encode(), "not one of the partners"),
    "coalition given twice": (with_cost("B+A", 10).encode(), "given twice"),
    "empty coalition not zero": (with_cost("", 5).encode(), "empty coalition must cost 0"),
    "costs is a list": (json.dumps({"players": ["A"], "costs": [1]}).encode(), "must map"),
    "too many partners for a table": (
        json.dumps({"players": [f"P{i}" for i in range(27)], "costs": {}}).encode(),
        "only practical up to",
    ),
    "unknown component kind": (
        json.dumps({"players": ["A"], "components": [{"kind": "magic"}]}).encode(),
        "Unknown component kind",
    ),
    "component not an object": (
        json.dumps({"players": ["A"], "components": [3]}).encode(),
        "must be an object",
    ),
    "components empty": (json.dumps({"players": ["A"], "components": []}).encode(), "non-empty"),
    "curve not concave": (
        pooled(curve={"type": "power", "scale": 1, "exponent": 2}).encode(),
        "concave",
    ),
    "curve unknown type": (pooled(curve={"type": "spline"}).encode(), "Unknown curve type"),
    "curve exponent text": (
        pooled(curve={"type": "power", "scale": 1, "exponent": "half"}).encode(),
        "must be a number",
    ),
    "tariff falls": (
        pooled(curve={"type": "piecewise", "breaks": [[0, 5], [10, 1]]}).encode(),
        "cannot fall",
    ),
    "tariff point junk": (
        pooled(curve={"type": "piecewise", "breaks": [[0, 0], "x"]}).encode(),
        "pair",
    ),
    "demand huge": (pooled(demand={"A": 1e300, "B": 1}).encode(), "too large"),
    "demand negative": (pooled(demand={"A": -1, "B": 1}).encode(), "cannot be negative"),
    "demand names a stranger": (pooled(demand={"Z": 1}).encode(), "not one of the partners"),
    "fixed cost text": (pooled(fixed="lots").encode(), "must be a number"),
    "weights text": (
        json.dumps({**THREE, "weights": {"A": "x", "B": 1, "C": 1}}).encode(),
        "number",
    ),
    "weights leave a partner out": (
        json.dumps({**THREE, "weights": {"A": 1, "B": 1}}).encode(),
        "leave out",
    ),
    "name not text": (json.dumps({**THREE, "name": 5}).encode(), "name must be text"),
}


@pytest.fixture
def run(tmp_path, capsys):
    def go(argv):
        status = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return go


def assert_clear_refusal(status, err, message):
    assert status == 2, err
    assert message in err, err
    assert "unexpected error" not in err and "Traceback" not in err


@pytest.mark.parametrize("case", sorted(GAME_FILES))
@pytest.mark.parametrize("method", ["shapley", "nucleolus"])
def test_bad_game_file(tmp_path, run, case, method):
    content, message = GAME_FILES[case]
    path = tmp_path / "game.json"
    path.write_bytes(content)
    status, _, err = run(["solve", path, "--method", method])
    assert_clear_refusal(status, err, message)


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "utf-16", "utf-32"], ids=["utf-8 bom", "utf-16 bom", "utf-32 bom"]
)
def test_other_unicode_encodings_with_a_byte_order_mark_are_read(tmp_path, run, encoding):
    path = tmp_path / "game.json"
    path.write_bytes(json.dumps(THREE).encode(encoding))
    status, out, err = run(["solve", path, "--method", "shapley", "--json"])
    assert status == 0, err
    assert json.loads(out)["allocation"]["A"] == pytest.approx(23 / 6)


def test_directory_instead_of_a_file(tmp_path, run):
    status, _, err = run(["solve", tmp_path, "--method", "equal"])
    assert_clear_refusal(status, err, "Cannot read")


ALLOCATIONS = {
    "share as text": ({"A": "5", "B": 5, "C": 5}, "must be a number"),
    "share true": ({"A": True, "B": 5, "C": 5}, "must be a number"),
    "share null": ({"A": None, "B": 5, "C": 5}, "must be a number"),
    "share a list": ({"A": [5], "B": 5, "C": 5}, "must be a number"),
    "share an object": ({"A": {"x": 5}, "B": 5, "C": 5}, "must be a number"),
    "share 10^400": ({"A": 10**400, "B": 5, "C": 5}, "too large"),
    "share 1e300": ({"A": 1e300, "B": 5, "C": 5}, "beyond any real budget"),
    "partner left out": ({"A": 5, "B": 5}, "leaves out C"),
    "stranger named": ({"A": 5, "B": 5, "C": 5, "Z": 0}, "not one of the partners"),
    "a list": ([5, 5, 5], "JSON object"),
    "a number": (15, "JSON object"),
}


@pytest.mark.parametrize("case", sorted(ALLOCATIONS))
def test_bad_allocation(tmp_path, run, case):
    game = tmp_path / "game.json"
    game.write_text(json.dumps(THREE))
    data, message = ALLOCATIONS[case]
    alloc = tmp_path / "alloc.json"
    alloc.write_text(json.dumps(data))
    status, _, err = run(["check", game, "--allocation", alloc])
    assert_clear_refusal(status, err, message)


def test_allocation_nested_too_deep(tmp_path, run):
    game = tmp_path / "game.json"
    game.write_text(json.dumps(THREE))
    alloc = tmp_path / "alloc.json"
    alloc.write_bytes(b"{" + b'"A": [' * 50_000)
    status, _, err = run(["check", game, "--allocation", alloc])
    assert_clear_refusal(status, err, "nested more than")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--method", "shapley", "--samples", "5", "--seed", "-1"],
            "--seed must be a whole number",
        ),
        (["--method", "shapley", "--samples", "5", "--seed", "x"], "--seed must be a whole number"),
        (["--method", "shapley", "--samples", "5", "--seed", str(2**64)], "--seed must be"),
        (["--method", "shapley", "--samples", "1e9"], "--samples must be a whole number"),
        (["--method", "shapley", "--samples", "1000000000"], "from 2 to 10,000,000"),
        (["--method", "shapley", "--samples", "1"], "from 2 to 10,000,000"),
        (["--method", "shapley", "--samples", "-5"], "from 2 to 10,000,000"),
        (["--method", "equal", "--samples", "50"], "only applies to --method shapley"),
        (["--method", "shapley", "--seed", "3"], "only applies with --samples"),
        (["--method", "haggle"], "invalid choice"),
        (["--method", "equal", "--players", "A,B,C"], "only applies to a .npy"),
    ],
)
def test_bad_options(tmp_path, capsys, options, message):
    game = tmp_path / "game.json"
    game.write_text(json.dumps(THREE))
    try:
        status = main(["solve", str(game), *options])
    except SystemExit as exit_:
        status = exit_.code
    err = capsys.readouterr().err
    assert status == 2 and message in err, err
    assert "unexpected error" not in err and "Traceback" not in err


@pytest.mark.parametrize("tolerance", ["-1", "nan", "inf", "lots", "1e400"])
def test_bad_tolerance(tmp_path, capsys, tolerance):
    game = tmp_path / "game.json"
    game.write_text(json.dumps(THREE))
    alloc = tmp_path / "alloc.json"
    alloc.write_text(json.dumps({"A": 5, "B": 5, "C": 5}))
    with pytest.raises(SystemExit) as caught:
        main(["check", str(game), "--allocation", str(alloc), "--tolerance", tolerance])
    assert caught.value.code == 2
    assert "tolerance must be" in capsys.readouterr().err


class TestNumpyInput:
    def vector(self):
        return np.array([0, 6, 7, 10, 8, 12, 13, 15], dtype=float)

    def test_npy_with_and_without_the_empty_coalition(self, tmp_path, run):
        for values in (self.vector(), self.vector()[1:]):
            path = tmp_path / "game.npy"
            np.save(path, values)
            status, out, err = run(["solve", path, "--method", "nucleolus", "--json"])
            assert status == 0, err
            assert json.loads(out)["allocation"] == pytest.approx(
                {"P1": 3.75, "P2": 4.75, "P3": 6.5}
            )

    def test_npy_with_names(self, tmp_path, run):
        path = tmp_path / "game.npy"
        np.save(path, self.vector())
        status, out, _ = run(["solve", path, "--method", "shapley", "--players", "A,B,C", "--json"])
        assert status == 0 and set(json.loads(out)["allocation"]) == {"A", "B", "C"}
        names = tmp_path / "names.txt"
        names.write_text("Adur\nArun\nWorthing\n")
        status, out, _ = run(["solve", path, "--method", "shapley", "--players", names, "--json"])
        assert status == 0 and set(json.loads(out)["allocation"]) == {"Adur", "Arun", "Worthing"}

    def test_npz_with_players(self, tmp_path, run):
        path = tmp_path / "game.npz"
        np.savez(path, costs=self.vector(), players=np.array(["A", "B", "C"]))
        status, out, err = run(["solve", path, "--method", "equal", "--json"])
        assert status == 0, err
        assert json.loads(out)["allocation"] == {"A": 5.0, "B": 5.0, "C": 5.0}

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            (np.zeros(6), "2**n or 2**n - 1 entries"),
            (np.zeros((2, 4)), "one vector of numbers"),
            (np.array(["a", "b", "c"]), "one vector of numbers"),
            (np.array([0, 1, np.nan, 3.0]), "finite number"),
            (np.array([0, 1, 1e300, 3.0]), "too large"),
            (np.array([0, 1, -2, 3.0]), "cannot be negative"),
            (np.array([4, 1, 2, 3.0]), "empty coalition must cost 0"),
            (np.array([{"a": 1}], dtype=object), "not a NumPy array without Python objects"),
        ],
    )
    def test_bad_npy(self, tmp_path, run, values, message):
        path = tmp_path / "game.npy"
        np.save(path, values, allow_pickle=True)
        status, _, err = run(["solve", path, "--method", "shapley"])
        assert_clear_refusal(status, err, message)

    def test_wrong_number_of_names(self, tmp_path, run):
        path = tmp_path / "game.npy"
        np.save(path, self.vector())
        status, _, err = run(["solve", path, "--method", "shapley", "--players", "A,B"])
        assert_clear_refusal(status, err, "3 partners but 2 names")

    def test_not_a_numpy_file(self, tmp_path, run):
        path = tmp_path / "game.npy"
        path.write_text("hello")
        status, _, err = run(["solve", path, "--method", "shapley"])
        assert status == 2 and "unexpected error" not in err, err
