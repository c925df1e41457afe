"""Reads of the organisations registry."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import ENGLISH_REGIONS, Kind, Organisation, Tier
from .permissions import organisations_visible_to

STATUS_CHOICES = (("current", "Current"), ("abolished", "Abolished"))


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    kind: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    status: str = ""


def organisation_list(*, viewer: Any, filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Organisations matching the filters, ready for a list page (fixed number of queries)."""
    qs = organisations_visible_to(viewer).select_related("parent_county")
    if filters.q:
        term = filters.q.strip()
        names = Q()
        for spelling in spellings(term):
            names |= Q(name__icontains=spelling) | Q(short_name__icontains=spelling)
        qs = qs.filter(
            names
            | Q(gss_code__iexact=term)
            | Q(org_id__iexact=term)
            | Q(la_code__iexact=term)
            | _former_code(term)
        )
    if filters.kind:
        qs = qs.filter(kind__in=filters.kind)
    if filters.tier:
        qs = qs.filter(tier__in=filters.tier)
    if filters.region:
        qs = qs.filter(region__in=filters.region)
    if filters.sector:
        qs = qs.filter(sector__in=filters.sector)
    if filters.status == "current":
        qs = qs.filter(end_date__isnull=True)
    elif filters.status == "abolished":
        qs = qs.filter(end_date__isnull=False)
    return qs.order_by("name", "pk")


# Words that names spell more than one way ("Saint Helens" is "St Helens Council", "St. Helens").
SAME_WORDS = [("saint", "st", "st."), ("and", "&")]


def spellings(term: str) -> list[str]:
    """``term`` and its other spellings, word by word (at most a few: one per alternative)."""
    found = [term]
    for group in SAME_WORDS:
        for spelling in list(found):
            words = spelling.split()
            for index, word in enumerate(words):
                if word.lower() in group:
                    found += [
                        " ".join([*words[:index], other, *words[index + 1 :]])
                        for other in group
                        if other != word.lower()
                    ]
    return list(dict.fromkeys(found))[:12]


def organisation_get(*, viewer: Any, slug: str) -> Organisation:
    return (
        organisations_visible_to(viewer)
        .select_related("parent_county", "combined_authority")
        .get(slug=slug)
    )


def organisation_get_by_code(*, viewer: Any, code: str) -> Organisation | None:
    """The organisation with this GSS code, Org-ID or former GSS code (whole codes only)."""
    code = code.strip()
    if not code:
        return None
    visible = organisations_visible_to(viewer)
    return (
        visible.filter(gss_code__iexact=code).first()
        or visible.filter(org_id__iexact=code).first()
        or visible.filter(_former_code(code)).order_by("name", "pk").first()
    )


def _former_code(code: str) -> Q:
    """``former_gss_codes`` (codes separated by ``;``) contains exactly this code."""
    return (
        Q(former_gss_codes__iexact=code)
        | Q(former_gss_codes__istartswith=f"{code};")
        | Q(former_gss_codes__iendswith=f";{code}")
        | Q(former_gss_codes__icontains=f";{code};")
    )


def organisation_related(organisation: Organisation) -> dict[str, list[Organisation]]:
    """Districts, constituents, predecessors and successors, one query each."""
    return {
        "districts": list(organisation.districts.order_by("name")),
        "constituents": list(organisation.constituents.order_by("name")),
        "predecessors": list(organisation.predecessors.order_by("name")),
        "successors": list(organisation.replaced_by.order_by("name")),
    }


def region_choices() -> list[str]:
    """The regions a list can be filtered by: England's nine (no query; every organisation's
    region is one of them or blank, which ``test_regions`` checks against the shipped data)."""
    return list(ENGLISH_REGIONS)


def organisation_counts() -> dict[str, int]:
    return Organisation.objects.aggregate(
        current=Count("pk", filter=Q(end_date__isnull=True)),
        abolished=Count("pk", filter=Q(end_date__isnull=False)),
    )


KIND_CHOICES = Kind.choices
TIER_CHOICES = Tier.choices
