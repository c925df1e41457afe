"""The dependency audit (scripts/dependency_audit.py) fails on a known vulnerability unless an
accepted, dated exception covers it, and skips, saying why, when it cannot see."""

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
TODAY = dt.date(2026, 12, 2)


def _module():
    spec = importlib.util.spec_from_file_location(
        "dependency_audit", ROOT / "scripts" / "dependency_audit.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


audit_script = _module()

REQUIREMENTS = "django==5.2.19\nrequests==2.0.0\n"


def report(*vulnerable):
    """pip-audit's JSON for REQUIREMENTS, with (package, id, aliases) vulnerabilities."""
    deps = {"django": [], "requests": []}
    for package, vuln_id, aliases in vulnerable:
        deps[package].append({"id": vuln_id, "aliases": aliases, "fix_versions": ["2.32.4"]})
    return {"dependencies": [{"name": n, "version": "x", "vulns": v} for n, v in deps.items()]}


def runner(project_report):
    """A stand-in for pip-audit: the canary is vulnerable, the project has ``project_report``."""

    def run(requirements):
        if requirements.startswith(audit_script.CANARY):
            return {"dependencies": [{"name": "django", "version": "3.2.0",
                                      "vulns": [{"id": "PYSEC-2021-98", "aliases": []}]}]}  # fmt: skip
        return project_report

    return run


EXCEPTION = """
[[exception]]
id = "{id}"
package = "requests"
accepted = 2026-11-01
review_by = {review_by}
by = "A. Lead, security"
reason = "we never send credentials through a redirect"
"""


def test_a_clean_report_passes():
    code, lines = audit_script.audit(REQUIREMENTS, "", TODAY, runner(report()))

    assert code == 0
    assert lines[0] == "audited 2 locked packages: 0 known vulnerabilities"


def test_a_known_vulnerability_without_an_exception_fails():
    found = report(("requests", "GHSA-9hjg-9r4m-mvj7", ["CVE-2024-47081"]))

    code, lines = audit_script.audit(REQUIREMENTS, "", TODAY, runner(found))

    assert code == 1
    assert any(
        "FAIL: requests x: GHSA-9hjg-9r4m-mvj7 (fixed in 2.32.4): no accepted exception" in line
        for line in lines
    )


@pytest.mark.parametrize("named_by", ["GHSA-9hjg-9r4m-mvj7", "CVE-2024-47081"])
def test_an_exception_in_force_accepts_the_vulnerability_by_id_or_alias(named_by):
    found = report(("requests", "GHSA-9hjg-9r4m-mvj7", ["CVE-2024-47081"]))
    exceptions = EXCEPTION.format(id=named_by, review_by="2026-12-31")

    code, lines = audit_script.audit(REQUIREMENTS, exceptions, TODAY, runner(found))

    assert code == 0
    assert any(
        "accepted on 2026-11-01 by A. Lead, security until 2026-12-31" in line for line in lines
    )


def test_an_expired_exception_fails_again():
    found = report(("requests", "GHSA-9hjg-9r4m-mvj7", []))
    exceptions = EXCEPTION.format(id="GHSA-9hjg-9r4m-mvj7", review_by="2026-12-01")

    code, lines = audit_script.audit(REQUIREMENTS, exceptions, TODAY, runner(found))

    assert code == 1
    assert any("expired on 2026-12-01" in line for line in lines)


def test_an_exception_for_another_package_does_not_cover_it():
    found = report(("django", "GHSA-9hjg-9r4m-mvj7", []))
    exceptions = EXCEPTION.format(id="GHSA-9hjg-9r4m-mvj7", review_by="2026-12-31")

    code, _ = audit_script.audit(REQUIREMENTS, exceptions, TODAY, runner(found))

    assert code == 1


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('id = "X"\npackage = "p"\naccepted = 2026-01-01\nreview_by = 2026-02-01\nby = "me"',
         "lacks reason"),
        ('id = "X"\npackage = "p"\naccepted = "soon"\nreview_by = 2026-02-01\nby = "me"\nreason = "r"',
         "accepted must be a date"),
        ('id = "X"\npackage = "p"\naccepted = 2026-03-01\nreview_by = 2026-02-01\nby = "me"\nreason = "r"',
         "review_by is before accepted"),
    ],
)  # fmt: skip
def test_an_undated_or_unexplained_exception_is_refused(entry, message):
    with pytest.raises(audit_script.BadExceptionsFile, match=message):
        audit_script.load_exceptions("[[exception]]\n" + entry)


def test_a_service_that_knows_nothing_makes_the_audit_skip_and_say_so():
    def blind(requirements):
        name = requirements.split("==")[0]
        return {"dependencies": [{"name": name, "skip_reason": "Dependency not found on PyPI"}]}

    code, lines = audit_script.audit(REQUIREMENTS, "", TODAY, blind)

    assert code == 0
    assert lines[0].startswith("SKIPPED: the vulnerability service answered but knows no")


def test_an_unreachable_service_makes_the_audit_skip_and_say_so():
    def offline(requirements):
        raise ConnectionError("pip-audit gave no report (exit 1): Name or service not known")

    code, lines = audit_script.audit(REQUIREMENTS, "", TODAY, offline)

    assert code == 0
    assert lines == [
        "SKIPPED: the vulnerability service could not be reached "
        "(pip-audit gave no report (exit 1): Name or service not known)"
    ]


def test_the_projects_exceptions_are_all_dated_and_explained():
    text = audit_script.EXCEPTIONS_FILE.read_text()

    for exception in audit_script.load_exceptions(text):
        assert exception.review_by <= exception.accepted + dt.timedelta(days=366), exception.id
