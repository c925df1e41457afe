"""What the organisations room shows on pages it does not own (registered in apps.py)."""

from typing import Any

from django.http import HttpRequest

from .selectors import organisation_counts


def home_panel(request: HttpRequest) -> dict[str, Any]:
    return {"counts": organisation_counts()}
