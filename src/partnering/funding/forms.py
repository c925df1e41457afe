"""Forms of the funding room: the shape of web input (rules are the services')."""

from decimal import Decimal
from typing import Any

from django import forms

from partnering.core.dates import govuk_date
from partnering.core.forms import GovukDateField, GovukFormMixin, MoneyField

from .models import ROUND_STARTS, RecoveryKind, RoundStatus, Route, VariationKind

YEARS = [(y, f"{y}-{(y + 1) % 100:02d}") for y in range(2001, 2008)]


def _restyle(form: Any, names: list[str]) -> None:
    """GovukFormMixin styles the fields present when it ran; style the ones added after."""
    for name in names:
        widget = form.fields[name].widget
        css = "govuk-textarea" if isinstance(widget, forms.Textarea) else "govuk-input"
        if isinstance(widget, forms.Select):
            css = "govuk-select"
        widget.attrs.setdefault("class", css)


class ProgrammeForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Programme title", max_length=200)
    aim = forms.CharField(
        label="What the programme is for", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    total_budget = MoneyField(
        label="Total budget",
        min_value=Decimal("0.01"),
        help_text="Its rounds' budgets never add up to more",
    )
    starts_on = GovukDateField(label="Starts on")
    ends_on = GovukDateField(label="Ends on")
    target_date = GovukDateField(
        label="Target date", help_text="When every council service should be e-enabled"
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display().lower()})"


class RoundStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Move the round on to", choices=(), widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, moves: list[tuple[str, str]], problem: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        field.choices = moves  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = problem
        field.error_messages["required"] = "Select what the round moves on to"


class PanelForm(GovukFormMixin, forms.Form):
    assessors = PeopleChoiceField(
        label="Assessors",
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Advisers and taskforce staff. Nobody assesses an application from a "
        "partnership their own organisation belongs to.",
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = people  # type: ignore[attr-defined]


class FinanceOfficerForm(GovukFormMixin, forms.Form):
    user = PersonChoiceField(
        label="Taskforce staff member",
        queryset=None,  # type: ignore[arg-type]
        empty_label="Choose someone",
        error_messages={"required": "Choose who to name as a finance officer"},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people  # type: ignore[attr-defined]


class RoundForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Round title", max_length=200)
    summary = forms.CharField(
        label="What the round funds",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    budget = MoneyField(label="Budget", min_value=Decimal("0.01"))
    opens_on = GovukDateField(label="Opens on")
    closes_on = GovukDateField(label="Closes on")
    decisions_by = GovukDateField(label="Decisions by")
    min_councils = forms.IntegerField(
        label="Councils a partnership needs to be eligible", min_value=1, max_value=50, initial=2
    )
    criteria = forms.CharField(
        label="Criteria",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="One a line; a weight after a bar, for example: Partnership strength | 2",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[(s, RoundStatus(s).label) for s in ROUND_STARTS],
        help_text="A draft is seen only by taskforce staff; an open round takes applications",
    )

    def clean_criteria(self) -> list[tuple[str, Decimal]]:
        out = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            title, _, weight = line.partition("|")
            try:
                value = Decimal(weight.strip() or "1")
            except ArithmeticError:
                raise forms.ValidationError(
                    f"The weight of ‘{title.strip()}’ must be a number"
                ) from None
            if not value.is_finite() or value <= 0 or value > 100:
                raise forms.ValidationError(
                    f"The weight of ‘{title.strip()}’ must be from 0.01 to 100"
                )
            out.append((title.strip()[:200], value.quantize(Decimal("0.01"))))
        if not out:
            raise forms.ValidationError("Enter at least one criterion")
        return out


class ApplicationForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        empty_label="Choose a partnership",
        help_text="Its members, lead council and service areas come from its record",
        error_messages={"required": "Choose the partnership that is applying"},
    )
    title = forms.CharField(
        label="Project title",
        max_length=140,
        help_text="At most 140 characters: it is published as it is",
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    outcomes = forms.CharField(
        label="Outcomes", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000
    )

    def __init__(self, *args: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]


class BudgetLineForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", choices=YEARS, coerce=int)
    organisation = forms.ModelChoiceField(
        queryset=None, label="Partner", empty_label="Choose a partner"
    )  # type: ignore[arg-type]
    amount = MoneyField(label="Amount")

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = members  # type: ignore[attr-defined]


class MilestoneForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Milestone", max_length=200)
    due_on = GovukDateField(label="Due on")
    amount = MoneyField(label="Grant paid on reaching it")


class PromisedServiceForm(GovukFormMixin, forms.Form):
    service = forms.ModelChoiceField(
        queryset=None, label="LGSL service", empty_label="Choose a service"
    )  # type: ignore[arg-type]
    organisation = forms.ModelChoiceField(
        queryset=None, label="For the council", empty_label="Choose a council"
    )  # type: ignore[arg-type]
    by_date = GovukDateField(label="E-enabled by")

    def __init__(self, *args: Any, services: Any, councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = councils  # type: ignore[attr-defined]


class AssessmentForm(GovukFormMixin, forms.Form):
    def __init__(
        self, *args: Any, criteria: list[Any], score_min: int, score_max: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        names = []
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.title}: score from {score_min} to {score_max}",
                min_value=score_min,
                max_value=score_max,
                error_messages={"required": f"Score ‘{c.title}’"},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=f"{c.title}: comment",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            names += [f"score_{c.pk}", f"comment_{c.pk}"]
        _restyle(self, names)

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"score_{c.pk}"], d.get(f"comment_{c.pk}", "")) for c in self.criteria}


class ModerationForm(GovukFormMixin, forms.Form):
    criterion = forms.TypedChoiceField(label="Criterion", choices=(), coerce=int)
    score = forms.IntegerField(label="Agreed score", min_value=0, max_value=100)
    note = forms.CharField(
        label="Why the panel agreed this score",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.pk, c.title) for c in criteria]  # type: ignore[attr-defined]


DECISIONS = [("award", "Fund it"), ("reject", "Do not fund it")]


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    conditions = forms.CharField(
        label="Conditions of the grant",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )
    awarded_on = GovukDateField(label="Award date", required=False)
    agreement_starts_on = GovukDateField(label="Grant agreement starts", required=False)
    agreement_ends_on = GovukDateField(label="Grant agreement ends", required=False)
    conditional = {
        "decision": {
            "award": ["conditions", "awarded_on", "agreement_starts_on", "agreement_ends_on"]
        }
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "award":
            for name, label in (
                ("conditions", "the grant's conditions"),
                ("awarded_on", "the award date"),
                ("agreement_starts_on", "when the agreement starts"),
                ("agreement_ends_on", "when the agreement ends"),
            ):
                if not data.get(name):
                    self.add_error(name, f"Enter {label}")
        return data


class ClaimForm(GovukFormMixin, forms.Form):
    milestone = forms.TypedChoiceField(label="Milestone", choices=(), coerce=int)
    amount = MoneyField(label="Amount claimed")
    claimed_on = GovukDateField(label="Date of the claim")
    description = forms.CharField(
        label="What was achieved", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    evidence = forms.FileField(
        label="Evidence",
        help_text="A PDF, image, Word, Excel or text file, smaller than 5 MB",
        error_messages={"required": "Select a file of evidence"},
    )

    def __init__(self, *args: Any, milestones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.number}: {m.title} (due {govuk_date(m.due_on)}, £{m.amount:,})")
            for m in milestones
        ]


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class PaymentForm(GovukFormMixin, forms.Form):
    paid_on = GovukDateField(label="Paid on")
    reference = forms.CharField(label="Payment reference", max_length=64)


class VariationForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of variation", choices=VariationKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, milestones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        names = []
        for m in milestones:
            self.fields[f"due_{m.number}"] = GovukDateField(
                label=f"Milestone {m.number} due on", initial=m.due_on
            )
            self.fields[f"amount_{m.number}"] = MoneyField(
                label=f"Milestone {m.number} amount", initial=m.amount
            )
            names.append(f"amount_{m.number}")
        _restyle(self, names)


class RecoveryForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=RecoveryKind.choices, widget=forms.RadioSelect)
    amount = MoneyField(label="Amount")
    on = GovukDateField(label="Date")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class EEnablementForm(GovukFormMixin, forms.Form):
    e_enabled_on = GovukDateField(
        label="E-enabled on",
        required=False,
        help_text="Leave empty if it is not yet online end to end",
    )
    route = forms.ChoiceField(
        label="How", choices=[("", "Not e-enabled"), *Route.choices], required=False
    )


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns gss_code, lgsl_code, e_enabled_on, route and note",
        error_messages={"required": "Select a CSV file"},
    )
