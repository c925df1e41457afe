from django import forms

from partnering.core.forms import GovukFormMixin

from .models import Kind, Sector, Tier
from .selectors import STATUS_CHOICES, OrganisationFilters, region_choices


class OrganisationFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name or code", required=False, max_length=100,
        help_text="For example Malvern, E07000235 or GB-LAE-MAV",
    )  # fmt: skip
    status = forms.ChoiceField(
        label="Status", required=False, choices=STATUS_CHOICES, widget=forms.RadioSelect
    )
    kind = forms.MultipleChoiceField(
        label="Kind", required=False, choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    tier = forms.MultipleChoiceField(
        label="Tier", required=False, choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    sector = forms.MultipleChoiceField(
        label="Sector", required=False, choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )
    region = forms.MultipleChoiceField(
        label="Region", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r, r) for r in region_choices()]

    def filters(self) -> OrganisationFilters:
        """The valid filters; an invalid field is dropped (its error is shown on the page)."""
        data = self.cleaned_data if self.is_bound else {}
        return OrganisationFilters(
            q=data.get("q", ""),
            kind=tuple(data.get("kind", ())),
            tier=tuple(data.get("tier", ())),
            region=tuple(data.get("region", ())),
            sector=tuple(data.get("sector", ())),
            status=data.get("status", ""),
        )
