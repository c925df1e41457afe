"""Helpers for the GOV.UK component includes in ``components/govuk/``.

Django's ``{% include %}`` cannot take a block of markup or build a list, which the Nunjucks
macros' ``html`` and ``rows`` parameters need. These tags fill the gap and nothing more:

- ``{% capture as name %}...{% endcapture %}``: markup into a variable (for ``html=``);
- ``{% rows as name %}{% row %}{% cell format="numeric" %}...{% endcell %}{% endrow %}{% endrows %}``:
  table rows, each a list of cells ``{"html", "format", "classes", "colspan", "header", "empty"}``;
- ``{% cells as name %}{% cell %}...{% endcell %}{% endcells %}``: one row of cells (a table head);
- ``{% summary_row key="..." %}...{% endsummary_row %}`` inside ``rows``: a summary-list row
  (``value_classes`` on its value, ``classes`` on the row, ``action_href`` for a link);
- ``{% breadcrumb "Home" url %}`` inside ``rows``: a breadcrumbs item;
- ``{% option value text %}`` inside ``rows``: an option of ``govukSelect``;
- ``{% choice id=... value=... text=... %}`` inside ``rows``: an item of ``govukCheckboxes``;
- ``form_errors`` / ``error_pairs``: the ``errorList`` of ``govukErrorSummary`` from a form or
  from (href, message) pairs, one error per field, each linking to its field;
- ``date_items``: the three boxes of ``govukDateInput`` for a GOV.UK date field.

They only collect values: every piece of GOV.UK markup stays in the includes, with one
exception measured into it: ``govukTable.html`` calls ``govuk_table_markup``, which writes the
table in Python, because per cell the template engine's work was most of a list page's time
(a 50-row list: 19 ms before, 11 ms after, with ``core.cells`` building the rows).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from partnering.core.dates import govuk_datetime, govuk_time

register = template.Library()

_COLLECT = "_govuk_collect"


def _parse_kwargs(parser: Parser, bits: list[str]) -> dict[str, FilterExpression]:
    kwargs = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep:
            raise template.TemplateSyntaxError(f"expected name=value, got {bit!r}")
        kwargs[name] = parser.compile_filter(value)
    return kwargs


def _resolve(kwargs: dict[str, FilterExpression], context: template.Context) -> dict[str, Any]:
    return {name: value.resolve(context) for name, value in kwargs.items()}


class CaptureNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    """``{% capture as name %}markup{% endcapture %}``: the markup (already escaped) in ``name``."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


class CollectNode(template.Node):
    """Renders its body with a fresh list to collect into; stores the list in ``name``."""

    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        collected: list[Any] = []
        with context.push({_COLLECT: collected}):
            self.nodelist.render(context)
        context[self.name] = collected
        return ""


def _collect_tag(end: str) -> Any:
    def tag(parser: Parser, token: Token) -> CollectNode:
        bits = token.split_contents()
        if len(bits) != 3 or bits[1] != "as":
            raise template.TemplateSyntaxError(f"usage: {{% {bits[0]} as name %}}")
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        return CollectNode(nodelist, bits[2])

    return tag


register.tag("rows", _collect_tag("endrows"))
register.tag("cells", _collect_tag("endcells"))


def _collector(context: template.Context, tag: str) -> list[Any]:
    try:
        return context[_COLLECT]  # type: ignore[no-any-return]
    except KeyError:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} must be inside rows or cells") from None


class RowNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        outer = _collector(context, "row")
        cells: list[dict[str, Any]] = []
        with context.push({_COLLECT: cells}):
            self.nodelist.render(context)
        outer.append(cells)
        return ""


@register.tag
def row(parser: Parser, token: Token) -> RowNode:
    nodelist = parser.parse(("endrow",))
    parser.delete_first_token()
    return RowNode(nodelist)


_CELL_DEFAULTS = {
    "text": "",
    "format": "",
    "classes": "",
    "colspan": "",
    "header": False,
    "empty": False,
}


class ItemNode(template.Node):
    """A cell or a summary-list row: its parameters plus its body as ``html``."""

    def __init__(self, nodelist: NodeList, kwargs: dict[str, FilterExpression], kind: str) -> None:
        self.nodelist, self.kwargs, self.kind = nodelist, kwargs, kind

    def render(self, context: template.Context) -> str:
        params = _resolve(self.kwargs, context)
        html = mark_safe(self.nodelist.render(context).strip())
        if self.kind == "summary_row":
            item: dict[str, Any] = {
                "key": {"text": params.pop("key", "")},
                "value": {"html": html, "classes": params.get("value_classes", "")},
            }
            if params.get("action_href"):
                item["actions"] = {
                    "items": [
                        {
                            "href": params["action_href"],
                            "text": params.get("action_text", "Change"),
                            "visuallyHiddenText": params.get("action_hidden", ""),
                        }
                    ]
                }
            item["classes"] = params.get("classes", "")
        else:
            # Every parameter govukTable reads, present: a key missing from a dict costs the
            # template engine several exceptions and a dir() per lookup (4 per cell, 1,000 on a
            # 50-row page).
            item = {**_CELL_DEFAULTS, "html": html, **params}
        _collector(context, self.kind).append(item)
        return ""


def _item_tag(kind: str) -> Any:
    def tag(parser: Parser, token: Token) -> ItemNode:
        bits = token.split_contents()
        nodelist = parser.parse((f"end{kind}",))
        parser.delete_first_token()
        return ItemNode(nodelist, _parse_kwargs(parser, bits[1:]), kind)

    return tag


register.tag("cell", _item_tag("cell"))
register.tag("summary_row", _item_tag("summary_row"))


@register.simple_tag(takes_context=True)
def breadcrumb(context: template.Context, text: str, href: str = "") -> str:
    """A breadcrumbs item, inside ``{% rows as items %}``."""
    _collector(context, "breadcrumb").append({"text": text, "href": href})
    return ""


@register.simple_tag(takes_context=True)
def option(context: template.Context, value: Any, text: Any) -> str:
    """A ``(value, text)`` option of ``govukSelect``, inside ``{% rows as items %}`` (for a select
    whose options are not one list of pairs, e.g. an "Any" option before them)."""
    _collector(context, "option").append(("" if value is None else str(value), text))
    return ""


@register.simple_tag(takes_context=True)
def choice(context: template.Context, **params: Any) -> str:
    """An item of ``govukCheckboxes`` / ``govukRadios`` (``id``, ``value``, ``text``, ``checked``,
    ``hint``, ...), inside ``{% rows as items %}``, for choices that are not a form field's."""
    _collector(context, "choice").append({**_ITEM_DEFAULTS, "checked": False, **params})
    return ""


@register.filter
def form_errors(form: Any) -> list[dict[str, str]]:
    """The form's errors for ``govukErrorSummary``: the first error of each field, linking to
    the field (its first box or option); errors of the whole form link to its first field."""
    if not form or not form.errors:
        return []
    visible = form.visible_fields()
    first_id = field_target(visible[0]) if visible else ""
    items = [{"text": error, "href": f"#{first_id}"} for error in form.non_field_errors()[:1]]
    items.extend(
        {"text": field.errors[0], "href": f"#{field_target(field)}"}
        for field in visible
        if field.errors
    )
    return items


def field_target(field: Any) -> str:
    """The id a link to this field should point at: its first box or option, or the input."""
    widget = field.field.widget
    if getattr(widget, "govuk_date", False):
        parts = getattr(field.field, "error_parts", None) or ("day",)
        return f"{field.auto_id}_{parts[0]}"
    input_type = getattr(widget, "input_type", "")
    if input_type == "radio" or (
        input_type == "checkbox" and getattr(widget, "allow_multiple_selected", False)
    ):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def error_pairs(pairs: Any) -> list[dict[str, str]]:
    """(href, message) pairs as the ``errorList`` of ``govukErrorSummary``."""
    return [{"href": href, "text": text} for href, text in pairs or ()]


@register.filter(name="govuk_datetime")
def govuk_datetime_filter(value: Any, arg: str = "") -> str:
    """ "1 June 2002 at 2:30pm"; ``|govuk_datetime:"weekday"`` adds the day's name."""
    return govuk_datetime(value, weekday=arg == "weekday") if value else ""


@register.filter(name="govuk_time")
def govuk_time_filter(value: Any) -> str:
    """ "2:30pm", "2pm", "midday", "midnight"."""
    return govuk_time(value) if value else ""


@register.filter
def first_error(field: Any) -> str:
    """One error per field, as GOV.UK asks."""
    return str(field.errors[0]) if field.errors else ""


@register.simple_tag
def date_items(field: Any) -> list[dict[str, Any]]:
    """The day, month and year boxes of a GOV.UK date field, with its value and which boxes
    are in error."""
    widget = field.field.widget
    value = field.value()
    parts = widget.parts_of(value)
    in_error = set(getattr(field.field, "error_parts", None) or ()) if field.errors else set()
    if field.errors and not in_error:
        in_error = {"day", "month", "year"}
    items = []
    for name, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)):
        items.append(
            {
                "id": f"{field.auto_id}_{name}",
                "name": f"{field.html_name}_{name}",
                "label": label,
                "value": parts.get(name, ""),
                "classes": f"govuk-input--width-{width}"
                + (" govuk-input--error" if name in in_error else ""),
            }
        )
    return items


# Every key the radios and checkboxes includes read, present (see _CELL_DEFAULTS).
_ITEM_DEFAULTS = {"hint": "", "describedBy": "", "conditional": ""}


def _choice_item(sub: Any, **extra: Any) -> dict[str, Any]:
    """One option of a choice field (a bound subwidget) as ``govukCheckboxes`` and
    ``govukRadios`` take it: id, value, text and whether it is ticked."""
    value = sub.data["value"]
    return {
        **_ITEM_DEFAULTS,
        "id": sub.id_for_label,
        "value": "" if value is None else value,
        "text": sub.choice_label,
        "checked": sub.data["selected"],
        **extra,
    }


@register.simple_tag
def choice_items(form: Any, field: Any) -> list[dict[str, Any]]:
    """The items of ``govukRadios`` / ``govukCheckboxes`` for a choice or boolean field, each
    with the fields it reveals (``form.conditional``) rendered as its ``conditional``."""
    reveals = getattr(form, "conditional", {}).get(field.name, {}) if form else {}
    if not isinstance(reveals, dict):
        reveals = {True: reveals}
    widget = field.field.widget
    if widget.input_type == "checkbox" and not getattr(widget, "allow_multiple_selected", False):
        described = " ".join(
            x
            for x in (
                f"{field.auto_id}-hint" if field.help_text else "",
                f"{field.auto_id}-error" if field.errors else "",
            )
            if x
        )
        options = [
            {
                **_ITEM_DEFAULTS,
                "id": field.auto_id,
                "value": "on",
                "text": field.label,
                "checked": bool(field.value()) and field.value() not in ("false", "False", "0"),
                "hint": field.help_text,
                "describedBy": described,
                "reveal": reveals.get(True, ()),
            }
        ]
    else:
        options = [
            _choice_item(sub, reveal=reveals.get(str(sub.data["value"]), ()))
            for sub in field.subwidgets
        ]
    for option in options:
        names = [n for n in option.pop("reveal") if n in form.fields]
        if names:
            option["conditional"] = mark_safe("".join(govuk_field(form[n], form) for n in names))
    return options


@register.simple_tag
def select_items(field: Any) -> dict[str, Any]:
    """``govukSelect``'s items and chosen value for a ``GovukSelect`` field, all as text."""
    value = field.value()
    return {
        "items": [(str(key), text) for key, text in field.field.choices],
        "value": "" if value is None else str(value),
    }


@register.simple_tag
def grouped_choice_items(field: Any) -> list[dict[str, Any]]:
    """The groups of a ``GroupedCheckboxes`` field: each with its title, items (as
    ``govukCheckboxes`` takes them), how many are ticked and whether it starts open."""
    widget = field.field.widget
    groups: dict[str, list[dict[str, Any]]] = {title: [] for title in widget.group_order}
    for sub in field.subwidgets:
        value = sub.data["value"]
        instance = getattr(value, "instance", value)
        groups.setdefault(widget.group_of(instance), []).append(_choice_item(sub))
    result = []
    for index, (title, items) in enumerate(groups.items(), start=1):
        if not items:
            continue
        ticked = sum(1 for item in items if item["checked"])
        result.append(
            {
                "id": f"{field.auto_id}-group-{index}",
                "title": title,
                "items": items,
                "ticked": ticked,
                "open": bool(ticked),
            }
        )
    return result


@register.simple_tag
def govuk_field(field: Any, form: Any = None) -> SafeString:
    """A form field drawn with the GOV.UK component its widget calls for: the date input, the
    grouped checkboxes, a select, radios or checkboxes (with what each option reveals), or an
    input around the widget Django renders. Chosen here rather than by ``{% if %}`` in a
    template: a form's fields were most of a filter page's rendering time."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    common = {"hint": field.help_text, "errorMessage": first_error(field)}
    if getattr(widget, "govuk_date", False):
        name = "govukDateInput"
        context = {"id": field.auto_id, "legend": field.label, "items": date_items(field),
                   "legendClasses": "govuk-fieldset__legend--s", **common}  # fmt: skip
    elif getattr(widget, "govuk_grouped", False):
        name = "appGroupedCheckboxes"
        context = {"idPrefix": field.auto_id, "name": field.html_name, "legend": field.label,
                   "groups": grouped_choice_items(field), "searchLabel": widget.search_label,
                   **common}  # fmt: skip
    elif getattr(widget, "govuk_select", False):
        name, select = "govukSelect", select_items(field)
        context = {"id": field.auto_id, "name": field.html_name, "label": field.label,
                   "labelClasses": "govuk-label--s", "items": select["items"],
                   "value": select["value"], **common}  # fmt: skip
    elif input_type in ("radio", "checkbox"):
        name = "govukRadios"
        context = {"type": input_type, "idPrefix": field.auto_id, "name": field.html_name,
                   "items": choice_items(form, field), **common}  # fmt: skip
        if input_type == "checkbox" and not getattr(widget, "allow_multiple_selected", False):
            context["hint"] = ""  # a single checkbox: its hint is the item's, under its label
        else:
            context["legend"] = field.label
    else:
        name = "govukInput"
        context = {"id": field.auto_id, "label": field.label, "html": field.as_widget(),
                   "prefix": getattr(widget, "govuk_prefix", ""), **common}  # fmt: skip
    return mark_safe(render_to_string(f"components/govuk/{name}.html", context))


@register.filter
def revealed_names(form: Any) -> set[str]:
    """Fields rendered inside another field's conditional reveal (not on their own)."""
    names: set[str] = set()
    for reveals in getattr(form, "conditional", {}).values():
        groups = reveals.values() if isinstance(reveals, dict) else [reveals]
        for group in groups:
            names.update(group)
    return names


__all__ = ["SafeString", "register"]


@register.simple_tag
def selected_filters(form: Any) -> list[dict[str, Any]]:
    """The filters a bound filter form has, for removable tags: each value's label and the
    query string without it (and without the page number)."""
    if form is None or not form.is_bound:
        return []
    data = form.data
    groups = []
    for field in form.visible_fields():
        values = [v for v in data.getlist(field.html_name) if v not in ("", None)]
        if not values:
            continue
        choices = {
            str(k): str(v) for k, v in getattr(field.field, "choices", ()) if k not in ("", None)
        }
        items = []
        for value in values:
            query = data.copy()
            query.pop("page", None)
            query.setlist(field.html_name, [v for v in values if v != value])
            items.append({"text": choices.get(value, value), "query": query.urlencode()})
        groups.append({"label": field.label, "items": items})
    return groups


def _field(item: Any, key: str) -> Any:
    """A cell's parameter, from a dict or an object (as the template engine would look it up)."""
    if isinstance(item, dict):
        return item.get(key)
    return getattr(item, key, None)


def _classes(base: str, extra: Any) -> str:
    return f"{base} {conditional_escape(extra)}" if extra else base


def _cell_markup(cell: dict[str, Any], tag: str, scope: str, base: str) -> str:
    fmt = _field(cell, "format")
    classes = _classes(f"{base} {base}--{fmt}" if fmt else base, _field(cell, "classes"))
    colspan = _field(cell, "colspan")
    colspan_attr = f' colspan="{conditional_escape(colspan)}"' if colspan else ""
    scope_attr = f' scope="{scope}"' if scope else ""
    body = _field(cell, "html")
    body = (
        str(body)
        if body
        else conditional_escape(_field(cell, "text") if _field(cell, "text") is not None else "")
    )
    return f'<{tag}{scope_attr} class="{classes}"{colspan_attr}>{body}</{tag}>'


@register.simple_tag(takes_context=True)
def govuk_table_markup(context: template.Context) -> SafeString:
    """govukTable's markup, built in Python: per cell, the template engine's work was most of a
    list page's time (docs/benchmarks.md); the include calls this and nothing else."""
    get = context.get
    id_attr = f' id="{conditional_escape(get("id"))}"' if get("id") else ""
    out = [f'<table class="{_classes("govuk-table", get("classes"))}"{id_attr}>\n']
    if get("caption"):
        caption_classes = _classes("govuk-table__caption", get("captionClasses"))
        out.append(
            f'<caption class="{caption_classes}">{conditional_escape(get("caption"))}</caption>'
        )
    out.append("\n")
    head = get("head")
    if head:
        out.append('<thead class="govuk-table__head"><tr class="govuk-table__row">')
        for item in head:
            if _field(item, "empty"):
                out.append(
                    f'<td class="{_classes("govuk-table__cell", _field(item, "classes"))}"></td>'
                )
            else:
                out.append(_cell_markup(item, "th", "col", "govuk-table__header"))
        out.append("</tr></thead>")
    out.append('\n<tbody class="govuk-table__body">\n')
    first_is_header = get("firstCellIsHeader")
    for row in get("rows") or ():
        out.append('<tr class="govuk-table__row">')
        for index, cell in enumerate(row):
            if _field(cell, "header") or (index == 0 and first_is_header):
                out.append(_cell_markup(cell, "th", "row", "govuk-table__header"))
            else:
                out.append(_cell_markup(cell, "td", "", "govuk-table__cell"))
        out.append("</tr>\n")
    out.append("</tbody>\n</table>")
    markup = "".join(out)
    region = get("region")
    if region is None:  # a captioned table scrolls unless told not to (``region=False``)
        region = bool(get("caption"))
    if region:
        # It scrolls sideways in a focusable region named by its caption (WCAG 1.4.10, axe's
        # scrollable-region-focusable), so each region on a page has a name of its own; at
        # 320 px its words keep whole, where a table outside one breaks them anywhere.
        label = conditional_escape(get("caption"))
        markup = (
            f'<div class="app-table-wrapper" role="region" tabindex="0" aria-label="{label}">'
            f"{markup}</div>"
        )
    return mark_safe(markup)  # every value above is escaped or already safe
