"""Who sees and handles residents' requests.

A request (and the resident's personal data in it) is seen by the staff of the council handling
it (partner members of that council) and by taskforce staff; the public sees a request only by
its reference, without personal data, on the tracking page and through Open311.
"""

from typing import Any

from django.db.models import QuerySet

from partnering.core.permissions import is_partner_member, is_signed_in, is_taskforce_staff
from partnering.organisations.models import Organisation

from .models import ServiceRequest


def _org_ids(user: Any) -> list[int]:
    cached = getattr(user, "_frontdoor_org_ids", None)
    if cached is None:
        cached = list(user.organisations.values_list("pk", flat=True))
        user._frontdoor_org_ids = cached
    return cached


def service_requests_visible_to(user: Any) -> QuerySet[ServiceRequest]:
    """Requests whose personal data the user may see: their councils' requests (staff: all)."""
    qs = ServiceRequest.objects.all()
    if is_taskforce_staff(user):
        return qs
    if is_partner_member(user):
        return qs.filter(council_id__in=_org_ids(user))
    return qs.none()


def councils_handled_by(user: Any) -> QuerySet[Organisation]:
    """The councils whose queue the user works (staff: every council with requests)."""
    if is_taskforce_staff(user):
        return Organisation.objects.filter(service_requests__isnull=False).distinct()
    if is_partner_member(user):
        return Organisation.objects.filter(pk__in=_org_ids(user), gss_code__isnull=False)
    return Organisation.objects.none()


def can_view_queue(user: Any, council: Organisation) -> bool:
    if not is_signed_in(user):
        return False
    return is_taskforce_staff(user) or (is_partner_member(user) and council.pk in _org_ids(user))


def can_handle_request(user: Any, request: ServiceRequest) -> bool:
    """Acknowledge, update, close or pass on: the handling council's staff, or taskforce staff."""
    if not is_signed_in(user):
        return False
    return is_taskforce_staff(user) or (
        is_partner_member(user) and request.council_id in _org_ids(user)
    )


def can_see_personal_data(user: Any, request: ServiceRequest) -> bool:
    return can_handle_request(user, request)
