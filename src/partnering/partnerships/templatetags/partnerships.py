"""Template tags other rooms use to show a partnership."""

from typing import Any

from django import template
from django.utils.html import format_html

from partnering.partnerships.models import Partnership
from partnering.partnerships.permissions import can_view_partnership

register = template.Library()


@register.simple_tag(takes_context=True)
def partnership_link(context: template.Context, partnership: Partnership | None) -> str:
    """The partnership's name, a link to its page only when the viewer may see that page (an
    unpublished partnership's page is a 404 for the public, so its name is shown unlinked)."""
    if partnership is None:
        return ""
    user: Any = context.get("user")
    if user is not None and can_view_partnership(user, partnership):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            partnership.get_absolute_url(),
            partnership.name,
        )
    return format_html("{}", partnership.name)
