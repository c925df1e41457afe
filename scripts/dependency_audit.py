"""Dependency audit: pip-audit against the locked dependencies (uv.lock), with dated exceptions.

    .venv/bin/python scripts/dependency_audit.py          # make audit; CI runs it

Exits 1 when a locked package has a known vulnerability that has no accepted exception in
``.ci/audit-exceptions.toml``, or whose exception has expired (``review_by`` passed); 0 when
clean. A vulnerability service that cannot be reached, or that does not know a long-published
vulnerability (``django==3.2.0`` is the canary: it has dozens), makes the audit print
``SKIPPED:`` with the reason and exit 0, since an audit that cannot see cannot pass or fail.

An exception reads::

    [[exception]]
    id = "GHSA-xxxx-xxxx-xxxx"    # or PYSEC-…, CVE-… (any alias pip-audit reports)
    package = "somepackage"
    accepted = 2026-12-02          # the day it was accepted (a TOML date)
    review_by = 2027-03-01         # after this day the audit fails again
    by = "who accepted it"
    reason = "why it does not apply to us, or what stops the upgrade"
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS_FILE = ROOT / ".ci" / "audit-exceptions.toml"
CANARY = "django==3.2.0"  # published in 2021; pip-audit's services list dozens of advisories for it
REQUIRED_FIELDS = ("id", "package", "accepted", "review_by", "by", "reason")


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]

    def names(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclass(frozen=True)
class Exception_:
    id: str
    package: str
    accepted: dt.date
    review_by: dt.date
    by: str
    reason: str


class BadExceptionsFile(ValueError):
    pass


def load_exceptions(text: str) -> list[Exception_]:
    """The accepted exceptions; every one must say who accepted it, when, why and until when."""
    data = tomllib.loads(text)
    found = []
    for number, entry in enumerate(data.get("exception", []), start=1):
        missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
        if missing:
            raise BadExceptionsFile(f"exception {number} lacks {', '.join(missing)}")
        for name in ("accepted", "review_by"):
            if not isinstance(entry[name], dt.date) or isinstance(entry[name], dt.datetime):
                raise BadExceptionsFile(
                    f"exception {number}: {name} must be a date such as 2026-12-02"
                )
        if entry["review_by"] < entry["accepted"]:
            raise BadExceptionsFile(f"exception {number}: review_by is before accepted")
        found.append(Exception_(**{name: entry[name] for name in REQUIRED_FIELDS}))
    return found


def parse_report(report: dict) -> tuple[list[Finding], list[str]]:
    """pip-audit's JSON: the vulnerabilities found, and the packages it could not audit."""
    findings, skipped = [], []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        findings.extend(
            Finding(
                package=dependency["name"].lower(),
                version=dependency.get("version", "?"),
                id=vuln["id"],
                aliases=tuple(vuln.get("aliases", [])),
                fix_versions=tuple(vuln.get("fix_versions", [])),
            )
            for vuln in dependency.get("vulns", [])
        )
    return findings, skipped


def judge(
    findings: Iterable[Finding], exceptions: Iterable[Exception_], today: dt.date
) -> tuple[list[str], list[str]]:
    """(failures, notes): a finding fails unless an exception for its package and one of its
    names is in force today."""
    failures, notes = [], []
    exceptions = list(exceptions)
    for finding in findings:
        match = next(
            (
                e
                for e in exceptions
                if e.package.lower() == finding.package and e.id in finding.names()
            ),
            None,
        )
        label = f"{finding.package} {finding.version}: {finding.id}"
        fix = f" (fixed in {', '.join(finding.fix_versions)})" if finding.fix_versions else ""
        if match is None:
            failures.append(f"{label}{fix}: no accepted exception")
        elif match.review_by < today:
            failures.append(
                f"{label}{fix}: the exception accepted on {match.accepted} by {match.by} "
                f"expired on {match.review_by}"
            )
        else:
            notes.append(
                f"{label}: accepted on {match.accepted} by {match.by} until {match.review_by} "
                f"({match.reason})"
            )
    return failures, notes


Runner = Callable[[str], dict]


def pip_audit(requirements: str) -> dict:
    """Run pip-audit on pinned requirements (no resolution, no pip) and return its JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(requirements)
    try:
        result = subprocess.run(
            [
                sys.executable, "-m", "pip_audit", "-r", handle.name, "--no-deps",
                "--disable-pip", "-f", "json", "--progress-spinner", "off", "--timeout", "30",
            ],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    finally:
        os.unlink(handle.name)
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise ConnectionError(
            f"pip-audit gave no report (exit {result.returncode}): {result.stderr.strip()[-500:]}"
        ) from error


def locked_requirements() -> str:
    """Every locked package, pinned, as uv exports it (the project itself left out)."""
    uv = os.environ.get("UV") or next(
        (c for c in ("uv", str(ROOT / ".tools" / "bin" / "uv")) if _runs(c)), "uv"
    )
    result = subprocess.run(
        [uv, "export", "--frozen", "--format", "requirements-txt", "--no-hashes",
         "--no-emit-project", "--all-groups", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return result.stdout


def _runs(command: str) -> bool:
    try:
        subprocess.run([command, "--version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def audit(
    requirements: str, exceptions_text: str, today: dt.date, run: Runner = pip_audit
) -> tuple[int, list[str]]:
    """(exit code, lines to print)."""
    exceptions = load_exceptions(exceptions_text)
    try:
        canary, _ = parse_report(run(CANARY + "\n"))
    except (ConnectionError, OSError, subprocess.SubprocessError) as error:
        return 0, [f"SKIPPED: the vulnerability service could not be reached ({error})"]
    if not canary:
        return 0, [
            f"SKIPPED: the vulnerability service answered but knows no vulnerability of "
            f"{CANARY}, which has many: it cannot be trusted here (a PyPI mirror without the "
            "advisory data?). Run `make audit` where pypi.org's JSON API is reachable."
        ]
    try:
        findings, skipped = parse_report(run(requirements))
    except (ConnectionError, OSError, subprocess.SubprocessError) as error:
        return 0, [f"SKIPPED: the vulnerability service could not be reached ({error})"]
    failures, notes = judge(findings, exceptions, today)
    packages = sum(1 for line in requirements.splitlines() if "==" in line)
    lines = [f"audited {packages} locked packages: {len(findings)} known vulnerabilities"]
    lines += [f"  not audited: {line}" for line in skipped]
    lines += [f"  accepted: {line}" for line in notes]
    lines += [f"  FAIL: {line}" for line in failures]
    used = {e.id for e in exceptions}
    seen = set().union(*(f.names() for f in findings)) if findings else set()
    lines += [f"  unused exception (remove it): {name}" for name in sorted(used - seen)]
    return (1 if failures else 0), lines


def main() -> int:
    text = EXCEPTIONS_FILE.read_text() if EXCEPTIONS_FILE.exists() else ""
    code, lines = audit(locked_requirements(), text, dt.datetime.now(dt.UTC).date())
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
