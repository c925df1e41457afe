"""Forms of the sharing room: shape and type only; the services and the engine check the rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import formset_factory

from partnering.core.forms import GovukDateField, GovukFormMixin, MoneyField
from partnering.core.widgets import MoneyInput

from .models import (
    METHOD_NAMES,
    ComponentKind,
    CurveType,
    ProportionalBasis,
    SharingRuleKind,
)

DATE_HINT = "For example, 1 6 2002"
MONEY_ATTRS = {"inputmode": "decimal", "spellcheck": "false"}


def date_field(label: str, *, help_text: str = DATE_HINT) -> GovukDateField:
    """A GOV.UK date input (day, month and year boxes)."""
    return GovukDateField(label=label, help_text=help_text)


class AmountField(MoneyField):
    """Money or a measure as people type it: "£1,250,000" is 1250000 (see core's MoneyField)."""


def amount_field(
    label: str, *, required: bool = True, help_text: str = "", what: str = "", money: bool = False
) -> forms.DecimalField:
    """A non-negative amount; ``money`` draws it with the "£" prefix."""
    what = what or label[0].lower() + label[1:]
    # Django formats these three with ``%`` (they have params): a "%" in a name must be "%%".
    formatted = label.replace("%", "%%")
    widget = (
        MoneyInput()
        if money
        else forms.TextInput(attrs={**MONEY_ATTRS, "class": "govuk-input govuk-input--width-10"})
    )
    return AmountField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        widget=widget,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"{label} must be a number, like 125000",
            "min_value": f"{formatted} cannot be negative",
            "max_digits": f"{formatted} is too large",
            "max_decimal_places": f"{formatted} can have at most 2 decimal places",
        },
    )


class CostModelDetailsForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Name of this version",
        max_length=200,
        help_text="For example ‘Shared contact centre and data centre, June 2002’",
        error_messages={"required": "Enter a name for this version"},
    )
    effective_on = date_field(
        "Date the figures apply from",
        help_text="The members on this date are the partners in this version. " + DATE_HINT,
    )
    demand_measure = forms.CharField(
        label="What the pooled demand counts",
        max_length=100,
        required=False,
        help_text="For example ‘transactions per year’",
    )
    proportional_basis = forms.ChoiceField(
        label="A proportional split shares the cost by",
        choices=ProportionalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what a proportional split shares the cost by"},
    )
    weight_measure = forms.CharField(
        label="Name of the measure",
        max_length=100,
        required=False,
        help_text="Used when the split is by a measure; for example ‘population (2001 Census)’",
    )
    is_illustrative = forms.BooleanField(
        label="These are illustrative figures, not the partnership's real costs", required=False
    )


def _fix_described_by(form: forms.Form) -> None:
    """The GOV.UK mixin names hints ``id_<field>-hint``; with a formset prefix the ids differ."""
    for name, field in form.fields.items():
        described = field.widget.attrs.get("aria-describedby")
        if described:
            auto_id = form[name].auto_id
            field.widget.attrs["aria-describedby"] = described.replace(f"id_{name}-", f"{auto_id}-")


POOLED_ONLY = ("fixed_cost", "curve_type", "curve_scale", "curve_exponent", "curve_breaks", "needed_by_all")  # fmt: skip


class ComponentForm(GovukFormMixin, forms.Form):
    # Only the fields a kind of cost uses are shown: a pooled service reveals its fixed cost and
    # curve, and the curve type reveals its own parameters (radios' conditional reveals).
    conditional = {
        "kind": {ComponentKind.POOLED.value: ["fixed_cost", "curve_type", "needed_by_all"]},
        "curve_type": {
            CurveType.POWER.value: ["curve_scale", "curve_exponent"],
            CurveType.PIECEWISE.value: ["curve_breaks"],
        },
    }
    original = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Name", max_length=120, required=False, help_text="For example ‘Shared CRM’"
    )
    kind = forms.ChoiceField(
        label="Kind of cost",
        choices=list(ComponentKind.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    fixed_cost = amount_field(
        "Fixed cost (GBP)",
        required=False,
        money=True,
        help_text="Pooled services only: the cost before any demand",
    )
    curve_type = forms.ChoiceField(
        label="How the cost grows with demand",
        choices=list(CurveType.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    curve_scale = forms.DecimalField(
        label="Scale",
        required=False,
        max_digits=18,
        decimal_places=6,
        help_text="Power law: cost = scale × demand ^ exponent",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-5"}
        ),
        error_messages={"invalid": "The scale must be a number, like 50"},
    )
    curve_exponent = forms.DecimalField(
        label="Exponent",
        required=False,
        max_digits=8,
        decimal_places=6,
        help_text="Between 0 and 1 for economies of scale, for example 0.7",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-5"}
        ),
        error_messages={"invalid": "The exponent must be a number, like 0.7"},
    )
    curve_breaks = forms.CharField(
        label="Tariff points",
        required=False,
        max_length=1000,
        help_text="Piecewise tariff only: demand:cost pairs, for example 0:0, 100000:400000, 500000:1200000",
    )
    needed_by_all = forms.BooleanField(
        label="Every member needs this service, even a member with no demand",
        required=False,
        help_text="Pooled services only. If not ticked, a member with no demand does not use "
        "it: alone it costs them nothing and they do not share its fixed cost",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _fix_described_by(self)

    def full_clean(self) -> None:
        super().full_clean()
        _fix_described_by(self)

    def clean_curve_breaks(self) -> list[list[float]]:
        text = self.cleaned_data.get("curve_breaks", "").strip()
        if not text:
            return []
        points = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                demand, cost = (float(x.replace("£", "").strip()) for x in part.split(":"))
            except ValueError:
                raise forms.ValidationError(
                    "Write each tariff point as demand:cost, for example 100000:400000"
                ) from None
            points.append([demand, cost])
        return points

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if data.get("kind") != ComponentKind.POOLED:
            # Hidden fields of another kind (typed in before the kind changed) are not kept.
            for name in POOLED_ONLY:
                data[name] = [] if name == "curve_breaks" else None
                self.errors.pop(name, None)
        elif data.get("curve_type") != CurveType.POWER:
            data["curve_scale"] = data["curve_exponent"] = None
            for name in ("curve_scale", "curve_exponent"):
                self.errors.pop(name, None)
        if (
            data.get("kind") == ComponentKind.POOLED
            and data.get("curve_type") != CurveType.PIECEWISE
        ):
            data["curve_breaks"] = []
            self.errors.pop("curve_breaks", None)
        has_any = data.get("name") or data.get("kind")
        if has_any:
            if not data.get("name"):
                self.add_error("name", "Enter a name for the component")
            if not data.get("kind"):
                self.add_error("kind", "Choose what kind of cost the component is")
            if data.get("kind") == ComponentKind.POOLED:
                curve = data.get("curve_type")
                if not curve:
                    self.add_error(
                        "curve_type", "Choose how the cost of a pooled service grows with demand"
                    )
                elif curve == CurveType.POWER:
                    if data.get("curve_scale") is None:
                        self.add_error("curve_scale", "Enter the scale of the cost curve")
                    if data.get("curve_exponent") is None:
                        self.add_error("curve_exponent", "Enter the exponent of the cost curve")
                elif curve == CurveType.PIECEWISE and len(data.get("curve_breaks") or []) < 2:
                    self.add_error("curve_breaks", "Give at least two tariff points")
        return data


class BaseComponentFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this component when I save"
            form.fields["DELETE"].widget.attrs["class"] = "govuk-checkboxes__input"


MAX_COMPONENTS = 20
ComponentFormSet = formset_factory(
    ComponentForm,
    formset=BaseComponentFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_COMPONENTS,
    absolute_max=MAX_COMPONENTS,
)


class FiguresForm(GovukFormMixin, forms.Form):
    """Each member's figure for each component, and its measure for a proportional split."""

    def __init__(self, *args: Any, members: list[Any], components: list[Any], weight_measure: str,
                 uses_weights: bool, **kwargs: Any) -> None:  # fmt: skip
        self.members = members
        self.components = components
        self.uses_weights = uses_weights
        self.field_grid: list[dict[str, Any]] = []
        super().__init__(*args, **kwargs)
        for member in members:
            row: dict[str, Any] = {"member": member, "fields": []}
            name = member.player_name
            if uses_weights:
                key = f"weight_{member.organisation_id}"
                self.fields[key] = amount_field(
                    f"{name}: {weight_measure}", what=f"{name}’s {weight_measure}"
                )
                row["weight"] = key
            for index, component in enumerate(components):
                key = f"value_{index}_{member.organisation_id}"
                words = {"pooled": "demand", "airport": "requirement (GBP)"}.get(
                    component.kind, "stand-alone cost (GBP)"
                )
                self.fields[key] = amount_field(
                    f"{name}: {component.name} {words}",
                    what=f"{name}’s {words} for ‘{component.name}’",
                    money=component.kind != "pooled",
                )
                row["fields"].append(key)
            self.field_grid.append(row)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "member": row["member"],
                "weight": self[row["weight"]] if "weight" in row else None,
                "fields": [self[key] for key in row["fields"]],
            }
            for row in self.field_grid
        ]


class NewVersionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Name of the new version",
        max_length=200,
        error_messages={"required": "Enter a name for the new version"},
    )
    effective_on = date_field(
        "Date the figures apply from",
        help_text="The partnership's members on this date are the partners in the new version. "
        + DATE_HINT,
    )
    reason = forms.CharField(
        label="Why a new version",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the partners are starting a new version"},
    )


class AgreementForm(GovukFormMixin, forms.Form):
    method = forms.ChoiceField(
        label="The split the partners agreed",
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"required": "Choose the split the partners agreed"},
    )
    agreed_on = date_field("Date agreed")
    reason = forms.CharField(
        label="Why this split",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the board minute that records the decision",
        error_messages={"required": "Enter why the partners chose this split"},
    )

    def __init__(
        self, *args: Any, methods: list[str], amounts: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        amounts = amounts or {}
        self.fields["method"].choices = [
            (m, f"{METHOD_NAMES[m]}: {amounts[m]}" if amounts.get(m) else METHOD_NAMES[m])
            for m in methods
        ]


class RiskScenarioForm(GovukFormMixin, forms.Form):
    # Each rule reveals only the fields it uses (GOV.UK conditional radios).
    conditional = {
        "rule": {
            SharingRuleKind.CAPPED: ["cap"],
            SharingRuleKind.PAIN_GAIN: ["target", "band_limit", "band_share"],
        }
    }
    name = forms.CharField(
        label="Name of the scenario",
        max_length=120,
        help_text="For example ‘Implementation overrun’",
        error_messages={"required": "Enter a name for the scenario"},
    )
    split_basis = forms.ChoiceField(
        label="Share overruns and savings in line with",
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"required": "Choose which split the scenario uses"},
    )
    rule = forms.ChoiceField(
        label="Sharing rule",
        widget=forms.RadioSelect,
        choices=SharingRuleKind.choices,
        error_messages={"required": "Choose how overruns and savings are shared"},
    )
    cap = amount_field(
        "Cap per member (GBP)",
        required=False,
        money=True,
        help_text="Capped rule only: the most any one member bears of an overrun",
    )
    target = amount_field(
        "Target cost (GBP)",
        required=False,
        money=True,
        help_text="Pain/gain rule only: the agreed target cost",
    )
    band_limit = forms.DecimalField(
        label="First band ends at (% over or under target)",
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        initial=10,
        help_text="Pain/gain rule only; beyond this band the partnership bears all of an overrun",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-4"}
        ),
        error_messages={
            "invalid": "The band limit must be a number, like 10",
            "min_value": "The band limit must be more than 0%%",
            "max_value": "The band limit must be 100%% or less",
        },
    )
    band_share = forms.DecimalField(
        label="Partnership's share within the first band (%)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        initial=50,
        help_text="Pain/gain rule only; the contractor bears the rest, and savings are shared the same way",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-4"}
        ),
        error_messages={
            "invalid": "The share must be a number, like 50",
            "min_value": "The share cannot be negative",
            "max_value": "The share must be 100%% or less",
        },
    )

    def __init__(
        self, *args: Any, bases: list[tuple[str, str]], components: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["split_basis"].choices = bases
        self.estimate_rows = []
        for index, component in enumerate(components):
            keys = []
            for point, words in (
                ("low", "best case"),
                ("likely", "most likely"),
                ("high", "worst case"),
            ):
                key = f"{point}_{index}"
                self.fields[key] = MoneyField(
                    label=f"{component.name}: {words} (GBP)",
                    initial=0,
                    error_messages={
                        "required": f"Enter the {words} for ‘{component.name}’ (0 if none)",
                        "invalid": f"The {words} for ‘{component.name}’ must be a number; a saving is negative",
                    },
                )
                keys.append(key)
            self.estimate_rows.append((component, keys))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for component, (low, likely, high) in self.estimate_rows:
            values = [data.get(low), data.get(likely), data.get(high)]
            if None not in values and not values[0] <= values[1] <= values[2]:
                self.add_error(
                    low,
                    f"For ‘{component.name}’ the best case must be no more than the most likely, "
                    "and the most likely no more than the worst case",
                )
        rule = data.get("rule")
        if rule == SharingRuleKind.CAPPED and not data.get("cap"):
            self.add_error("cap", "Enter the most any member will bear of an overrun")
        if rule == SharingRuleKind.PAIN_GAIN:
            if not data.get("target"):
                self.add_error("target", "Enter the target cost the bands are measured against")
            if data.get("band_limit") is None:
                self.add_error("band_limit", "Enter where the first band ends")
            if data.get("band_share") is None:
                self.add_error("band_share", "Enter the partnership's share within the first band")
        return data

    def estimate_fields(self) -> list[dict[str, Any]]:
        return [
            {"component": component, "fields": [self[k] for k in keys]}
            for component, keys in self.estimate_rows
        ]
