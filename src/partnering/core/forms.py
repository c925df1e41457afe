"""GOV.UK styling for Django forms: the right classes, hints and error attributes on every
widget, error messages in GOV.UK wording, and the GOV.UK date and money fields."""

import calendar
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from .errors import DomainError
from .widgets import PARTS, AutocompleteSelect, GovukDateInput, MoneyInput

__all__ = [
    "AutocompleteSelect",
    "GovukDateField",
    "GovukFormMixin",
    "MoneyField",
    "govuk_messages",
]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


@lru_cache(maxsize=256)
def _django_defaults(field_class: type, language: str | None) -> dict[str, str]:
    return {
        key: str(message)
        for klass in reversed(field_class.__mro__)
        for key, message in getattr(klass, "default_error_messages", {}).items()
    }


def govuk_messages(field: forms.Field, label: str) -> None:
    """Replace Django's default error messages with GOV.UK wording ("Enter your username", not
    "This field is required."); messages a form sets itself are kept. Once per field and label
    (forms word their fields on creation and again before cleaning, for fields added late)."""
    if getattr(field, "_govuk_worded", None) == label:
        return
    defaults = _django_defaults(type(field), get_language())
    what = _lower_first(label) if label else "a value"
    choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    # Messages with parameters are %-formatted: a "%" in the label must not break them.
    plain, label = label, label.replace("%", "%%")
    ours = {
        "required": ("Select " if choose else "Enter ") + what,
        "invalid_choice": f"Select {what.replace('%', '%%')} from the list",  # noqa: S608 (not SQL)
        "invalid_list": f"Select {what.replace('%', '%%')} from the list",  # noqa: S608 (not SQL)
        "invalid_pk_value": f"Select {what.replace('%', '%%')} from the list",  # noqa: S608
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_length": f"{label} must be %(limit_value)d characters or more",
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_digits": f"{label} is too large",
        "max_decimal_places": f"{label} can have at most %(max)s decimal places",
        "max_whole_digits": f"{label} is too large",
        "null_characters_not_allowed": f"{label} must not contain null characters",
    }
    if isinstance(field, forms.FileField):
        # GOV.UK file upload wording ("Select a file", "The selected file is empty").
        ours.update(
            required="Select a file",
            missing="Select a file",
            invalid="Select a file",
            empty="The selected file is empty",
            contradiction="Select a file or tick to remove the current one, not both",
            max_length="The name of the selected file must be %(max)d characters or fewer",
            invalid_image="The selected file must be a JPG, PNG or GIF image",
        )
    if isinstance(field, forms.IntegerField):
        ours["invalid"] = f"{plain} must be a whole number, like 12"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        ours["invalid"] = f"{plain} must be a number, like 120,000"
    for key, message in ours.items():
        current = field.error_messages.get(key)
        if current is None or str(current) == defaults.get(key):
            field.error_messages[key] = message
    field._govuk_worded = label  # type: ignore[attr-defined]


class GovukDateField(forms.Field):
    """A date typed in GOV.UK's day, month and year boxes, with GOV.UK's error messages:
    "Date they joined must include a month", "... must be a real date"."""

    widget = GovukDateInput

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        super().__init__(label=label, required=required, **kwargs)
        self.error_parts: tuple[str, ...] = ()
        what = _lower_first(label)
        self.error_messages.setdefault("required", f"Enter {what}")
        self.error_messages.setdefault("invalid", f"{label} must be a real date")

    def to_python(self, value: Any) -> date | None:
        self.error_parts = ()
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        parts = {part: str(value.get(part, "")).strip() for part in PARTS}
        if not any(parts.values()):
            return None
        missing = [part for part in PARTS if not parts[part]]
        if missing:
            self.error_parts = tuple(missing)
            names = " and ".join(missing) if len(missing) < 3 else "day, month and year"
            raise ValidationError(f"{self.label} must include a {names}", code="incomplete")
        if not all(parts[part].isdigit() for part in PARTS):
            self.error_parts = tuple(p for p in PARTS if not parts[p].isdigit()) or PARTS
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(parts["year"]) != 4:
            self.error_parts = ("year",)
            raise ValidationError(f"{self.label}: the year must include 4 numbers", code="year")
        day, month, year = (int(parts[p]) for p in PARTS)
        if not 1 <= month <= 12:
            self.error_parts = ("month",)
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            self.error_parts = ("day",)
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if year < 1800:
            self.error_parts = ("year",)
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, day)

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            self.error_parts = PARTS
        super().validate(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class MoneyField(forms.DecimalField):
    """Money as people type it: "£1,250,000", "120000" and "-50,000" are accepted; "NaN",
    "Infinity" and "sNaN" are refused with a clear message. Drawn with a "£" prefix."""

    widget = MoneyInput

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(label=label, **kwargs)
        # A form's own "invalid" message covers NaN and Infinity too.
        self.error_messages.setdefault(
            "not_finite",
            (kwargs.get("error_messages") or {}).get("invalid")
            or f"{label} must be an amount in pounds, like 120,000",
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("£", "").replace(" ", "")
            if value.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
                raise ValidationError(self.error_messages["not_finite"], code="invalid")
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["not_finite"], code="invalid")
        return number  # type: ignore[no-any-return]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return str(value.to_integral_value())
        return super().prepare_value(value)


WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukFormMixin:
    """Adds GOV.UK classes and aria-describedby for hints and errors; use on every form."""

    template_name = "components/form_fields.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            govuk_messages(field, str(field.label or name.replace("_", " ").capitalize()))
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "govuk-input",
            )
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        # Fields a subclass adds after ``__init__`` (one per member, say) get the wording too.
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            govuk_messages(field, str(field.label or name.replace("_", " ").capitalize()))
        super().full_clean()  # type: ignore[misc]
        self.mark_errors()

    def mark_errors(self) -> None:
        """The error class and aria-describedby on every field with an error."""
        _never_crash_formatting(self.errors)  # type: ignore[attr-defined]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            base = widget.attrs.get("class", "").split()[0] if widget.attrs.get("class") else ""
            if base in ERROR_CLASSES and ERROR_CLASSES[base] not in widget.attrs["class"]:
                widget.attrs["class"] += f" {ERROR_CLASSES[base]}"
            described = [f"id_{name}-error"]
            if self.fields[name].help_text:  # type: ignore[attr-defined]
                described.insert(0, f"id_{name}-hint")
            widget.attrs["aria-describedby"] = " ".join(described)


def add_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's ``DomainError`` on the form: on its field when the form has that field,
    otherwise as a non-field error (listed in the error summary, linked to the first field)."""
    field = error.field if error.field and error.field in form.fields else None
    form.add_error(field, error.message)
    if isinstance(form, GovukFormMixin):
        form.mark_errors()


def _never_crash_formatting(errors: Any) -> None:
    """Django formats an error with ``message % params`` when it is shown; a ``%`` in a message
    (or in a name the message quotes, such as a component called "Licences (50% shared)") would
    then raise and give a server error. Such a message is shown as written instead. Messages in
    the code write ``%%`` for a percent sign (``core/tests/test_message_formatting.py``)."""
    for error_list in errors.values():
        for error in getattr(error_list, "data", []):
            params = getattr(error, "params", None)
            if not params:
                continue
            try:
                str(error.message) % params
            except (ValueError, TypeError, KeyError):
                error.params = None


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ApiKeyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name of the key",
        help_text="So you can tell your keys apart, for example ‘Finance system integration’.",
        error_messages={"required": "Enter a name for the key"},
    )
