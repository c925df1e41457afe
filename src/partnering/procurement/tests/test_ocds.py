"""Open contracting output: schema-valid OCDS 1.1.5 (the standard's own schema through
../shared/standards/validate.py, and the Open Contracting Partnership's checker, libcoveocds,
offline with --standard-zip), with stable ids and parties once each."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from partnering.partnerships.tests.factories import make_partnership
from partnering.procurement import ocds, services
from partnering.procurement.models import Procurement

from .factories import run_to_award

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[4]  # the repository; ../shared is beside it
STANDARDS = ROOT.parent / "shared" / "standards"
PREFIX = "ocds-t3stpx"


@pytest.fixture(autouse=True)
def prefix(settings):
    settings.OCDS_OCID_PREFIX = PREFIX


def validate(tmp_path: Path, package: dict) -> None:
    """Both checkers. libcoveocds resolves a record package's reference to the versioned release
    schema over the network even with --standard-zip, so a record package is checked by it as a
    release package of its records' releases and compiled releases (the same objects)."""
    check_schema(tmp_path, package)
    if "records" in package:
        releases = [r for rec in package["records"] for r in [*rec["releases"],
                    rec["compiledRelease"]]]  # fmt: skip
        head = {k: v for k, v in package.items() if k not in ("records", "packages")}
        package = {**head, "releases": releases}
        check_schema(tmp_path, package)
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    libcove = Path(sys.executable).parent / "libcoveocds"
    report = subprocess.run(
        [str(libcove), "--standard-zip", str(STANDARDS / "ocds" / "standard-1__1__5.zip"),
         str(path)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert report.stdout.strip(), report.stderr[-2000:]
    data = json.loads(report.stdout)
    for key in (
        "validation_errors",
        "additional_closed_codelist_values",
        "additional_fields",
        "additional_checks",
        "deprecated_fields",
    ):
        assert not data.get(key), (key, data.get(key))
    assert "validation_errors" in data and "additional_fields" in data


def check_schema(tmp_path: Path, package: dict) -> None:
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    result = subprocess.run(
        [sys.executable, str(STANDARDS / "validate.py"), "ocds", str(path), "--ocid-prefix", PREFIX],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def exempt_arrangement():
    p = make_partnership(2)
    proc = services.procurement_create(
        partnership=p, title="Shared revenues and benefits", route="exempt_horizontal",
        buyer=p.lead_organisation, rationale="The two councils share one service", actor=None,
    )  # fmt: skip
    partner = p.memberships.exclude(organisation=p.lead_organisation).get().organisation
    services.award_record(procurement=proc, supplier=partner, value="400000", term_months=60,
                          decided_on=date(2005, 1, 10), actor=None)  # fmt: skip
    services.contract_sign(procurement=proc, title="Shared service agreement",
                           starts_on=date(2005, 4, 1), ends_on=date(2010, 3, 31), value="400000",
                           signed_on=date(2005, 2, 1), actor=None)  # fmt: skip
    return proc


def test_release_and_record_packages_validate(tmp_path):
    proc, _companies = run_to_award()
    services.contract_change_add(contract=proc.contract, kind="extension", on=date(2013, 1, 1),
                                 description="Two more years", new_end=date(2016, 7, 28),
                                 actor=None)  # fmt: skip
    exempt = exempt_arrangement()
    procs = [Procurement.objects.get(pk=proc.pk), Procurement.objects.get(pk=exempt.pk)]
    releases = [ocds.release_json(r, p.process_id) for p in procs for r in p.releases.all()]
    uri = "http://testserver/open-data/ocds/releases.json"
    validate(tmp_path, ocds.release_package(uri, releases))
    validate(tmp_path, ocds.record_package(uri, procs))


def test_parties_once_with_org_ids_and_references_by_id():
    proc, companies = run_to_award(bidders=3)
    record = ocds.record(proc)
    compiled = record["compiledRelease"]
    ids = [p["id"] for p in compiled["parties"]]
    assert len(ids) == len(set(ids))
    winner = companies[0]
    number = winner.org_id[-8:]
    supplier = next(p for p in compiled["parties"] if p["id"] == f"GB-COH-{number}")
    assert supplier["identifier"] == {"scheme": "GB-COH", "id": number, "legalName": winner.name}
    assert set(supplier["roles"]) == {"tenderer", "supplier"}
    assert compiled["awards"][0]["suppliers"] == [{"id": f"GB-COH-{number}", "name": winner.name}]
    assert compiled["tender"]["numberOfTenderers"] == 3
    assert compiled["awards"][0]["value"] == {"amount": 9500000, "currency": "GBP"}
    assert record["ocid"] == f"{PREFIX}-{proc.process_id}"


def test_exempt_arrangement_is_direct_with_its_legal_basis():
    compiled = ocds.record(exempt_arrangement())["compiledRelease"]
    assert compiled["tender"]["procurementMethod"] == "direct"
    assert "reg. 12(7)" in compiled["tender"]["procurementMethodRationale"]
    assert "share one service" in compiled["tender"]["procurementMethodRationale"]
    assert "tenderers" not in compiled["tender"]


def test_published_releases_never_change(settings):
    proc, _ = run_to_award(sign=False)
    before = [ocds.release_json(r, proc.process_id) for r in proc.releases.all()]
    services.stage_record(procurement=proc, stage="standstill", on=date(2004, 7, 20), actor=None)
    after = [ocds.release_json(r, proc.process_id) for r in proc.releases.all()]
    assert after[: len(before)] == before
    assert len({r["id"] for r in after}) == len(after)


def test_no_prefix_no_ocid(settings):
    settings.OCDS_OCID_PREFIX = ""
    assert not ocds.is_publishing()
    settings.OCDS_OCID_PREFIX = "ocds-made"  # malformed: refused too
    assert not ocds.is_publishing()
