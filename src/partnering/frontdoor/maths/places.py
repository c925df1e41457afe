"""Where you live: a postcode, an outward code, a town or a council name -> the council areas.

Pure Python. An *area* is a current lower-tier council area (district, unitary, metropolitan
district or London borough), with the share of the outward code's postcodes in it. The councils
(names, tiers, parent counties, successors) come from a :class:`CouncilDirectory` the caller
builds (the Django side builds it from the organisations room).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
MAX_PLACE_LENGTH = 100

# Towns that are not themselves a council's name, for the areas the demo partnerships cover and
# a few more: town -> its main outward code (Royal Mail post town). No open town -> council file
# was found (see data/SOURCES.md); this short list is maintained by hand.
TOWNS: dict[str, str] = {
    "evesham": "WR11",
    "pershore": "WR10",
    "droitwich": "WR9",
    "droitwich spa": "WR9",
    "kidderminster": "DY10",
    "stourport": "DY13",
    "stourport-on-severn": "DY13",
    "bewdley": "DY12",
    "malvern": "WR14",
    "great malvern": "WR14",
    "upton upon severn": "WR8",
    "tenbury wells": "WR15",
    "ripon": "HG4",
    "knaresborough": "HG5",
    "skipton": "BD23",
    "settle": "BD24",
    "northallerton": "DL6",
    "thirsk": "YO7",
    "bedale": "DL8",
    "whitby": "YO21",
    "filey": "YO14",
    "malton": "YO17",
    "pickering": "YO18",
    "tadcaster": "LS24",
    "catterick": "DL9",
    "leyburn": "DL8",
}


class PlaceError(ValueError):
    """A place that cannot be resolved; ``code`` says why (empty, malformed, unknown, not England)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Council:
    gss_code: str
    name: str
    tier: str  # county | district | unitary | strategic_authority | combined_authority
    short_name: str = ""
    parent_county: str = ""  # GSS of the county, for districts
    successors: tuple[str, ...] = ()
    current: bool = True
    slug: str = ""


@dataclass
class CouncilDirectory:
    councils: dict[str, Council]
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[str]] = defaultdict(list)
        for council in self.councils.values():
            for key in {council_key(council.name), council_key(council.short_name)} - {""}:
                by_name[key].append(council.gss_code)
        self._by_name = dict(by_name)

    def get(self, gss: str) -> Council | None:
        return self.councils.get(gss)

    def current_successors(self, gss: str) -> list[Council]:
        """The council itself when current, else its current successors (followed to the end)."""
        seen: set[str] = set()
        pending = [gss]
        found: list[Council] = []
        while pending:
            code = pending.pop(0)
            if code in seen or code not in self.councils:
                continue
            seen.add(code)
            council = self.councils[code]
            if council.current:
                found.append(council)
            else:
                pending.extend(council.successors)
        return found

    def named(self, text: str) -> list[Council]:
        """Councils whose name or short name is the text (current ones first)."""
        codes = self._by_name.get(council_key(text), [])
        councils = [self.councils[c] for c in codes]
        return sorted(councils, key=lambda c: (not c.current, c.tier != "unitary", c.name))


_COUNCIL_WORDS = re.compile(
    r"\b(council|county|district|borough|city|metropolitan|royal|of|the|and|london)\b"
)


def council_key(name: str) -> str:
    """A matching key: 'Harrogate Borough Council' and 'harrogate' both give 'harrogate'."""
    lowered = re.sub(r"[^a-z ]+", " ", name.lower().replace("&", " and "))
    stripped = " ".join(_COUNCIL_WORDS.sub(" ", lowered).split())
    return stripped or " ".join(lowered.split())


@dataclass(frozen=True)
class Area:
    """A current lower-tier council area and the share of the place in it."""

    lad_gss: str
    share: float


@dataclass(frozen=True)
class Place:
    query: str
    kind: str  # postcode | outward_code | town | council | point
    label: str  # how to name it in a reason: "WR11", "Evesham (WR11)", "Harrogate"
    areas: tuple[Area, ...]  # most likely first; shares sum to 1
    note: str = ""  # e.g. "Harrogate Borough Council was replaced by North Yorkshire Council"

    @property
    def is_ambiguous(self) -> bool:
        return len(self.areas) > 1


@dataclass
class OutwardCodes:
    """Outward code -> the council areas its postcodes fall in, with shares."""

    areas: dict[str, tuple[Area, ...]]
    countries: dict[str, str]

    def get(self, outward: str) -> tuple[Area, ...] | None:
        return self.areas.get(outward)


def read_outward_codes(path: Path) -> OutwardCodes:
    areas: dict[str, list[Area]] = defaultdict(list)
    countries: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            outward = row["outward_code"].strip().upper()
            countries[outward].add(row["country"])
            if row["country"] == "England":
                areas[outward].append(Area(row["lad_gss"], float(row["share_of_district"])))
    return OutwardCodes(
        {code: _normalised(found) for code, found in areas.items()},
        {
            code: "England" if "England" in found else sorted(found)[0]
            for code, found in countries.items()
        },
    )


def _normalised(areas: list[Area]) -> tuple[Area, ...]:
    total = sum(a.share for a in areas) or 1.0
    return tuple(sorted((Area(a.lad_gss, a.share / total) for a in areas), key=lambda a: -a.share))


def clean_place(text: str) -> str:
    if "\x00" in text:
        raise PlaceError(
            "place_malformed", "Enter a postcode, town or council without special characters"
        )
    cleaned = " ".join(text.split())
    if not cleaned:
        raise PlaceError("place_required", "Enter a postcode, town or council name")
    if len(cleaned) > MAX_PLACE_LENGTH:
        raise PlaceError(
            "place_too_long", f"Enter a place in {MAX_PLACE_LENGTH} characters or fewer"
        )
    return cleaned


def resolve_place(text: str, *, outward: OutwardCodes, directory: CouncilDirectory) -> Place:
    """The areas a typed place is in. Raises PlaceError with a message that says what to do."""
    cleaned = clean_place(text)
    upper = cleaned.upper().replace(" ", "")
    postcode = FULL_POSTCODE.match(upper)
    if postcode or OUTWARD_CODE.match(upper):
        code = postcode.group(1) if postcode else upper
        kind = "postcode" if postcode else "outward_code"
        label = f"{postcode.group(1)} {postcode.group(2)}" if postcode else code
        return _from_outward(code, kind, label, outward)
    councils = directory.named(cleaned)
    if councils:
        return _from_council(cleaned, councils[0], directory)
    town = TOWNS.get(cleaned.lower())
    if town:
        found = _from_outward(town, "town", f"{cleaned.title()} ({town})", outward)
        return Place(cleaned, "town", found.label, found.areas)
    if re.fullmatch(r"[A-Za-z]{1,2}[0-9].*", cleaned):
        raise PlaceError(
            "place_malformed",
            f"“{cleaned}” is not a postcode we recognise: enter a full postcode such as WR11 4AA or the first part such as WR11",
        )
    raise PlaceError(
        "place_unknown",
        f"We could not find “{cleaned}”: enter a postcode (such as WR11 4AA), a town or the name of a council",
    )


def _from_outward(code: str, kind: str, label: str, outward: OutwardCodes) -> Place:
    areas = outward.get(code)
    if areas is None:
        country = outward.countries.get(code)
        if country:
            raise PlaceError(
                "place_not_england",
                f"{label} is in {country}: this service covers councils in England only",
            )
        raise PlaceError(
            "place_unknown",
            f"We could not find the postcode area {code}: check the postcode, or enter a town or council",
        )
    return Place(label, kind, label, areas)


def _from_council(text: str, council: Council, directory: CouncilDirectory) -> Place:
    note = ""
    if council.current:
        targets = [council]
    else:
        targets = directory.current_successors(council.gss_code)
        names = " and ".join(c.name for c in targets)
        note = f"{council.name} was replaced by {names}."
    areas: list[str] = []
    for target in targets:
        if target.tier == "county":  # a county: every current district in it
            areas.extend(
                c.gss_code
                for c in directory.councils.values()
                if c.parent_county == target.gss_code and c.current
            )
        elif target.tier in ("district", "unitary"):
            areas.append(target.gss_code)
    if not areas:
        raise PlaceError(
            "place_not_council_area",
            f"{council.name} is not a council area residents live in: enter a postcode or town",
        )
    share = 1.0 / len(areas)
    label = council.short_name or council.name
    return Place(text, "council", label, tuple(Area(a, share) for a in sorted(areas)), note)


def read_directory(path: Path) -> CouncilDirectory:
    """A directory from a ``local_authorities.csv`` file (used by tests and the benchmark)."""
    councils: dict[str, Council] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            councils[row["gss_code"]] = Council(
                gss_code=row["gss_code"],
                name=row["name"],
                tier=row["tier"],
                short_name=row["short_name"],
                parent_county=row["parent_county_gss"],
                successors=tuple(c for c in row["replaced_by_gss"].split(";") if c),
                current=not row["end_date"],
            )
    return CouncilDirectory(councils)
