"""Template helpers of the procurement room."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` (None when absent), for dicts keyed by ids."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
