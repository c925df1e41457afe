"""Partnerships JSON API: the same selectors, permissions and services as the pages."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.api_paging import PageNumberPagination
from partnering.core.errors import DomainError
from partnering.core.permissions import require
from partnering.organisations.models import Organisation

from .access import partnership_for_editing, partnership_for_viewing
from .models import AimScore, Membership, Partnership, Priority, ServiceArea, StrategicAim
from .permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_move_partnership_stage,
    can_record_priorities,
)
from .schemas import (
    AimIn,
    AimOut,
    AimScoreIn,
    ChangeLogOut,
    FitOut,
    MembershipEndIn,
    MembershipIn,
    MembershipOut,
    MembershipRoleIn,
    PartnershipDetailOut,
    PartnershipFiltersIn,
    PartnershipIn,
    PartnershipOut,
    PartnershipUpdateIn,
    PriorityIn,
    PriorityOut,
    StageChangeOut,
    StageMoveIn,
)
from .selectors import (
    PartnershipFilters,
    aims_of,
    members_on,
    membership_change_log,
    partnership_fit,
    partnership_list,
    priorities_of,
    stage_changes,
)
from .services import (
    aim_create,
    aim_scores_set,
    membership_add,
    membership_change_role,
    membership_end,
    partnership_create,
    partnership_update,
    priority_create,
    stage_move,
)

router = Router(tags=["partnerships"])
EDIT_DENIED = (
    "Only the partnership's current members, its advisers and taskforce staff can change it."
)


def _organisation(slug: str, field: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise DomainError("partnerships.unknown_organisation", f"No organisation ‘{slug}’", field)
    return organisation


def _service_areas(codes: list[int]) -> list[ServiceArea]:
    areas = list(ServiceArea.objects.filter(lgsl_code__in=codes))
    unknown = sorted(set(codes) - {a.lgsl_code for a in areas})
    if unknown:
        raise DomainError(
            "partnerships.unknown_service_area",
            f"Unknown LGSL code(s): {', '.join(map(str, unknown))}",
            "service_areas",
        )
    return areas


def _detail(partnership: Partnership, user: Any) -> dict[str, Any]:
    return {
        **{f: getattr(partnership, f) for f in PartnershipOut.model_fields},
        "purpose": partnership.purpose,
        "notes": partnership.notes,
        "service_areas": list(partnership.service_areas.order_by("label")),
        "aims": aims_of(partnership),
        "advisers": [a.display_name for a in partnership.advisers.order_by("username")],
        "can_edit": can_edit_partnership(user, partnership),
    }


# --- partnerships ---------------------------------------------------------------------------


@router.get("", response=list[PartnershipOut], auth=optional_auth, summary="List partnerships")
@paginate(PageNumberPagination, page_size=50)
def partnership_list_endpoint(request: HttpRequest, filters: Query[PartnershipFiltersIn]):  # type: ignore[no-untyped-def]
    """Partnerships you may see, filtered; `page` selects a page of 50."""
    return partnership_list(
        viewer=api_user(request),
        filters=PartnershipFilters(
            q=filters.q,
            kind=tuple(filters.kind),
            stage=tuple(filters.stage),
            region=tuple(filters.region),
            member=filters.member,
            service_area=filters.service_area,
            pathfinder=filters.pathfinder,
        ),
    )


@router.post(
    "", response={201: PartnershipDetailOut}, auth=required_auth, summary="Register a partnership"
)
def partnership_create_endpoint(request: HttpRequest, payload: PartnershipIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(can_create_partnership(user), "Only partner members and staff can register.")
    if payload.is_pathfinder and not payload.pathfinder_theme:
        raise DomainError(
            "partnerships.theme_required", "Enter the pathfinder theme", "pathfinder_theme"
        )
    data = payload.dict()
    data["lead_organisation"] = _organisation(payload.lead_organisation, "lead_organisation")
    data["service_areas"] = _service_areas(payload.service_areas)
    partnership = partnership_create(actor=user, **data)
    return Status(201, _detail(partnership, user))


@router.get("/{slug}", response=PartnershipDetailOut, auth=optional_auth, summary="One partnership")
def partnership_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _detail(partnership_for_viewing(api_user(request), slug), api_user(request))


@router.patch(
    "/{slug}", response=PartnershipDetailOut, auth=required_auth, summary="Change a partnership"
)
def partnership_update_endpoint(request: HttpRequest, slug: str, payload: PartnershipUpdateIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(api_user(request), slug)
    data = payload.dict(exclude_unset=True)
    if "lead_organisation" in data:
        data["lead_organisation"] = _organisation(data["lead_organisation"], "lead_organisation")
    if "service_areas" in data:
        data["service_areas"] = _service_areas(data["service_areas"] or [])
    for name in ("name", "reference", "purpose", "is_pathfinder", "is_published"):
        if name in data and data[name] is None:
            raise DomainError("partnerships.required", f"{name} cannot be empty", name)
    partnership = partnership_update(partnership=partnership, data=data, actor=api_user(request))
    return _detail(partnership, api_user(request))


# --- members --------------------------------------------------------------------------------


@router.get("/{slug}/members", response=list[MembershipOut], auth=optional_auth, summary="Members")
def membership_list_endpoint(request: HttpRequest, slug: str, on: date | None = None):  # type: ignore[no-untyped-def]
    """The members on a date (`?on=YYYY-MM-DD`, default today)."""
    return members_on(partnership_for_viewing(api_user(request), slug), on or timezone.localdate())


@router.get(
    "/{slug}/change-log", response=list[ChangeLogOut], auth=optional_auth, summary="Change log"
)
def change_log_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return membership_change_log(partnership_for_viewing(api_user(request), slug))


@router.post(
    "/{slug}/members", response={201: MembershipOut}, auth=required_auth, summary="Add a member"
)
def membership_add_endpoint(request: HttpRequest, slug: str, payload: MembershipIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(api_user(request), slug)
    data = payload.dict()
    data["organisation"] = _organisation(payload.organisation, "organisation")
    return Status(201, membership_add(partnership=partnership, actor=api_user(request), **data))


def _membership(partnership: Partnership, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation"), partnership=partnership, pk=membership_id
    )


@router.post(
    "/{slug}/members/{membership_id}/end",
    response=MembershipOut,
    auth=required_auth,
    summary="End a membership",
)
def membership_end_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, membership_id: int, payload: MembershipEndIn
):
    partnership = partnership_for_editing(api_user(request), slug)
    membership = _membership(partnership, membership_id)
    return membership_end(membership=membership, actor=api_user(request), **payload.dict())


@router.post(
    "/{slug}/members/{membership_id}/role",
    response=MembershipOut,
    auth=required_auth,
    summary="Change a member's role",
)
def membership_role_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, membership_id: int, payload: MembershipRoleIn
):
    partnership = partnership_for_editing(api_user(request), slug)
    membership = _membership(partnership, membership_id)
    return membership_change_role(membership=membership, actor=api_user(request), **payload.dict())


# --- stages ---------------------------------------------------------------------------------


def _stage_out(change: Any) -> dict[str, Any]:
    return {
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "moved_on": change.moved_on,
        "moved_by": change.moved_by.display_name if change.moved_by else None,
        "reason": change.reason,
        "recorded_at": change.recorded_at,
    }


@router.get("/{slug}/stages", response=list[StageChangeOut], auth=optional_auth, summary="Stages")
def stage_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return [_stage_out(c) for c in stage_changes(partnership_for_viewing(api_user(request), slug))]


@router.post(
    "/{slug}/stages", response={201: StageChangeOut}, auth=required_auth, summary="Move stage"
)
def stage_move_endpoint(request: HttpRequest, slug: str, payload: StageMoveIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(
        api_user(request), slug, allowed=can_move_partnership_stage
    )
    change = stage_move(partnership=partnership, actor=api_user(request), **payload.dict())
    return Status(201, _stage_out(change))


# --- aims, priorities, fit ------------------------------------------------------------------


@router.get("/{slug}/aims", response=list[AimOut], auth=optional_auth, summary="Strategic aims")
def aim_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return aims_of(partnership_for_viewing(api_user(request), slug))


@router.post("/{slug}/aims", response={201: AimOut}, auth=required_auth, summary="Add an aim")
def aim_create_endpoint(request: HttpRequest, slug: str, payload: AimIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_editing(api_user(request), slug)
    return Status(
        201, aim_create(partnership=partnership, actor=api_user(request), **payload.dict())
    )


@router.put(
    "/{slug}/aims/{aim_id}/scores",
    response=dict[str, int],
    auth=required_auth,
    summary="Score an aim against members' priorities (0 to 3)",
)
def aim_scores_endpoint(  # type: ignore[no-untyped-def]
    request: HttpRequest, slug: str, aim_id: int, payload: list[AimScoreIn]
):
    partnership = partnership_for_editing(api_user(request), slug)
    aim = get_object_or_404(StrategicAim, partnership=partnership, pk=aim_id)
    aim_scores_set(aim=aim, scores={s.priority: s.score for s in payload}, actor=api_user(request))
    return {
        str(pk): score
        for pk, score in AimScore.objects.filter(aim=aim).values_list("priority_id", "score")
    }


@router.get(
    "/{slug}/priorities",
    response=list[PriorityOut],
    auth=optional_auth,
    summary="Current members' priorities",
)
def priority_list_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    organisations = [m.organisation for m in members_on(partnership, timezone.localdate())]
    by_pk = {o.pk: o for o in organisations}
    result = []
    for org_pk, priorities in priorities_of(organisations, viewer=api_user(request)).items():
        for p in priorities:
            p.organisation = by_pk[org_pk]
            result.append(p)
    return result


@router.post(
    "/{slug}/priorities",
    response={201: PriorityOut},
    auth=required_auth,
    summary="Record a member's priority",
)
def priority_create_endpoint(request: HttpRequest, slug: str, payload: PriorityIn):  # type: ignore[no-untyped-def]
    partnership = partnership_for_viewing(api_user(request), slug)
    ids = {m.organisation_id for m in members_on(partnership, timezone.localdate())}
    organisation = _organisation(payload.organisation, "organisation")
    if organisation.pk not in ids:
        raise DomainError(
            "partnerships.priority_not_member",
            f"{organisation.name} is not a current member of this partnership",
            "organisation",
        )
    if not can_record_priorities(api_user(request), organisation, partnership):
        raise PermissionDenied(
            "Only the organisation's own people, advisers and staff can do this."
        )
    data = payload.dict()
    data.pop("organisation")
    priority: Priority = priority_create(
        organisation=organisation, entered_for=partnership, actor=api_user(request), **data
    )
    return Status(201, priority)


@router.get("/{slug}/fit", response=FitOut, auth=optional_auth, summary="Priorities fit matrix")
def fit_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    report = partnership_fit(partnership_for_viewing(user, slug), viewer=user)
    return {
        "aims": report.aims,
        "rows": [
            {
                "organisation": r.organisation,
                "by_aim": dict(r.fit.by_aim),
                "overall": r.fit.overall,
                "is_poor": r.fit.is_poor,
                "unserved": [p.title for p in r.fit.unserved],
            }
            for r in report.rows
        ],
        "summary": report.summary,
    }
