"""Scan log files for personal data and secrets; exit 1 naming each line (masked) that has any.

    .venv/bin/python scripts/log_scan.py var/ci/test-logs        # CI: the logs of the whole run

The logs come from the test suite run with ``-p partnering.tests.reliability.log_capture``
(every record at INFO and above, as a production server writes them). What counts as leaked:
email addresses, UK mobile numbers, API keys (``sp_<prefix>_<secret>``) and bearer tokens,
session and CSRF cookie values, a password after ``password=``/``password:``, and the test and
demo secrets by value (the test settings' SECRET_KEY, the demo password).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

PATTERNS: dict[str, re.Pattern[str]] = {
    "email address": re.compile(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    ),
    "UK mobile number": re.compile(r"(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b"),
    "API key": re.compile(r"\bsp_[0-9a-f]{8}_[A-Za-z0-9_-]{16,}"),
    "bearer token": re.compile(r"\bBearer\s+[A-Za-z0-9._~+/-]{8,}", re.IGNORECASE),
    "session or CSRF cookie": re.compile(
        r"\b(?:sessionid|csrftoken|csrfmiddlewaretoken)[\"']?\s*[=:]\s*[\"']?[A-Za-z0-9]{16,}"
    ),
    "password": re.compile(r"\bpassword[\"']?\s*[=:]\s*[\"']?[^\s\"'*,}]{3,}", re.IGNORECASE),
    "a known secret": re.compile(r"test-only-key|partnering-demo|dev-only-insecure-key"),
}


def mask(line: str) -> str:
    """The line with every match replaced, so the report does not leak it again."""
    for name, pattern in PATTERNS.items():
        line = pattern.sub(f"<{name}>", line)
    return line


def scan(lines: Iterable[str], source: str = "log") -> list[str]:
    findings = []
    for number, line in enumerate(lines, start=1):
        kinds = [name for name, pattern in PATTERNS.items() if pattern.search(line)]
        if kinds:
            findings.append(f"{source}:{number}: {', '.join(kinds)}: {mask(line.rstrip())[:300]}")
    return findings


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: log_scan.py FOLDER_OR_FILE", file=sys.stderr)
        return 2
    target = Path(argv[0])
    files = sorted(target.glob("*.log")) if target.is_dir() else [target]
    if not files or not any(f.exists() for f in files):
        print(f"log scan: no log files in {target}: did the test run capture its logs?")
        return 1
    findings: list[str] = []
    lines = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
        lines += len(text)
        findings += scan(text, str(path))
    print(
        f"log scan: {lines} lines in {len(files)} files: {len(findings)} with personal data or secrets"
    )
    for finding in findings[:50]:
        print("  " + finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
