"""Issue 8 part 11: downloads people can use. Every CSV and XLSX download of the service says
where it is from (the list and its filters, or the partnership and version), whether its figures
are illustrative, and the day it was made; in a spreadsheet dates are dates and money, numbers
and percentages are numbers with a format, never text.

The downloads are found from the URL patterns: a new route that looks like a download (a name
or path with "download", ".csv", ".xlsx" or ".<fmt>") fails this module until it is added to
``DOWNLOADS`` (with data to download) or to ``NOT_TABLES`` (with the reason it is no table)."""

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnering.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[1]

# Routes that look like downloads but are no table: the file or format is someone else's.
NOT_TABLES = {
    "funding:evidence-download": "a claim's evidence, returned as the applicant uploaded it",
    "library:attachment-download": "a document's attachment, returned as the editor uploaded it",
    "open311:discovery": "the Open311 GeoReport v2 API (JSON or XML)",
    "open311:services": "the Open311 GeoReport v2 API (JSON or XML)",
    "open311:service": "the Open311 GeoReport v2 API (JSON or XML)",
    "open311:requests": "the Open311 GeoReport v2 API (JSON or XML)",
    "open311:request": "the Open311 GeoReport v2 API (JSON or XML)",
    "open311:token": "the Open311 GeoReport v2 API (JSON or XML)",
}

LOOKS_LIKE_A_DOWNLOAD = re.compile(r"download|\.csv$|\.xlsx$|\.<str:fmt>$|csv")


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _routes(p.url_patterns, prefix + str(p.pattern), inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name, prefix + str(p.pattern)


def download_routes() -> set[str]:
    return {
        name
        for name, route in _routes(get_resolver().url_patterns)
        if LOOKS_LIKE_A_DOWNLOAD.search(name) or LOOKS_LIKE_A_DOWNLOAD.search(route)
    }


# --- data for each download: a function giving the client and the URLs of its formats --------

Built = tuple[Client, list[str]]


def _staff() -> Client:
    client = Client()
    client.force_login(UserFactory(role="staff"))
    return client


def organisations() -> Built:
    from partnering.organisations.tests.factories import OrganisationFactory

    OrganisationFactory(name="Testshire County Council", county=True, population=None)
    url = reverse("organisations:organisation-csv")
    return Client(), [url + "?tier=county", url]


def partnerships() -> Built:
    from partnering.partnerships.tests.factories import make_partnership

    make_partnership(2, is_demo=True)
    url = reverse("partnerships:partnership-csv")
    return Client(), [url + "?pathfinder=no", url]


def contracts_register() -> Built:
    from partnering.procurement.tests.factories import run_to_award

    procurement, _ = run_to_award()
    url = reverse("procurement_open_data:register-csv", kwargs={"org": procurement.buyer.slug})
    return Client(), [url]


def front_door_queue() -> Built:
    from partnering.frontdoor.tests.factories import ServiceRequestFactory, council_staff
    from partnering.organisations.tests.factories import OrganisationFactory

    council = OrganisationFactory()
    ServiceRequestFactory(council=council)
    client = Client()
    client.force_login(council_staff(council))
    url = reverse("frontdoor:queue-csv", kwargs={"slug": council.slug})
    return client, [url, url + "?status=received&service=557"]


def funding_money() -> Built:
    from partnering.funding.tests.factories import make_award

    make_award()
    return Client(), [reverse("funding:money-download", args=[f]) for f in ("csv", "xlsx")]


def funding_grants() -> Built:
    from partnering.funding.models import ApplicationStatus
    from partnering.funding.tests.factories import AwardFactory

    AwardFactory(is_published=True, is_demo=True, application__status=ApplicationStatus.AWARDED)
    return Client(), [reverse("funding:grants-flat", args=[f]) for f in ("csv", "xlsx")]


def _assured() -> Any:
    from partnering.assurance import services
    from partnering.assurance.tests.factories import make_partnership, make_review, make_risk

    staff = UserFactory(role="staff")
    partnership = make_partnership()
    review = make_review(partnership)
    services.recommendation_add(review=review, text="Agree the exit terms", urgency="essential",
                                owner=staff, due_on=date(2003, 6, 30), actor=None)  # fmt: skip
    make_risk(partnership, staff)
    return partnership


def recommendations() -> Built:
    slug = _assured().slug
    urls = [reverse("assurance:recommendation-download", args=[slug, f]) for f in ("csv", "xlsx")]
    return _staff(), urls


def risk_register() -> Built:
    slug = _assured().slug
    return _staff(), [reverse("assurance:risk-download", args=[slug, f]) for f in ("csv", "xlsx")]


def _calculated() -> Any:
    from partnering.sharing import services
    from partnering.sharing.models import CostModel
    from partnering.sharing.tests.factories import make_partnership, spec_for

    partnership = make_partnership(3)
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    cost_model = CostModel.objects.get(partnership=partnership)
    services.agreement_record(cost_model=cost_model, method="shapley", agreed_on=date(2002, 7, 1),
                              reason="Board", actor=None)  # fmt: skip
    return partnership


def sharing_tables() -> Built:
    slug = _calculated().slug
    return Client(), [
        reverse("sharing:download", args=[slug, 1, table, f])
        for table in ("inputs", "methods", "savings")
        for f in ("csv", "xlsx")
    ]


def sharing_agreements() -> Built:
    slug = _calculated().slug
    return Client(), [
        reverse("sharing:agreement-download", args=[slug, f]) for f in ("csv", "xlsx")
    ]


DOWNLOADS: dict[str, Callable[[], Built]] = {
    "organisations:organisation-csv": organisations,
    "partnerships:partnership-csv": partnerships,
    "procurement_open_data:register-csv": contracts_register,
    "frontdoor:queue-csv": front_door_queue,
    "funding:money-download": funding_money,
    "funding:grants-flat": funding_grants,
    "assurance:recommendation-download": recommendations,
    "assurance:risk-download": risk_register,
    "sharing:download": sharing_tables,
    "sharing:agreement-download": sharing_agreements,
}


def test_every_download_route_is_checked_here():
    found = download_routes()
    assert found - set(DOWNLOADS) - set(NOT_TABLES) == set(), "a download this module misses"
    assert set(DOWNLOADS) | set(NOT_TABLES) <= found, "a route here that is gone"


def test_table_downloads_are_made_only_through_core_exports():
    """A view that writes its own CSV or spreadsheet would skip the about lines and the kinds."""
    allowed = {SRC / "core" / "exports.py", SRC / "library" / "samples.py"}
    writers = re.compile(r"csv\.writer\(|content_type=\"text/csv|openpyxl")
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        and path not in allowed and writers.search(path.read_text())
    ]  # fmt: skip
    assert found == []


# --- what each file says --------------------------------------------------------------------

ABOUT = {"figures", "downloaded on"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def check_csv(url: str, rows: list[list[str]]) -> None:
    header = [title.lower() for title in rows[0]]
    assert set(header) >= ABOUT, url
    assert {"source", "partnership"} & set(header), url
    assert len(rows) > 1, f"{url}: no rows to check"
    today = timezone.localdate().isoformat()
    for row in rows[1:]:
        assert len(row) == len(header), url
        assert row[header.index("downloaded on")] == today, url
        assert row[header.index("figures")], url


def _about_and_table(sheet) -> tuple[dict[str, Any], list[list[Any]]]:
    rows = list(sheet.iter_rows())
    if rows and rows[0][0].value in ("Source", "Partnership"):
        blank = next(i for i, row in enumerate(rows) if all(c.value is None for c in row))
        return {r[0].value: r[1] for r in rows[:blank]}, rows[blank + 1 :]
    header = [c.value for c in rows[0]]  # about lines as last columns (360Giving's layout)
    return {title: rows[1][i] for i, title in enumerate(header) if title in (
        "Source", "Partnership", "Figures", "Downloaded on")}, rows  # fmt: skip


def check_xlsx(url: str, response) -> None:
    sheet = load_workbook(io.BytesIO(response.content)).active
    about, table = _about_and_table(sheet)
    header = [str(c.value).lower() for c in table[0]]
    assert {"source", "partnership"} & {str(k).lower() for k in about}, url
    assert "Figures" in about or "figures" in header, url
    made = about["Downloaded on"]
    assert made.is_date and made.value.date() == timezone.localdate(), url
    assert made.number_format == "d mmmm yyyy", url
    assert len(table) > 1, f"{url}: no rows to check"
    for row in table[1:]:
        for title, c in zip(header, row, strict=False):
            if isinstance(c.value, str):
                assert not ISO_DATE.match(c.value), f"{url} {title}: a date written as text"
                assert not NUMBER.match(c.value), f"{url} {title}: a number written as text"
            if isinstance(c.value, datetime | date):
                assert c.number_format == "d mmmm yyyy", f"{url} {title}"
            if isinstance(c.value, float | Decimal):
                assert c.number_format != "General", f"{url} {title}: a number without a format"


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_each_download_says_where_it_is_from_if_illustrative_and_when(name):
    client, urls = DOWNLOADS[name]()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename="), url
        if disposition.rstrip('"').endswith(".csv"):
            check_csv(url, _csv(response))
        else:
            check_xlsx(url, response)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_no_download_is_stored_whatever_its_format(name):
    """Issue 8 part 6: every CSV and XLSX download sends Cache-Control: no-store, to the public
    as well as to people signed in (a shared computer's cache keeps no copy)."""
    client, urls = DOWNLOADS[name]()
    formats = set()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        formats.add("xlsx" if response["Content-Type"] == XLSX else "csv")
        assert response["Cache-Control"] == "no-store", url
    assert formats == ({"csv", "xlsx"} if any("xlsx" in url for url in urls) else {"csv"})


def test_the_filters_of_a_list_are_named_in_its_csv():
    _, [filtered, everything] = organisations()
    rows = _csv(Client().get(filtered))
    header = rows[0]
    assert rows[1][header.index("filters")] == "Tier: County"
    rows = _csv(Client().get(everything))
    assert rows[1][header.index("filters")].startswith("None")
    assert rows[1][header.index("is_demo")] == "no"
    assert rows[1][header.index("figures")].startswith("Rows with is_demo = yes")


def test_money_in_a_csv_always_has_two_decimal_places():
    client, [csv_url, _] = funding_money()
    rows = _csv(client.get(csv_url))
    budget = rows[0].index("Budget")
    assert all(re.fullmatch(r"-?\d+\.\d\d", row[budget]) for row in rows[1:] if row[budget])
    assert rows[1][rows[0].index("figures")] == "Real records"


def test_the_360giving_csv_writes_money_with_pence_and_says_demo_awards_are_illustrative():
    client, [csv_url, _] = funding_grants()
    rows = _csv(client.get(csv_url))
    assert rows[1][rows[0].index("Amount Awarded")] == "1000.00"
    assert rows[1][rows[0].index("figures")].startswith("Illustrative")


def test_the_360giving_spreadsheet_keeps_its_header_first_with_typed_money_and_dates():
    client, [_, xlsx_url] = funding_grants()
    sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:3] == ["Identifier", "Title", "Description"]
    amount = rows[1][header.index("Amount Awarded")]
    assert amount.value == 1000 and amount.number_format.startswith("£")
    awarded = rows[1][header.index("Award Date")]
    assert awarded.is_date and awarded.value.date() == date(2002, 12, 1)
