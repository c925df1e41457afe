"""``core.exports``: CSV and XLSX downloads, with spreadsheet formula injection neutralised."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partnering.core.exports import csv_response, xlsx_response


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


class TestCsvResponse:
    def test_is_an_attachment_with_the_filename(self):
        response = csv_response("organisations.csv", ["a"], [])

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'

    def test_writes_header_then_rows(self):
        response = csv_response(
            "x.csv", ["name", "when", "amount"], [("Worcester", date(2003, 4, 1), Decimal("1.50"))]
        )

        assert csv_rows(response) == [
            ["name", "when", "amount"],
            ["Worcester", "2003-04-01", "1.50"],
        ]

    def test_none_is_blank_and_commas_and_quotes_are_escaped(self):
        response = csv_response("x.csv", ["a", "b"], [(None, 'Hereford, "and" Worcester')])

        assert csv_rows(response)[1] == ["", 'Hereford, "and" Worcester']

    def test_streams_a_generator_lazily(self):
        consumed = []

        def rows():
            for n in range(3):
                consumed.append(n)
                yield (n,)

        response = csv_response("x.csv", ["n"], rows())
        assert consumed == []
        assert csv_rows(response) == [["n"], ["0"], ["1"], ["2"]]

    @pytest.mark.parametrize(
        ("value", "written"),
        [
            ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-12.5", "-12.5"),
            ("+44", "+44"),
            ("Malvern Hills", "Malvern Hills"),
            ("a=b", "a=b"),
        ],
    )
    def test_formula_injection_is_neutralised(self, value, written):
        assert csv_rows(csv_response("x.csv", ["v"], [(value,)]))[1] == [written]

    def test_numbers_are_not_touched(self):
        assert csv_rows(csv_response("x.csv", ["v", "w"], [(-5, 0)]))[1] == ["-5", "0"]


class TestXlsxResponse:
    def read(self, response):
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        workbook = load_workbook(io.BytesIO(response.content))
        return workbook

    def test_writes_a_sheet_with_header_and_rows(self):
        response = xlsx_response(
            "report.xlsx",
            "Organisations",
            ["name", "population"],
            [("Redditch", 85568), ("York", None)],
        )
        workbook = self.read(response)

        assert response["Content-Disposition"] == 'attachment; filename="report.xlsx"'
        assert workbook.sheetnames == ["Organisations"]
        rows = list(workbook["Organisations"].iter_rows(values_only=True))
        assert rows == [("name", "population"), ("Redditch", 85568), ("York", None)]

    def test_long_sheet_names_are_cut_to_excels_31_characters(self):
        workbook = self.read(xlsx_response("r.xlsx", "S" * 40, ["a"], []))

        assert workbook.sheetnames == ["S" * 31]

    def test_formulas_are_stored_as_text(self):
        workbook = self.read(xlsx_response("r.xlsx", "s", ["a"], [("=1+1",)]))
        cell = workbook["s"]["A2"]

        assert cell.data_type == "s"
        assert cell.value == "'=1+1"
