"""Where the front door sends a resident next."""

from django.urls import NoReverseMatch, reverse

from partnering.partnerships.models import Partnership

from .maths.attributes import REPORTABLE


def front_door_url(partnership: Partnership, lgsl_code: int) -> str:
    """The partnership's front door for the service: its report form when the service is one
    residents report here, else the partnership's page."""
    if lgsl_code in REPORTABLE:
        try:
            return reverse(
                "frontdoor:report", kwargs={"slug": partnership.slug, "lgsl_code": lgsl_code}
            )
        except NoReverseMatch:
            pass
    return partnership.get_absolute_url()
