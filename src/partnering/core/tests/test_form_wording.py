"""Every form of every room speaks GOV.UK, not Django (issue 8 part 9): no field keeps one of
Django's default error messages ("This field is required.", "No file was submitted.", "Ensure
this value is greater than or equal to 0."), and submitting a form empty shows none either.
Forms are discovered from the app registry, so a new room is covered without editing this file;
fields a form adds after ``__init__`` (one per member, say) are covered by the mixin's
``full_clean``."""

import inspect

import pytest
from django import forms

from partnering.core.forms import MoneyField, govuk_messages

from .test_message_formatting import _room_forms

pytestmark = pytest.mark.django_db


def _django_defaults() -> set[str]:
    found = set()
    for name in dir(forms):
        klass = getattr(forms, name)
        if isinstance(klass, type) and issubclass(klass, forms.Field):
            for base in klass.__mro__:
                found |= {str(m) for m in getattr(base, "default_error_messages", {}).values()}
    return {message for message in found if message}


DJANGO_DEFAULTS = _django_defaults()


class _Nothing:
    """Stands for any choices, queryset or list a form is built with: empty, whatever is asked."""

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    def __call__(self, *args, **kwargs):
        return _Nothing()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Nothing()

    def __getitem__(self, key):
        return _Nothing()

    def __str__(self):
        return ""


# Forms whose arguments must be real: what to build them with.
SPECIAL = {"StageMoveForm": lambda cls: cls({}, current="idea", is_staff=True)}


def _bound_empty(cls):
    if cls.__name__ in SPECIAL:
        return SPECIAL[cls.__name__](cls)
    signature = inspect.signature(cls.__init__)
    needed = {
        name: _Nothing()
        for name, parameter in signature.parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    }
    return cls({}, **needed)


def test_django_defaults_are_known():
    assert "This field is required." in DJANGO_DEFAULTS
    assert "No file was submitted." in DJANGO_DEFAULTS


@pytest.mark.parametrize("cls", _room_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_no_field_keeps_a_django_default_message(cls):
    form = _bound_empty(cls)
    form.is_valid()
    leftovers = {
        f"{name}.{code}: {message}"
        for name, field in form.fields.items()
        for code, message in field.error_messages.items()
        if str(message) in DJANGO_DEFAULTS
    }
    shown = {
        f"{name}: {message}"
        for name, messages in form.errors.items()
        for message in messages
        if message in DJANGO_DEFAULTS or not message.strip()
    }
    assert not leftovers and not shown, sorted(leftovers | shown)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (forms.FileField(label="Evidence"), None, "Select a file"),
        (MoneyField(label="Budget", min_value=0), "-50,000", "Budget must be 0 or more"),
        (forms.IntegerField(label="Places", max_value=9), "10", "Places must be 9 or less"),
    ],
)
def test_the_wording_says_what_to_do(field, typed, message):
    govuk_messages(field, str(field.label))
    with pytest.raises(forms.ValidationError) as raised:
        field.clean(typed)
    assert raised.value.messages == [message]


def test_a_file_that_is_empty_says_so():
    from django.core.files.uploadedfile import SimpleUploadedFile

    field = forms.FileField(label="File")
    govuk_messages(field, "File")
    with pytest.raises(forms.ValidationError) as raised:
        field.clean(SimpleUploadedFile("minutes.pdf", b""))
    assert raised.value.messages == ["The selected file is empty"]


def test_money_is_typed_as_people_write_it():
    """'£120,000' and '-50,000' wherever money is typed: every money field of every room."""
    money = [
        (cls, name, field)
        for cls in _room_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, MoneyField)
    ]
    assert len(money) >= 15
    for cls, name, field in money:
        assert field.clean("£120,000") == 120_000, f"{cls.__name__}.{name}"
        if field.min_value is None or field.min_value < 0:
            assert field.clean("-50,000") == -50_000, f"{cls.__name__}.{name}"
        else:
            govuk_messages(field, str(field.label))
            with pytest.raises(forms.ValidationError) as raised:
                field.clean("-50,000")
            assert raised.value.messages[0] not in DJANGO_DEFAULTS
