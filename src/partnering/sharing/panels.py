"""What the sharing room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from partnering.partnerships.models import Partnership

from .selectors import agreements_outside_core


def home_panel(request: HttpRequest) -> dict[str, Any]:
    return {"outside_core": agreements_outside_core(viewer=request.user)}


def partnership_section(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    return {"partnership": partnership}
