"""Read and validate ``local_authorities.csv`` (no database here): every row or a precise error."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .models import Kind, Sector, Tier

GSS_PATTERN = re.compile(r"^E\d{8}$")
ORG_ID_PATTERN = re.compile(r"^GB-[A-Z]{3}-[A-Za-z0-9]+$")
KIND_BY_TYPE_CODE = {
    "CTY": Kind.COUNTY,
    "NMD": Kind.DISTRICT,
    "UA": Kind.UNITARY,
    "MD": Kind.METROPOLITAN_DISTRICT,
    "LBO": Kind.LONDON_BOROUGH,
    "CC": Kind.CITY_CORPORATION,
    "SRA": Kind.STRATEGIC_AUTHORITY,
    "COMB": Kind.COMBINED_AUTHORITY,
}
REQUIRED_COLUMNS = {
    "gss_code", "la_code", "org_id", "name", "short_name", "type_code", "tier",
    "parent_county_gss", "combined_authority_gss", "region", "start_date", "end_date",
    "replaced_by_gss", "former_gss_codes", "existed_2003", "population", "population_year",
    "source", "notes",
}  # fmt: skip


class ImportFileError(Exception):
    """A malformed file: names the file, the line and the reason."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}, line {line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass(frozen=True)
class AuthorityRow:
    line: int
    gss_code: str
    la_code: str
    org_id: str | None
    name: str
    short_name: str
    kind: str
    tier: str
    parent_county_gss: str
    combined_authority_gss: str
    region: str
    start_date: date | None
    end_date: date | None
    replaced_by_gss: tuple[str, ...]
    former_gss_codes: str
    existed_2003: bool
    population: int | None
    population_year: int | None
    source: str
    notes: str

    def fields(self) -> dict[str, object]:
        """Plain model fields (relations are linked in a second pass)."""
        return {
            "name": self.name,
            "short_name": self.short_name,
            "sector": Sector.PUBLIC,
            "kind": self.kind,
            "tier": self.tier,
            "org_id": self.org_id,
            "la_code": self.la_code,
            "former_gss_codes": self.former_gss_codes,
            "region": self.region,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "existed_2003": self.existed_2003,
            "population": self.population,
            "population_year": self.population_year,
            "source": self.source,
            "notes": self.notes,
        }


def _date(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} ‘{value}’ is not a date in the form YYYY-MM-DD") from None


def _int(value: str, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{column} ‘{value}’ is not a whole number")
    return int(value)


def _parse_row(raw: dict[str, str]) -> dict[str, object]:
    row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    gss = row["gss_code"]
    if not GSS_PATTERN.match(gss):
        raise ValueError(f"gss_code ‘{gss}’ is not an English GSS code (E followed by 8 digits)")
    if not row["name"]:
        raise ValueError("name is empty")
    if row["type_code"] not in KIND_BY_TYPE_CODE:
        known = ", ".join(KIND_BY_TYPE_CODE)
        raise ValueError(f"type_code ‘{row['type_code']}’ is not one of {known}")
    if row["tier"] not in Tier.values:
        raise ValueError(f"tier ‘{row['tier']}’ is not one of {', '.join(Tier.values)}")
    if row["org_id"] and not ORG_ID_PATTERN.match(row["org_id"]):
        raise ValueError(f"org_id ‘{row['org_id']}’ is not an Org-ID such as GB-LAE-WOR")
    if row["existed_2003"] not in {"yes", "no", ""}:
        raise ValueError(f"existed_2003 ‘{row['existed_2003']}’ must be yes or no")
    start, end = _date(row["start_date"], "start_date"), _date(row["end_date"], "end_date")
    if start and end and end < start:
        raise ValueError(f"end_date {end} is before start_date {start}")
    for column in ("parent_county_gss", "combined_authority_gss"):
        if row[column] and not GSS_PATTERN.match(row[column]):
            raise ValueError(f"{column} ‘{row[column]}’ is not a GSS code")
    replaced = tuple(code for code in row["replaced_by_gss"].split(";") if code)
    for code in replaced:
        if not GSS_PATTERN.match(code):
            raise ValueError(f"replaced_by_gss ‘{code}’ is not a GSS code")
    return {
        "gss_code": gss,
        "la_code": row["la_code"],
        "org_id": row["org_id"] or None,
        "name": row["name"],
        "short_name": row["short_name"],
        "kind": KIND_BY_TYPE_CODE[row["type_code"]].value,
        "tier": row["tier"],
        "parent_county_gss": row["parent_county_gss"],
        "combined_authority_gss": row["combined_authority_gss"],
        "region": row["region"],
        "start_date": start,
        "end_date": end,
        "replaced_by_gss": replaced,
        "former_gss_codes": row["former_gss_codes"],
        "existed_2003": row["existed_2003"] == "yes",
        "population": _int(row["population"], "population"),
        "population_year": _int(row["population_year"], "population_year"),
        "source": row["source"],
        "notes": row["notes"],
    }


def _decode(path: Path) -> str:
    """The file as text; a non-UTF-8 byte is reported on its own line (a UTF-8 BOM is allowed)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(path, 0, f"cannot open the file ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})"
        ) from None


def read_authorities(path: Path) -> list[AuthorityRow]:
    """Every row of the file, validated, or ImportFileError at the first bad one."""
    reader = csv.DictReader(io.StringIO(_decode(path), newline=""))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise ImportFileError(path, 1, f"not valid CSV ({error})") from None
    if not fieldnames:
        raise ImportFileError(path, 1, "the file is empty: no header row")
    missing = REQUIRED_COLUMNS - set(fieldnames)
    if missing:
        raise ImportFileError(path, 1, f"missing column(s): {', '.join(sorted(missing))}")
    rows: list[AuthorityRow] = []
    seen: dict[str, int] = {}
    org_ids: dict[str, int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw or any(v is None for v in raw.values()):
                raise ImportFileError(
                    path, line, f"wrong number of columns (the header has {len(fieldnames)})"
                )
            try:
                parsed = _parse_row(raw)
            except ValueError as error:
                raise ImportFileError(path, line, str(error)) from None
            gss = str(parsed["gss_code"])
            if gss in seen:
                raise ImportFileError(path, line, f"gss_code {gss} repeats line {seen[gss]}")
            org_id = parsed["org_id"]
            if org_id and org_id in org_ids:
                raise ImportFileError(path, line, f"org_id {org_id} repeats line {org_ids[org_id]}")
            seen[gss] = line
            if org_id:
                org_ids[str(org_id)] = line
            rows.append(AuthorityRow(line=line, **parsed))  # type: ignore[arg-type]
    except csv.Error as error:
        raise ImportFileError(path, reader.line_num, f"not valid CSV ({error})") from None
    _check_references(path, rows)
    return rows


def _check_references(path: Path, rows: list[AuthorityRow]) -> None:
    """Every parent, combined authority and successor is a row of the file of the right tier."""
    tier_by_gss = {row.gss_code: row.tier for row in rows}
    allowed_tiers = {
        "parent_county_gss": {Tier.COUNTY.value},
        "combined_authority_gss": {Tier.COMBINED_AUTHORITY.value, Tier.STRATEGIC_AUTHORITY.value},
    }
    for row in rows:
        for column, tiers in allowed_tiers.items():
            code = getattr(row, column)
            if not code:
                continue
            if code not in tier_by_gss:
                raise ImportFileError(path, row.line, f"{column} {code} is not in the file")
            if code == row.gss_code:
                raise ImportFileError(path, row.line, f"{column} {code} is the row itself")
            if tier_by_gss[code] not in tiers:
                raise ImportFileError(
                    path, row.line, f"{column} {code} has tier {tier_by_gss[code]}, not "
                    + " or ".join(sorted(tiers)),
                )  # fmt: skip
        for code in row.replaced_by_gss:
            if code not in tier_by_gss:
                raise ImportFileError(path, row.line, f"replaced_by_gss {code} is not in the file")
            if code == row.gss_code:
                raise ImportFileError(path, row.line, f"replaced_by_gss {code} is the row itself")
