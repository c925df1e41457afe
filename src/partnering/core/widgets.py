"""GOV.UK widgets: the date input (day, month and year boxes), the money input ("£" prefix) and
the organisation picker that an accessible autocomplete enhances.

The templates in ``components/govuk/`` draw them; ``{% govuk_field %}``
(``core/templatetags/govuk.py``) picks the component.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django import forms

PARTS = ("day", "month", "year")


class GovukSelect(forms.Select):
    """A select drawn by ``govukSelect.html`` from the field's choices, not by Django's widget
    templates (one include per option: a list page's filter select of 22 service areas took
    0.9 ms to draw that way). For selects with no attributes of their own beyond the GOV.UK
    ones: filters."""

    govuk_select = True


class GovukDateInput(forms.Widget):
    """Three boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``.

    ``value_from_datadict`` gives ``{"day", "month", "year"}`` as typed; a single ``<name>``
    value in ISO form (``2003-06-30``, as the API and older links send it) is read too.
    """

    govuk_date = True
    template_name = "components/govuk/widgets/date_input.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = {part: (data.get(f"{name}_{part}") or "").strip() for part in PARTS}
        if not any(parts.values()) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{part}" in data for part in PARTS)

    @staticmethod
    def parts_of(value: Any) -> dict[str, str]:
        """The three boxes' text for a date, a dict of typed parts or an ISO string."""
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: str(value.get(part, "")) for part in PARTS}
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return {"day": day, "month": month, "year": year}
        return dict.fromkeys(PARTS, "")

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        parts = self.parts_of(value)
        base = (attrs or {}).get("id") or f"id_{name}"
        context["items"] = [
            {
                "id": f"{base}_{part}",
                "name": f"{name}_{part}",
                "label": part.capitalize(),
                "value": parts[part],
                "classes": f"govuk-input--width-{4 if part == 'year' else 2}",
            }
            for part in PARTS
        ]
        return context


class MoneyInput(forms.TextInput):
    """A text box with a "£" prefix (drawn by ``govukInput``), numeric keyboard on phones."""

    govuk_prefix = "£"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "inputmode": "decimal",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )


class AutocompleteSelect(forms.Select):
    """A select that ``core/autocomplete.mjs`` turns into an accessible autocomplete (type to
    search, hundreds of options); without JavaScript it stays a working select."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(
            attrs={"class": "govuk-select", "data-module": "app-autocomplete", **(attrs or {})},
            choices=choices,
        )


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """A long list of checkboxes as a few folded groups (GOV.UK details, drawn by components/govuk/appGroupedCheckboxes.html), with a search box that
    ``core/static/core/checkbox_search.mjs`` adds. ``group_of(instance)`` names an option's group
    (model choices) and ``groups`` gives their order. A group with a ticked box starts open, so
    nothing chosen is hidden; without script every option is still reachable."""

    govuk_grouped = True

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        group_of: Callable[[Any], str],
        groups: Sequence[str] = (),
        search_label: str = "Search",
    ) -> None:
        super().__init__(attrs)
        self.group_of = group_of
        self.group_order = list(groups)
        self.search_label = search_label
