"""The command line: solve, check, compare; bad input exits 2 without a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fairshare.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "fairshare"
THREE = {
    "players": ["A", "B", "C"],
    "costs": {"A": 6, "B": 7, "C": 8, "A+B": 10, "A+C": 12, "B+C": 13, "A+B+C": 15},
}


@pytest.fixture
def game_file(tmp_path):
    path = tmp_path / "game.json"
    path.write_text(json.dumps(THREE))
    return path


class TestMain:
    def test_solve_json(self, game_file, capsys):
        assert main(["solve", str(game_file), "--method", "nucleolus", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["method"] == "nucleolus"
        assert data["allocation"] == pytest.approx({"A": 3.75, "B": 4.75, "C": 6.5})
        assert data["in_core"] is True and data["max_excess"] == pytest.approx(-1.5)
        assert "standard_errors" not in data

    def test_solve_sampled_json_has_standard_errors(self, game_file, capsys):
        assert (
            main(
                [
                    "solve",
                    str(game_file),
                    "--method",
                    "shapley",
                    "--samples",
                    "500",
                    "--seed",
                    "2",
                    "--json",
                ]
            )
            == 0
        )
        data = json.loads(capsys.readouterr().out)
        assert set(data["standard_errors"]) == {"A", "B", "C"}

    def test_solve_table(self, game_file, capsys):
        assert main(["solve", str(game_file), "--method", "shapley"]) == 0
        out = capsys.readouterr().out
        assert "Shapley value" in out and "In the core: yes" in out and "Total" in out

    def test_check(self, game_file, tmp_path, capsys):
        alloc = tmp_path / "alloc.json"
        alloc.write_text(json.dumps({"A": 1, "B": 1, "C": 13}))
        assert main(["check", str(game_file), "--allocation", str(alloc), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["in_core"] is False and data["worst_coalition"] == ["C"]

    def test_compare(self, game_file, capsys):
        assert main(["compare", str(game_file)]) == 0
        assert "least_core" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("{not json", "not valid JSON"),
            (json.dumps({"players": ["A", "B"], "costs": {"A": 1, "B": 2}}), "missing: A+B"),
            (json.dumps({"players": ["A"], "costs": {"A": -3}}), "cannot be negative"),
        ],
    )
    def test_bad_input_exits_2_with_message(self, tmp_path, capsys, content, message):
        path = tmp_path / "bad.json"
        path.write_text(content)
        assert main(["solve", str(path), "--method", "equal"]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err

    def test_missing_file(self, capsys):
        assert main(["solve", "/no/such/game.json", "--method", "equal"]) == 2
        assert "Cannot read" in capsys.readouterr().err

    def test_unknown_method_is_a_usage_error(self, game_file):
        with pytest.raises(SystemExit) as caught:
            main(["solve", str(game_file), "--method", "haggle"])
        assert caught.value.code == 2

    def test_python_dash_m(self, game_file):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "fairshare",
                "solve",
                str(game_file),
                "--method",
                "equal",
                "--json",
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["allocation"]["A"] == 5

    @pytest.mark.parametrize(
        "name",
        sorted(p.name for p in EXAMPLES.glob("*.json") if "players" in json.loads(p.read_text())),
    )
    def test_example_games_solve(self, name):
        assert main(["solve", str(EXAMPLES / name), "--method", "shapley", "--json"]) == 0

    def test_example_allocation_checks(self, capsys):
        game = EXAMPLES / "three_councils.json"
        alloc = EXAMPLES / "three_councils_by_population.json"
        assert main(["check", str(game), "--allocation", str(alloc), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["in_core"] is True
