"""``add_domain_error``: a service's DomainError on its field, or in the error summary."""

from django import forms
from django.template.loader import render_to_string

from partnering.core.errors import DomainError
from partnering.core.forms import GovukFormMixin, add_domain_error


class _Form(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name")


def _bound():
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


def test_an_error_for_a_field_the_form_has_goes_on_that_field():
    form = _bound()
    add_domain_error(form, DomainError("room.code", "That name is taken", "name"))
    assert form.errors["name"] == ["That name is taken"]
    assert "govuk-input--error" in str(form["name"])


def test_an_error_for_a_field_the_form_lacks_is_a_non_field_error_in_the_summary():
    form = _bound()
    add_domain_error(form, DomainError("room.code", "The figures are stale", "components[2].name"))
    assert form.non_field_errors() == ["The figures are stale"]
    summary = render_to_string("components/error_summary.html", {"form": form})
    assert "There is a problem" in summary and "The figures are stale" in summary
    assert 'href="#id_name"' in summary


def test_an_error_with_no_field_is_a_non_field_error():
    form = _bound()
    add_domain_error(form, DomainError("room.code", "Closed: reopen it first"))
    assert form.non_field_errors() == ["Closed: reopen it first"]
