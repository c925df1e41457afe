from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .rooms import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS,
        # Each room's navigation entries (core.rooms), worked out only if a template shows them.
        "navigation": SimpleLazyObject(lambda: navigation_for(request)),
    }
