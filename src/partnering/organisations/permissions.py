"""Who may see and change organisations. The registry is public; only taskforce staff change it."""

from typing import Any

from django.db.models import QuerySet

from partnering.core.permissions import is_taskforce_staff

from .models import Organisation


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.all()


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    return True


def can_change_organisation(user: Any, organisation: Organisation | None = None) -> bool:
    return is_taskforce_staff(user)
