"""Reads of the programme room, each at a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import mean
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.utils import timezone

from partnering.core.maths.assessment import criterion_result, weighted_score
from partnering.organisations.models import COUNCIL_KINDS
from partnering.partnerships.models import Membership

from .models import (
    Application,
    ApplicationStatus,
    Assessment,
    Call,
    Criterion,
    CriterionScore,
    SelectionRun,
    Theme,
)
from .permissions import applications_visible_to, calls_visible_to

SCORED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.SELECTED,
    ApplicationStatus.NOT_SELECTED,
)


#: A partnership's size band by the residents its member councils serve: (band, fewest, most);
#: None: no limit. Documented in docs/programme.md and on the call's form.
POPULATION_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("small", 0, 249_999), ("medium", 250_000, 749_999), ("large", 750_000, None),
)  # fmt: skip


def size_of(population: int | None) -> str | None:
    """A partnership's size band by the population it serves (None: no member council has one)."""
    if population is None:
        return None
    return next(band for band, _, most in POPULATION_BANDS if most is None or population <= most)


def size_band_text(band: str) -> str:
    """ "small: under 250,000 residents" and so on, as the pages and docs say it."""
    least, most = next((lo, hi) for b, lo, hi in POPULATION_BANDS if b == band)
    if not least:
        return f"{band}: under {most + 1:,} residents" if most is not None else band
    if most is None:
        return f"{band}: {least:,} residents or more"
    return f"{band}: {least:,} to {most:,} residents"


def served_population(partnership: str = "partnership", on: date | None = None) -> Subquery:
    """The residents a partnership's current member councils serve, each area counted once: a
    council inside another member's area (a district of a member county, a council of a member
    combined authority) adds nothing, because the larger area's population includes it. None
    when no current member is a council with a population. ``partnership`` names the outer
    query's partnership ("partnership" on applications, "pk" on partnerships): a subquery, so a
    list pays no query for it."""
    current = Membership.objects.current_on(on or timezone.localdate())
    inside = current.filter(partnership=OuterRef("partnership")).filter(
        Q(organisation=OuterRef("organisation__parent_county"))
        | Q(organisation=OuterRef("organisation__combined_authority"))
    )
    counted = (
        current.filter(
            partnership=OuterRef(partnership),
            organisation__kind__in=COUNCIL_KINDS,
            organisation__population__isnull=False,
        )
        .filter(~Exists(inside))
        .order_by()
        .values("partnership")
        .annotate(total=Sum("organisation__population"))
        .values("total")
    )
    return Subquery(counted, output_field=IntegerField())


def population_of(application: Application) -> int | None:
    """The population the application's partnership serves: the annotation of the selectors
    that list applications (``served``), else one query."""
    if hasattr(application, "served"):
        return application.served  # type: ignore[no-any-return]
    return (
        Application.objects.filter(pk=application.pk)
        .annotate(served=served_population())
        .values_list("served", flat=True)
        .first()
    )


def theme_tags(themes: list[str]) -> list[str]:
    """The selection tags an application's themes give it."""
    tags = [f"theme:{t}" for t in themes]
    if Theme.EGOV in themes:
        tags.append("egov")
    return tags


def call_tag_tags(slugs: list[str]) -> list[str]:
    """The selection tags of the call's own tags an application carries."""
    return [f"call:{slug}" for slug in slugs]


def application_tags(application: Application) -> list[str]:
    """The selection tags, from the partnership's record, the application's themes and the
    call's own tags it carries."""
    p = application.partnership
    tags = theme_tags(application.themes) + call_tag_tags(application.call_tags)
    if p.joins_two_tiers:
        tags.append("two_tier")
    if p.kind:
        tags.append(f"kind:{p.kind}")
    if p.region:
        tags.append(f"region:{p.region}")
    band = size_of(population_of(application))
    if band:
        tags.append(f"size:{band}")
    return tags


def known_tags(call: Call, extra_call_tags: list[str] | None = None) -> dict[str, str]:
    """Every tag an application of ``call`` can carry, with what it means (one query, for the
    call's own tags, unless ``extra_call_tags`` gives their slugs)."""
    from partnering.organisations.models import ENGLISH_REGIONS
    from partnering.partnerships.models import PartnershipKind

    tags = {"egov": "E-government and corporate support (a theme)",
            "two_tier": "Joins up a county council and its districts"}  # fmt: skip
    tags.update({f"theme:{v}": f"Theme: {label}" for v, label in Theme.choices})
    tags.update(
        {f"kind:{v}": f"Kind of partnership: {label}" for v, label in PartnershipKind.choices}
    )
    tags.update({f"region:{r}": f"Region: {r}" for r in ENGLISH_REGIONS})
    tags.update({f"size:{b}": f"Size by population served, {size_band_text(b)}"
                 for b, _, _ in POPULATION_BANDS})  # fmt: skip
    if extra_call_tags is None:
        extra_call_tags = list(call.tags.values_list("slug", flat=True)) if call.pk else []
    tags.update({f"call:{slug}": "This call's own tag" for slug in extra_call_tags})
    return tags


def _partnership_tag(tag: str) -> Q | None:
    """The condition on an application (annotated with ``served``) that gives it ``tag`` (as
    ``application_tags`` does), or None for a theme or call tag or a tag no partnership carries."""
    name, _, value = tag.partition(":")
    if tag == "two_tier":
        return Q(partnership__joins_two_tiers=True)
    if name in ("kind", "region") and value:
        return Q(**{f"partnership__{name}": value})
    for band, least, most in POPULATION_BANDS if name == "size" else ():
        if band == value:
            q = Q(served__gte=least)
            return q if most is None else q & Q(served__lte=most)
    return None


def tag_counts(applications: QuerySet[Application], tags: list[str]) -> tuple[int, dict[str, int]]:
    """How many of ``applications`` there are, and how many carry each of ``tags`` (the tags of
    ``application_tags``), counted by the database in one query: a row per distinct list of
    themes and call tags, however many applications there are."""
    conditions = {tag: q for tag in tags if (q := _partnership_tag(tag)) is not None}
    names = {tag: f"tag_{i}" for i, tag in enumerate(conditions)}
    if any(t.startswith("size:") for t in conditions):
        applications = applications.annotate(served=served_population())
    rows = (
        applications.order_by()
        .values("themes", "call_tags")
        .annotate(n=Count("pk"), **{names[t]: Count("pk", filter=q) for t, q in conditions.items()})
    )
    total, counts = 0, dict.fromkeys(tags, 0)
    for row in rows:
        total += row["n"]
        carried = set(theme_tags(row["themes"])) | set(call_tag_tags(row["call_tags"]))
        for tag in carried & counts.keys():
            counts[tag] += row["n"]
        for tag, name in names.items():
            counts[tag] += row[name]
    return total, counts


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    scores: list[int]
    moderated: int | None
    spread: int
    disagrees: bool

    @property
    def value(self) -> float | None:
        if self.moderated is not None:
            return float(self.moderated)
        return mean(self.scores) if self.scores else None


@dataclass(frozen=True)
class ScoredApplication:
    application: Application
    rows: list[CriterionRow]
    score: float | None  # 0-100, weighted; None until every criterion has a score
    assessments: int

    @property
    def disagreements(self) -> int:
        return sum(r.disagrees for r in self.rows)


def scored(application: Application, criteria: list[Criterion]) -> ScoredApplication:
    """Scores per criterion from prefetched ``submitted_assessments`` and ``moderated_scores``;
    the spread, moderation and weighted score are core.maths.assessment's (shared with the
    funding room), the score to one place."""
    call = application.call
    by_criterion: dict[int, list[int]] = {c.pk: [] for c in criteria}
    submitted: list[Assessment] = application.submitted_assessments  # type: ignore[attr-defined]
    for assessment in submitted:
        for s in assessment.scores.all():
            by_criterion.setdefault(s.criterion_id, []).append(s.score)
    moderated = {m.criterion_id: m.score for m in application.moderated_scores.all()}
    results = [
        criterion_result(c.pk, by_criterion.get(c.pk, []), moderated.get(c.pk),
                         call.moderation_spread)
        for c in criteria
    ]  # fmt: skip
    rows = [
        CriterionRow(criterion=c, scores=list(r.scores), moderated=r.moderated, spread=r.spread,
                     disagrees=r.disagrees)
        for c, r in zip(criteria, results, strict=True)
    ]  # fmt: skip
    score = weighted_score(results, {c.pk: c.weight for c in criteria}, call.score_min,
                           call.score_max, places=1)  # fmt: skip
    return ScoredApplication(
        application, rows, None if score is None else float(score), len(submitted)
    )


def _with_scores(qs: QuerySet[Application]) -> QuerySet[Application]:
    return (
        qs.select_related("call", "partnership")
        .annotate(served=served_population())
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(submitted_at__isnull=False).prefetch_related(
                    Prefetch("scores", queryset=CriterionScore.objects.all())
                ),
                to_attr="submitted_assessments",
            ),
            "moderated_scores",
        )
    )


def call_list(user: Any) -> QuerySet[Call]:
    return calls_visible_to(user).order_by("-opens_on", "title")


def call_get(user: Any, slug: str) -> Call:
    return calls_visible_to(user).get(slug=slug)


def call_applications(user: Any, call: Call) -> list[ScoredApplication]:
    """The call's applications the user may see, scored (a fixed number of queries)."""
    criteria = list(call.criteria.all())
    qs = _with_scores(applications_visible_to(user).filter(call=call)).order_by("reference")
    return [scored(a, criteria) for a in qs]


def call_applications_all(call: Call) -> list[ScoredApplication]:
    """Every application of the call, scored (for the services; no visibility filter)."""
    criteria = list(call.criteria.all())
    qs = _with_scores(Application.objects.filter(call=call)).order_by("reference")
    return [scored(a, criteria) for a in qs]


def application_get(user: Any, reference: str) -> Application:
    """One application the user may see, with ``served``: the population its partnership
    serves (for its size band)."""
    return (
        applications_visible_to(user)
        .select_related("call", "partnership")
        .annotate(served=served_population())
        .get(reference=reference)
    )


def application_scored(application: Application) -> ScoredApplication:
    criteria = list(application.call.criteria.all())
    fresh = _with_scores(Application.objects.filter(pk=application.pk)).get()
    return scored(fresh, criteria)


def scoring_begun(call: Call) -> bool:
    """Whether any assessor has submitted scores on the call's applications (its criteria and
    scale are then fixed)."""
    return Assessment.objects.filter(application__call=call, submitted_at__isnull=False).exists()


def latest_run(call: Call) -> SelectionRun | None:
    return call.selection_runs.order_by("-number").first()


@dataclass(frozen=True)
class AdviserLoad:
    profile: Any
    assigned: int

    @property
    def over(self) -> bool:
        return self.assigned > self.profile.capacity


DASHBOARD_ADVISERS = 10  # the busiest advisers the dashboard charts


def _profiles_with_load() -> QuerySet[Any]:
    """Adviser profiles with ``assigned``: how many partnerships each advises."""
    from .models import AdviserProfile

    return AdviserProfile.objects.select_related("user").annotate(
        assigned=Count("user__advised_partnerships", distinct=True)
    )


def adviser_load() -> list[AdviserLoad]:
    """Every adviser profile with how many partnerships they advise (one query)."""
    return [AdviserLoad(p, p.assigned) for p in _profiles_with_load()]


def adviser_list() -> QuerySet[Any]:
    """The advisers page's list: every adviser profile with ``assigned`` (how many partnerships
    each advises), by name; a page of it is one query (and the count one more)."""
    return _profiles_with_load().order_by(
        "user__last_name", "user__first_name", "user__username", "pk"
    )


@dataclass(frozen=True)
class AdviserCounts:
    total: int
    over: int  # advising more partnerships than their capacity
    full: int  # advising exactly their capacity


class _SumOver(Func):
    """``SUM(expression) OVER ()``: a sum over every row of a grouped query, where the expression
    may use the group's aggregates (Django's ``Sum`` refuses an aggregate inside it)."""

    function = "SUM"
    window_compatible = True


def busiest_advisers(limit: int) -> tuple[list[AdviserLoad], AdviserCounts]:
    """The ``limit`` advisers furthest over (or least under) their capacity, the busiest first
    among equals, and how many advisers there are in all, over and at capacity (one query: the
    counts are window sums over every adviser, taken before the limit)."""

    def how_many(condition: Q) -> Window:
        return Window(_SumOver(Case(When(condition, then=1), default=0)))

    profiles = list(
        _profiles_with_load()
        .annotate(
            total=Window(Count("pk")),
            over=how_many(Q(assigned__gt=F("capacity"))),
            full=how_many(Q(assigned=F("capacity"))),
        )
        .order_by(
            (F("assigned") - F("capacity")).desc(), "-assigned", "user__last_name", "user__username"
        )[:limit]
    )
    first = profiles[0] if profiles else None
    counts = AdviserCounts(*(getattr(first, name, 0) for name in ("total", "over", "full")))
    return [AdviserLoad(p, p.assigned) for p in profiles], counts


def advice_of(partnership: Any) -> list[Any]:
    from .models import Advice

    return list(
        Advice.objects.filter(partnership=partnership)
        .select_related("adviser")
        .prefetch_related("actions__owner", "actions__completed_by", "actions__partnership")[:100]
    )


def action_owners(partnership: Any, actor: Any) -> QuerySet[Any]:
    """Who may own a follow-up action agreed with a partnership: the person recording it, the
    partnership's advisers and the people of its current member organisations (one query)."""
    from django.utils import timezone

    from partnering.core.models import User
    from partnering.partnerships.models import Membership

    members = Membership.objects.current_on(timezone.localdate()).filter(partnership=partnership)
    return (
        User.objects.filter(
            Q(pk=actor.pk)
            | Q(advised_partnerships=partnership)
            | Q(organisations__in=members.values("organisation"))
        )
        .filter(is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def open_actions(user: Any) -> list[Any]:
    """Open follow-up actions (from advice and from mentoring sessions): an owner's own and,
    for an adviser, their partnerships'; for staff, every overdue one (one query)."""
    from django.db.models import Q
    from django.utils import timezone

    from partnering.core.permissions import is_taskforce_staff

    from .models import Action, ActionStatus

    qs = Action.objects.filter(status=ActionStatus.OPEN).select_related(
        "owner", "partnership", "completed_by"
    )
    if is_taskforce_staff(user):
        qs = qs.filter(due_on__lt=timezone.localdate())
    else:
        qs = qs.filter(Q(owner=user) | Q(partnership__advisers=user)).distinct()
    return list(qs.order_by("due_on", "pk")[:200])


# --- training modules ----------------------------------------------------------------------


def published_modules() -> QuerySet[Any]:
    """Every published training module with its cohorts, for anyone (the public included).

    The contract the library room reads to list modules as training programmes for authorities
    outside the programme: a queryset of ``TrainingModule`` (title, slug, summary, learning_outcomes (a
    list of lines), audience, duration_hours (Decimal), format, ``get_absolute_url()``), ordered
    by title, with ``sessions`` prefetched in date order; two queries whatever the number."""
    from .models import ModuleSession, TrainingModule

    return (
        TrainingModule.objects.filter(is_published=True)
        .prefetch_related(
            Prefetch("sessions", queryset=ModuleSession.objects.order_by("starts_on", "pk"))
        )
        .order_by("title")
    )


def module_list(user: Any) -> QuerySet[Any]:
    """Modules the user may see (staff: drafts too), with cohorts and completion counts."""
    from django.db.models import Count, Q

    from .models import ModuleSession
    from .permissions import modules_visible_to

    return (
        modules_visible_to(user)
        .annotate(
            completed=Count(
                "sessions__enrolments", filter=Q(sessions__enrolments__status="completed")
            )
        )
        .prefetch_related(
            Prefetch("sessions", queryset=ModuleSession.objects.order_by("starts_on", "pk"))
        )
        .order_by("title")
    )


def module_get(user: Any, slug: str) -> Any:
    from .permissions import modules_visible_to

    return modules_visible_to(user).get(slug=slug)


def module_sessions(module: Any) -> list[Any]:
    """A module's cohorts with the places taken (one query)."""
    from django.db.models import Count, Q

    sessions = list(
        module.sessions.annotate(
            taken=Count("enrolments", filter=~Q(enrolments__status="withdrawn"))
        ).order_by("starts_on", "pk")
    )
    for s in sessions:
        s.left = max(s.places - s.taken, 0)
    return sessions


def enrolments_of_module(module: Any) -> list[Any]:
    from .models import Enrolment

    return list(
        Enrolment.objects.filter(session__module=module)
        .select_related("person", "organisation", "session")
        .order_by("session__starts_on", "organisation__name", "person__last_name", "pk")
    )


def my_enrolments(user: Any) -> list[Any]:
    from .models import Enrolment

    if not user.is_authenticated:
        return []
    return list(
        Enrolment.objects.filter(person=user).select_related("session__module", "organisation")
    )


@dataclass(frozen=True)
class CompletionGrid:
    """Which councils have completed which modules: a count per organisation and module."""

    modules: list[Any]
    rows: list[tuple[Any, list[int]]]


def completion_grid() -> CompletionGrid:
    """Completions by organisation (rows) and module (columns), three queries."""
    from django.db.models import Count

    from partnering.organisations.models import Organisation

    from .models import Enrolment, TrainingModule

    modules = list(TrainingModule.objects.order_by("title"))
    counts = (
        Enrolment.objects.filter(status="completed")
        .values("organisation_id", "session__module_id")
        .annotate(n=Count("pk"))
    )
    by_org: dict[int, dict[int, int]] = {}
    for c in counts:
        by_org.setdefault(c["organisation_id"], {})[c["session__module_id"]] = c["n"]
    orgs = Organisation.objects.filter(pk__in=list(by_org)).order_by("name")
    rows = [(o, [by_org[o.pk].get(m.pk, 0) for m in modules]) for o in orgs]
    return CompletionGrid(modules, rows)


# --- events --------------------------------------------------------------------------------


def event_list(user: Any, *, upcoming_only: bool = False) -> QuerySet[Any]:
    """Events the user may see, with places taken and the waiting list (one query)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .permissions import events_visible_to

    qs = events_visible_to(user).annotate(
        booked=Count("bookings", filter=Q(bookings__status="booked")),
        waiting=Count("bookings", filter=Q(bookings__status="waiting")),
    )
    if upcoming_only:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.order_by("starts_at", "pk")


def event_get(user: Any, slug: str) -> Any:
    return event_list(user).get(slug=slug)


def event_bookings(event: Any) -> list[Any]:
    from .models import Booking

    return list(
        Booking.objects.filter(event=event)
        .exclude(status="cancelled")
        .select_related("person")
        .order_by("status", "created_at", "pk")
    )


def booking_of(user: Any, event: Any) -> Any:
    from .models import Booking

    if not user.is_authenticated:
        return None
    return Booking.objects.filter(event=event, person=user).exclude(status="cancelled").first()


def waiting_position(booking: Any) -> int | None:
    if booking is None or booking.status != "waiting":
        return None
    from .models import Booking

    return (
        Booking.objects.filter(event_id=booking.event_id, status="waiting")
        .filter(_before(booking))
        .count()
        + 1
    )


def _before(booking: Any) -> Any:
    from django.db.models import Q

    return Q(created_at__lt=booking.created_at) | Q(
        created_at=booking.created_at, pk__lt=booking.pk
    )


# --- peer support --------------------------------------------------------------------------


def peer_directory(user: Any, topic: str | None = None) -> list[Any]:
    """Listed peer offers (one query), optionally on one topic."""
    from .permissions import peer_offers_visible_to

    qs = (
        peer_offers_visible_to(user)
        .filter(is_listed=True)
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    offers = list(qs[:500])
    if topic:
        offers = [o for o in offers if topic in o.topics]
    return offers


@dataclass(frozen=True)
class Similar:
    partnership: Any
    score: float
    reasons: tuple[str, ...]
    contacts: list[Any]

    @property
    def reason(self) -> str:
        """Why, in one line: the two weightiest reasons."""
        text = "; ".join(self.reasons[:2])
        return text[:1].upper() + text[1:]


def _profiles(today: Any, rows: list[tuple[Any, ...]], of: Any) -> list[Any]:
    """Similarity profiles of partnerships from flat rows (no model instances: the candidates
    are every partnership the viewer may see). ``rows``: (pk, slug, stage, member_count,
    purpose); ``of``: a queryset of partnership pks whose members and service areas to read."""
    from partnering.partnerships.models import Membership, Partnership

    from .maths.similarity import Profile

    tiers: dict[int, dict[str, int]] = {}
    regions: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    members = Membership.objects.current_on(today).filter(partnership__in=of)
    for pk, kind, region in members.values_list(
        "partnership_id", "organisation__kind", "organisation__region"
    ):
        mix = tiers.setdefault(pk, {})
        mix[kind or "other"] = mix.get(kind or "other", 0) + 1
        counts[pk] = counts.get(pk, 0) + 1
        if region:
            regions.setdefault(pk, set()).add(region)
    services: dict[int, set[str]] = {}
    through = Partnership.service_areas.through.objects.filter(partnership__in=of)
    for pk, label in through.values_list("partnership_id", "servicearea__label"):
        services.setdefault(pk, set()).add(label)
    return [
        Profile(
            id=slug,
            tiers=tiers.get(pk, {}),
            services=frozenset(services.get(pk, ())),
            size=counts.get(pk) or member_count,
            stage=stage,
            regions=frozenset(regions.get(pk, ())),
            text=purpose or "",
        )
        for pk, slug, stage, member_count, purpose in rows
    ]


def similarity_profiles() -> list[tuple[int, bool, Any]]:
    """Every partnership's similarity profile, with its pk and whether it is published (three
    queries, flat rows): what ``services.similar_lists_refresh`` ranks."""
    from django.utils import timezone

    from partnering.partnerships.models import Partnership

    rows = list(Partnership.objects.order_by("pk").values_list(
        "pk", "slug", "stage", "member_count", "purpose", "is_published"))  # fmt: skip
    everyone = Partnership.objects.values("pk")
    profiles = _profiles(timezone.localdate(), [row[:5] for row in rows], everyone)
    return [(row[0], row[5], p) for row, p in zip(rows, profiles, strict=True)]


def similarity_profiles_of(pks: Any) -> dict[int, Any]:
    """The similarity profiles of some partnerships, by pk (three queries, flat rows)."""
    from django.utils import timezone

    from partnering.partnerships.models import Partnership

    chosen = Partnership.objects.filter(pk__in=list(pks))
    rows = list(chosen.order_by("pk").values_list("pk", "slug", "stage", "member_count", "purpose"))
    profiles = _profiles(timezone.localdate(), rows, chosen.values("pk"))
    return {row[0]: p for row, p in zip(rows, profiles, strict=True)}


def partnerships_like_precomputed(
    user: Any, partnership: Any, limit: int = 5
) -> list[Similar] | None:
    """The ``limit`` partnerships most like this one that the user may see, best first, each
    with its two weightiest reasons, read from the list worked out in advance
    (``SimilarList``); ``None`` when none is worked out yet (a new partnership, until the
    task has run). No contacts. Two queries whatever the number of partnerships.

    The public's list is the one ranked among published partnerships alone (all they see);
    signed-in viewers read the one ranked among every partnership, keeping those they may see.
    """
    from partnering.partnerships.models import Stage
    from partnering.partnerships.permissions import partnerships_visible_to

    from .models import SimilarList, SimilarScope

    scope = SimilarScope.ALL if user.is_authenticated else SimilarScope.PUBLISHED
    entries = (
        SimilarList.objects.filter(partnership=partnership, scope=scope)
        .values_list("entries", flat=True)
        .first()
    )
    if entries is None:
        return None
    visible = (
        partnerships_visible_to(user)
        .exclude(pk=partnership.pk)
        .exclude(stage=Stage.CLOSED)
        .only("pk", "slug", "name")
        .in_bulk([pk for pk, _, _ in entries])
    )
    shown = [(pk, score, reasons) for pk, score, reasons in entries if pk in visible]
    return [Similar(visible[pk], score, tuple(reasons), []) for pk, score, reasons in shown[:limit]]


def partnerships_like(user: Any, partnership: Any, limit: int = 5) -> list[Similar]:
    """The partnerships most like this one that the user may see (closed ones left out), why,
    and who to talk to there (people of their current members who agreed to be listed).

    Seven queries whatever the size: the candidates, their current members and their service
    areas are read as flat rows (thousands of partnerships, no model instances), then only the
    ``limit`` best are loaded."""
    from django.utils import timezone

    from partnering.partnerships.models import Membership, Partnership
    from partnering.partnerships.permissions import partnerships_visible_to

    from .maths.similarity import most_similar
    from .models import PeerOffer

    today = timezone.localdate()
    fields = ("pk", "slug", "stage", "member_count", "purpose")
    visible = partnerships_visible_to(user).exclude(pk=partnership.pk).exclude(stage="closed")
    mine = _profiles(today, [tuple(getattr(partnership, f) for f in fields)],
                     Partnership.objects.filter(pk=partnership.pk).values("pk"))[0]  # fmt: skip
    others = _profiles(today, list(visible.values_list(*fields)), visible.values("pk"))
    matches = most_similar(mine, others, limit=limit)
    current = Prefetch(
        "memberships", queryset=Membership.objects.current_on(today), to_attr="current_members"
    )
    by_slug = {
        p.slug: p
        for p in Partnership.objects.filter(slug__in=[m.id for m in matches]).prefetch_related(
            current
        )
    }
    org_ids = {m.organisation_id for p in by_slug.values() for m in p.current_members}
    # The directory names people: the public sees the partnerships, not who to talk to.
    offers = (
        list(
            PeerOffer.objects.filter(is_listed=True, organisation_id__in=org_ids).select_related(
                "person", "organisation"
            )
        )
        if user.is_authenticated and org_ids
        else []
    )
    result = []
    for match in matches:
        p = by_slug[match.id]
        members = {m.organisation_id for m in p.current_members}
        contacts = [o for o in offers if o.organisation_id in members]
        result.append(Similar(p, match.score, match.reasons, contacts))
    return result


# --- the programme dashboard ---------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # 0-100: the bar's share of the chart's scale
    note: str = ""
    marker_min: float | None = None  # 0-100, a quota's minimum on the same scale
    marker_max: float | None = None
    top: int = 0  # where the chart draws it: its row's offset, its length and markers in pixels
    length: int = 0
    min_at: int | None = None
    max_at: int | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    value_label: str
    bars: list[Bar]
    scale: int

    @property
    def height(self) -> int:
        return BAR_ROW * len(self.bars) + 8


def _chart(key: str, title: str, value_label: str, rows: list[tuple[str, int, str]],
           quotas: list[tuple[int | None, int | None]] | None = None) -> Chart:  # fmt: skip
    marks = [m for q in (quotas or []) for m in q if m is not None]
    scale = max([1, *(v for _, v, _ in rows), *marks])
    bars = []
    for i, (label, value, note) in enumerate(rows):
        lo, hi = quotas[i] if quotas else (None, None)
        width, low, high = (
            None if v is None else round(100 * v / scale, 2) for v in (value, lo, hi)
        )
        bars.append(Bar(label, value, width or 0, note, low, high, BAR_ROW * i, _pixels(width),
                        _pixels(low), _pixels(high)))  # fmt: skip
    return Chart(key, title, value_label, bars, scale)


BAR_ROW, BAR_SPAN = 28, 320  # a bar's row height and its full length in the chart, in pixels


def _pixels(share: float | None) -> int | None:
    return None if share is None else round(share / 100 * BAR_SPAN)


@dataclass(frozen=True)
class Dashboard:
    charts: list[Chart]
    call: Any
    overdue_count: int
    overdue: list[Any]
    upcoming: list[Any]
    load: list[AdviserLoad]  # the busiest advisers (DASHBOARD_ADVISERS of them at most)
    advisers: AdviserCounts


def dashboard() -> Dashboard:
    """Staff's view of the programme, in a fixed number of queries whatever the data size."""
    from django.utils import timezone

    from partnering.partnerships.models import Partnership, Stage

    from .models import Action, ActionStatus, Event

    today = timezone.localdate()
    by_status = Application.objects.annotate(chart=Value("applications")).values_list(
        "chart", "status"
    )
    by_stage = (
        Partnership.objects.filter(is_pathfinder=True)
        .annotate(chart=Value("pathfinders"))
        .values_list("chart", "stage")
    )
    counts: dict[str, dict[str, int]] = {"applications": {}, "pathfinders": {}}
    for chart, value, n in (  # both charts' counts in one query
        by_status.annotate(n=Count("pk"))
        .order_by()
        .union(by_stage.annotate(n=Count("pk")).order_by(), all=True)
    ):
        counts[chart][value] = n
    status_counts, stage_counts = counts["applications"], counts["pathfinders"]
    applications = _chart(
        "applications", "Applications by stage", "Applications",
        [(str(label), status_counts.get(value, 0), "") for value, label in ApplicationStatus.choices],
    )  # fmt: skip
    pathfinders = _chart(
        "pathfinders", "Pathfinders by lifecycle stage", "Pathfinders",
        [(str(label), stage_counts.get(value, 0), "") for value, label in Stage.choices],
    )  # fmt: skip
    call = (
        Call.objects.filter(Q(status="decided") | Q(selection_runs__isnull=False))
        .distinct()
        .order_by("-decisions_by", "-pk")
        .first()
    )
    charts = [applications, pathfinders]
    if call is not None:
        quotas = list(call.quotas.all())
        tags = [q.tag for q in quotas]
        chosen, counts = tag_counts(
            Application.objects.filter(call=call, status=ApplicationStatus.SELECTED), tags
        )
        if not chosen:
            run = call.selection_runs.order_by("-number").first()
            picked = set(run.result.get("selected", [])) if run else set()
            chosen, counts = tag_counts(
                Application.objects.filter(call=call, reference__in=picked), tags
            )
        rows, marks = [], []
        for q in quotas:
            n = counts[q.tag]
            ok = (q.minimum is None or n >= q.minimum) and (q.maximum is None or n <= q.maximum)
            limits = " and ".join(
                x for x in (f"at least {q.minimum}" if q.minimum is not None else "",
                            f"at most {q.maximum}" if q.maximum is not None else "") if x
            )  # fmt: skip
            rows.append((str(q), n, f"{limits}: {'met' if ok else 'not met'}"))
            marks.append((q.minimum, q.maximum))
        rows.append(("Projects selected", chosen, f"{call.places} places"))
        marks.append((call.places, call.places))
        charts.append(_chart("portfolio", f"Portfolio balance against the quotas: {call.title}",
                             "Selected", rows, marks))  # fmt: skip
    load, adviser_counts = busiest_advisers(DASHBOARD_ADVISERS)
    charts.append(
        _chart("advisers", "Adviser load against capacity", "Partnerships advised",
               [(str(r.profile), r.assigned, f"capacity {r.profile.capacity}"
                 + (": over capacity" if r.over else "")) for r in load],
               [(None, r.profile.capacity) for r in load])
    )  # fmt: skip
    overdue = list(
        Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today)
        .select_related("owner", "partnership")
        .annotate(total=Window(Count("pk")))  # how many are overdue, in the same query
        .order_by("due_on", "pk")[:10]
    )
    upcoming = list(
        Event.objects.filter(starts_at__gte=timezone.now())
        .annotate(booked=Count("bookings", filter=Q(bookings__status="booked")))
        .order_by("starts_at")[:5]
    )
    overdue_count = overdue[0].total if overdue else 0
    return Dashboard(charts, call, overdue_count, overdue, upcoming, load, adviser_counts)


def sessions_of(partnership: Any) -> list[Any]:
    """A partnership's mentoring sessions, latest first, with their follow-up actions (two
    queries)."""
    return list(
        partnership.mentoring_sessions.select_related("adviser")
        .prefetch_related("actions__owner", "actions__completed_by", "actions__partnership")
        .order_by("-held_on", "-pk")[:200]
    )


def advisers_of(partnership: Any) -> list[Any]:
    """A partnership's advisers, each with ``advising`` (how many partnerships they advise) and
    their profile, if any (one query)."""
    from partnering.core.models import User

    return list(
        User.objects.filter(pk__in=partnership.advisers.values("pk"))
        .select_related("adviser_profile")
        .annotate(advising=Count("advised_partnerships", distinct=True))
        .order_by("first_name", "last_name", "username")
    )


def adviser_changes_of(partnership: Any, limit: int = 20) -> list[Any]:
    """The latest changes to who advises a partnership, newest first (one query)."""
    from .models import AdviserAssignment

    return list(
        AdviserAssignment.objects.filter(partnership=partnership)
        .select_related("adviser", "changed_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def adviser_choices() -> tuple[QuerySet[Any], dict[int, tuple[int, int]]]:
    """Every adviser with a profile, to choose from, and each one's (advising, capacity)
    (two queries)."""
    from partnering.core.models import User

    loads = {r.profile.user_id: (r.assigned, r.profile.capacity) for r in adviser_load()}
    users = User.objects.filter(adviser_profile__isnull=False, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return users, loads


#: The discipline a pathfinder's theme needs from its mentor, unless staff say otherwise
#: (``MentoringNeeds``; documented in docs/programme.md).
DISCIPLINE_FOR_THEME = {
    Theme.PROCUREMENT: "procurement",
    Theme.EGOV: "project_management",
    Theme.CORPORATE: "finance",
    Theme.REVENUES: "finance",
    Theme.PROPERTY: "legal",
}


def pathfinder_needs(partnership: Any, themes: Any) -> tuple[int, list[str]]:
    """How many mentors a pathfinder needs and the disciplines each must hold: staff's
    ``MentoringNeeds`` when set (read through ``partnership.mentoring_needs``, so select or
    prefetch it), else one mentor with the disciplines its application's themes suggest."""
    needs = getattr(partnership, "mentoring_needs", None)
    if needs is not None:
        return needs.mentors, sorted(needs.disciplines)
    return 1, sorted({DISCIPLINE_FOR_THEME[t] for t in themes if t in DISCIPLINE_FOR_THEME})


def mentoring_needs_of(partnership: Any) -> tuple[int, list[str], bool]:
    """(mentors, disciplines, whether staff set them) for one partnership, as the matching
    reads them (two queries)."""
    from partnering.partnerships.models import Partnership

    p = (
        Partnership.objects.select_related("mentoring_needs")
        .prefetch_related("applications")
        .get(pk=partnership.pk)
    )
    mentors, disciplines = pathfinder_needs(
        p, [t for app in p.applications.all() for t in app.themes]
    )
    return mentors, disciplines, getattr(p, "mentoring_needs", None) is not None


def adviser_profiles(user: Any) -> list[Any]:
    """Adviser profiles the user may see, with how many partnerships each advises (two queries)."""
    from django.db.models import Count

    from .permissions import advisers_visible_to

    return list(
        advisers_visible_to(user)
        .select_related("user")
        .prefetch_related("interests__organisation")
        .annotate(advising=Count("user__advised_partnerships", distinct=True))
        .order_by("user__username")
    )


def adviser_to_edit(user: Any, username: str) -> tuple[Any, Any]:
    """The adviser (a user with the adviser role, or with a profile) whose profile ``user`` may
    change, and that profile or None; ``LookupError`` when there is none or they may not."""
    from django.db.models import Q

    from partnering.core.models import Role, User

    from .permissions import can_edit_adviser_profile

    adviser = (
        User.objects.filter(Q(role=Role.ADVISER) | Q(adviser_profile__isnull=False))
        .filter(username=username)
        .select_related("adviser_profile")
        .first()
    )
    if adviser is None or not can_edit_adviser_profile(user, adviser):
        raise LookupError(username)
    return adviser, getattr(adviser, "adviser_profile", None)


def adviser_regions(profile: Any) -> list[str]:
    """The regions an adviser can choose: those of the organisations, and any the profile has."""
    from partnering.organisations.models import Organisation

    known = set(Organisation.objects.exclude(region="").values_list("region", flat=True).distinct())
    return sorted(known | set(profile.regions if profile else []))
