"""The optimisers' command-line contract (docs/programme.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from partnering.programme.maths.__main__ import main

SELECT = {
    "select": 2,
    "budget": 7000000,
    "applications": [
        {"id": "APP-0001", "score": 78.5, "cost": 120000, "tags": ["egov", "region:London"]},
        {"id": "APP-0002", "score": 71, "cost": 90000, "tags": ["region:London"]},
        {"id": "APP-0003", "score": 60, "tags": ["two_tier"]},
    ],
    "quotas": [{"tag": "egov", "min": 1}, {"tag": "region:London", "max": 1}],
}
MATCH = {
    "advisers": [{"id": "ADV-001", "capacity": 3, "disciplines": ["finance", "legal"]}],
    "partnerships": [{"id": "PSHIP-001", "requires": ["finance"], "mentors": 1}],
    "suitability": [{"adviser": "ADV-001", "partnership": "PSHIP-001", "score": 0.8}],
}


def _write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_select_json(tmp_path, capsys):
    assert main(["select", _write(tmp_path, SELECT), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "optimal"
    assert out["selected"] == ["APP-0001", "APP-0003"]
    assert out["total_score"] == 138.5
    assert [b["constraint"] for b in out["binding"]] == ["at most 1 'region:London'"]
    assert out["reasons"] == {
        "APP-0002": (
            "scored 71; taking it in place of APP-0003 (60) would break at most 1 'region:London'"
        )
    }


def test_select_infeasible_json(tmp_path, capsys):
    data = dict(SELECT, quotas=[{"tag": "egov", "min": 2}])
    assert main(["select", _write(tmp_path, data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "infeasible"
    assert out["explanation"]["clashing"] == ["at least 2 'egov'"]
    assert out["explanation"]["relaxation"][0]["relaxed_to"] == 1


def test_match_json_and_text(tmp_path, capsys):
    path = _write(tmp_path, MATCH)
    assert main(["match", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "status": "optimal",
        "assignments": [{"adviser": "ADV-001", "partnership": "PSHIP-001"}],
        "total_suitability": 0.8,
    }
    assert main(["match", path]) == 0
    assert "ADV-001 -> PSHIP-001" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"applications": [{"id": "A", "score": NaN}]}', "not a number JSON allows"),
        ('{"applications": "x"}', "'applications' must be a JSON array"),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ],
)
def test_bad_files_get_a_message_and_exit_2(tmp_path, capsys, content, message):
    assert main(["select", _write(tmp_path, content)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_missing_file_and_bad_command(tmp_path, capsys):
    assert main(["select", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["optimise", "x.json"]) == 2
    assert main(["match", _write(tmp_path, b"\xff\xfe".decode("latin-1"))]) == 2


def test_runs_as_a_module_without_django(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "partnering.programme.maths",
            "select",
            _write(tmp_path, SELECT),
            "--json",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] == "optimal"
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "partnering.programme.maths",
            "match",
            _write(tmp_path, "{}", "b.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
