"""360Giving 1.4.3: the package validates with ../shared/standards/validate.py (zero errors), and
the data quality rules of docs/open-data.md hold, each written as a test."""

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from partnering.funding import open_data
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import finance_user, make_award, make_claim, make_round, staff_user

pytestmark = pytest.mark.django_db

VALIDATE = Path(settings.BASE_DIR).parent / "shared" / "standards" / "validate.py"
ORG_ID = re.compile(r"^(GB-LAE-[A-Z0-9]+|GB-COH-[A-Z0-9]{8}|GB-CHC-\d+|GB-GOR-[A-Z0-9]+|360G-.+)$")
GSS = re.compile(r"^E(06|07|08|09|10)\d{6}$")


@pytest.fixture
def grants(db):
    staff = staff_user()
    round_ = make_round(actor=staff, budget="100000.00")
    county = OrganisationFactory(county=True, org_id="GB-LAE-TST", name="Testshire County Council")
    district = OrganisationFactory(org_id="GB-LAE-TSD")
    one = make_award(
        round_, actor=staff, partnership=make_partnership(2, lead=county, members=[district])
    )
    two = make_award(round_, actor=staff, amounts=("1250.50",), title="A" * 140)
    claim = make_claim(one)
    from partnering.funding import services as s

    s.claim_approve(claim=claim, actor=finance_user())
    s.payment_record(claim=claim, paid_on=date(2003, 8, 1), reference="P1", actor=finance_user())
    response = Client().get("/funding/360giving/grants.json")
    assert response.status_code == 200
    return json.loads(response.content), one, two


def _validate(tmp_path, package) -> subprocess.CompletedProcess:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps(package))
    return subprocess.run(
        [sys.executable, str(VALIDATE), "360giving", str(path), "--prefix", open_data.prefix()],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_package_validates_against_360giving_1_4_3(grants, tmp_path):
    package, _, _ = grants
    result = _validate(tmp_path, package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid (0 errors" in result.stdout


def test_the_validator_catches_a_broken_grant(grants, tmp_path):
    """The check can fail: a grant without an amount or with a foreign prefix is invalid."""
    package, _, _ = grants
    del package["grants"][0]["amountAwarded"]
    package["grants"][1]["id"] = "360G-other-1"
    result = _validate(tmp_path, package)
    assert result.returncode == 1
    assert "amountAwarded" in result.stdout and "prefix" in result.stdout


# --- the data quality rules (docs/open-data.md) ------------------------------------------------


def test_rule_1_every_id_has_the_prefix_and_the_award_id(grants):
    package, one, two = grants
    ids = [g["id"] for g in package["grants"]]
    assert ids == [f"360G-spt-{one.pk}", f"360G-spt-{two.pk}"]
    assert len(set(ids)) == len(ids)


@override_settings(FUNDING_360G_PREFIX="example", FUNDING_FUNDER_ORG_ID="GB-GOR-EA1")
def test_rule_1_the_prefix_and_funder_are_settings(grants):
    _, one, _ = grants
    package = open_data.package(base_url="https://example.org")
    assert package["grants"][0]["id"] == f"360G-example-{one.pk}"
    assert package["grants"][0]["fundingOrganization"][0]["id"] == "GB-GOR-EA1"


def test_rule_2_every_organisation_has_an_org_id_of_a_known_shape(grants):
    package, _, _ = grants
    for g in package["grants"]:
        for org in g["recipientOrganization"] + g["fundingOrganization"]:
            assert ORG_ID.match(org["id"]), org
    assert package["grants"][0]["recipientOrganization"][0]["id"] == "GB-LAE-TST"


def test_rule_3_dates_are_in_range_and_in_order(grants):
    package, _, _ = grants
    for g in package["grants"]:
        award = date.fromisoformat(g["awardDate"])
        planned = g["plannedDates"][0]
        start, end = (
            date.fromisoformat(planned["startDate"]),
            date.fromisoformat(planned["endDate"]),
        )
        assert date(2000, 1, 1) <= award <= timezone.localdate()
        assert award <= start <= end and planned["duration"] >= 1
        assert g["dateModified"].endswith("Z")


def test_rule_4_no_zero_or_negative_amounts(grants):
    package, _, two = grants
    for g in package["grants"]:
        assert g["amountAwarded"] > 0
        assert g.get("amountDisbursed", 1) > 0
    assert package["grants"][1]["amountAwarded"] == 1250.5 == float(two.amount)


def test_rule_5_beneficiary_locations_with_gss_codes_and_their_type(grants):
    package, _, _ = grants
    for g in package["grants"]:
        assert g["beneficiaryLocation"]
        for loc in g["beneficiaryLocation"]:
            assert GSS.match(loc["geoCode"])
            assert loc["geoCodeType"] == open_data.GEO_CODE_TYPES[loc["geoCode"][:3]]
    assert {x["geoCodeType"] for x in package["grants"][0]["beneficiaryLocation"]} == {"CTY", "NMD"}


def test_rule_6_titles_are_at_most_140_characters_and_programmes_named(grants):
    package, _, _ = grants
    for g in package["grants"]:
        assert 0 < len(g["title"]) <= 140
        assert len(g["grantProgramme"]) == 2 and all(
            p["code"] and p["title"] for p in g["grantProgramme"]
        )
        assert g["dataSource"].startswith("http") and g["currency"] == "GBP"


def test_only_published_awards_are_published(grants):
    _, one, two = grants
    one.is_published = False
    one.save()
    package = json.loads(Client().get("/funding/360giving/grants.json").content)
    assert [g["id"] for g in package["grants"]] == [f"360G-spt-{two.pk}"]


def test_the_csv_uses_the_360giving_column_titles_one_row_a_grant(grants):
    response = Client().get("/funding/360giving/grants.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    for title in (
        "Identifier",
        "Title",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Funding Org:Identifier",
        "Planned Dates:Start Date",
        "Grant Programme:0:Title",
        "Beneficiary Location:0:Geographic Code",
        "Beneficiary Location:0:Geographic Code Type",
    ):
        assert title in header
    assert len(rows) == 3
    assert rows[1][header.index("Amount Awarded")] == "1000.00"  # money always with pence


def test_the_xlsx_has_the_same_layout(grants):
    from openpyxl import load_workbook

    response = Client().get("/funding/360giving/grants.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    assert header[:3] == ["Identifier", "Title", "Description"]
    assert sheet.max_row == 3


def test_the_api_gives_the_same_package(grants):
    package, _, _ = grants
    api = Client().get("/api/v1/funding/360giving").json()
    assert [g["id"] for g in api["grants"]] == [g["id"] for g in package["grants"]]


def test_three_queries_for_any_number_of_grants(grants, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        open_data.package(base_url="https://example.org")


SCHEMA = VALIDATE.parent / "360giving" / "1.4.3" / "360-giving-schema.json"


def test_the_csv_unflattens_with_flattentool_into_the_packages_grants(grants, tmp_path):
    """360Giving's own tool reads the CSV back into the package's grants (the download's three
    columns saying where it is from come back as three extra keys, nothing else)."""
    import flattentool

    package, _one, _two = grants
    body = Client().get("/funding/360giving/grants.csv")
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "grants.csv").write_bytes(b"".join(body.streaming_content))
    out = tmp_path / "unflattened.json"
    flattentool.unflatten(str(folder), input_format="csv", output_name=str(out),
                          root_list_path="grants", schema=str(SCHEMA), convert_titles=True,
                          id_name="id")  # fmt: skip
    back = {g["id"]: g for g in json.loads(out.read_text())["grants"]}
    assert back.keys() == {g["id"] for g in package["grants"]}
    for grant in package["grants"]:
        got = dict(back[grant["id"]])
        extras = {k: got.pop(k) for k in list(got) if k not in grant}
        assert set(extras) == {"source", "figures", "downloaded on"}, extras
        assert json.loads(json.dumps(got, default=str)) == json.loads(json.dumps(grant)), grant[
            "id"
        ]
