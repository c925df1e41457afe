"""Open contracting data (OCDS 1.1.5): releases frozen at each stage, records and packages.

- A procurement is one contracting process; its ocid is ``<OCDS_OCID_PREFIX>-<process_id>``.
  The prefix is a setting (the one the Open Contracting Partnership registers for the
  taskforce); with none set, nothing is published (the pages say so) rather than a made-up one.
- Each recorded stage, award, contract and contract change stores a release (``Release``) with
  the whole process as it then stood. Its id, tag, date and body never change afterwards; award
  and contract ids are built from primary keys, so they never change either.
- Organisations are parties once each, with Org-ID identifiers (GB-LAE, GB-COH with the
  Companies House number, GB-CHC); references are ``{id, name}``.
"""

import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .maths import compile_releases
from .models import Award, Contract, ContractChange, Procurement, Release
from .routes import ROUTES, STAGE_LABELS, Stage, tag_for

OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
VERSION = "1.1"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
MILESTONE_TYPES = {
    Stage.NOTICE: "engagement",
    Stage.SELECTION: "assessment",
    Stage.DIALOGUE: "engagement",
    Stage.ITT: "engagement",
    Stage.TENDERS: "assessment",
    Stage.EVALUATION: "assessment",
    Stage.AWARD: "approval",
    Stage.STANDSTILL: "approval",
    Stage.SIGNED: "approval",
}
ORG_ID = re.compile(r"^(GB-[A-Z]{2,3})-(.+)$")


def ocid_prefix() -> str:
    """The configured ocid prefix, or "" when none (or a malformed one) is set."""
    value = getattr(settings, "OCDS_OCID_PREFIX", None)
    if value is None:
        value = os.environ.get("OCDS_OCID_PREFIX", "")
    return value if OCID_PREFIX.match(value or "") else ""


def is_publishing() -> bool:
    return bool(ocid_prefix())


def publisher() -> dict[str, str]:
    default = {"name": "Strategic Partnering Taskforce", "scheme": "GB-GOR", "uid": "D4"}
    return dict(getattr(settings, "OCDS_PUBLISHER", default))


def ocid_of(process_id: str) -> str:
    return f"{ocid_prefix()}-{process_id}"


def process_id_of(ocid: str) -> str | None:
    prefix = ocid_prefix()
    if not prefix or not ocid.startswith(prefix + "-"):
        return None
    return ocid[len(prefix) + 1 :]


def _amount(value: Decimal) -> dict[str, Any]:
    number: float | int = int(value) if value == value.to_integral_value() else float(value)
    return {"amount": number, "currency": "GBP"}


def _datetime(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def party_id(org: Any, company_number: str = "") -> tuple[str, dict[str, str] | None]:
    """An organisation's party id and identifier: its Org-ID when it has one (a company's from
    its Companies House number), else an id of the publisher's own making and no identifier."""
    if company_number:
        return f"GB-COH-{company_number}", {
            "scheme": "GB-COH", "id": company_number, "legalName": org.name,
        }  # fmt: skip
    match = ORG_ID.match(org.org_id or "")
    if match:
        return org.org_id, {"scheme": match.group(1), "id": match.group(2), "legalName": org.name}
    return f"sptf-organisation-{org.pk}", None


class _Parties:
    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}

    def add(self, org: Any, role: str, company_number: str = "") -> dict[str, str]:
        pid, identifier = party_id(org, company_number)
        party = self.by_id.get(pid)
        if party is None:
            party = {"id": pid, "name": org.name, "roles": []}
            if identifier:
                party["identifier"] = identifier
            self.by_id[pid] = party
        if role not in party["roles"]:
            party["roles"].append(role)
        return {"id": pid, "name": org.name}

    def as_list(self) -> list[dict[str, Any]]:
        return list(self.by_id.values())


def build_release(procurement: Procurement, upto: str) -> dict[str, Any]:
    """The process as it stands after the stage ``upto`` (the release body without ocid, id,
    date and tag)."""
    info = ROUTES[procurement.route]
    order = info.stages
    reached = order.index(upto) if upto in order else len(order) - 1  # type: ignore[arg-type]
    records = {r.stage: r for r in procurement.stages.all()}
    awarded = reached >= order.index(Stage.AWARD)  # type: ignore[arg-type]
    parties = _Parties()
    buyer = parties.add(procurement.buyer, "buyer")
    parties.add(procurement.buyer, "procuringEntity")
    for other in procurement.other_buyers.all():
        parties.add(other, "buyer")
    tender: dict[str, Any] = {
        "id": f"{procurement.process_id}-tender",
        "title": procurement.title,
        "status": "complete" if awarded else "active",
        "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
        "procurementMethod": info.method,
        "procurementMethodDetails": f"{info.label} ({info.regime})",
        "mainProcurementCategory": procurement.category,
    }
    if procurement.description:
        tender["description"] = procurement.description
    if info.exempt:
        tender["procurementMethodRationale"] = (
            f"Exempt from procurement. Legal basis: {procurement.legal_basis} "
            f"Rationale: {procurement.rationale}"
        )
    elif procurement.rationale:
        tender["procurementMethodRationale"] = procurement.rationale
    if procurement.estimated_value is not None:
        tender["value"] = _amount(procurement.estimated_value)
    tenders_in = Stage.TENDERS in order and reached >= order.index(Stage.TENDERS)  # type: ignore[arg-type]
    if tenders_in:
        tenderers = [
            parties.add(b.organisation, "tenderer", b.companies_house_number)
            for b in procurement.bidders.all()
            if b.tendered
        ]
        tender["tenderers"] = tenderers
        tender["numberOfTenderers"] = len(tenderers)
    milestones = []
    for stage in order[: reached + 1]:
        record = records.get(stage)
        if record is None:
            continue
        milestones.append({
            "id": f"{procurement.process_id}-{stage}",
            "title": STAGE_LABELS[stage],
            "type": MILESTONE_TYPES[stage],  # type: ignore[index]
            "dateMet": _datetime(record.on),
            "status": "met",
        })  # fmt: skip
    if milestones:
        tender["milestones"] = milestones
    release: dict[str, Any] = {
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "tender": tender,
    }
    award = Award.objects.filter(procurement=procurement).select_related("supplier").first()
    if awarded and award is not None:
        bidder = procurement.bidders.filter(organisation=award.supplier).first()
        supplier = parties.add(award.supplier, "supplier",
                               bidder.companies_house_number if bidder else "")  # fmt: skip
        signed = reached >= order.index(Stage.SIGNED)  # type: ignore[arg-type]
        release["awards"] = [{
            "id": f"{procurement.process_id}-award-{award.pk}",
            "title": procurement.title,
            "description": f"Term: {award.term_months} months",
            "status": "active" if signed else "pending",
            "date": _datetime(award.decided_on),
            "value": _amount(award.value),
            "suppliers": [supplier],
        }]  # fmt: skip
        contract = Contract.objects.filter(procurement=procurement).first()
        if signed and contract is not None:
            release["contracts"] = [contract_json(procurement, award, contract, upto_change=None)]
    release["parties"] = parties.as_list()
    return release


def contract_json(
    procurement: Procurement, award: Award, contract: Contract, upto_change: ContractChange | None
) -> dict[str, Any]:
    changes = list(contract.changes.all())
    if upto_change is not None:
        changes = [c for c in changes if (c.on, c.pk) <= (upto_change.on, upto_change.pk)]
    else:
        changes = []
    end = max([contract.ends_on, *(c.new_end for c in changes if c.new_end)])
    value = contract.value + sum((c.value_change for c in changes), Decimal(0))
    out: dict[str, Any] = {
        "id": f"{procurement.process_id}-contract-{contract.pk}",
        "awardID": f"{procurement.process_id}-award-{award.pk}",
        "title": contract.title,
        "status": "active",
        "period": {"startDate": _datetime(contract.starts_on), "endDate": _datetime(end)},
        "value": _amount(value),
        "dateSigned": _datetime(contract.signed_on),
    }
    if changes:
        out["amendments"] = [
            {
                "id": f"{procurement.process_id}-{c.kind}-{c.pk}",
                "date": _datetime(c.on),
                "rationale": c.get_kind_display(),
                "description": c.description,
            }
            for c in changes
        ]
    return out


def _next_sequence(procurement: Procurement) -> int:
    return procurement.releases.count() + 1


def publish(procurement: Procurement, *, stage: str, on: date) -> Release:
    """Freeze the release of a stage just recorded (inside the stage's transaction)."""
    info = ROUTES[procurement.route]
    release = Release(
        procurement=procurement,
        local_id=f"{_next_sequence(procurement):02d}-{stage}",
        tag=tag_for(info, stage),
        date=datetime.combine(on, time(0, 0), tzinfo=UTC),
        data=build_release(procurement, stage),
    )
    release.save()
    return release


def publish_change(change: ContractChange) -> Release:
    contract = change.contract
    procurement = contract.procurement
    body = build_release(procurement, Stage.SIGNED)
    body["contracts"] = [contract_json(procurement, contract.award, contract, upto_change=change)]
    release = Release(
        procurement=procurement,
        local_id=f"{_next_sequence(procurement):02d}-{change.kind}-{change.pk}",
        tag="contractAmendment",
        date=datetime.combine(change.on, time(0, 0), tzinfo=UTC),
        data=body,
    )
    release.save()
    return release


# --- serving ---------------------------------------------------------------------------------


def release_json(release: Release, process_id: str) -> dict[str, Any]:
    ocid = ocid_of(process_id)
    return {
        "ocid": ocid,
        "id": f"{ocid}-{release.local_id}",
        "date": release.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tag": [release.tag],
        **release.data,
    }


def _package_head(uri: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "publisher": publisher(),
        "license": LICENSE,
        "publicationPolicy": uri.split("/open-data/")[0] + "/open-data/ocds/",
    }


def release_package(uri: str, releases: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {**_package_head(uri), "releases": list(releases)}


def record(procurement: Procurement) -> dict[str, Any]:
    releases = [release_json(r, procurement.process_id) for r in procurement.releases.all()]
    return {
        "ocid": ocid_of(procurement.process_id),
        "releases": releases,
        "compiledRelease": compile_releases(releases),
    }


def record_package(uri: str, procurements: Iterable[Procurement]) -> dict[str, Any]:
    return {**_package_head(uri), "records": [record(p) for p in procurements]}


def stream_release_package(uri: str, releases: QuerySet[Release]) -> Iterator[str]:
    """A release package written piece by piece: constant memory for any number of releases.
    Each stored body is spliced in as the database's JSON text (not decoded and re-encoded)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    head = json.dumps(_package_head(uri))[:-1]
    yield head + ', "releases": ['
    prefix = ocid_prefix()
    rows = (
        releases.annotate(raw=Cast("data", TextField()))
        .values_list("local_id", "tag", "date", "raw", "procurement__process_id")
        .iterator(chunk_size=1000)
    )
    first = True
    for local_id, tag, when, raw, process_id in rows:
        ocid = f"{prefix}-{process_id}"
        fixed = json.dumps({
            "ocid": ocid, "id": f"{ocid}-{local_id}",
            "date": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "tag": [tag],
        })[:-1]  # fmt: skip
        body = raw.strip()
        rest = body[1:] if body != "{}" else "}"
        yield ("" if first else ",") + fixed + ("," + rest if rest != "}" else "}")
        first = False
    yield "]}"
