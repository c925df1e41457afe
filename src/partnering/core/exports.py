"""CSV and XLSX downloads of tables.

Every download says what it is from and when (``about``): its source (the list and its
filters, or the partnership and version), whether the figures are illustrative, and the day it
was downloaded (``about_lines`` builds them in that order). Columns have kinds (``text``,
``money``, ``number``, ``percent``, ``date``): in a CSV money is always written with two decimal
places, percentages with one and dates as ISO 8601; in a spreadsheet the cells stay numbers and
dates with an Excel format, so a column of money sums as money and dates sort as dates.
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

#: The "Figures" line: whether a file's figures are real or made up for the demo.
FIGURES_REAL = "Real records"
FIGURES_ILLUSTRATIVE = "Illustrative figures made up for the demo, not real records"
FIGURES_SOME_ILLUSTRATIVE = (
    "Some of these records are illustrative, made up for the demo; the others are real"
)


def figures_words(illustrative: Iterable[bool]) -> str:
    """The "Figures" line for records each of which is illustrative or not."""
    flags = list(illustrative)
    if flags and all(flags):
        return FIGURES_ILLUSTRATIVE
    return FIGURES_SOME_ILLUSTRATIVE if any(flags) else FIGURES_REAL


def figures_by_row(column: str, yes: str = "yes") -> str:
    """The "Figures" line of a file that flags each row (a list streamed as it is read)."""
    return f"Rows with {column} = {yes} are illustrative, made up for the demo; the others are real"


def about_lines(source: str, figures: str, *more: tuple[str, Any]) -> list[tuple[str, Any]]:
    """What a download is: where it is from, anything else it needs to say (the filters, a
    version), whether the figures are illustrative, and the day it was downloaded."""
    return [
        ("Source", source),
        *more,
        ("Figures", figures),
        ("Downloaded on", timezone.localdate()),
    ]


def filters_words(form: Any) -> str:
    """The filters a list form applied, in words ("Tier: County; Search: Testshire")."""
    from partnering.core.templatetags.govuk import selected_filters

    groups = selected_filters(form)
    if not groups:
        return "None: every record you may see"
    return "; ".join(
        f"{group['label']}: {', '.join(str(item['text']) for item in group['items'])}"
        for group in groups
    )


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


def csv_cell(value: Any, kind: str = "text") -> Any:
    """A value as a CSV writes it: money with two decimal places, percentages with one, whole
    numbers without a decimal point, dates as ISO 8601, nothing for None."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return f"{Decimal(str(value)):.2f}"
    if kind == "percent":
        return f"{float(value):.1f}"
    if kind == "number" and isinstance(value, (Decimal, float)) and value == int(value):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    about: Sequence[tuple[str, Any]] = (),
    kinds: Sequence[str] | None = None,
) -> StreamingHttpResponse:
    """Streamed CSV. ``about`` (what the file is, from where and when) becomes columns repeated on
    every row, so the file still says where it came from after it is filtered or pasted.
    ``kinds`` (one per column) formats the cells (``csv_cell``)."""
    writer = csv.writer(_Echo())
    about_titles = [label.lower() for label, _ in about]
    about_values = [_safe(csv_cell(value)) for _, value in about]
    column_kinds = list(kinds or [])

    def generate() -> Iterable[str]:
        yield writer.writerow([*header, *about_titles])
        for row in rows:
            cells = [
                _safe(csv_cell(v, column_kinds[i] if i < len(column_kinds) else "text"))
                for i, v in enumerate(row)
            ]
            yield writer.writerow([*cells, *about_values])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: Excel number formats by column kind: money sums as money, dates sort as dates.
XLSX_FORMATS = {
    "money": "£#,##0.00;-£#,##0.00",
    "number": "#,##0.##########",
    "percent": '0.0"%"',
    "date": "d mmmm yyyy",
}


def xlsx_response(
    filename: str,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    about: Sequence[tuple[str, Any]] = (),
    kinds: Sequence[str] | None = None,
    about_as_columns: bool = False,
) -> HttpResponse:
    """One sheet: optional ``about`` lines (what the file is, from where and when), a blank
    row, then the header and the rows. Numbers and dates stay numbers and dates; ``kinds``
    (one per column: ``text``, ``money``, ``number``, ``percent``, ``date``) gives them their
    Excel format so a column of money sums as money (a date or a fraction without a kind gets
    the date or number format). ``about_as_columns`` puts the about lines in last columns of
    every row instead, as a CSV does, for a layout whose header must be the first row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    bold = Font(bold=True)

    def cell(value: Any, number_format: str | None = None, strong: bool = False) -> Any:
        written = WriteOnlyCell(worksheet, value=value)
        if number_format is None and isinstance(value, date):
            number_format = XLSX_FORMATS["date"]
        if number_format is None and isinstance(value, (float, Decimal)):
            number_format = XLSX_FORMATS["number"]
        if number_format and isinstance(value, (int, float, Decimal, date)):
            written.number_format = number_format
        if strong:
            written.font = bold
        return written

    if not about_as_columns:
        for label, value in about:
            worksheet.append([cell(label, strong=True), cell(_safe(value))])
        if about:
            worksheet.append([])
    extra = list(about) if about_as_columns else []
    worksheet.append([cell(title, strong=True) for title in [*header, *(t for t, _ in extra)]])
    formats = [XLSX_FORMATS.get(kind) for kind in (kinds or [])]
    for row in rows:
        worksheet.append(
            [cell(_safe(v), formats[i] if i < len(formats) else None) for i, v in enumerate(row)]
            + [cell(_safe(value)) for _, value in extra]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
