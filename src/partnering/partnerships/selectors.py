"""Reads of partnerships: visible querysets, one partnership, its members on a date."""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from partnering.organisations.models import Organisation

from .maths.fit import POOR_FIT_THRESHOLD, MemberFit, MemberPriorities, WeightedPriority, member_fit
from .models import (
    AimScore,
    MemberRole,
    Membership,
    Partnership,
    PartnershipKind,
    Priority,
    ServiceArea,
    Stage,
    StageChange,
    StrategicAim,
)
from .permissions import (
    partnerships_editable_by,
    partnerships_visible_to,
    partnerships_worked_on_by,
)

__all__ = [
    "PartnershipFilters",
    "members_on",
    "membership_change_log",
    "memberships_on",
    "organisation_partnerships",
    "partnership_facets",
    "partnership_fit",
    "partnership_get",
    "partnership_list",
    "partnerships_editable_by",
    "partnerships_visible_to",
]


def memberships_on(partnership: Partnership, day: date) -> QuerySet[Membership]:
    """Memberships in force on ``day`` (joined on or before it, not yet left)."""
    return (
        Membership.objects.filter(partnership=partnership)
        .current_on(day)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def memberships_outliving_their_organisation() -> QuerySet[Membership]:
    """Memberships that go on past their organisation's last day (a data error: an abolished
    council leaves on its last day and its successor joins)."""
    return (
        Membership.objects.filter(organisation__end_date__isnull=False)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=F("organisation__end_date")))
        .select_related("organisation", "partnership")
    )


def members_on(partnership: Partnership, day: date) -> list[Membership]:
    """The partnership's members as it stood on ``day`` (organisation loaded)."""
    return list(memberships_on(partnership, day))


def partnership_get(
    viewer: Any, slug: str, *, annotations: Mapping[str, Any] | None = None
) -> Partnership:
    """One partnership the viewer may see; ``Partnership.DoesNotExist`` otherwise (a 404)."""
    qs = partnerships_visible_to(viewer).select_related("lead_organisation", "created_by")
    return (qs.annotate(**annotations) if annotations else qs).get(slug=slug)


# --- list and search ------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnershipFilters:
    q: str = ""
    kind: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    member: str = ""  # a (current or past) member: slug, GSS code, Org-ID, or part of its name
    service_area: int | None = None  # LGSL code
    pathfinder: str = ""  # "yes" | "no" | ""
    mine: bool = False  # only those the viewer works on: assigned to them, or their organisations'


def _apply(
    qs: QuerySet[Partnership], f: PartnershipFilters, skip: str = ""
) -> QuerySet[Partnership]:
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(reference__icontains=term))
    if f.kind and skip != "kind":
        qs = qs.filter(kind__in=f.kind)
    if f.stage and skip != "stage":
        qs = qs.filter(stage__in=f.stage)
    if f.region and skip != "region":
        qs = qs.filter(region__in=f.region)
    if f.member and skip != "member":
        term = f.member.strip()
        qs = qs.filter(
            Exists(
                Membership.objects.filter(partnership=OuterRef("pk")).filter(
                    Q(organisation__slug=term)
                    | Q(organisation__gss_code__iexact=term)
                    | Q(organisation__org_id__iexact=term)
                    | Q(organisation__name__icontains=term)
                )
            )
        )
    if f.service_area is not None and skip != "service_area":
        qs = qs.filter(
            Exists(
                Partnership.service_areas.through.objects.filter(
                    partnership_id=OuterRef("pk"), servicearea__lgsl_code=f.service_area
                )
            )
        )
    if f.pathfinder and skip != "pathfinder":
        qs = qs.filter(is_pathfinder=f.pathfinder == "yes")
    return qs


def _base(viewer: Any, filters: PartnershipFilters) -> QuerySet[Partnership]:
    qs = partnerships_visible_to(viewer)
    if filters.mine:
        qs = qs.filter(pk__in=partnerships_worked_on_by(viewer).values("pk"))
    return qs


def partnership_list(*, viewer: Any, filters: PartnershipFilters) -> QuerySet[Partnership]:
    """Partnerships the viewer may see matching the filters (fixed number of queries per page)."""
    qs = _base(viewer, filters).select_related("lead_organisation")
    return _apply(qs, filters).order_by("name", "pk")


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


FACETS = ("kind", "stage", "region", "pathfinder", "service_area", "total")


#: Facets that are columns of the partnership row: counted together in one grouped query.
_COLUMN_FACETS = {
    "kind": "kind",
    "stage": "stage",
    "region": "region",
    "pathfinder": "is_pathfinder",
}


def _column_matches(filters: PartnershipFilters) -> dict[str, Callable[[Any], bool]]:
    """For each column facet, whether a row's value passes that facet's filter."""
    return {
        "kind": lambda v: not filters.kind or v in filters.kind,
        "stage": lambda v: not filters.stage or v in filters.stage,
        "region": lambda v: not filters.region or v in filters.region,
        "pathfinder": lambda v: not filters.pathfinder or v == (filters.pathfinder == "yes"),
    }


def partnership_facets(
    *, viewer: Any, filters: PartnershipFilters, only: Collection[str] = FACETS
) -> dict[str, list[FacetOption]]:
    """For each filter (or just those in ``only``), its options with how many partnerships each
    would give (other filters applied), and under ``"total"`` one option counting the
    partnerships every filter gives (the list's length, so its paginator need not count).

    Two queries whatever the number of partnerships: the column facets (kind, stage, region,
    pathfinder) come from one count per combination of those columns, with the other filters in
    the query and each facet's "other filters" applied to the combinations in Python; the service
    areas need the join. Member organisations have no facet: thousands of organisations belong
    to partnerships, so that filter is a search."""
    base = _base(viewer, filters)
    wanted = [name for name in _COLUMN_FACETS if name in only]
    facets: dict[str, list[FacetOption]] = {}
    if wanted or "total" in only:
        columns = list(_COLUMN_FACETS.values())
        no_column_filters = replace(filters, kind=(), stage=(), region=(), pathfinder="")
        combos = list(
            _apply(base, no_column_filters)
            .order_by()
            .values_list(*columns)
            .annotate(n=Count("*"))  # COUNT(*): the facets index covers it
        )
        matches = list(_column_matches(filters).values())
        # One pass: a facet's option counts the combinations every *other* filter passes, so
        # a combination failing no filter counts for every facet, failing one filter only for
        # that filter's facet, and failing two or more for none.
        by_facet: list[dict[Any, int]] = [{} for _ in matches]
        total = 0
        for row in combos:
            failed = [i for i, passes in enumerate(matches) if not passes(row[i])]
            if not failed:
                total += row[-1]
                for i, counts in enumerate(by_facet):
                    counts[row[i]] = counts.get(row[i], 0) + row[-1]
            elif len(failed) == 1:
                counts = by_facet[failed[0]]
                counts[row[failed[0]]] = counts.get(row[failed[0]], 0) + row[-1]
        index = {name: i for i, name in enumerate(_COLUMN_FACETS)}

        def counted(facet: str) -> dict[Any, int]:
            return by_facet[index[facet]]

        if "kind" in wanted:
            counts = counted("kind")
            facets["kind"] = [
                FacetOption(v, lbl, counts.get(v, 0)) for v, lbl in PartnershipKind.choices
            ]
        if "stage" in wanted:
            counts = counted("stage")
            facets["stage"] = [FacetOption(v, lbl, counts.get(v, 0)) for v, lbl in Stage.choices]
        if "region" in wanted:
            facets["region"] = [
                FacetOption(r, r, n) for r, n in sorted(counted("region").items()) if r
            ]
        if "pathfinder" in wanted:
            counts = counted("pathfinder")
            facets["pathfinder"] = [
                FacetOption("yes", "Pathfinders", counts.get(True, 0)),
                FacetOption("no", "Not pathfinders", counts.get(False, 0)),
            ]
        if "total" in only:
            facets["total"] = [FacetOption("total", "Partnerships", total)]
    if "service_area" in only:
        rows = (
            ServiceArea.objects.filter(partnerships__in=_apply(base, filters, skip="service_area"))
            .order_by()
            .values("lgsl_code", "label")
            .annotate(n=Count("partnerships", distinct=True))
            .order_by("label")
        )
        facets["service_area"] = [
            FacetOption(str(r["lgsl_code"]), r["label"], r["n"]) for r in rows
        ]
    return facets


def organisation_partnerships(*, viewer: Any, organisation: Organisation) -> list[dict[str, Any]]:
    """The partnerships (visible to the viewer) an organisation is or was a member of."""
    rows = (
        Membership.objects.filter(
            organisation=organisation,
            partnership__in=partnerships_visible_to(viewer),
        )
        .select_related("partnership")
        .order_by("partnership__name", "joined_on")
    )
    result: dict[int, dict[str, Any]] = {}
    today = timezone.localdate()
    for m in rows:
        entry = result.setdefault(
            m.partnership_id,
            {"partnership": m.partnership, "roles": [], "current": False, "joined_on": m.joined_on,
             "left_on": m.left_on},
        )  # fmt: skip
        entry["roles"].append(m.get_role_display())
        entry["left_on"] = m.left_on
        entry["current"] = entry["current"] or m.is_member_on(today)
    return list(result.values())


# --- one partnership: members over time, change log, stages, fit ----------------------------


@dataclass(frozen=True)
class LogEntry:
    day: date
    text: str
    reason: str
    is_verified: bool = True

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {self.text}" + (f": {self.reason}" if self.reason else "")


def _role_phrase(role: str) -> str:
    return {
        MemberRole.LEAD: "lead",
        MemberRole.PARTNER: "partner",
        MemberRole.PRIVATE_PARTNER: "private partner",
        MemberRole.VOLUNTARY_PARTNER: "voluntary partner",
        MemberRole.OBSERVER: "observer",
    }.get(role, role)


def all_memberships(partnership: Partnership) -> list[Membership]:
    """Every membership the partnership has had, organisation loaded (one query): what its page
    reads both its members on a day and its change log from."""
    return list(
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation_id", "joined_on", "pk")
    )


def memberships_of(partnership: Partnership) -> list[Membership]:
    """``all_memberships``, read once per partnership object: the partnership's page and the
    sections rooms add to it (``sections_for`` passes them the same object) share one query.
    For reading only; after a write, fetch the partnership again."""
    cached = partnership.__dict__.get("_memberships_read")
    if cached is None:
        cached = partnership.__dict__["_memberships_read"] = all_memberships(partnership)
    return cached


def members_among(memberships: list[Membership], day: date) -> list[Membership]:
    """Those of ``memberships`` in force on ``day``, by organisation name (as ``members_on``)."""
    current = [m for m in memberships if m.is_member_on(day)]
    return sorted(current, key=lambda m: (m.organisation.name, m.pk))


def membership_change_log(
    partnership: Partnership, memberships: list[Membership] | None = None
) -> list[LogEntry]:
    """A change log a reader can follow, oldest first ("2005-04-01: Agilisys joined as private
    partner"). A role change (one membership ending the day before the next begins) reads as one
    entry. ``memberships``: the partnership's ``all_memberships`` when the caller has them."""
    if memberships is None:
        memberships = all_memberships(partnership)
    memberships = sorted(memberships, key=lambda m: (m.organisation_id, m.joined_on, m.pk))
    entries: list[LogEntry] = []
    for index, m in enumerate(memberships):
        previous = memberships[index - 1] if index else None
        following = memberships[index + 1] if index + 1 < len(memberships) else None
        continues = (
            previous is not None
            and previous.organisation_id == m.organisation_id
            and previous.left_on is not None
            and previous.left_on + timedelta(days=1) == m.joined_on
        )
        name = m.organisation.name
        if continues and previous is not None:
            entries.append(
                LogEntry(
                    m.joined_on,
                    f"{name} became {_role_phrase(m.role)} (was {_role_phrase(previous.role)})",
                    m.reason,
                    m.is_verified,
                )
            )
        else:
            entries.append(
                LogEntry(
                    m.joined_on, f"{name} joined as {_role_phrase(m.role)}", m.reason, m.is_verified
                )
            )
        continued_by_next = (
            following is not None
            and following.organisation_id == m.organisation_id
            and m.left_on is not None
            and m.left_on + timedelta(days=1) == following.joined_on
        )
        if m.left_on is not None and not continued_by_next:
            entries.append(LogEntry(m.left_on, f"{name} left", m.left_reason, m.is_verified))
    entries.sort(key=lambda e: (e.day, "left" in e.text, e.text))
    return entries


def stage_changes(partnership: Partnership) -> list[StageChange]:
    return list(
        StageChange.objects.filter(partnership=partnership)
        .select_related("moved_by")
        .order_by("moved_on", "recorded_at", "pk")
    )


def aims_of(partnership: Partnership) -> list[StrategicAim]:
    return list(StrategicAim.objects.filter(partnership=partnership).order_by("position", "pk"))


HIDDEN_PRIORITY = "A priority recorded in a partnership you cannot see"


def priorities_of(organisations: list[Organisation], *, viewer: Any) -> dict[int, list[Priority]]:
    """Each organisation's priorities (one query). Where the viewer may not see the partnership
    a priority was entered in, its wording and source are replaced by ``HIDDEN_PRIORITY`` (its
    weight still counts): text typed in an unpublished partnership never leaks onto a published
    one. These are read-only objects: never save them."""
    visible = partnerships_visible_to(viewer).filter(pk=OuterRef("entered_for_id"))
    rows = (
        Priority.objects.filter(organisation__in=organisations)
        .annotate(wording_visible=Q(entered_for__isnull=True) | Exists(visible))
        .order_by("-weight", "title", "pk")
    )
    by_org: dict[int, list[Priority]] = {o.pk: [] for o in organisations}
    for p in rows:
        if not p.wording_visible:
            p.title, p.source = HIDDEN_PRIORITY, ""
        by_org[p.organisation_id].append(p)
    return by_org


@dataclass
class FitRow:
    organisation: Organisation
    priorities: list[Priority]
    fit: MemberFit
    cells: list[tuple[StrategicAim, float | None]] = field(default_factory=list)


@dataclass
class FitReport:
    aims: list[StrategicAim]
    rows: list[FitRow]
    summary: list[str]
    scores: dict[tuple[int, int], int]

    @property
    def poor(self) -> list[FitRow]:
        return [r for r in self.rows if r.fit.is_poor]


def partnership_fit(
    partnership: Partnership, day: date | None = None, *, viewer: Any = None
) -> FitReport:
    """The priorities-fit matrix of the current members (members × aims, weighted fit %), with
    the wording of priorities the viewer may read (``priorities_of``)."""
    day = day or timezone.localdate()
    members = members_on(partnership, day)
    organisations = list({m.organisation_id: m.organisation for m in members}.values())
    aims = aims_of(partnership)
    priorities = priorities_of(organisations, viewer=viewer)
    scores = {
        (s.aim_id, s.priority_id): s.score
        for s in AimScore.objects.filter(aim__partnership=partnership)
    }
    maths_scores = {(str(a), str(p)): v for (a, p), v in scores.items()}
    rows = []
    for org in organisations:
        mine = priorities[org.pk]
        fit = member_fit(
            MemberPriorities(
                str(org.pk), tuple(WeightedPriority(str(p.pk), p.weight, p.title) for p in mine)
            ),
            [str(a.pk) for a in aims],
            {k: v for k, v in maths_scores.items() if k[1] in {str(p.pk) for p in mine}},
        )
        rows.append(FitRow(org, mine, fit, [(a, fit.by_aim.get(str(a.pk))) for a in aims]))
    return FitReport(aims, rows, _fit_summary(rows, aims), scores)


def _fit_summary(rows: list[FitRow], aims: list[StrategicAim]) -> list[str]:
    if not aims:
        return ["The partnership has no strategic aims yet, so the fit cannot be worked out."]
    lines = []
    scored = [r for r in rows if r.fit.overall is not None]
    missing = [r.organisation.name for r in rows if r.fit.overall is None]
    poor = [r for r in scored if r.fit.is_poor]
    if scored and not poor:
        lines.append(
            f"The aims serve every member's priorities at least half-way "
            f"(weighted fit {POOR_FIT_THRESHOLD:.0f}% or more)."
        )
    for r in poor:
        unserved = ", ".join(f"‘{p.title}’" for p in r.fit.unserved) or "none in particular"
        lines.append(
            f"{r.organisation.name}'s priorities are poorly served: weighted fit "
            f"{r.fit.overall:.0f}%. Priorities barely served by any aim: {unserved}."
        )
    if missing:
        lines.append(
            "No priorities recorded yet for: " + ", ".join(missing) + ". Their fit is unknown."
        )
    unscored = sum(r.fit.unscored for r in scored)
    if unscored:
        lines.append(
            f"{unscored} aim and priority pair{'s' if unscored != 1 else ''} not scored yet "
            "(counted as 0, does not serve)."
        )
    return lines


@dataclass(frozen=True)
class MyPartnership:
    partnership: Partnership
    to_do: list[str]


def my_partnerships(*, viewer: Any, limit: int = 10) -> tuple[list[MyPartnership], int]:
    """The partnerships the viewer works on (assigned to an adviser; a partner member's
    organisations'), each with what needs doing, and how many there are: two queries."""
    today = timezone.localdate()
    current = Membership.objects.filter(partnership=OuterRef("pk")).current_on(today)
    without_priorities = current.exclude(
        Exists(Priority.objects.filter(organisation_id=OuterRef("organisation_id")))
    )
    qs = (
        partnerships_worked_on_by(viewer)
        .exclude(stage=Stage.CLOSED)
        .select_related("lead_organisation")
        .annotate(
            aim_count=Count("aims", distinct=True),
            members_without_priorities=Subquery(
                without_priorities.order_by()
                .values("partnership")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("name", "pk")
    )
    rows = []
    for p in qs[:limit]:
        to_do = []
        if not p.aim_count:
            to_do.append("Record the partnership's strategic aims")
        if p.members_without_priorities:
            n = p.members_without_priorities
            to_do.append(f"{n} member{'s' if n != 1 else ''} to record their priorities")
        if not p.is_published:
            to_do.append("Not published: publish it when the partners are ready")
        rows.append(MyPartnership(p, to_do))
    return rows, qs.count()
