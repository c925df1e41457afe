"""GOV.UK styling for Django forms: the right classes, hints and error attributes on every widget."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .errors import DomainError

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
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "govuk-input",
            )
            widget.attrs.setdefault("class", css)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
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
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ApiKeyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name of the key",
        help_text="So you can tell your keys apart, for example ‘Finance system integration’.",
        error_messages={"required": "Enter a name for the key"},
    )
