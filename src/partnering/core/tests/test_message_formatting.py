"""No error message can crash when Django formats it.

Django formats a field's error message with ``message % params`` whenever the validator passes
params (min_value, max_value, max_length, ...), so a bare ``%`` in such a message ("must be 100% or
less") is a server error for the person who typed the value (issue 8 part 4: the pain/gain risk
form with a band of 0 or 200 gave HTTP 500). Every form of every room and every model field is
swept: discovered from the app registry, so a new room is covered without editing this file.
"""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps


class _AnyParams(dict):
    """Whatever key a message asks for, a value."""

    def __missing__(self, key):
        return 0


def _formats(message) -> bool:
    try:
        str(message) % _AnyParams()
    except (ValueError, TypeError, KeyError):
        return False
    return True


def _room_forms():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("partnering."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _field_messages(field):
    messages = dict(getattr(field, "error_messages", {}) or {})
    for validator in getattr(field, "validators", []):
        if getattr(validator, "message", None):
            messages[f"validator:{type(validator).__name__}"] = validator.message
    return messages


def test_the_sweep_finds_the_forms_of_every_room():
    names = {cls.__name__ for cls in _room_forms()}
    assert {"RiskScenarioForm", "SignInForm"} <= names
    assert len(names) > 10


def test_every_form_field_message_can_be_formatted():
    broken = [
        f"{cls.__module__}.{cls.__name__}.{name} [{code}]: {message!r}"
        for cls in _room_forms()
        for name, field in cls.base_fields.items()
        for code, message in _field_messages(field).items()
        if not _formats(message)
    ]
    assert not broken, "messages with a bare % (write %% for a percent sign):\n" + "\n".join(broken)


def test_every_model_field_message_can_be_formatted():
    broken = [
        f"{model._meta.label}.{field.name} [{code}]: {message!r}"
        for model in apps.get_models()
        if model.__module__.startswith("partnering.")
        for field in model._meta.get_fields()
        for code, message in _field_messages(field).items()
        if not _formats(message)
    ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(
    "message", ["The share must be 100% or less", "more than 0%", "50 % of it"]
)
def test_the_check_catches_a_bare_percent(message):
    assert not _formats(message)


@pytest.mark.parametrize("message", ["100%% or less", "at most %(limit_value)s", "plain"])
def test_the_check_accepts_escaped_and_named(message):
    assert _formats(message)
