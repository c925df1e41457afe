from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from partnering.core.audit import history_entries
from partnering.core.exports import about_lines, csv_response, figures_by_row, filters_words
from partnering.core.paging import paginate
from partnering.core.permissions import can_view_history, is_adviser, is_taskforce_staff, require
from partnering.core.rooms import sections_for

from . import presenters
from .forms import OrganisationFilterForm
from .permissions import organisations_visible_to
from .selectors import (
    organisation_get,
    organisation_get_by_code,
    organisation_list,
    organisation_related,
)

CSV_HEADER = (
    "name", "gss_code", "org_id", "la_code", "kind", "tier", "sector", "parent_county_gss",
    "region", "start_date", "end_date", "population", "population_year", "is_demo",
)  # fmt: skip


def _filtered(request: HttpRequest) -> tuple[OrganisationFilterForm, object]:
    form = OrganisationFilterForm(request.GET)
    form.is_valid()
    return form, organisation_list(viewer=request.user, filters=form.filters())


@require_safe
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    context = {"form": form, **paginate(request, queryset, per_page=50)}
    context.update(head=presenters.HEAD, rows=presenters.list_rows(context["page_obj"]))
    return render(request, "organisations/organisation_list.html", context)


@require_safe
def organisation_csv_view(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    rows = (
        (
            o.name, o.gss_code or "", o.org_id or "", o.la_code, o.get_kind_display(), o.tier,
            o.sector, o.parent_county.gss_code if o.parent_county else "", o.region,
            o.start_date, o.end_date, o.population, o.population_year,
            "yes" if o.is_demo else "no",
        )
        for o in queryset.iterator(chunk_size=2000)
    )  # fmt: skip
    about = about_lines(
        "Strategic Partnering Platform: organisations list", figures_by_row("is_demo"),
        ("Filters", filters_words(form)),
    )  # fmt: skip
    return csv_response("organisations.csv", CSV_HEADER, rows, about=about)


@require_safe
def organisation_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_get(viewer=request.user, slug=slug)
    except ObjectDoesNotExist:
        raise Http404("No such organisation") from None
    context = {
        "organisation": organisation,
        "can_view_history": can_view_history(request.user),
        # The registry's own working notes (sources, what is unverified) are the taskforce's.
        "can_see_notes": is_taskforce_staff(request.user) or is_adviser(request.user),
        **organisation_related(organisation),
        # Other rooms' sections on this page (core.rooms.PageSection, page "organisation").
        "sections": sections_for("organisation", request, organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)


@require_safe
def organisation_by_code_view(request: HttpRequest, code: str) -> HttpResponse:
    """Canonical redirect from a GSS code (current or former) or Org-ID to the organisation page."""
    organisation = organisation_get_by_code(viewer=request.user, code=code)
    if organisation is None:
        raise Http404("No organisation has that code")
    return redirect(organisation, permanent=True)


@require_safe
def organisation_history_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff only: everyone else, the public included, gets 403 (the 403 page offers sign-in).

    The same rule as the partnerships History page: role-restricted pages answer 403; pages
    that only need an account (``login_required``) redirect the public to sign in.
    """
    require(can_view_history(request.user), "Only taskforce staff can see change history.")
    organisation = get_object_or_404(organisations_visible_to(request.user), slug=slug)
    return render(
        request,
        "organisations/organisation_history.html",
        {"organisation": organisation, "entries": history_entries(organisation)},
    )
