"""The register and recommendation downloads say which partnership, matrix version and day they
come from (issue 8, part 11): every CSV row carries it, the XLSX says it above the table."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnering.core.tests.factories import UserFactory

from .factories import make_partnership, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    staff = UserFactory(role="staff")
    client.force_login(staff)
    return client, staff


def _rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_register_csv_says_which_partnership_matrix_and_day_on_every_row(signed_in):
    client, staff = signed_in
    partnership = make_partnership()
    for _ in range(2):
        make_risk(partnership, staff)

    rows = _rows(client.get(reverse("assurance:risk-download", args=[partnership.slug, "csv"])))

    assert len(rows) == 2
    for row in rows:
        assert row["partnership"] == partnership.name
        assert row["risk matrix"].endswith("version 1")
        assert date.fromisoformat(row["downloaded on"])


def test_the_register_xlsx_says_it_above_the_table(signed_in):
    client, staff = signed_in
    partnership = make_partnership()
    make_risk(partnership, staff)

    response = client.get(reverse("assurance:risk-download", args=[partnership.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    about = {row[0]: row[1] for row in sheet.iter_rows(max_row=5, values_only=True)}

    assert about["Partnership"] == partnership.name
    assert about["Risk matrix"].endswith("version 1")
    assert about["Downloaded on"] is not None


def test_the_recommendations_csv_says_which_partnership(signed_in):
    client, _ = signed_in
    partnership = make_partnership()

    response = client.get(
        reverse("assurance:recommendation-download", args=[partnership.slug, "csv"])
    )
    header = b"".join(response.streaming_content).decode().splitlines()[0]

    assert header.endswith("partnership,figures,downloaded on")
