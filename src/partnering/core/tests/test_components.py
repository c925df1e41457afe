"""GOV.UK components are drawn only by the includes in ``components/govuk/``.

Every page (of every room, present and future) uses the includes instead of hand-writing the
markup of a GOV.UK Frontend component; these tests grep the templates to keep it so, and check
that the includes and their helper tags render what GOV.UK Frontend expects.
"""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import SafeString

from partnering.core.forms import GovukDateField, GovukFormMixin, MoneyField

SRC = Path(__file__).resolve().parents[2]
COMPONENTS = SRC / "core" / "templates" / "components" / "govuk"

# The block class of each GOV.UK Frontend component a page may use (its elements and modifiers
# start with the same name). Layout classes (grid, heading, body, link, list, button-group) are not
# components and may be written by hand.
COMPONENT_CLASSES = (
    "govuk-table",
    "govuk-tag",
    "govuk-summary-list",
    "govuk-inset-text",
    "govuk-warning-text",
    "govuk-error-summary",
    "govuk-error-message",
    "govuk-details",
    "govuk-notification-banner",
    "govuk-date-input",
    "govuk-button",
    "govuk-back-link",
    "govuk-breadcrumbs",
    "govuk-pagination",
    "govuk-panel",
    "govuk-fieldset",
    "govuk-radios",
    "govuk-checkboxes",
    "govuk-form-group",
    "govuk-label",
    "govuk-hint",
    "govuk-input",
    "govuk-select",
    "govuk-textarea",
    "govuk-task-list",
    "govuk-accordion",
)
CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Standalone error pages render without Django (a 500 must not depend on the template engine).
STANDALONE = {"500.html"}
# Pages that landed with hand-written markup before this check and are still to convert. The
# list may only shrink: a new page is checked, and a listed page that no longer hand-writes
# anything (or no longer exists) fails until it is taken off the list.
NOT_YET_CONVERTED: set[str] = set()


def _templates() -> list[Path]:
    return sorted(
        path
        for path in SRC.glob("*/templates/**/*.html")
        if COMPONENTS not in path.parents and path.name not in STANDALONE
    )


def hand_written_components(text: str) -> list[str]:
    """The component classes written in ``class="..."`` attributes of a template's text."""
    found = []
    for match in CLASS_ATTRIBUTE.finditer(text):
        for name in (match.group(1) or match.group(2) or "").split():
            if name == "govuk-button-group":
                continue
            found.extend(
                name
                for component in COMPONENT_CLASSES
                if name == component or name.startswith((f"{component}__", f"{component}--"))
            )
    return found


def test_the_check_finds_hand_written_markup():
    assert hand_written_components('<strong class="govuk-tag govuk-tag--grey">x</strong>') == [
        "govuk-tag",
        "govuk-tag--grey",
    ]
    assert hand_written_components("<td class='govuk-table__cell'>") == ["govuk-table__cell"]
    assert hand_written_components('<div class="govuk-button-group">') == []
    assert hand_written_components('{% include "x" with classes="govuk-tag--grey" %}') == []


def test_the_pages_are_found():
    names = {p.name for p in _templates()}
    assert {"organisation_list.html", "partnership_detail.html", "home.html"} <= names


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_page_hand_writes_a_govuk_component(path: Path):
    if str(path.relative_to(SRC)) in NOT_YET_CONVERTED:
        pytest.skip("still to convert (NOT_YET_CONVERTED)")
    found = hand_written_components(path.read_text())
    assert not found, (
        f"{path.relative_to(SRC)} hand-writes GOV.UK component markup ({', '.join(found)}): "
        "use the includes in core/templates/components/govuk/ (docs/adding-a-capability.md)"
    )


@pytest.mark.parametrize("name", sorted(NOT_YET_CONVERTED))
def test_the_not_yet_converted_list_only_shrinks(name: str):
    path = SRC / name
    assert path.exists(), f"{name} is gone: take it off NOT_YET_CONVERTED"
    assert hand_written_components(path.read_text()), (
        f"{name} uses the includes now: take it off NOT_YET_CONVERTED"
    )


def test_every_include_is_named_like_its_macro():
    names = {p.stem for p in COMPONENTS.glob("*.html")}
    assert {
        "govukTable",
        "govukTag",
        "govukSummaryList",
        "govukInsetText",
        "govukWarningText",
        "govukErrorSummary",
        "govukDateInput",
        "govukDetails",
        "govukNotificationBanner",
        "govukButton",
        "govukBackLink",
        "govukBreadcrumbs",
        "govukPagination",
        "govukPanel",
        "govukFieldset",
        "govukRadios",
        "govukCheckboxes",
        "govukInput",
    } <= names
    # GOV.UK's macros by their own names; the platform's own patterns built of GOV.UK parts
    # (e.g. appGroupedCheckboxes: folded groups of checkboxes with a search) start "app".
    assert all(re.fullmatch(r"(govuk|app)[A-Z][A-Za-z]+", n) for n in names)


def _render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_table_rows_built_in_the_template():
    html = _render(
        """{% cells as head %}{% cell %}Name{% endcell %}{% cell format="numeric" %}Population{% endcell %}{% endcells %}
        {% rows as rows %}{% for n, p in data %}{% row %}{% cell %}<b>{{ n }}</b>{% endcell %}{% cell format="numeric" %}{{ p }}{% endcell %}{% endrow %}{% endfor %}{% endrows %}
        {% include "components/govuk/govukTable.html" with caption="Councils" head=head rows=rows firstCellIsHeader=True only %}""",
        data=[("Selby <x>", 1), ("York", 2)],
    )
    assert '<caption class="govuk-table__caption">Councils</caption>' in html
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Population'
        in html
    )
    assert '<th scope="row" class="govuk-table__header"><b>Selby &lt;x&gt;</b></th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in html
    assert html.count('<tr class="govuk-table__row">') == 3


def test_table_rows_from_python_as_in_nunjucks():
    html = _render(
        '{% include "components/govuk/govukTable.html" with head=head rows=rows only %}',
        head=[{"text": "A"}],
        rows=[[{"text": "<script>"}], [{"html": "<em>ok</em>", "colspan": 2}]],
    )
    assert "&lt;script&gt;" in html
    assert '<td class="govuk-table__cell" colspan="2"><em>ok</em></td>' in html


def test_summary_list_rows_and_actions():
    html = _render(
        """{% rows as rows %}{% summary_row key="Name" action_href="/x" action_hidden="name" %}{{ v }}{% endsummary_row %}{% endrows %}
        {% include "components/govuk/govukSummaryList.html" with rows=rows only %}""",
        v="A & B",
    )
    assert '<dt class="govuk-summary-list__key">Name</dt>' in html
    assert '<dd class="govuk-summary-list__value">A &amp; B</dd>' in html
    assert (
        '<a class="govuk-link" href="/x">Change<span class="govuk-visually-hidden"> name</span></a>'
        in html
    )


def test_summary_list_value_classes():
    html = _render(
        """{% rows as rows %}{% summary_row key="Current score" value_classes=band %}16{% endsummary_row %}{% summary_row key="Target" %}6{% endsummary_row %}{% endrows %}
        {% include "components/govuk/govukSummaryList.html" with rows=rows only %}""",
        band="assurance-band--red",
    )
    assert '<dd class="govuk-summary-list__value assurance-band--red">16</dd>' in html
    assert '<dd class="govuk-summary-list__value">6</dd>' in html


def test_table_head_corner_is_an_empty_cell_not_an_empty_header():
    html = _render(
        """{% cells as head %}{% cell empty=True %}{% endcell %}{% cell %}Impact 1{% endcell %}{% endcells %}
        {% rows as rows %}{% row %}{% cell header=True %}Likelihood 1{% endcell %}{% cell classes="x" %}1{% endcell %}{% endrow %}{% endrows %}
        {% include "components/govuk/govukTable.html" with head=head rows=rows only %}"""
    )
    assert (
        '<tr class="govuk-table__row"><td class="govuk-table__cell"></td>'
        '<th scope="col" class="govuk-table__header">Impact 1</th></tr></thead>'
    ) in html
    assert '<th scope="col" class="govuk-table__header"></th>' not in html


def test_tag_inset_warning_and_details_escape_text():
    assert (
        _render(
            '{% include "components/govuk/govukTag.html" with text=t classes="govuk-tag--grey" %}',
            t="<b>",
        )
        == '<strong class="govuk-tag govuk-tag--grey">&lt;b&gt;</strong>\n'
    )
    assert "&lt;i&gt;" in _render(
        '{% include "components/govuk/govukInsetText.html" with text=t %}', t="<i>"
    )
    assert '<span class="govuk-visually-hidden">Warning</span>Careful' in _render(
        '{% include "components/govuk/govukWarningText.html" with text="Careful" %}'
    )
    details = _render(
        '{% capture as body %}<p>{{ t }}</p>{% endcapture %}{% include "components/govuk/govukDetails.html" with summaryText="Why" html=body %}',
        t="<x>",
    )
    assert '<span class="govuk-details__summary-text">Why</span>' in details
    assert "<p>&lt;x&gt;</p>" in details


def test_select_options_built_in_the_template():
    """``option`` inside ``rows``: an "Any" option before the choices, values as strings."""
    html = _render(
        """{% rows as items %}{% option "" "Any" %}{% for code, name in services %}{% option code name %}{% endfor %}{% endrows %}
        {% include "components/govuk/govukSelect.html" with id="f-service" name="service" label="Service" items=items value=chosen only %}""",
        services=[(557, "Pothole <deep>"), (564, "Street light")],
        chosen="564",
    )
    assert '<option value="">Any</option>' in html
    assert '<option value="557">Pothole &lt;deep&gt;</option>' in html
    assert '<option value="564" selected>Street light</option>' in html


def test_checkbox_items_built_in_the_template():
    """``choice`` inside ``rows``: checkboxes that are not a form field's, a hint with a link."""
    html = _render(
        """{% rows as items %}{% for r in refs %}{% capture as rid %}r-{{ r }}{% endcapture %}{% capture as link %}<a class="govuk-link" href="/m/{{ r }}/">Open</a>{% endcapture %}{% choice id=rid value=r text=r hint=link %}{% endfor %}{% endrows %}
        {% include "components/govuk/govukCheckboxes.html" with idPrefix="requests" name="requests" items=items only %}""",
        refs=["FD-1", "<x>"],
    )
    assert (
        '<input class="govuk-checkboxes__input" id="r-FD-1" name="requests" type="checkbox" value="FD-1">'
        in html
    )
    assert '<label class="govuk-label govuk-checkboxes__label" for="r-FD-1">FD-1</label>' in html
    assert (
        '<div id="r-FD-1-hint" class="govuk-hint govuk-checkboxes__hint"><a class="govuk-link" href="/m/FD-1/">Open</a></div>'
        in html
    )
    assert 'value="&lt;x&gt;"' in html and "<x>" not in html
    assert " checked" not in html and "conditional" not in html


def test_input_without_a_django_widget():
    """govukInput draws its own input from name, value, classes, inputmode when given no html."""
    html = _render(
        '{% include "components/govuk/govukInput.html" with id="f-age" name="age" label="Older than (days)" classes="govuk-input--width-3" inputmode="numeric" value=v only %}',
        v='3"',
    )
    assert (
        '<input class="govuk-input govuk-input--width-3" id="f-age" name="age" type="text" value="3&quot;" inputmode="numeric">'
        in html
    )
    error = _render(
        '{% include "components/govuk/govukInput.html" with id="q" name="q" label="Name" hint="Full name" errorMessage="Enter a name" only %}'
    )
    assert 'class="govuk-input govuk-input--error" id="q" name="q" type="text" value=""' in error
    assert 'aria-describedby="q-hint q-error"' in error
    # With a widget Django rendered (every form field), the output is as before.
    widget = _render(
        '{% include "components/govuk/govukInput.html" with id="c" label="Cost" prefix="£" html=w only %}',
        w=SafeString('<input id="c">'),
    )
    assert (
        '<div class="govuk-input__wrapper"><div class="govuk-input__prefix" aria-hidden="true">£</div><input id="c"></div>'
        in widget
    )
    assert widget.count("<input") == 1


class _Form(GovukFormMixin, forms.Form):
    conditional = {"pathfinder": ["theme"]}
    name = forms.CharField(label="Your name")
    joined = GovukDateField(label="Date they joined")
    cost = MoneyField(label="Cost", required=False)
    pathfinder = forms.BooleanField(label="A pathfinder", required=False)
    theme = forms.CharField(label="Theme", required=False)


def test_error_summary_has_one_error_per_field_linking_to_it():
    form = _Form({"joined_day": "1", "joined_year": "2020", "cost": "NaN"})
    assert not form.is_valid()
    html = _render("{% include 'components/error_summary.html' %}", form=form)
    assert '<a href="#id_name">Enter your name</a>' in html
    assert '<a href="#id_joined_month">Date they joined must include a month</a>' in html
    assert '<a href="#id_cost">Cost must be an amount in pounds, like 120,000</a>' in html
    assert "This field is required" not in html


class _TwoWaysForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Your name", max_length=5)

    def clean(self):
        data = super().clean()
        if not data.get("name"):
            self.add_error("name", "Enter a name of 5 letters or fewer")
        return data


def test_a_field_that_fails_two_ways_shows_only_its_first_error():
    """Issue 8 part 9: one error per field, in the summary and at the field, when the field fails
    its own check, the form's clean() adds a second error and a service's DomainError a third."""
    from partnering.core.errors import DomainError
    from partnering.core.forms import add_domain_error

    form = _TwoWaysForm({"name": "Too long a name"})
    assert not form.is_valid()
    add_domain_error(form, DomainError("core.taken", "That name is taken", "name"))
    assert len(form.errors["name"]) == 3
    html = _render(
        "{% include 'components/error_summary.html' %}{% include 'components/form_fields.html' %}",
        form=form,
    )
    first = form.errors["name"][0]
    assert html.count(first) == 2
    assert "Enter a name of 5 letters" not in html and "That name is taken" not in html
    assert html.count('href="#id_name"') == 1
    assert html.count('class="govuk-error-message"') == 1


def test_date_input_draws_three_boxes_and_marks_the_missing_one():
    form = _Form({"joined_day": "1", "joined_year": "2020"})
    form.is_valid()
    html = _render("{{ form }}", form=form)
    assert 'class="govuk-date-input" id="id_joined"' in html
    assert 'id="id_joined_day" name="joined_day" type="text" inputmode="numeric" value="1"' in html
    assert 'govuk-input--width-2 govuk-input--error" id="id_joined_month"' in html
    assert 'govuk-input--width-4" id="id_joined_year"' in html
    assert 'type="date"' not in html


def test_money_input_has_a_pound_prefix_and_conditional_reveal():
    html = _render("{{ form }}", form=_Form())
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in html
    assert 'data-aria-controls="conditional-id_pathfinder"' in html
    conditional = html.split('id="conditional-id_pathfinder">')[1]
    assert 'id="id_theme"' in conditional.split("</div>\n      \n")[0]
    assert html.count('id="id_theme"') == 1


def test_dates_print_in_the_govuk_format_without_a_filter():
    """Issue 8 part 10: one GOV.UK date format ("1 June 2002", never "1 Jun 2002")."""
    import datetime as dt

    assert _render("{{ d }}", d=dt.date(2002, 6, 1)) == "1 June 2002"


def test_times_print_in_the_govuk_style():
    """Issue 8 part 10: one way of writing a time after a date, "1 June 2002 at 2:30pm" (pages had
    "1 June 2002 14:05", "1 June 2002, 14:05" and "1 June 2002 at 14:05")."""
    import datetime as dt
    import zoneinfo

    from partnering.core.dates import govuk_date, govuk_datetime, govuk_month, govuk_time

    london = zoneinfo.ZoneInfo("Europe/London")
    t = dt.datetime(2002, 6, 1, 14, 30, tzinfo=london)
    assert _render("{{ t|govuk_datetime }}", t=t) == "1 June 2002 at 2:30pm"
    assert _render('{{ t|govuk_datetime:"weekday" }}', t=t) == "Saturday 1 June 2002 at 2:30pm"
    assert _render("{{ t|govuk_time }}", t=t) == "2:30pm"
    assert govuk_datetime(dt.datetime(2002, 6, 1, 13, 30, tzinfo=dt.UTC)) == "1 June 2002 at 2:30pm"
    hours = [(9, 5, "9:05am"), (14, 0, "2pm"), (12, 0, "midday"), (0, 0, "midnight"),
             (0, 30, "12:30am"), (12, 15, "12:15pm")]  # fmt: skip
    assert [govuk_time(dt.time(h, m)) for h, m, _ in hours] == [text for _, _, text in hours]
    assert govuk_date(dt.date(2002, 6, 1)) == "1 June 2002"
    assert govuk_month(dt.date(2003, 3, 31)) == "March 2003"


#: The only date formats a template may give ``|date``: the GOV.UK day, month and year, and ISO
#: 8601 ("c") for a ``<time datetime>`` attribute.
TEMPLATE_DATE_FORMATS = {"j F Y", "F Y", "Y", "c"}
#: strftime formats allowed in Python, for machines only (ISO 8601 in OCDS, feeds, file names and
#: form values; parsing what people type). Text people read uses ``partnering.core.dates``.
MACHINE_FORMATS = {
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y%m%dT%H%M%S", "%Y%m%dT%H%M%SZ", "%H:%M", "%d %m %Y",
    "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S+00:00",
}  # fmt: skip
_TEMPLATE_DATE = re.compile(r"\|(?:date|time)\b(?::\s*(\"[^\"]*\"|'[^']*'))?")
# A strftime format in Python: in an f-string ({x:%d %B %Y}) or a string ("%-d %B").
_PY_FORMAT = re.compile(r"(?:\{[^{}:]+:|[\"'])((?:[^\"'{}]*?%-?[aAbBdHIjmMpSyY])+[^\"'{}]*)[}\"']")


def test_no_template_or_python_writes_a_date_any_other_way():
    """Issue 8 part 10: templates give ``|date`` only "j F Y", "F Y" or "Y" and use
    ``govuk_datetime``/``govuk_time`` for times; Python writes dates for people only through
    ``partnering.core.dates``. Found before: ``date:"M Y"`` ("Mar 2003") on a contract's
    arrangements, "%d %B %Y" ("01 June 2002") in the programme room, three time styles."""
    in_templates = sorted(
        f"{p.relative_to(SRC)}: {m.group(0)}"
        for p in SRC.rglob("*.html")
        for m in _TEMPLATE_DATE.finditer(p.read_text())
        if (m.group(1) or '""')[1:-1] not in TEMPLATE_DATE_FORMATS
    )
    assert in_templates == []
    in_python = sorted(
        f"{p.relative_to(SRC)}: {m.group(1)}"
        for p in SRC.rglob("*.py")
        if "tests" not in p.parts and p.name != "dates.py"
        for m in _PY_FORMAT.finditer(p.read_text())
        # A format in SQL (``%%%%Y`` in a Func template) is read as the one it gives.
        if re.sub("%+", "%", m.group(1).strip()) not in MACHINE_FORMATS
    )
    assert in_python == []


def test_spreadsheet_dates_have_the_govuk_format():
    """Issue 8 part 10: a date cell of an XLSX download shows "1 June 2002", not "1 Jun 2002"."""
    from partnering.core.exports import XLSX_FORMATS

    assert XLSX_FORMATS["date"] == "d mmmm yyyy"


def test_table_cells_built_in_python_match_the_cell_tag():
    """``core.cells`` (list pages' rows built in the view) gives the same table as ``{% cell %}``."""
    from partnering.core.cells import cell, join, link, number, tag

    from_tags = _render(
        """{% rows as rows %}{% row %}{% cell %}<a class="govuk-link" href="/o/1/">{{ n }}</a> {% include "components/govuk/govukTag.html" with text="Demo" classes="govuk-tag--yellow" only %}{% endcell %}{% cell format="numeric" %}1,250,000{% endcell %}{% endrow %}{% endrows %}
        {% include "components/govuk/govukTable.html" with rows=rows only %}""",
        n="Selby & <District>",
    )
    from_python = _render(
        '{% include "components/govuk/govukTable.html" with rows=rows only %}',
        rows=[[
            cell(join(link("/o/1/", "Selby & <District>"), tag("Demo", "govuk-tag--yellow"))),
            cell(number(1_250_000), format="numeric"),
        ]],
    )  # fmt: skip
    assert from_python.strip() == from_tags.strip()
    assert "Selby &amp; &lt;District&gt;" in from_python
    assert cell("<b>")["html"] == "&lt;b&gt;"  # plain text is escaped, safe markup kept
    assert number(None, "–") == "–" and number(4259) == "4,259"


def test_table_cells_may_be_objects_and_their_classes_are_escaped():
    class Cell:
        text, html, format, colspan, header = "A", "", "", "", False
        classes = 'x" onclick="y'

    html = _render(
        '{% include "components/govuk/govukTable.html" with rows=rows only %}', rows=[[Cell()]]
    )
    assert '<td class="govuk-table__cell x&quot; onclick=&quot;y">A</td>' in html


def test_url_maker_gives_what_reverse_gives():
    from django.urls import reverse

    from partnering.core.cells import url_maker

    url = url_maker("organisations:organisation-detail", "slug")
    assert url("selby-district-council") == reverse(
        "organisations:organisation-detail", kwargs={"slug": "selby-district-council"}
    )
    assert (
        url_maker("organisations:organisation-detail", "slug")("a-b_1") == "/organisations/a-b_1/"
    )
