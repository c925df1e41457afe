"""The assurance room's forms (GOV.UK styled; the rules are the services')."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from partnering.core.forms import GovukFormMixin
from partnering.partnerships.forms import date_field

from .gates import FINDING_AREAS, GATES, RATINGS, URGENCIES
from .models import ActionStatus, RecommendationStatus

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


class IsoDatesMixin:
    """Date inputs (``type=date``) need ISO values, whatever the locale's date format."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField):
                field.widget.format = "%Y-%m-%d"


class ReviewEditForm(IsoDatesMixin, GovukFormMixin, forms.Form):
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


# --- risk registers -----------------------------------------------------------------------------


def _score_field(label: str, labels: list[str], kind: str, dimension: str) -> Any:
    size = len(labels)
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "Choose")] + [(i, f"{i}: {text}") for i, text in enumerate(labels, 1)],
        error_messages={
            "required": f"Choose the {kind} {dimension}",
            "invalid_choice": f"The {kind} {dimension} must be a whole number from 1 to {size}",
        },
    )


class RiskForm(IsoDatesMixin, GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter a title of the risk"})  # fmt: skip
    cause = _text("Cause", "Enter the cause of the risk", rows=2, help_text="Because of …")
    event = _text("Event", "Enter the event of the risk", rows=2, help_text="… this may happen …")
    effect = _text("Effect", "Enter the effect of the risk", rows=2,
                   help_text="… which would lead to …")  # fmt: skip
    category = forms.ChoiceField(label="Category", choices=[("", "Choose")],
                                 error_messages={"required": "Choose the category of the risk"})  # fmt: skip
    owner = PersonChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    proximity = date_field("Proximity", required=False,
                           help_text="When the risk could happen, for example 2004-03-31")  # fmt: skip
    treatment = forms.ChoiceField(label="Treatment", required=False, choices=[("", "Not yet")])
    treatment_notes = _text("How it is treated", "", required=False, rows=2,
                            help_text="For a transfer, to whom (for example the private partner)")  # fmt: skip
    fair_share_scenario = forms.ModelChoiceField(
        label="Fair-share risk allocation", required=False, queryset=None,
        help_text="The partnership's fair-share risk scenario a transfer or share follows",
    )  # fmt: skip
    recommendations = forms.ModelMultipleChoiceField(
        label="Review recommendations that address it", required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(label="Why the change", required=False, max_length=255,
                           help_text="Kept with the score history (optional)")  # fmt: skip

    def __init__(self, *args: Any, matrix: Any, owners: Any, scenarios: Any, recs: Any,
                 **kwargs: Any) -> None:  # fmt: skip
        from .models import RiskCategory, Treatment

        super().__init__(*args, **kwargs)
        spec = matrix.spec
        for kind, title in (("inherent", "Inherent (before any controls)"), ("current", "Current"),
                            ("target", "Target")):  # fmt: skip
            self.fields[f"{kind}_likelihood"] = _score_field(
                f"{title} likelihood", list(spec.likelihood_labels), kind, "likelihood"
            )
            self.fields[f"{kind}_impact"] = _score_field(
                f"{title} impact", list(spec.impact_labels), kind, "impact")  # fmt: skip
        self.fields["category"].choices = [("", "Choose"), *RiskCategory.choices]
        self.fields["treatment"].choices = [("", "Not yet"), *Treatment.choices]
        self.fields["owner"].queryset = owners
        self.fields["fair_share_scenario"].queryset = scenarios
        self.fields["recommendations"].queryset = recs
        self.order_fields(["title", "cause", "event", "effect", "category", "owner", "proximity",
                           "inherent_likelihood", "inherent_impact", "current_likelihood",
                           "current_impact", "target_likelihood", "target_impact"])  # fmt: skip
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select) and "class" not in field.widget.attrs:
                field.widget.attrs["class"] = "govuk-select"


class RiskActionForm(GovukFormMixin, forms.Form):
    text = _text("Action", "Enter the action", rows=2)
    owner = PersonChoiceField(label="Owner", queryset=User.objects.none(), required=False)
    due_on = date_field("Due date", required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class RiskActionStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the action is open, in progress or done"},
    )


class RiskAcceptForm(GovukFormMixin, forms.Form):
    approver = forms.CharField(label="Approved by", max_length=200, required=False,
                               help_text="The name of the person who approved the acceptance")  # fmt: skip
    approver_role = forms.CharField(label="Their role", max_length=200, required=False)
    reason = _text("Why the risk is accepted", "Enter why the risk is accepted", required=False)
    review_on = date_field("Review or expiry date", required=False,
                           help_text="When to look at the acceptance again; its owner is reminded")  # fmt: skip


class RiskEscalateForm(GovukFormMixin, forms.Form):
    reason = _text("Reason", "", required=False, rows=3)


class MatrixForm(GovukFormMixin, forms.Form):
    likelihood_labels = forms.CharField(
        label="Likelihood labels", max_length=500,
        help_text="From lowest to highest, separated by commas",
        error_messages={"required": "Enter the likelihood labels"},
    )  # fmt: skip
    impact_labels = forms.CharField(
        label="Impact labels", max_length=500,
        help_text="From lowest to highest, separated by commas",
        error_messages={"required": "Enter the impact labels"},
    )  # fmt: skip
    bands = forms.CharField(
        label="Bands", max_length=500, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: lowest score, label, colour (green, yellow, orange or red)",
        error_messages={"required": "Enter the bands"},
    )  # fmt: skip
    tolerance = forms.IntegerField(
        label="Tolerance", min_value=1, max_value=99,
        help_text="A current score above this is above tolerance",
        error_messages={"required": "Enter the tolerance", "invalid": "Enter a whole number"},
    )  # fmt: skip

    def clean_bands(self) -> list[list[Any]]:
        bands = []
        for line in self.cleaned_data["bands"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 3 or not parts[0].isdigit():
                raise forms.ValidationError("Write each band as: lowest score, label, colour")
            bands.append([int(parts[0]), parts[1], parts[2]])
        return bands
