"""The procurement room's forms (GOV.UK styled; the rules are the services')."""

from typing import Any

from django import forms

from partnering.core.forms import WIDGET_CLASSES, GovukFormMixin, MoneyField, govuk_messages
from partnering.organisations.models import Organisation
from partnering.partnerships.forms import ServiceAreaChoiceField, date_field
from partnering.partnerships.models import ServiceArea

from .models import Category, ChangeKind, ConstraintKind, CriterionKind, Frequency, OptionKind
from .routes import STAGE_LABELS, Route

CRITERIA_ROWS = 6


def _text(label: str, *, required: bool = True, rows: int = 3, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)  # fmt: skip


def _number(label: str, *, required: bool = True, **kw: Any) -> forms.DecimalField:
    kw.setdefault("max_digits", 16)
    kw.setdefault("decimal_places", 4)
    return forms.DecimalField(
        label=label, required=required,
        error_messages={"invalid": f"{label} must be a number"}, **kw,
    )  # fmt: skip


def _style(form: forms.Form, names: list[str]) -> None:
    """What ``GovukFormMixin`` does for declared fields, for fields added after it ran."""
    for name in names:
        field = form.fields[name]
        govuk_messages(field, str(field.label or name))
        widget = field.widget
        css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)),
                   "govuk-input")  # fmt: skip
        widget.attrs.setdefault("class", css)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ScopeForm(GovukFormMixin, forms.Form):
    services = ServiceAreaChoiceField(
        label="Services in scope", queryset=ServiceArea.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The partnership's service areas (LGSL)",
    )  # fmt: skip
    outcomes = _text("Outcomes sought", required=False, rows=4)

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services  # type: ignore[attr-defined]


class BaselineForm(GovukFormMixin, forms.Form):
    organisation = OrganisationChoiceField(label="Partner", queryset=Organisation.objects.none())
    annual_cost = MoneyField(label="Annual cost")
    staff = _number("Staff (full-time equivalent)", max_digits=8, decimal_places=1,
                    min_value=0)  # fmt: skip
    indicator = forms.CharField(label="Performance indicator (optional)", required=False,
                                max_length=200)  # fmt: skip
    indicator_value = _number("Its value today", required=False)
    indicator_unit = forms.CharField(label="Unit", required=False, max_length=40,
                                     help_text="For example % or days")  # fmt: skip

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") and data.get("indicator_value") is None:
            self.add_error("indicator_value", "Enter the indicator's value today")
        return data


class ConstraintForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of constraint", choices=ConstraintKind.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    description = _text("Description")
    ends_on = date_field("End date of an existing contract", required=False)


class AppraisalForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    term_years = forms.IntegerField(label="Term (years)", min_value=1, max_value=60, initial=10)
    discount_rate = _number("Discount rate (% a year)", max_digits=5, decimal_places=2,
                            initial="3.5",
                            help_text="HM Treasury's Green Book rate is 3.5%")  # fmt: skip
    scale = forms.IntegerField(label="Scores out of", min_value=1, max_value=100, initial=10)
    is_illustrative = forms.BooleanField(label="The figures are illustrative", required=False)


class CriteriaForm(GovukFormMixin, forms.Form):
    """Up to six criteria (name, kind, weight); blank rows are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, CRITERIA_ROWS + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=f"Criterion {i}", required=False,
                                                       max_length=120)  # fmt: skip
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=f"Kind of criterion {i}", required=False,
                choices=[("", "Choose"), *CriterionKind.choices],
            )  # fmt: skip
            self.fields[f"weight_{i}"] = _number(f"Weight of criterion {i} (%)", required=False,
                                                 max_digits=5, decimal_places=2)  # fmt: skip
        _style(self, list(self.fields))

    def criteria(self) -> list[dict[str, Any]]:
        out = []
        for i in range(1, CRITERIA_ROWS + 1):
            name = self.cleaned_data.get(f"name_{i}")
            if name:
                out.append({"name": name, "kind": self.cleaned_data.get(f"kind_{i}") or "",
                            "weight": self.cleaned_data.get(f"weight_{i}")})  # fmt: skip
        return out


class OptionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of option", choices=OptionKind.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    name = forms.CharField(label="Name", max_length=200)
    description = _text("Description", required=False)
    upfront_cost = MoneyField(label="Upfront cost (year 0)", required=False)
    annual_cost = MoneyField(label="Annual cost", required=False,
                             help_text="Leave blank to take it from the cost model")  # fmt: skip
    cost_source = forms.CharField(label="Where the costs come from", required=False,
                                  max_length=300)  # fmt: skip
    cost_model = forms.ModelChoiceField(label="Cost the shared service from a cost model",
                                        queryset=None, required=False)  # type: ignore[arg-type]  # fmt: skip

    def __init__(self, *args: Any, cost_models: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cost_model"]
        field.queryset = cost_models  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"Version {m.version}: {m.title}"  # type: ignore[attr-defined]


class ScoreForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, criteria: Any, scale: int, initial_scores: dict[int, Any],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            existing = initial_scores.get(c.pk)
            self.fields[f"score_{c.pk}"] = _number(
                f"{c.name}: score (0 to {scale})", max_digits=6, decimal_places=2,
                initial=existing.score if existing else None,
            )  # fmt: skip
            self.fields[f"rationale_{c.pk}"] = _text(
                f"{c.name}: reason for the score", rows=2,
                initial=existing.rationale if existing else "",
            )  # fmt: skip
        _style(self, list(self.fields))


class AgreeForm(GovukFormMixin, forms.Form):
    option = forms.ModelChoiceField(label="Recommended option", queryset=None,  # type: ignore[arg-type]
                                    widget=forms.RadioSelect, empty_label=None)  # fmt: skip
    rationale = _text("Why this option")
    agreed_by = _text("Agreed by", help_text="Who agreed it for each partner", rows=2)
    agreed_on = date_field("Date agreed")

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options  # type: ignore[attr-defined]


class ProcurementForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    description = _text("Description", required=False)
    route = forms.ChoiceField(label="Route", choices=Route.choices, widget=forms.RadioSelect)
    buyer = OrganisationChoiceField(label="Buyer", queryset=Organisation.objects.none())
    other_buyers = forms.ModelMultipleChoiceField(
        label="Other authorities the contract serves", queryset=Organisation.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    category = forms.ChoiceField(label="Category", choices=Category.choices,
                                 initial=Category.SERVICES)  # fmt: skip
    department = forms.CharField(label="Department", required=False, max_length=200)
    estimated_value = MoneyField(label="Estimated value", required=False)
    legal_basis = _text("Legal basis (exempt arrangements)", required=False,
                        help_text="Leave blank for the regulation the route names")  # fmt: skip
    rationale = _text("Rationale", required=False,
                      help_text="Required for an exempt arrangement: why the exemption applies")  # fmt: skip
    panel = forms.ModelMultipleChoiceField(
        label="Evaluation panel", queryset=None, required=False,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        help_text="Only they and taskforce staff see the evaluation scores until the award",
    )  # fmt: skip
    is_illustrative = forms.BooleanField(label="The figures are illustrative", required=False)

    def __init__(self, *args: Any, organisations: Any, panel: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panel  # type: ignore[attr-defined]
        self.fields["panel"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["buyer"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["other_buyers"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["other_buyers"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]


class StageForm(GovukFormMixin, forms.Form):
    stage = forms.ChoiceField(label="Stage", choices=[], widget=forms.RadioSelect)
    on = date_field("Date")
    notes = _text("Notes", required=False, rows=2)

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, STAGE_LABELS[s]) for s in stages]  # type: ignore[attr-defined]


class BidderForm(GovukFormMixin, forms.Form):
    organisation = OrganisationChoiceField(label="Organisation", queryset=Organisation.objects.none(),
                                           help_text="From the organisations registry")  # fmt: skip
    companies_house_number = forms.CharField(
        label="Companies House number", required=False, max_length=20,
        help_text="8 characters, for example 04254468; filled from the registry's Org-ID when blank",
    )  # fmt: skip
    number_unknown = forms.BooleanField(label="The Companies House number is not known",
                                        required=False)  # fmt: skip
    is_sme = forms.BooleanField(label="Small or medium-sized enterprise", required=False)
    is_vcse = forms.BooleanField(label="Voluntary or community sector", required=False)
    tendered = forms.BooleanField(label="Submitted a tender", required=False, initial=True)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class EvaluationForm(GovukFormMixin, forms.Form):
    """A score (0 to 10) for each bidder who tendered on each criterion."""

    def __init__(self, *args: Any, bidders: Any, criteria: Any, scores: dict[tuple[int, int], Any],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.cells = []
        for b in bidders:
            for c in criteria:
                name = f"score_{b.pk}_{c.pk}"
                existing = scores.get((b.pk, c.pk))
                self.fields[name] = _number(f"{b.organisation.name}: {c.name} (0 to 10)",
                                            required=False, max_digits=5, decimal_places=2,
                                            initial=existing)  # fmt: skip
                self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-4"
                self.cells.append((name, b, c))
        _style(self, list(self.fields))


class AwardForm(GovukFormMixin, forms.Form):
    supplier = OrganisationChoiceField(label="Supplier", queryset=Organisation.objects.none())
    value = MoneyField(label="Value")
    term_months = forms.IntegerField(label="Term (months)", min_value=1, max_value=1200)
    decided_on = date_field("Date of the award decision")
    notes = _text("Notes", required=False, rows=2)

    def __init__(self, *args: Any, suppliers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers  # type: ignore[attr-defined]


class ContractForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    starts_on = date_field("Start date")
    ends_on = date_field("End date")
    value = MoneyField(label="Value")
    signed_on = date_field("Date signed")


class ContractChangeForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of change", choices=ChangeKind.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    on = date_field("Date")
    description = _text("Description")
    new_end = date_field("New end date", required=False)
    value_change = MoneyField(label="Change in value", required=False)


class ArrangementForm(GovukFormMixin, forms.Form):
    board_name = forms.CharField(label="Governance board", max_length=200)
    meeting_frequency = forms.ChoiceField(label="The board meets", choices=Frequency.choices)
    client_team = _text("Client-side team")
    payment_mechanism = _text("Payment mechanism")
    next_review_on = date_field("Next review", required=False)


class BoardMemberForm(GovukFormMixin, forms.Form):
    organisation = OrganisationChoiceField(
        label="Organisation", queryset=Organisation.objects.none()
    )
    person = forms.CharField(label="Name", max_length=200)
    role = forms.CharField(label="Role", required=False, max_length=200)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class KPIForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Performance indicator", max_length=200)
    unit = forms.CharField(label="Unit", required=False, max_length=40)
    target = _number("Target")
    higher_is_better = forms.BooleanField(label="Higher is better", required=False, initial=True)


class KPIValueForm(GovukFormMixin, forms.Form):
    kpi = forms.ModelChoiceField(label="Indicator", queryset=None)  # type: ignore[arg-type]
    period_end = date_field("End of the period")
    value = _number("Value")

    def __init__(self, *args: Any, kpis: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = kpis  # type: ignore[attr-defined]
