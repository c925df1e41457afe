"""Forms of the programme room (GOV.UK styling from core.forms.GovukFormMixin)."""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from partnering.core.dates import govuk_date
from partnering.core.forms import AutocompleteSelect, GovukDateField, GovukFormMixin, MoneyField
from partnering.partnerships.models import PartnershipKind

from .models import (
    MAX_MENTORS,
    AdviceType,
    Audience,
    Call,
    Criterion,
    Discipline,
    EventKind,
    ModuleFormat,
    PeerTopic,
    Theme,
)


class ApplicationForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        empty_label="Choose a partnership",
        help_text="Its kind, members, two-tier status and region come from its record",
        error_messages={"required": "Choose the partnership that is applying"},
    )
    title = forms.CharField(
        label="Project title",
        max_length=200,
        error_messages={"required": "Enter the project title"},
    )
    themes = forms.MultipleChoiceField(
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What the project is about",
    )
    requested_amount = MoneyField(
        label="Amount requested (£)",
        min_value=Decimal(0),
        max_value=Decimal("9999999999"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": "Enter the amount requested"},
    )

    call_tags = forms.MultipleChoiceField(
        label="This call's tags that fit the project", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The call's quotas may count them",
    )  # fmt: skip

    def __init__(self, *args: Any, call: Call, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        choices = [(t.slug, t.label) for t in call.tags.all() if t.applicants_choose]
        if choices:
            self.fields["call_tags"].choices = choices  # type: ignore[attr-defined]
        else:
            del self.fields["call_tags"]
        self.criteria = list(call.criteria.all())
        for c in self.criteria:
            self.fields[f"answer_{c.pk}"] = forms.CharField(
                label=c.title, widget=forms.Textarea(attrs={"rows": 4}), required=False,
                help_text=c.guidance or None, max_length=10000,
            )  # fmt: skip
        # The mixin styled the fields that existed before these were added.
        for c in self.criteria:
            attrs = self.fields[f"answer_{c.pk}"].widget.attrs
            attrs.setdefault("class", "govuk-textarea")
            if c.guidance:
                attrs["aria-describedby"] = f"id_answer_{c.pk}-hint"

    def answers(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data.get(f"answer_{c.pk}", "") for c in self.criteria}

    def chosen_call_tags(self) -> list[str]:
        return list(self.cleaned_data.get("call_tags", []))


class AssessmentForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria: list[Criterion] = list(call.criteria.all())
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.title}: score ({call.score_min} to {call.score_max})",
                min_value=call.score_min, max_value=call.score_max,
                error_messages={
                    "required": f"Score ‘{c.title}’",
                    "min_value": f"‘{c.title}’ must be {call.score_min} or more",
                    "max_value": f"‘{c.title}’ must be {call.score_max} or less",
                    "invalid": f"‘{c.title}’ must be a whole number",
                },
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
            )  # fmt: skip
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=f"{c.title}: comment", required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
            )  # fmt: skip

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"score_{c.pk}"], d.get(f"comment_{c.pk}", "")) for c in self.criteria}


class ModerationForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, call: Call, rows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for r in rows:
            c = r.criterion
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.title}: agreed score", min_value=call.score_min, max_value=call.score_max,
                required=False, initial=r.moderated,
                error_messages={
                    "min_value": f"‘{c.title}’ must be {call.score_min} or more",
                    "max_value": f"‘{c.title}’ must be {call.score_max} or less",
                    "invalid": f"‘{c.title}’ must be a whole number",
                },
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
            )  # fmt: skip
        self.fields["note"] = forms.CharField(
            label="Why the panel agreed these scores", required=False, max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        )  # fmt: skip


class SelectionForm(GovukFormMixin, forms.Form):
    pinned = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Always include"
    )
    excluded = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Never include"
    )

    def __init__(self, *args: Any, references: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pinned"].choices = references  # type: ignore[attr-defined]
        self.fields["excluded"].choices = references  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("pinned", [])) & set(data.get("excluded", []))
        if both:
            self.add_error("pinned", f"{sorted(both)[0]} cannot be both always and never included")
        return data


#: At most this many follow-up actions in one go (a form can be sent again for more).
MAX_ACTION_ROWS = 10
_DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"]


class ActionRowsMixin:
    """Follow-up actions as numbered rows of three fields (what, who owns it, when it is due),
    each row in its own fieldset. ``rows`` says how many to draw; the page's "Add another
    action" button sends the form back to draw one more (no JavaScript). A row left empty is
    skipped; a row partly filled in must be completed."""

    action_count: int

    def _add_action_rows(self, owners: Any, rows: int) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        self.action_count = max(1, min(rows, MAX_ACTION_ROWS))
        for i in range(1, self.action_count + 1):
            fields[f"action_{i}"] = forms.CharField(
                label=f"Action {i}: what needs doing", required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "govuk-input"}),
            )  # fmt: skip
            owner = forms.ModelChoiceField(
                queryset=owners, required=False, label=f"Action {i}: who owns it",
                empty_label="Choose an owner", widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": f"Choose who owns action {i} from the list"},
            )  # fmt: skip
            owner.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign]
            fields[f"owner_{i}"] = owner
            fields[f"due_on_{i}"] = forms.DateField(
                label=f"Action {i}: when it is due", required=False, input_formats=_DATE_FORMATS,
                help_text="For example, 30 4 2003 or 2003-04-30",
                error_messages={"invalid": f"The date action {i} is due must be a real date"},
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10",
                                              "aria-describedby": f"id_due_on_{i}-hint"}),
            )  # fmt: skip
        fields["action_rows"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=self.action_count
        )
        self.initial["action_rows"] = self.action_count  # type: ignore[attr-defined]
        if self.is_bound:  # type: ignore[attr-defined]
            self.data = self.data.copy()  # type: ignore[attr-defined]
            self.data["action_rows"] = str(self.action_count)  # type: ignore[attr-defined]

    def as_draft(self) -> Any:
        """The form drawn again with what was typed and nothing checked (after "Add another
        action": no error is shown for a form not yet sent)."""
        self._errors = ErrorDict()
        return self

    @staticmethod
    def rows_wanted(data: Any, more: bool = False) -> int:
        """How many rows to draw for posted ``data`` (one more when "Add another" was pressed)."""
        try:
            rows = int((data or {}).get("action_rows") or 1)
        except (TypeError, ValueError):
            rows = 1
        return max(1, min(rows + (1 if more else 0), MAX_ACTION_ROWS))

    @property
    def main_fields(self) -> list[Any]:
        return [
            self[name]  # type: ignore[index]
            for name in self.fields  # type: ignore[attr-defined]
            if not name.startswith(("action_", "owner_", "due_on_"))
        ]

    @property
    def action_fieldsets(self) -> list[dict[str, Any]]:
        return [
            {"legend": f"Follow-up action {i}",
             "fields": [self[f"action_{i}"], self[f"owner_{i}"], self[f"due_on_{i}"]]}  # type: ignore[index]
            for i in range(1, self.action_count + 1)
        ]  # fmt: skip

    @property
    def can_add_action(self) -> bool:
        return self.action_count < MAX_ACTION_ROWS

    def _clean_actions(self, data: dict[str, Any]) -> None:
        errors = self.errors  # type: ignore[attr-defined]
        for i in range(1, self.action_count + 1):
            what, owner, due = (f"action_{i}", f"owner_{i}", f"due_on_{i}")
            given = [data.get(what), data.get(owner), data.get(due), due in errors]
            if not any(given):
                continue
            if not (data.get(what) or "").strip() and what not in errors:
                self.add_error(what, f"Describe action {i}")  # type: ignore[attr-defined]
            if not data.get(owner) and owner not in errors:
                self.add_error(owner, f"Choose who owns action {i}")  # type: ignore[attr-defined]
            if not data.get(due) and due not in errors:
                self.add_error(due, f"Enter when action {i} is due")  # type: ignore[attr-defined]

    def actions(self) -> list[tuple[str, Any, Any]]:
        """The filled-in rows: (description, owner, due date), in order."""
        d = self.cleaned_data  # type: ignore[attr-defined]
        return [
            (d[f"action_{i}"].strip(), d[f"owner_{i}"], d[f"due_on_{i}"])
            for i in range(1, self.action_count + 1)
            if (d.get(f"action_{i}") or "").strip()
        ]


class AdviceForm(ActionRowsMixin, GovukFormMixin, forms.Form):
    template_name = "programme/_form_with_actions.html"

    advice_type = forms.ChoiceField(
        label="Type of advice", choices=[("", "Choose a type"), *AdviceType.choices],
        error_messages={"required": "Choose the type of advice"},
    )  # fmt: skip
    given_on = forms.DateField(
        label="Date given", help_text="For example, 27 3 2003 or 2003-03-27",
        input_formats=_DATE_FORMATS,
        error_messages={"required": "Enter the date the advice was given", "invalid": "Enter a real date"},
    )  # fmt: skip
    summary = forms.CharField(
        label="Advice", widget=forms.Textarea(attrs={"rows": 5}), max_length=20000,
        error_messages={"required": "Enter the advice given"},
    )  # fmt: skip
    attachments = forms.CharField(
        label="Titles of attachments (one a line)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, owners: Any, rows: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_action_rows(owners, rows)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_actions(data)
        return data


class EnrolForm(GovukFormMixin, forms.Form):
    """Enrol yourself in one of a module's cohorts, for one of your organisations."""

    session = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        widget=forms.RadioSelect, label="Which cohort", empty_label=None,
        error_messages={"required": "Choose a cohort", "invalid_choice": "Choose a cohort from the list"},
    )  # fmt: skip
    organisation = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Which organisation you are enrolling for", empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation you are enrolling for",
                        "invalid_choice": "Choose an organisation you work for"},
    )  # fmt: skip

    def __init__(self, *args: Any, sessions: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = lambda s: (  # type: ignore[attr-defined]
            f"{govuk_date(s.starts_on)} to {govuk_date(s.ends_on)}, {s.venue}"
        )
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CompletionForm(GovukFormMixin, forms.Form):
    completed_on = GovukDateField(label="Date completed", help_text="For example, 27 3 2003")


class PeerOfferForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Your organisation", empty_label="Choose an organisation",
        error_messages={"required": "Choose your organisation",
                        "invalid_choice": "Choose an organisation you work for"},
    )  # fmt: skip
    job_title = forms.CharField(label="Your job title", required=False, max_length=200)
    topics = forms.MultipleChoiceField(
        label="What you can help peers with", choices=PeerTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic you can help with"},
    )  # fmt: skip
    summary = forms.CharField(
        label="What you have done that others could learn from", required=False,
        max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    is_listed = forms.BooleanField(
        label="List me in the peer directory, so officers of other partnerships can contact me",
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class SessionForm(ActionRowsMixin, GovukFormMixin, forms.Form):
    template_name = "programme/_form_with_actions.html"

    held_on = GovukDateField(label="Date of the session", help_text="For example, 27 3 2003")
    attendees = forms.CharField(label="Who attended", required=False, max_length=5000)
    notes = forms.CharField(
        label="Notes", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, owners: Any, rows: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_action_rows(owners, rows)

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError("The date of the session must be today or in the past")
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_actions(data)
        return data


# --- staff: modules, cohorts and events ----------------------------------------------------


class ModuleForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the module covers, in a sentence or two",
    )  # fmt: skip
    learning_outcomes = forms.CharField(
        label="Learning outcomes", max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: what people will be able to do after the module",
        error_messages={"required": "Enter at least one learning outcome"},
    )  # fmt: skip
    audience = forms.ChoiceField(
        label="Who the module is for", choices=Audience.choices, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(
        label="Format", choices=ModuleFormat.choices, widget=forms.RadioSelect
    )
    duration_hours = forms.DecimalField(
        label="Duration in hours", min_value=Decimal("0.5"), max_value=Decimal(1000),
        max_digits=6, decimal_places=1, help_text="For example, 3 or 1.5",
        error_messages={"invalid": "Duration in hours must be a number, like 3 or 1.5"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                      "inputmode": "decimal"}),
    )  # fmt: skip
    is_published = forms.BooleanField(
        label="Publish the module: everyone can see it and people can enrol", required=False
    )

    def clean_learning_outcomes(self) -> list[str]:
        lines = [x.strip() for x in self.cleaned_data["learning_outcomes"].splitlines()]
        outcomes = [x for x in lines if x]
        if not outcomes:
            raise forms.ValidationError("Enter at least one learning outcome")
        return outcomes

    @staticmethod
    def initial_of(module: Any) -> dict[str, Any]:
        return {
            "title": module.title, "summary": module.summary,
            "learning_outcomes": "\n".join(module.learning_outcomes), "audience": module.audience,
            "format": module.format, "duration_hours": module.duration_hours,
            "is_published": module.is_published,
        }  # fmt: skip


def _places_field(label: str = "Places") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=1, max_value=10000,
        error_messages={"min_value": "Places must be 1 or more",
                        "max_value": "Places must be 10,000 or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                      "inputmode": "numeric"}),
    )  # fmt: skip


class CohortForm(GovukFormMixin, forms.Form):
    """A cohort of a module: its first and last days, where it runs and how many places."""

    starts_on = GovukDateField(label="First day", help_text="For example, 27 3 2003")
    ends_on = GovukDateField(
        label="Last day", help_text="The same as the first day for a one-day cohort"
    )
    venue = forms.CharField(label="Where", max_length=200, help_text="A place, or ‘Online’")
    places = _places_field()


_TIME_HELP = "Use the 24-hour clock, for example 09:30 or 14:00"


def _time_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=5, help_text=_TIME_HELP,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )  # fmt: skip


def _parse_time(value: str, label: str) -> time:
    text = value.strip().replace(".", ":")
    try:
        hours, minutes = text.split(":") if ":" in text else (text, "0")
        return time(int(hours), int(minutes))
    except ValueError:
        raise forms.ValidationError(f"{label} must be a time like 09:30 or 14:00") from None


class EventForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of event", choices=EventKind.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="What happens at the event", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    starts_on = GovukDateField(label="Date it starts", help_text="For example, 27 3 2003")
    start_time = _time_field("Start time")
    ends_on = GovukDateField(
        label="Date it ends", required=False, help_text="Leave empty for an event on one day"
    )
    end_time = _time_field("End time")
    location = forms.CharField(label="Where", max_length=200, help_text="A place, or ‘Online’")
    places = _places_field()
    is_published = forms.BooleanField(
        label="Publish the event: everyone can see it and book", required=False
    )

    def clean_start_time(self) -> time:
        return _parse_time(self.cleaned_data["start_time"], "Start time")

    def clean_end_time(self) -> time:
        return _parse_time(self.cleaned_data["end_time"], "End time")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, start, end = data.get("starts_on"), data.get("start_time"), data.get("end_time")
        if starts_on is None or start is None or end is None or "ends_on" in self.errors:
            return data
        zone = timezone.get_current_timezone()
        data["starts_at"] = datetime.combine(starts_on, start, tzinfo=zone)
        data["ends_at"] = datetime.combine(data.get("ends_on") or starts_on, end, tzinfo=zone)
        if data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", "The event must end after it starts")
        return data

    @staticmethod
    def initial_of(event: Any) -> dict[str, Any]:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "title": event.title, "kind": event.kind, "summary": event.summary,
            "starts_on": starts.date(), "start_time": f"{starts:%H:%M}",
            "ends_on": ends.date() if ends.date() != starts.date() else None,
            "end_time": f"{ends:%H:%M}", "location": event.location, "places": event.places,
            "is_published": event.is_published,
        }  # fmt: skip


# --- adviser profiles ----------------------------------------------------------------------


class AdviserProfileForm(GovukFormMixin, forms.Form):
    """An adviser's expertise, capacity and declared interests (staff, or the adviser)."""

    disciplines = forms.MultipleChoiceField(
        label="Disciplines", choices=Discipline.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Select all the disciplines the adviser can give advice in",
        error_messages={"required": "Select at least one discipline"},
    )  # fmt: skip
    sectors = forms.MultipleChoiceField(
        label="Kinds of partnership", choices=PartnershipKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The kinds of partnership the adviser has worked with",
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label="Regions", choices=(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The regions the adviser knows and can travel to",
    )  # fmt: skip
    capacity = forms.IntegerField(
        label="Capacity", min_value=0, max_value=50,
        help_text="How many partnerships the adviser can advise at once, from 0 to 50",
        error_messages={"required": "Enter a capacity",
                        "invalid": "Capacity must be a whole number, like 3",
                        "min_value": "Capacity must be 0 or more",
                        "max_value": "Capacity must be 50 or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3",
                                      "inputmode": "numeric"}),
    )  # fmt: skip
    remove_interests = forms.MultipleChoiceField(
        label="Interests to withdraw", choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select an interest that no longer holds; it stays in the profile's history",
    )  # fmt: skip
    interest_organisation = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Declare an interest: organisation", required=False, widget=AutocompleteSelect,
        empty_label="Choose an organisation",
        help_text="A past employer, or a council or bidder the adviser has a relationship with. "
        "The adviser is never matched to a partnership this organisation belongs to",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )  # fmt: skip
    interest_description = forms.CharField(
        label="Declare an interest: what it is", required=False, max_length=255,
        help_text="For example, ‘Employed as head of legal services, 1996 to 2001’",
        error_messages={"max_length": "What the interest is must be 255 characters or fewer"},
    )  # fmt: skip

    def __init__(
        self, *args: Any, organisations: Any, regions: Any, interests: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interest_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["regions"].choices = [(r, r) for r in regions]  # type: ignore[attr-defined]
        self.fields["remove_interests"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), f"{i.organisation.name}: {i.description}") for i in interests
        ]
        if not interests:
            del self.fields["remove_interests"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("interest_organisation")
        description = (data.get("interest_description") or "").strip()
        if organisation and not description and "interest_description" not in self.errors:
            self.add_error("interest_description", "Enter what the interest is")
        if description and not organisation and "interest_organisation" not in self.errors:
            self.add_error("interest_organisation", "Choose the organisation of the interest")
        data["interest_description"] = description
        return data

    @staticmethod
    def initial_of(profile: Any) -> dict[str, Any]:
        if profile is None:
            return {"capacity": 2}
        return {
            "disciplines": profile.disciplines, "sectors": profile.sectors,
            "regions": profile.regions, "capacity": profile.capacity,
        }  # fmt: skip


# --- staff: calls, their criteria, quotas and own tags --------------------------------------


def _whole_number(
    label: str, least: int, most: int, *, required: bool = True, help_text: str = ""
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=least, max_value=most, required=required, help_text=help_text or None,
        error_messages={"required": f"Enter {label.lower()}",
                        "invalid": f"{label} must be a whole number, like {least + 1}",
                        "min_value": f"{label} must be {least} or more",
                        "max_value": f"{label} must be {most:,} or less"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                      "inputmode": "numeric"}),
    )  # fmt: skip


class CallForm(GovukFormMixin, forms.Form):
    """A call's own fields; its criteria, quotas and tags are the formsets below."""

    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter the call's title"})  # fmt: skip
    summary = forms.CharField(
        label="Summary", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the call is for, in a sentence or two",
        error_messages={"required": "Enter a summary of the call"},
    )  # fmt: skip
    eligibility = forms.CharField(
        label="Who can apply", max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    opens_on = GovukDateField(label="Opens", help_text="For example, 6 1 2003")
    closes_on = GovukDateField(label="Closes", help_text="After the day it opens")
    decisions_by = GovukDateField(label="Decisions by", help_text="On or after the day it closes")
    places = _whole_number("Places", 1, 1000, help_text="How many projects the portfolio takes")
    budget = MoneyField(
        label="Budget (£)", required=False, min_value=Decimal(0),
        max_value=Decimal("999999999999"), max_digits=14, decimal_places=2,
        help_text="The most the portfolio's requested amounts may add up to; leave empty for no limit",
    )  # fmt: skip
    score_min = _whole_number("Lowest score", 0, 99)
    score_max = _whole_number("Highest score", 1, 100)
    moderation_spread = _whole_number(
        "Disagreement threshold", 0, 100,
        help_text="Assessors' scores of a criterion disagree when they spread by more than this",
    )  # fmt: skip
    assessors = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="The assessment panel", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Advisers and staff who score the applications; nobody assesses a partnership "
        "their own organisation is in",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from partnering.core.models import Role, User

        super().__init__(*args, **kwargs)
        panel = self.fields["assessors"]
        panel.queryset = User.objects.filter(  # type: ignore[attr-defined]
            role__in=[Role.ADVISER, Role.STAFF], is_active=True
        ).order_by("last_name", "first_name", "username")
        panel.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(call: Any) -> dict[str, Any]:
        if call is None:
            return {"score_min": 0, "score_max": 10, "moderation_spread": 3}
        return {**{name: getattr(call, name) for name in (
            "title", "summary", "eligibility", "opens_on", "closes_on", "decisions_by", "places",
            "budget", "score_min", "score_max", "moderation_spread")},
            "assessors": list(call.assessors.all())}  # fmt: skip


class _RowForm(GovukFormMixin, forms.Form):
    """A row of a repeating list: the GOV.UK mixin names hints and errors ``id_<field>-…``, but
    with a formset's prefix the ids are ``id_<prefix>-<field>-…``."""

    def _fix_described_by(self) -> None:
        for name, field in self.fields.items():
            described = field.widget.attrs.get("aria-describedby")
            if described:
                auto_id = self[name].auto_id
                field.widget.attrs["aria-describedby"] = described.replace(
                    f"id_{name}-", f"{auto_id}-"
                )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fix_described_by()

    def mark_errors(self) -> None:
        super().mark_errors()
        self._fix_described_by()

    def is_blank(self) -> bool:
        """Nothing typed in this row (an extra row left empty is not saved)."""
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) not in (None, "", False) for name in self.row_fields)

    row_fields: tuple[str, ...] = ()


class CriterionForm(_RowForm):
    row_fields = ("title", "weight", "guidance")
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="Criterion", max_length=200, required=False)
    weight = forms.DecimalField(
        label="Weight", min_value=Decimal(0), max_value=Decimal("999.99"), max_digits=5,
        decimal_places=2, required=False, help_text="How much it counts against the others, for example 2",
        error_messages={"invalid": "Weight must be a number, like 2 or 1.5",
                        "min_value": "Weight must be 0 or more",
                        "max_value": "Weight must be 999.99 or less"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}),
    )  # fmt: skip
    guidance = forms.CharField(
        label="Guidance for applicants and assessors", max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE") or self.is_blank():
            return data
        if not (data.get("title") or "").strip() and "title" not in self.errors:
            self.add_error("title", "Enter the criterion")
        if data.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", "Enter the criterion's weight")
        return data


class QuotaForm(_RowForm):
    row_fields = ("tag", "label", "minimum", "maximum")
    tag = forms.CharField(
        label="Tag", max_length=100, required=False,
        help_text="For example egov, two_tier, region:London, size:large or call:<a tag below>",
    )  # fmt: skip
    label = forms.CharField(label="What it is called on the pages", max_length=200, required=False)
    minimum = _whole_number("At least", 0, 1000, required=False)
    maximum = _whole_number("At most", 0, 1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE") or self.is_blank():
            return data
        if not (data.get("tag") or "").strip() and "tag" not in self.errors:
            self.add_error("tag", "Enter the tag the quota counts")
        least, most = data.get("minimum"), data.get("maximum")
        if least is None and most is None and not {"minimum", "maximum"} & set(self.errors):
            self.add_error("minimum", "Enter at least, at most or both")
        if least is not None and most is not None and least > most:
            self.add_error("minimum", f"The minimum ({least}) is more than the maximum ({most})")
        return data


class CallTagForm(_RowForm):
    row_fields = ("label",)
    original = forms.CharField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label="Tag", max_length=100, required=False,
                            help_text="For example ‘Rural pilot’")  # fmt: skip
    applicants_choose = forms.BooleanField(
        label="Applicants may choose this tag for their own application", required=False
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("label") or "").strip()


class _RowFormSet(forms.BaseFormSet):
    noun = "row"

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove this {self.noun} when I save"
            form.fields["DELETE"].widget.attrs["class"] = "govuk-checkboxes__input"


class CriterionFormSet(_RowFormSet):
    noun = "criterion"


class QuotaFormSet(_RowFormSet):
    noun = "quota"


class CallTagFormSet(_RowFormSet):
    noun = "tag"


MAX_ROWS = 30
CriteriaForms = forms.formset_factory(CriterionForm, formset=CriterionFormSet, extra=1,
                                      can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS)  # fmt: skip
QuotaForms = forms.formset_factory(QuotaForm, formset=QuotaFormSet, extra=1, can_delete=True,
                                   max_num=MAX_ROWS, absolute_max=MAX_ROWS)  # fmt: skip
CallTagForms = forms.formset_factory(CallTagForm, formset=CallTagFormSet, extra=1,
                                     can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS)  # fmt: skip


class ApplicationEditForm(ApplicationForm):
    """A draft's title, themes, amount, answers and the call's tags applicants may choose (the
    partnership is fixed once it has applied)."""

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, call=call, partnerships=None, **kwargs)
        del self.fields["partnership"]

    @staticmethod
    def initial_of(application: Any) -> dict[str, Any]:
        initial = {"title": application.title, "themes": application.themes,
                   "requested_amount": application.requested_amount,
                   "call_tags": application.call_tags}  # fmt: skip
        initial.update({f"answer_{k}": v for k, v in application.answers.items()})
        return initial


class ApplicationTagsForm(GovukFormMixin, forms.Form):
    call_tags = forms.MultipleChoiceField(
        label="The call's tags this application carries",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The quotas of the portfolio count them",
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call_tags"].choices = [(t.slug, t.label) for t in call.tags.all()]  # type: ignore[attr-defined]


# --- assigning advisers and what a pathfinder needs -------------------------------------------


class AssignAdviserForm(GovukFormMixin, forms.Form):
    """One adviser to assign to a partnership; each choice shows their load against capacity."""

    adviser = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Adviser to assign", empty_label="Choose an adviser",
        help_text="An adviser at their capacity, or with a declared interest in one of the "
        "partnership's members, cannot be assigned",
        error_messages={"required": "Choose the adviser to assign",
                        "invalid_choice": "Choose an adviser from the list"},
    )  # fmt: skip

    def __init__(
        self, *args: Any, advisers: Any, loads: dict[int, tuple[int, int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["adviser"]
        field.queryset = advisers  # type: ignore[attr-defined]

        def label(user: Any) -> str:
            advising, capacity = loads.get(user.pk, (0, 0))
            return f"{user.get_full_name() or user.username} (advising {advising} of {capacity})"

        field.label_from_instance = label  # type: ignore[attr-defined]


class MentoringNeedsForm(GovukFormMixin, forms.Form):
    mentors = forms.IntegerField(
        label="How many mentors it needs", min_value=1, max_value=MAX_MENTORS,
        help_text=f"From 1 to {MAX_MENTORS}: each is a different adviser",
        error_messages={"required": "Enter how many mentors it needs",
                        "invalid": "The number of mentors must be a whole number, like 2",
                        "min_value": "The number of mentors must be 1 or more",
                        "max_value": f"The number of mentors must be {MAX_MENTORS} or fewer"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-2",
                                      "inputmode": "numeric"}),
    )  # fmt: skip
    disciplines = forms.MultipleChoiceField(
        label="Disciplines every mentor must hold", choices=Discipline.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unselected if any adviser may mentor it",
    )  # fmt: skip
