"""``manage.py import_organisations``: the real file, idempotence, and all-or-nothing on bad files."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from partnering.organisations.models import Kind, Organisation, Tier
from partnering.organisations.services import organisations_import

REAL_FILE = Path(settings.REFERENCE_DATA_DIR) / "local_authorities.csv"
WORCESTERSHIRE_DISTRICTS = {
    "E07000234": "Bromsgrove District Council",
    "E07000235": "Malvern Hills District Council",
    "E07000236": "Redditch Borough Council",
    "E07000237": "Worcester City Council",
    "E07000238": "Wychavon District Council",
    "E07000239": "Wyre Forest District Council",
}
NORTH_YORKSHIRE_DISTRICTS = {
    "E07000163": "Craven District Council",
    "E07000164": "Hambleton District Council",
    "E07000165": "Harrogate Borough Council",
    "E07000166": "Richmondshire District Council",
    "E07000167": "Ryedale District Council",
    "E07000168": "Scarborough Borough Council",
    "E07000169": "Selby District Council",
}
# A small, valid, self-contained slice of the real file: Worcestershire, North Yorkshire and York.
SMALL_CODES = {
    "E10000034", *WORCESTERSHIRE_DISTRICTS, "E10000023", *NORTH_YORKSHIRE_DISTRICTS,
    "E06000065", "E06000014", "E47000012",
}  # fmt: skip

pytestmark = pytest.mark.django_db


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def real_rows() -> tuple[list[str], list[dict[str, str]]]:
    with REAL_FILE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def small_rows() -> tuple[list[str], list[dict[str, str]]]:
    header, rows = real_rows()
    return header, [row for row in rows if row["gss_code"] in SMALL_CODES]


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisations", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def database_state() -> tuple[int, int, int, int]:
    """Organisations, history rows, successor links and (hash of) every row's fields."""
    fields = tuple(
        Organisation.objects.order_by("pk").values_list(
            "pk", "name", "population", "end_date", "parent_county_id", "modified_at"
        )
    )
    return (
        Organisation.objects.count(),
        Organisation.history.count(),
        Organisation.replaced_by.through.objects.count(),
        hash(fields),
    )


class TestRealFile:
    """The spot checks use the ``registry`` fixture: the real import, run once and copied."""

    def test_imports_all_424_rows_and_reports_counts(self):
        out, err = run_import(no_progress=True)

        assert Organisation.objects.count() == 424
        assert out.strip() == (
            "Imported 424 organisations from local_authorities.csv: "
            "424 created, 0 updated, 0 unchanged."
        )
        assert err == ""
        assert Organisation.history.filter(history_type="+").count() == 424

    def test_every_row_matches_the_file(self, registry):
        from partnering.organisations.importer import read_authorities

        rows = read_authorities(REAL_FILE)
        successors = {
            o.gss_code: {s.gss_code for s in o.replaced_by.all()}
            for o in Organisation.objects.prefetch_related("replaced_by")
        }
        assert len(rows) == len(registry) == 424
        for row in rows:
            org = registry[row.gss_code]
            expected = row.fields()
            actual = {k: getattr(org, k) for k in expected}
            assert actual == expected, row.gss_code
            assert (org.parent_county.gss_code if org.parent_county else "") == (
                row.parent_county_gss
            )
            assert (org.combined_authority.gss_code if org.combined_authority else "") == (
                row.combined_authority_gss
            )
            assert successors[row.gss_code] == set(row.replaced_by_gss), row.gss_code

    def test_tiers_and_kinds_match_the_sources_counts(self, registry):
        current = Organisation.objects.filter(end_date__isnull=True)

        assert current.filter(tier=Tier.COUNTY).count() == 21
        assert current.filter(tier=Tier.DISTRICT).count() == 164
        assert current.filter(kind=Kind.UNITARY).count() == 63
        assert current.filter(kind=Kind.METROPOLITAN_DISTRICT).count() == 36
        assert current.filter(kind=Kind.LONDON_BOROUGH).count() == 32
        assert current.filter(kind=Kind.COMBINED_AUTHORITY).count() == 14
        assert Organisation.objects.filter(existed_2003=True).count() == 389
        # Every district has a county parent; nothing else has one.
        assert not Organisation.objects.filter(tier=Tier.DISTRICT, parent_county=None).exists()
        assert not (
            Organisation.objects.exclude(tier=Tier.DISTRICT).exclude(parent_county=None).exists()
        )

    def test_worcestershire_has_its_six_districts(self, registry):
        county = Organisation.objects.get(gss_code="E10000034")

        assert county.name == "Worcestershire County Council"
        assert (county.kind, county.tier) == (Kind.COUNTY, Tier.COUNTY)
        assert county.org_id == "GB-LAE-WOR"
        assert county.start_date == date(1998, 4, 1)
        assert county.is_current
        districts = {o.gss_code: o.name for o in county.districts.all()}
        assert districts == WORCESTERSHIRE_DISTRICTS
        assert all(d.is_current and d.tier == Tier.DISTRICT for d in county.districts.all())

    def test_north_yorkshire_districts_ended_2023_and_were_replaced_by_the_unitary(self, registry):
        successor = Organisation.objects.get(gss_code="E06000065")
        county = Organisation.objects.get(gss_code="E10000023")

        assert successor.name == "North Yorkshire Council"
        assert successor.tier == Tier.UNITARY and successor.is_current
        assert successor.start_date == date(2023, 4, 1)
        for code, name in NORTH_YORKSHIRE_DISTRICTS.items():
            district = Organisation.objects.get(gss_code=code)
            assert district.name == name
            assert district.end_date == date(2023, 3, 31)
            assert district.parent_county == county
            assert list(district.replaced_by.all()) == [successor]
        assert county.end_date == date(2023, 3, 31)
        assert list(county.replaced_by.all()) == [successor]
        predecessors = set(successor.predecessors.values_list("gss_code", flat=True))
        assert predecessors == {*NORTH_YORKSHIRE_DISTRICTS, "E10000023"}

    def test_city_of_york_is_a_current_unitary(self, registry):
        york = Organisation.objects.get(gss_code="E06000014")

        assert york.name == "City of York Council"
        assert (york.kind, york.tier) == (Kind.UNITARY, Tier.UNITARY)
        assert york.is_current and york.parent_county is None
        assert york.combined_authority.gss_code == "E47000012"
        assert york.get_absolute_url() == "/organisations/city-of-york-council/"

    def test_a_county_split_in_two_has_both_successors(self, registry):
        cheshire = Organisation.objects.get(gss_code="E10000004")

        assert set(cheshire.replaced_by.values_list("gss_code", flat=True)) == {
            "E06000049",
            "E06000050",
        }

    def test_second_run_changes_nothing_and_says_so(self):
        run_import(no_progress=True)
        before = database_state()

        out, _ = run_import(no_progress=True)

        assert out.strip() == (
            "No changes: all 424 organisations in local_authorities.csv are up to date."
        )
        assert database_state() == before

    def test_second_run_uses_a_handful_of_queries(self, django_assert_max_num_queries):
        run_import(no_progress=True)
        with django_assert_max_num_queries(10):
            run_import(no_progress=True)

    def test_a_changed_row_is_updated_with_history(self, tmp_path):
        header, rows = small_rows()
        run_import(str(write_csv(tmp_path / "v1.csv", header, rows)), no_progress=True)
        for row in rows:
            if row["gss_code"] == "E07000235":
                row["population"] = "80000"

        out, _ = run_import(str(write_csv(tmp_path / "v2.csv", header, rows)), no_progress=True)

        assert f"{len(rows)} organisations from v2.csv: 0 created, 1 updated, " in out
        malvern = Organisation.objects.get(gss_code="E07000235")
        assert malvern.population == 80000
        latest = malvern.history.latest()
        assert latest.history_type == "~"
        assert latest.history_change_reason == "Updated from local_authorities.csv"
        assert latest.prev_record.population == 79445


class TestProgressBar:
    def test_shown_on_a_terminal(self):
        terminal = FakeTerminal()
        call_command("import_organisations", stdout=io.StringIO(), stderr=terminal)

        bar = terminal.getvalue()
        assert "Organisations: 100%" in bar
        assert "424/424" in bar

    def test_not_shown_when_output_is_not_a_terminal(self):
        out, err = run_import()

        assert err == ""
        assert "%" not in out and "\r" not in out
        assert out.startswith("Imported 424 organisations")

    def test_not_shown_with_no_progress_even_on_a_terminal(self):
        terminal = FakeTerminal()
        call_command("import_organisations", "--no-progress", stdout=io.StringIO(), stderr=terminal)

        assert terminal.getvalue() == ""
        assert Organisation.objects.count() == 424


def _set(gss: str, column: str, value: str):
    def change(rows):
        for row in rows:
            if row["gss_code"] == gss:
                row[column] = value
        return rows

    return change


def _duplicate_last(rows):
    return [*rows, dict(rows[0])]


MALFORMED_ROWS = {
    # case: (change to the rows, the GSS code of the bad row or None for "last row", reason)
    "bad gss code": (_set("E07000235", "gss_code", "E0700023X"), "E0700023X",
                     "gss_code ‘E0700023X’ is not an English GSS code (E followed by 8 digits)"),
    "welsh gss code": (_set("E07000235", "gss_code", "W06000001"), "W06000001",
                       "gss_code ‘W06000001’ is not an English GSS code"),
    "unknown type_code": (_set("E07000236", "type_code", "XYZ"), "E07000236",
                          "type_code ‘XYZ’ is not one of CTY, NMD, UA"),
    "unknown tier": (_set("E07000236", "tier", "parish"), "E07000236",
                     "tier ‘parish’ is not one of county, district, unitary"),
    "bad date": (_set("E07000164", "end_date", "2023-02-30"), "E07000164",
                 "end_date ‘2023-02-30’ is not a date in the form YYYY-MM-DD"),
    "date in another format": (_set("E07000164", "end_date", "31/03/2023"), "E07000164",
                               "end_date ‘31/03/2023’ is not a date in the form YYYY-MM-DD"),
    "end before start": (_set("E06000014", "end_date", "1990-01-01"), "E06000014",
                         "end_date 1990-01-01 is before start_date 1996-04-01"),
    "bad org_id": (_set("E07000237", "org_id", "WOC"), "E07000237",
                   "org_id ‘WOC’ is not an Org-ID such as GB-LAE-WOR"),
    "bad population": (_set("E07000237", "population", "about 100k"), "E07000237",
                       "population ‘about 100k’ is not a whole number"),
    "parent not in file": (_set("E07000238", "parent_county_gss", "E10000099"), "E07000238",
                           "parent_county_gss E10000099 is not in the file"),
    "parent is not a county": (_set("E07000238", "parent_county_gss", "E06000014"), "E07000238",
                               "parent_county_gss E06000014 has tier unitary, not county"),
    "successor not in file": (_set("E07000169", "replaced_by_gss", "E06000065;E06000099"),
                              "E07000169", "replaced_by_gss E06000099 is not in the file"),
    "replaced by itself": (_set("E07000169", "replaced_by_gss", "E07000169"), "E07000169",
                           "replaced_by_gss E07000169 is the row itself"),
    "empty name": (_set("E07000239", "name", ""), "E07000239", "name is empty"),
    "duplicate gss code": (_duplicate_last, None, "gss_code E06000014 repeats line 2"),
}  # fmt: skip


class TestMalformedFile:
    """Every bad file stops with ``<file>, line <n>: <reason>`` and writes nothing at all."""

    @pytest.fixture(autouse=True)
    def _already_imported(self, tmp_path):
        # Start from an imported registry so "nothing written" also means "nothing changed".
        header, rows = small_rows()
        organisations_import(path=write_csv(tmp_path / "good.csv", header, rows))

    def assert_rejected(self, path: Path, line: int, reason: str) -> None:
        before = database_state()
        with pytest.raises(CommandError) as error:
            run_import(str(path), no_progress=True)
        message = str(error.value)
        assert message.startswith(f"Nothing imported. {path}, line {line}: "), message
        assert reason in message, message
        assert database_state() == before

    @pytest.mark.parametrize("case", MALFORMED_ROWS)
    def test_bad_row(self, tmp_path, case):
        change, bad_gss, reason = MALFORMED_ROWS[case]
        header, rows = small_rows()
        # Make every good row differ from the database, so a partial write would show.
        for row in rows:
            row["population"] = "12345" if row["population"] else ""
        rows = change(rows)
        line = (
            len(rows) + 1
            if bad_gss is None
            else 2 + next(i for i, r in enumerate(rows) if r["gss_code"] == bad_gss)
        )
        self.assert_rejected(write_csv(tmp_path / "bad.csv", header, rows), line, reason)

    def test_bad_last_row_after_424_good_ones_writes_nothing(self, tmp_path):
        header, rows = real_rows()
        rows.append({**rows[-1], "gss_code": "E99999999", "end_date": "yesterday"})
        path = write_csv(tmp_path / "bad-last.csv", header, rows)

        self.assert_rejected(path, 426, "end_date ‘yesterday’ is not a date")
        assert Organisation.objects.count() == len(SMALL_CODES)

    def test_invalid_last_row_found_while_writing_rolls_back_every_row(self, tmp_path):
        """A row that only the model rejects (name too long) is caught after earlier rows were
        saved: the transaction rolls them all back."""
        header, rows = real_rows()
        rows[-1]["name"] = "G" * 201
        path = write_csv(tmp_path / "too-long.csv", header, rows)

        self.assert_rejected(
            path, 425, "name: Ensure this value has at most 200 characters (it has 201)."
        )
        assert Organisation.objects.count() == len(SMALL_CODES)

    def test_missing_column(self, tmp_path):
        header, rows = small_rows()
        header = [h for h in header if h != "tier"]
        for row in rows:
            del row["tier"]
        self.assert_rejected(
            write_csv(tmp_path / "no-tier.csv", header, rows), 1, "missing column(s): tier"
        )

    def test_empty_file(self, tmp_path):
        path = tmp_path / "empty.csv"
        path.write_text("")
        self.assert_rejected(path, 1, "the file is empty: no header row")

    @pytest.mark.parametrize(
        "edit",
        [lambda line: line + ",extra", lambda line: line.rsplit(",", 3)[0]],
        ids=["one-column-too-many", "three-columns-short"],
    )
    def test_ragged_row(self, tmp_path, edit):
        header, rows = small_rows()
        path = write_csv(tmp_path / "ragged.csv", header, rows)
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[5] = edit(lines[5])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        self.assert_rejected(path, 6, f"wrong number of columns (the header has {len(header)})")

    def test_not_utf8_reports_the_line_of_the_bad_byte(self, tmp_path):
        header, rows = real_rows()
        path = write_csv(tmp_path / "latin1.csv", header, rows)
        data = path.read_bytes().splitlines(keepends=True)
        data[-1] = data[-1].replace(
            b"Greater London Authority", "Gréater London Authority".encode("latin-1")
        )
        path.write_bytes(b"".join(data))

        self.assert_rejected(path, 425, "the file is not UTF-8 text (byte 0xe9)")

    def test_not_utf8_in_the_header(self, tmp_path):
        path = tmp_path / "latin1-header.csv"
        path.write_bytes("gss_code,nàme\n".encode("latin-1"))
        self.assert_rejected(path, 1, "the file is not UTF-8 text")

    def test_missing_file(self, tmp_path):
        path = tmp_path / "nowhere.csv"
        self.assert_rejected(path, 0, "cannot open the file (No such file or directory)")

    def test_utf8_bom_is_accepted(self, tmp_path):
        header, rows = small_rows()
        path = write_csv(tmp_path / "bom.csv", header, rows)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

        out, _ = run_import(str(path), no_progress=True)

        assert out.startswith(f"No changes: all {len(SMALL_CODES)} organisations in bom.csv")
