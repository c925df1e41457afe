from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from partnering.core.api_auth import api_user, optional_auth
from partnering.core.api_paging import PageNumberPagination

from .models import Organisation
from .schemas import OrganisationDetailOut, OrganisationFiltersIn, OrganisationOut
from .selectors import (
    OrganisationFilters,
    organisation_get,
    organisation_list,
    organisation_related,
)

router = Router(tags=["organisations"], auth=optional_auth)


@router.get("", response=list[OrganisationOut], summary="List organisations")
@paginate(PageNumberPagination, page_size=50)
def organisation_list_endpoint(request: HttpRequest, filters: Query[OrganisationFiltersIn]):  # type: ignore[no-untyped-def]
    """Councils and other bodies, filtered; `page` selects a page (50 a page unless `page_size`)."""
    return organisation_list(
        viewer=api_user(request),
        filters=OrganisationFilters(
            q=filters.q,
            kind=tuple(filters.kind),
            tier=tuple(filters.tier),
            region=tuple(filters.region),
            sector=tuple(filters.sector),
            status=filters.status,
        ),
    )


@router.get("/{slug}", response=OrganisationDetailOut, summary="One organisation")
def organisation_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    try:
        organisation = organisation_get(viewer=api_user(request), slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("No organisation with that slug.") from None
    related = organisation_related(organisation)
    return {
        **{
            f: getattr(organisation, f)
            for f in OrganisationOut.model_fields
            if f not in {"parent_county"}
        },
        "parent_county": organisation.parent_county,
        "combined_authority": organisation.combined_authority,
        "former_gss_codes": organisation.former_gss_codes,
        "districts": related["districts"],
        "predecessors": related["predecessors"],
        "successors": related["successors"],
    }
