"""Every published award as a 360Giving 1.4.3 grant: the JSON package and the flat layout
(the spreadsheet's column titles, as flattentool would write them) for CSV and XLSX.

Settings (each with a default):

- ``FUNDING_360G_PREFIX`` (``"spt"``): grant ids are ``360G-<prefix>-<award id>``;
- ``FUNDING_FUNDER_ORG_ID`` (``"GB-GOR-D4"``) and ``FUNDING_FUNDER_NAME``: the funder's Org-ID
  and name (the taskforce has no register entry of its own: the default is its sponsoring
  department's, the successor of the ODPM that ran Local Government On-Line);
- ``FUNDING_PUBLISHER_NAME``: the package's publisher.

Three queries for any number of grants.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from partnering.core.exports import about_lines, csv_response, figures_words, xlsx_response
from partnering.partnerships.models import Membership

from .models import Award, AwardStatus
from .selectors import award_demo_flags

VERSION = "1.4"
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "E10": "CTY"}


def prefix() -> str:
    return "360G-" + getattr(settings, "FUNDING_360G_PREFIX", "spt")


def funder() -> dict[str, str]:
    return {
        "id": getattr(settings, "FUNDING_FUNDER_ORG_ID", "GB-GOR-D4"),
        "name": getattr(settings, "FUNDING_FUNDER_NAME", "Strategic Partnering Taskforce"),
    }


def grant_id(award: Award) -> str:
    return f"{prefix()}-{award.pk}"


def org_id(organisation: Any) -> str:
    """The organisation's Org-ID (GB-LAE-… for councils, GB-COH/GB-CHC for others); an
    organisation without one gets an id under the publisher's own 360G prefix."""
    if organisation.org_id:
        return organisation.org_id
    return f"{prefix()}-org-{organisation.gss_code or organisation.slug}"


def geo_code_type(gss_code: str) -> str | None:
    return GEO_CODE_TYPES.get((gss_code or "")[:3])


def published_awards() -> QuerySet[Award]:
    members = Membership.objects.select_related("organisation").order_by("organisation__name")
    return (
        Award.objects.filter(is_published=True)
        .select_related(
            "round", "round__programme", "recipient", "application", "application__partnership"
        )
        .prefetch_related(
            Prefetch(
                "application__partnership__memberships", queryset=members, to_attr="all_members"
            )
        )
        .order_by("pk")
    )


def _number(value: Decimal) -> int | float:
    """A JSON number for an amount (pennies kept: 1250.5 is exactly 1250.50)."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def grant(award: Award, *, base_url: str) -> dict[str, Any]:
    """One award as a 360Giving grant (``base_url``: the site's public address, no slash)."""
    application = award.application
    partnership = application.partnership
    round_ = award.round
    fund = round_.programme
    councils = [
        m.organisation
        for m in getattr(partnership, "all_members", partnership.memberships.all())
        if m.organisation.gss_code
    ]
    seen: set[str] = set()
    locations = []
    for org in councils:
        if org.gss_code in seen:
            continue
        seen.add(org.gss_code)
        location: dict[str, Any] = {"name": org.name, "geoCode": org.gss_code, "countryCode": "GB"}
        kind = geo_code_type(org.gss_code)
        if kind:
            location["geoCodeType"] = kind
        locations.append(location)
    disbursed = award.paid_gross - award.clawed
    recipient = award.recipient
    data: dict[str, Any] = {
        "id": grant_id(award),
        "title": application.title[:140],
        "description": (application.summary or application.title),
        "currency": "GBP",
        "amountAwarded": _number(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "plannedDates": [
            {
                "startDate": award.agreement_starts_on.isoformat(),
                "endDate": award.agreement_ends_on.isoformat(),
                "duration": _months(award),
            }
        ],
        "recipientOrganization": [{"id": org_id(recipient), "name": recipient.name}],
        "fundingOrganization": [funder()],
        "grantProgramme": [
            {"code": fund.slug, "title": fund.title, "url": f"{base_url}{fund.get_absolute_url()}"},
            {
                "code": round_.slug,
                "title": round_.title,
                "url": f"{base_url}{round_.get_absolute_url()}",
            },
        ],
        "fromOpenCall": "Yes",
        "url": f"{base_url}{award.get_absolute_url()}",
        "dateModified": _stamp(award.modified_at),
        "dataSource": f"{base_url}/funding/360giving/grants.json",
    }
    if locations:
        data["beneficiaryLocation"] = locations
    if disbursed > 0:
        data["amountDisbursed"] = _number(disbursed)
    if award.status == AwardStatus.CLAWED_BACK:
        data["description"] += " (funding was clawed back)"
    return data


def _months(award: Award) -> int:
    start, end = award.agreement_starts_on, award.agreement_ends_on
    return max(1, (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day))


def package(awards: Iterable[Award] | None = None, *, base_url: str) -> dict[str, Any]:
    grants = [
        grant(a, base_url=base_url) for a in (awards if awards is not None else published_awards())
    ]
    return {
        "grants": grants,
        "version": VERSION,
        "title": "Local Government On-Line partnership grants",
        "description": "Every published award of the Strategic Partnering Taskforce's fund.",
        "publisher": {
            "name": getattr(settings, "FUNDING_PUBLISHER_NAME", "Strategic Partnering Taskforce"),
            "prefix": prefix(),
        },
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "publishedDate": _stamp(timezone.now()),
    }


# --- the flat layout (360Giving's spreadsheet column titles) ----------------------------------

FIXED = [
    ("Identifier", "id"),
    ("Title", "title"),
    ("Description", "description"),
    ("Currency", "currency"),
    ("Amount Awarded", "amountAwarded"),
    ("Amount Disbursed", "amountDisbursed"),
    ("Award Date", "awardDate"),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:0:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:0:Title", ("grantProgramme", 0, "title")),
    ("Grant Programme:0:URL", ("grantProgramme", 0, "url")),
    ("Grant Programme:1:Code", ("grantProgramme", 1, "code")),
    ("Grant Programme:1:Title", ("grantProgramme", 1, "title")),
    ("Grant Programme:1:URL", ("grantProgramme", 1, "url")),
    ("From An Open Call?", "fromOpenCall"),
    ("URL", "url"),
    ("Last Modified", "dateModified"),
    ("Data Source", "dataSource"),
]
LOCATION = [
    ("Name", "name"),
    ("Geographic Code", "geoCode"),
    ("Geographic Code Type", "geoCodeType"),
    ("Country Code", "countryCode"),
]


def _get(data: dict[str, Any], path: Any) -> Any:
    if isinstance(path, str):
        return data.get(path, "")
    value: Any = data
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return ""
    return value


#: Column kinds of the flat layout (the rest are text): money sums, dates sort in a spreadsheet.
FLAT_KINDS = {
    "Amount Awarded": "money", "Amount Disbursed": "money", "Award Date": "date",
    "Planned Dates:Start Date": "date", "Planned Dates:End Date": "date",
    "Planned Dates:Duration (months)": "number", "Last Modified": "date",
}  # fmt: skip


def flat_kinds(header: list[str]) -> list[str]:
    return [FLAT_KINDS.get(title, "text") for title in header]


def _when(value: Any) -> Any:
    """A 360Giving date or timestamp string as a date or a (UTC, naive) datetime."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def flat_typed(rows: list[list[Any]], kinds: list[str]) -> list[list[Any]]:
    """The flat rows with their dates as dates, for a spreadsheet."""
    return [
        [_when(v) if k == "date" else v for v, k in zip(row, kinds, strict=True)] for row in rows
    ]


def flat(grants: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the 360Giving spreadsheet layout: one row per grant, each
    beneficiary location in its own numbered columns (``Beneficiary Location:0:Geographic Code``)."""
    most = max((len(g.get("beneficiaryLocation", [])) for g in grants), default=0)
    header = [title for title, _ in FIXED]
    for i in range(most):
        header += [f"Beneficiary Location:{i}:{title}" for title, _ in LOCATION]
    rows = []
    for g in grants:
        row = [_get(g, path) for _, path in FIXED]
        locations = g.get("beneficiaryLocation", [])
        for i in range(most):
            loc = locations[i] if i < len(locations) else {}
            row += [loc.get(key, "") for _, key in LOCATION]
        rows.append(row)
    return header, rows


def flat_response(*, base_url: str, fmt: str) -> HttpResponse:
    """The spreadsheet of every published grant in 360Giving's column layout, as a CSV or XLSX
    download (the page's and the API's)."""
    header, rows = flat(package(base_url=base_url)["grants"])
    kinds = flat_kinds(header)
    # The about lines are last columns, so the header stays the first row for 360Giving's tools.
    about = about_lines(
        "Strategic Partnering Platform: 360Giving grants data (every published award)",
        figures_words(award_demo_flags(published_only=True)),
    )
    if fmt == "xlsx":
        return xlsx_response("grants.xlsx", "grants", header, flat_typed(rows, kinds),
                             about=about, kinds=kinds, about_as_columns=True)  # fmt: skip
    return csv_response("grants.csv", header, rows, about=about, kinds=kinds)
