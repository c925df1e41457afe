"""No form of any room takes NaN, sNaN or Infinity as a number (issue 8, part 4): every field
that turns "12" into a number refuses them with a ValidationError (a message on the page), never
another exception (a 500) and never a non-finite value. Discovered from the app registry."""

import math
from decimal import Decimal

import pytest
from django import forms

from .test_message_formatting import _room_forms

NOT_NUMBERS = ["NaN", "nan", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e999", "-1e999"]


def _numeric_fields():
    found = []
    for form in _room_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField):
                continue
            try:
                value = field.clean("12")
            except (forms.ValidationError, TypeError, ValueError, AttributeError):
                continue
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                found.append(pytest.param(field, id=f"{form.__name__}.{name}"))
    return found


def _finite(value) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def test_the_sweep_finds_numeric_fields():
    assert len(_numeric_fields()) >= 5


@pytest.mark.parametrize("field", _numeric_fields())
@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_a_numeric_field_refuses_what_is_not_a_finite_number(field, text):
    try:
        value = field.clean(text)
    except forms.ValidationError:
        return
    assert _finite(value), f"{text!r} was accepted as {value!r}"
