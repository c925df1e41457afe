"""Thin views: parse input, fetch through the visible queryset, check the verb, call a service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from partnering.core.audit import history_entries
from partnering.core.errors import DomainError
from partnering.core.exports import about_lines, csv_response, figures_by_row, filters_words
from partnering.core.forms import add_domain_error
from partnering.core.paging import paginate
from partnering.core.permissions import can_view_history, is_taskforce_staff, require
from partnering.organisations.models import Organisation

from . import presenters
from .access import partnership_for_editing, partnership_for_viewing
from .forms import (
    AimForm,
    AimScoreForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipRoleForm,
    MembersOnForm,
    PartnershipFilterForm,
    PartnershipForm,
    PriorityForm,
    StageMoveForm,
)
from .models import STAGE_ORDER, AimScore, Membership, Partnership, Priority, Stage, StrategicAim
from .permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_move_partnership_stage,
    can_record_priorities,
    can_reopen_partnership,
)
from .registry import section_content_annotations, sections_for
from .selectors import (
    aims_of,
    members_among,
    members_on,
    membership_change_log,
    memberships_of,
    partnership_facets,
    partnership_fit,
    partnership_list,
    priorities_of,
    stage_changes,
)
from .services import (
    STAGE_RULES,
    aim_create,
    aim_scores_set,
    aim_update,
    membership_add,
    membership_change_role,
    membership_end,
    partnership_create,
    partnership_update,
    priority_create,
    priority_update,
    stage_move,
)

CSV_HEADER = (
    "reference", "name", "kind", "stage", "region", "lead_organisation", "member_count",
    "joins_two_tiers", "is_pathfinder", "pathfinder_theme", "start_date", "is_published", "is_demo",
)  # fmt: skip


def _posted(request: HttpRequest) -> Any:
    """The POST data for a bound form (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _filtered(request: HttpRequest) -> tuple[PartnershipFilterForm, Any]:
    form = PartnershipFilterForm(request.GET, viewer=request.user)
    form.is_valid()
    return form, partnership_list(viewer=request.user, filters=form.filters())


# --- list, search, CSV ----------------------------------------------------------------------


@require_safe
def partnership_list_view(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    facets = partnership_facets(viewer=request.user, filters=form.filters())
    form.label_with_counts(facets)
    context = {
        "form": form,
        "can_create": can_create_partnership(request.user),
        **paginate(request, queryset, per_page=25, count=facets["total"][0].count),
    }
    context.update(head=presenters.HEAD, rows=presenters.list_rows(context["page_obj"]))
    return render(request, "partnerships/partnership_list.html", context)


@require_safe
def partnership_csv_view(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    rows = (
        (
            p.reference, p.name, p.get_kind_display(), p.get_stage_display(), p.region,
            p.lead_organisation.name, p.member_count, "yes" if p.joins_two_tiers else "no",
            "yes" if p.is_pathfinder else "no", p.pathfinder_theme, p.start_date or "",
            "yes" if p.is_published else "no", "yes" if p.is_demo else "no",
        )
        for p in queryset.iterator(chunk_size=2000)
    )  # fmt: skip
    about = about_lines(
        "Strategic Partnering Platform: partnerships list", figures_by_row("is_demo"),
        ("Filters", filters_words(form)),
    )  # fmt: skip
    return csv_response("partnerships.csv", CSV_HEADER, rows, about=about)


# --- register and edit ----------------------------------------------------------------------


@login_required
def partnership_create_view(request: HttpRequest) -> HttpResponse:
    require(can_create_partnership(request.user), "Only partner members and staff can register.")
    form = PartnershipForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = partnership_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{partnership.name} registered")
            return redirect(partnership)
    return render(
        request, "partnerships/partnership_form.html", {"form": form, "partnership": None}
    )


@login_required
def partnership_update_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    initial = {
        **{f: getattr(partnership, f) for f in (
            "name", "reference", "purpose", "lead_organisation", "start_date", "is_pathfinder",
            "pathfinder_theme", "is_published",
        )},
        "service_areas": list(partnership.service_areas.all()),
    }  # fmt: skip
    form = PartnershipForm(
        _posted(request), initial=initial, user=request.user, partnership=partnership
    )
    if request.method == "POST" and form.is_valid():
        try:
            partnership_update(partnership=partnership, data=form.cleaned_data, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Changes saved")
            return redirect(partnership)
    return render(
        request, "partnerships/partnership_form.html", {"form": form, "partnership": partnership}
    )


# --- detail ---------------------------------------------------------------------------------


@require_safe
def partnership_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(
        request.user, slug, annotations=section_content_annotations()
    )
    today = timezone.localdate()
    on_form = MembersOnForm(request.GET if request.GET else None)
    on = on_form.cleaned_data.get("on") if on_form.is_valid() else None
    day = on or today
    can_edit = can_edit_partnership(request.user, partnership)
    changes = stage_changes(partnership)
    memberships = memberships_of(partnership)
    members = members_among(memberships, day)
    member_head, member_rows = presenters.member_table(
        members, partnership, actions=can_edit and day == today
    )
    context = {
        "partnership": partnership,
        "day": day,
        "is_today": day == today,
        "on_form": on_form,
        "members": members,
        "member_head": member_head,
        "member_rows": member_rows,
        "change_log": membership_change_log(partnership, memberships),
        "stage_changes": changes,
        "reached": {c.to_stage for c in changes},
        "aims": aims_of(partnership),
        "service_areas": list(partnership.service_areas.order_by("label")),
        "advisers": list(partnership.advisers.order_by("username")),
        "can_edit": can_edit,
        "can_move_stage": can_move_partnership_stage(request.user, partnership),
        "can_view_history": can_view_history(request.user),
        "sections": sections_for(request, partnership),
        "lifecycle": _lifecycle_items(partnership.stage, {c.to_stage for c in changes}),
    }
    return render(request, "partnerships/partnership_detail.html", context)


def _lifecycle_items(current: str, reached: set[str]) -> list[dict[str, Any]]:
    """The stages as ``govukTaskList`` items: the current one tagged, the others reached or not."""
    items = []
    for stage in STAGE_ORDER:
        if stage == current:
            status: dict[str, Any] = {
                "tag": {"text": "Current stage", "classes": "govuk-tag--blue"}
            }
        elif stage in reached:
            status = {"text": "Reached"}
        else:
            status = {"text": "Not reached", "cannotStartYet": True}
        items.append({"title": {"text": Stage(stage).label}, "status": status})
    return items


@require_safe
def partnership_history_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    require(can_view_history(request.user), "Only taskforce staff can see change history.")
    memberships = list(partnership.memberships.select_related("organisation"))
    return render(
        request,
        "partnerships/partnership_history.html",
        {
            "partnership": partnership,
            "entries": history_entries(partnership),
            "membership_entries": [(m, history_entries(m)) for m in memberships],
        },
    )


# --- members --------------------------------------------------------------------------------


@login_required
def membership_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    form = MembershipAddForm(_posted(request), initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_add(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{membership.organisation.name} added")
            return redirect(partnership)
    return render(
        request, "partnerships/membership_add.html", {"form": form, "partnership": partnership}
    )


def _membership(partnership: Partnership, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation"), partnership=partnership, pk=pk
    )


@login_required
def membership_end_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    membership = _membership(partnership, pk)
    form = MembershipEndForm(_posted(request), initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(membership=membership, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{membership.organisation.name}'s membership ended")
            return redirect(partnership)
    return render(
        request,
        "partnerships/membership_end.html",
        {"form": form, "partnership": partnership, "membership": membership},
    )


@login_required
def membership_role_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    membership = _membership(partnership, pk)
    form = MembershipRoleForm(_posted(request), initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            membership_change_role(membership=membership, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{membership.organisation.name}'s role changed")
            return redirect(partnership)
    return render(
        request,
        "partnerships/membership_role.html",
        {"form": form, "partnership": partnership, "membership": membership},
    )


# --- lifecycle ------------------------------------------------------------------------------


@login_required
def stage_move_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug, allowed=can_move_partnership_stage)
    form = StageMoveForm(
        _posted(request),
        current=partnership.stage,
        is_staff=is_taskforce_staff(request.user),
        may_reopen=can_reopen_partnership(request.user, partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = stage_move(partnership=partnership, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Moved to {change.get_to_stage_display().lower()}")
            return redirect(partnership)
    return render(
        request,
        "partnerships/stage_move.html",
        {
            "form": form,
            "partnership": partnership,
            "rules": STAGE_RULES,
            "stage_changes": stage_changes(partnership),
            "is_staff": is_taskforce_staff(request.user),
        },
    )


# --- aims, priorities, fit ------------------------------------------------------------------


@login_required
def aim_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    form = AimForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            aim_create(partnership=partnership, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Aim added")
            return redirect("partnerships:fit", slug=partnership.slug)
    return render(
        request,
        "partnerships/aim_form.html",
        {"form": form, "partnership": partnership, "aim": None},
    )


@login_required
def aim_update_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    aim = get_object_or_404(StrategicAim, partnership=partnership, pk=pk)
    form = AimForm(_posted(request), initial={"title": aim.title, "description": aim.description})
    if request.method == "POST" and form.is_valid():
        try:
            aim_update(aim=aim, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Aim changed")
            return redirect("partnerships:fit", slug=partnership.slug)
    return render(
        request,
        "partnerships/aim_form.html",
        {"form": form, "partnership": partnership, "aim": aim},
    )


@login_required
def aim_score_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_editing(request.user, slug)
    aim = get_object_or_404(StrategicAim, partnership=partnership, pk=pk)
    organisations = [m.organisation for m in members_on(partnership, timezone.localdate())]
    priorities = [
        p for ps in priorities_of(organisations, viewer=request.user).values() for p in ps
    ]
    for p in priorities:
        p.organisation = next(o for o in organisations if o.pk == p.organisation_id)
    initial = dict(AimScore.objects.filter(aim=aim).values_list("priority_id", "score"))
    form = AimScoreForm(_posted(request), priorities=priorities, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            aim_scores_set(aim=aim, scores=form.scores(), actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Scores saved for ‘{aim.title}’")
            return redirect("partnerships:fit", slug=partnership.slug)
    return render(
        request,
        "partnerships/aim_score.html",
        {"form": form, "partnership": partnership, "aim": aim, "has_priorities": bool(priorities)},
    )


def _member_organisation(partnership: Partnership, org_slug: str) -> Organisation:
    ids = [m.organisation_id for m in members_on(partnership, timezone.localdate())]
    return get_object_or_404(Organisation, slug=org_slug, pk__in=ids)


@login_required
def priority_create_view(request: HttpRequest, slug: str, org_slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    organisation = _member_organisation(partnership, org_slug)
    require(
        can_record_priorities(request.user, organisation, partnership),
        "Only the organisation's own people, its partnership's advisers and staff can do this.",
    )
    form = PriorityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            priority_create(
                organisation=organisation,
                entered_for=partnership,
                actor=request.user,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Priority recorded for {organisation.name}")
            return redirect("partnerships:fit", slug=partnership.slug)
    return render(
        request,
        "partnerships/priority_form.html",
        {"form": form, "partnership": partnership, "organisation": organisation, "priority": None},
    )


@login_required
def priority_update_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    ids = [m.organisation_id for m in members_on(partnership, timezone.localdate())]
    priority = get_object_or_404(
        Priority.objects.select_related("organisation"), pk=pk, organisation_id__in=ids
    )
    organisation = priority.organisation
    require(
        can_record_priorities(request.user, organisation, partnership),
        "Only the organisation's own people, its partnership's advisers and staff can do this.",
    )
    form = PriorityForm(
        _posted(request),
        initial={"title": priority.title, "source": priority.source, "weight": priority.weight},
    )
    if request.method == "POST" and form.is_valid():
        try:
            priority_update(priority=priority, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Priority changed")
            return redirect("partnerships:fit", slug=partnership.slug)
    return render(
        request,
        "partnerships/priority_form.html",
        {
            "form": form,
            "partnership": partnership,
            "organisation": organisation,
            "priority": priority,
        },
    )


@require_safe
def fit_view(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = partnership_for_viewing(request.user, slug)
    report = partnership_fit(partnership, viewer=request.user)
    rows = [
        (row, can_record_priorities(request.user, row.organisation, partnership))
        for row in report.rows
    ]
    return render(
        request,
        "partnerships/fit.html",
        {
            "partnership": partnership,
            "report": report,
            "rows": rows,
            "can_edit": can_edit_partnership(request.user, partnership),
        },
    )
