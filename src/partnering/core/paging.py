"""Pagination shared by list pages (GOV.UK pagination component)."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int = 50, *, count: int | None = None
) -> dict[str, Any]:
    """One page of ``queryset`` and its links. ``count``: the queryset's length when the caller
    already knows it (e.g. from its facet counts), so the paginator does not count again."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    page_obj = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page_obj,
        "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
    }
