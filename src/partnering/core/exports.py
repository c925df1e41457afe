"""CSV and XLSX downloads of tables."""

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse


class _Echo:
    def write(self, value: str) -> str:
        return value


# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in text cells (numbers such as -12.5 stay)."""
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS and not _is_number(value):
        return "'" + value
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    about: Sequence[tuple[str, Any]] = (),
) -> StreamingHttpResponse:
    """Streamed CSV. ``about`` (what the file is, from where and when) becomes columns repeated on
    every row, so the file still says where it came from after it is filtered or pasted."""
    writer = csv.writer(_Echo())
    about_titles = [label.lower() for label, _ in about]
    about_values = [_safe(value.isoformat() if isinstance(value, date) else value)
                    for _, value in about]  # fmt: skip

    def generate() -> Iterable[str]:
        yield writer.writerow([*header, *about_titles])
        for row in rows:
            yield writer.writerow([*(_safe(v) for v in row), *about_values])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: Excel number formats by column kind: money sums as money, dates sort as dates.
XLSX_FORMATS = {
    "money": "£#,##0.00;-£#,##0.00",
    "number": "#,##0.##########",
    "percent": '0.0"%"',
    "date": "d mmm yyyy",
}


def xlsx_response(
    filename: str,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    about: Sequence[tuple[str, Any]] = (),
    kinds: Sequence[str] | None = None,
) -> HttpResponse:
    """One sheet: optional ``about`` lines (what the file is, from where and when), a blank
    row, then the header and the rows. Numbers and dates stay numbers and dates; ``kinds``
    (one per column: ``text``, ``money``, ``number``, ``percent``, ``date``) gives them their
    Excel format so a column of money sums as money."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    bold = Font(bold=True)

    def cell(value: Any, number_format: str | None = None, strong: bool = False) -> Any:
        written = WriteOnlyCell(worksheet, value=value)
        if number_format and isinstance(value, (int, float, Decimal, date)):
            written.number_format = number_format
        if strong:
            written.font = bold
        return written

    for label, value in about:
        kind = "date" if isinstance(value, date) else "text"
        worksheet.append([cell(label, strong=True), cell(_safe(value), XLSX_FORMATS.get(kind))])
    if about:
        worksheet.append([])
    worksheet.append([cell(title, strong=True) for title in header])
    formats = [XLSX_FORMATS.get(kind) for kind in (kinds or [])]
    for row in rows:
        worksheet.append(
            [cell(_safe(v), formats[i] if i < len(formats) else None) for i, v in enumerate(row)]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
