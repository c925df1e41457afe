"""The assurance room's forms (GOV.UK styled; the rules are the services')."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from partnering.core.forms import GovukFormMixin
from partnering.partnerships.forms import date_field

from .gates import FINDING_AREAS, GATES, RATINGS, URGENCIES
from .models import RecommendationStatus

User = get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _text(label: str, message: str, *, required: bool = True, rows: int = 4, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
        **kw,
    )


class ReviewCreateForm(GovukFormMixin, forms.Form):
    gate = forms.TypedChoiceField(
        label="Gate",
        coerce=int,
        choices=[(g.number, f"{g.label}. {g.purpose}") for g in GATES],
        widget=forms.RadioSelect,
        help_text="Gates are reviewed in order; only Gate 0 may be repeated.",
        error_messages={"required": "Choose the gate"},
    )
    starts_on = date_field("First day of the review")
    ends_on = date_field("Last day of the review")
    lead = PersonChoiceField(
        label="Lead reviewer",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the lead reviewer"},
    )
    members = PeopleChoiceField(
        label="Review team members",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Advisers and taskforce staff; none may work for a member of the partnership.",
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = reviewers
        self.fields["members"].queryset = reviewers


def _rating_label(rating: Any) -> Any:
    return format_html("<strong>{}</strong>: {}", rating.label, rating.meaning)


class ReviewEditForm(GovukFormMixin, forms.Form):
    starts_on = date_field("First day of the review")
    ends_on = date_field("Last day of the review")
    summary = _text("Summary", "Enter the summary", required=False, rows=6)
    rating = forms.ChoiceField(
        label="Delivery confidence",
        choices=[(r.value, _rating_label(r)) for r in RATINGS],
        widget=forms.RadioSelect,
        required=False,
        help_text="The review team's view of how likely the partnership is to deliver.",
    )
    rating_statement = _text(
        "Delivery confidence statement", "", required=False, rows=4,
        help_text="Why the team chose this rating.",
    )  # fmt: skip


class InterviewForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name"}
    )
    role = forms.CharField(label="Role", max_length=200, required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)


class DocumentForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the title"}
    )
    dated = date_field("Date of the document", required=False)


class FindingForm(GovukFormMixin, forms.Form):
    area = forms.ChoiceField(
        label="Area", choices=FINDING_AREAS, error_messages={"required": "Choose the area"}
    )
    text = _text("Finding", "Enter the finding")


class RecommendationForm(GovukFormMixin, forms.Form):
    text = _text("Recommendation", "Enter the recommendation", rows=3)
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=[(u.value, format_html("<strong>{}</strong>: {}", u.label, u.meaning))
                 for u in URGENCIES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent the recommendation is"},
    )  # fmt: skip
    owner = PersonChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        help_text="Who must act on it (they are reminded when it is due).",
    )
    due_on = date_field(
        "Due date", required=False,
        help_text="Required for Essential; leave blank for Critical (do now).",
    )  # fmt: skip

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class RecommendationUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=RecommendationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status"},
    )
    carried_forward_reason = _text(
        "Reason for carrying forward", "", required=False, rows=2,
        help_text="Required when the recommendation is carried forward.",
    )  # fmt: skip
    note = _text("Follow-up note", "", required=False, rows=3, help_text="Optional")
