"""``{% organisation_partnerships organisation %}``: an organisation's partnerships on its page."""

from typing import Any

from django import template

from partnering.partnerships.selectors import organisation_partnerships as select

register = template.Library()


@register.inclusion_tag("partnerships/_organisation_partnerships.html", takes_context=True)
def organisation_partnerships(context: dict[str, Any], organisation: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"organisation": organisation, "rows": select(viewer=viewer, organisation=organisation)}
