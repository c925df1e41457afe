"""Forms check shape; services check the rules (their DomainErrors are shown on these forms)."""

from typing import Any

from django import forms

from partnering.core.forms import AutocompleteSelect, GovukDateField, GovukFormMixin
from partnering.core.permissions import is_adviser, is_partner_member, is_taskforce_staff
from partnering.core.widgets import GovukSelect, GroupedCheckboxes
from partnering.organisations.models import Organisation
from partnering.organisations.selectors import region_choices

from .models import STAGE_ORDER, MemberRole, Partnership, Priority, ServiceArea, Stage
from .permissions import lead_organisation_choices
from .selectors import PartnershipFilters

DATE_HINT = "For example, 1 6 2002"


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT) -> GovukDateField:
    """A GOV.UK date input (day, month and year boxes)."""
    return GovukDateField(label=label, required=required, help_text=help_text)


class ServiceAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ServiceArea) -> str:
        return f"{obj.label} (LGSL {obj.lgsl_code})"


# Who provides an LGSL service in a two-tier area: the service-area picker's groups.
SERVICE_AREA_GROUPS = {
    "county": "County services (county and unitary councils provide them)",
    "district": "District services (district and unitary councils provide them)",
    "both": "Services councils of both tiers provide",
}
OTHER_SERVICE_AREAS = "Other services"


def service_area_group(area: ServiceArea) -> str:
    return SERVICE_AREA_GROUPS.get(area.two_tier_area_provider, OTHER_SERVICE_AREAS)


def service_area_picker() -> GroupedCheckboxes:
    return GroupedCheckboxes(
        group_of=service_area_group,
        groups=[*SERVICE_AREA_GROUPS.values(), OTHER_SERVICE_AREAS],
        search_label="Search service areas",
    )


class PartnershipForm(GovukFormMixin, forms.Form):
    conditional = {"is_pathfinder": ["pathfinder_theme"]}  # the theme shows once ticked
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the partnership's name"}
    )
    reference = forms.CharField(
        label="Reference",
        max_length=32,
        help_text="A unique reference, for example SPT-2002-014",
        error_messages={"required": "Enter a reference"},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the partnership is for"},
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        widget=AutocompleteSelect,
        error_messages={"required": "Choose the lead organisation"},
    )
    start_date = date_field("Start date", required=False)
    service_areas = ServiceAreaChoiceField(
        label="Service areas",
        required=False,
        queryset=ServiceArea.objects.filter(disabled_on__isnull=True).order_by("label"),
        widget=service_area_picker(),
        help_text="The services the partnership covers, from the Local Government Services List. "
        "Open a group to choose from it",
    )
    is_pathfinder = forms.BooleanField(label="This partnership is a pathfinder", required=False)
    pathfinder_theme = forms.CharField(
        label="Pathfinder theme",
        required=False,
        max_length=100,
        help_text="For example ‘E-government and corporate support’",
    )
    is_published = forms.BooleanField(
        label="Publish this partnership (the public can see it)",
        required=False,
        initial=False,
        help_text="New partnerships start unpublished: publish when the partners are ready",
    )

    def __init__(
        self, *args: Any, user: Any, partnership: Partnership | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_organisation"]
        lead.queryset = lead_organisation_choices(user, partnership).order_by("name")
        if partnership is not None:
            lead.empty_label = None
            lead.help_text = "One of the current members"
        elif not is_taskforce_staff(user):
            lead.empty_label = None
            lead.help_text = "One of your organisations: it becomes the first member, as lead"
        self.fields["service_areas"].widget.attrs["class"] = "govuk-checkboxes__input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_pathfinder") and not data.get("pathfinder_theme"):
            self.add_error("pathfinder_theme", "Enter the pathfinder theme")
        return data


class MembershipAddForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        widget=AutocompleteSelect,
        help_text="Start typing its name, then choose it from the list",
        error_messages={"required": "Choose the organisation"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        initial=MemberRole.PARTNER,
        error_messages={"required": "Choose a role"},
    )
    joined_on = date_field("Date they joined")
    left_on = date_field(
        "Date they left",
        required=False,
        help_text="Only if they have already left (their last day). " + DATE_HINT,
    )
    reason = forms.CharField(
        label="Why they joined", required=False, max_length=255, help_text="Optional"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "The date they left must be on or after the date they joined")
        return data


class MembershipEndForm(GovukFormMixin, forms.Form):
    left_on = date_field("Date they left", help_text="Their last day as a member. " + DATE_HINT)
    reason = forms.CharField(
        label="Why they left",
        max_length=255,
        error_messages={"required": "Enter why they left"},
    )


class MembershipRoleForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="New role",
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new role"},
    )
    on = date_field("Date of the change")
    reason = forms.CharField(label="Why", required=False, max_length=255, help_text="Optional")


class StageMoveForm(GovukFormMixin, forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage to move to",
            "invalid_choice": "Choose one of the moves offered: a partnership can only move "
            "forward one stage at a time",
        },
    )
    moved_on = date_field("Date of the move", required=False, help_text="Leave blank for today")
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when going back a stage, abandoning or reopening",
    )
    override = forms.BooleanField(
        label="Go ahead even though a check objects (taskforce staff only; give the reason above)",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        current: str,
        is_staff: bool = False,
        may_reopen: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not is_staff:
            del self.fields["override"]
        self.fields["to_stage"].choices = allowed_stage_moves(current, may_reopen=may_reopen)
        here = STAGE_ORDER.index(current)
        if current != Stage.CLOSED and here + 1 < len(STAGE_ORDER):
            self.fields["to_stage"].initial = STAGE_ORDER[here + 1]


def allowed_stage_moves(current: str, *, may_reopen: bool) -> list[tuple[str, str]]:
    """Only the moves the rules allow from ``current`` (the service decides, so the form and
    the rules cannot drift apart), each saying when it needs a reason."""
    from .services import stage_move_problem

    here = STAGE_ORDER.index(current)
    choices = []
    for target in STAGE_ORDER:
        if target == current:
            continue
        if stage_move_problem(current, target, reason="given", may_reopen=may_reopen) is not None:
            continue
        label = Stage(target).label
        if stage_move_problem(current, target, reason="", may_reopen=may_reopen) is not None:
            if current == Stage.CLOSED:
                label += " (reopen: give the reason below)"
            elif target == Stage.CLOSED:
                label += " (abandon: give the reason below)"
            elif STAGE_ORDER.index(target) < here:
                label += " (back a stage: give the reason below)"
        choices.append((target, label))
    return choices


class AimForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Aim", max_length=200, error_messages={"required": "Enter the aim"}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PriorityForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Priority", max_length=200, error_messages={"required": "Enter the priority"}
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=200,
        help_text="Where it comes from, for example ‘Community strategy 2003’",
    )
    weight = forms.TypedChoiceField(
        label="Weight",
        coerce=int,
        choices=[
            (i, f"{i}{' (most important)' if i == 5 else ' (least)' if i == 1 else ''}")
            for i in range(1, 6)
        ],
        widget=forms.RadioSelect,
        initial=3,
        error_messages={"required": "Choose a weight from 1 to 5"},
    )


SCORE_CHOICES = [
    (0, "0 – does not serve"),
    (1, "1 – serves a little"),
    (2, "2 – serves well"),
    (3, "3 – serves fully"),
]


class AimScoreForm(GovukFormMixin, forms.Form):
    """One 0–3 radio group per priority of the current members."""

    def __init__(
        self, *args: Any, priorities: list[Priority], initial_scores: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for p in priorities:
            self.fields[f"priority_{p.pk}"] = forms.TypedChoiceField(
                label=f"{p.organisation.name}: {p.title} (weight {p.weight})",
                coerce=int,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                required=True,
                initial=initial_scores.get(p.pk),
                error_messages={"required": f"Choose a score for ‘{p.title}’"},
            )

    def scores(self) -> dict[int, int]:
        return {
            int(name.removeprefix("priority_")): value for name, value in self.cleaned_data.items()
        }


ANY_SERVICE_AREA = "Any service area"


def _service_area_choices() -> list[tuple[Any, str]]:
    """Every service area some partnership covers, as the filter's options."""
    return [("", ANY_SERVICE_AREA)] + [
        (code, f"{label} (LGSL {code})")
        for code, label in ServiceArea.objects.filter(partnerships__isnull=False)
        .order_by("label")
        .values_list("lgsl_code", "label")
        .distinct()
    ]


class PartnershipFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name or reference", required=False, max_length=100,
        help_text="For example North Yorkshire or SPT-2002",
    )  # fmt: skip
    kind = forms.MultipleChoiceField(
        label="Kind", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    stage = forms.MultipleChoiceField(
        label="Stage", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    pathfinder = forms.ChoiceField(
        label="Pathfinder", required=False, choices=(), widget=forms.RadioSelect
    )
    region = forms.MultipleChoiceField(
        label="Region", required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    member = forms.CharField(
        label="Member organisation",
        required=False,
        max_length=120,
        help_text="Name or code of a current or past member, for example Hambleton or E07000164",
    )
    service_area = forms.TypedChoiceField(
        label="Service area", required=False, coerce=int, empty_value=None, choices=(),
        widget=GovukSelect,
    )  # fmt: skip
    mine = forms.BooleanField(label="Only mine", required=False)

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import PartnershipKind

        if is_adviser(viewer):
            self.fields["mine"].label = "Only those assigned to me"
        elif is_partner_member(viewer):
            self.fields["mine"].label = "Only my organisations' partnerships"
        else:
            del self.fields["mine"]

        self.fields["kind"].choices = PartnershipKind.choices
        self.fields["stage"].choices = Stage.choices
        self.fields["pathfinder"].choices = [
            ("", "All"),
            ("yes", "Pathfinders"),
            ("no", "Not pathfinders"),
        ]
        # A partnership's region is its lead organisation's: one of England's nine.
        self.fields["region"].choices = [(r, r) for r in region_choices()]
        # A callable: the query runs only when asked (a service area to check, or a page that
        # does not relabel the options from its counts); a list page without one skips it.
        self.fields["service_area"].choices = _service_area_choices

    def filters(self) -> PartnershipFilters:
        data = self.cleaned_data if self.is_bound else {}
        return PartnershipFilters(
            q=data.get("q", "") or "",
            kind=tuple(data.get("kind", ())),
            stage=tuple(data.get("stage", ())),
            region=tuple(data.get("region", ())),
            member=data.get("member", "") or "",
            service_area=data.get("service_area"),
            pathfinder=data.get("pathfinder", "") or "",
            mine=bool(data.get("mine")),
        )

    def label_with_counts(self, facets: dict[str, list[Any]]) -> None:
        """Show how many partnerships each option gives, e.g. ‘Public-public (12)’. Region
        and service area list only the options found in partnerships the viewer sees."""
        for name in ("kind", "stage"):
            counts = {str(o.value): o.count for o in facets.get(name, [])}
            self.fields[name].choices = [
                (v, f"{lbl} ({counts.get(str(v), 0)})") for v, lbl in self.fields[name].choices
            ]
        selected = self.filters() if self.is_bound and hasattr(self, "cleaned_data") else None
        keep = {
            "region": set(selected.region) if selected else set(),
            "service_area": {str(selected.service_area)}
            if selected and selected.service_area is not None
            else set(),
        }
        blanks = {"region": [], "service_area": [("", ANY_SERVICE_AREA)]}
        for name in ("region", "service_area"):
            options = facets.get(name, [])
            shown = {o.value for o in options}
            missing = sorted(keep[name] - shown)
            labels = {str(k): v for k, v in self.fields[name].choices} if missing else {}
            extra = [(v, f"{labels.get(v, v)} (0)") for v in missing]
            self.fields[name].choices = (
                blanks[name] + [(o.value, f"{o.label} ({o.count})") for o in options] + extra
            )
        pf = {o.value: o.count for o in facets.get("pathfinder", [])}
        self.fields["pathfinder"].choices = [
            (v, f"{lbl} ({pf[v]})" if v in pf else lbl)
            for v, lbl in self.fields["pathfinder"].choices
        ]


class MembersOnForm(GovukFormMixin, forms.Form):
    """The day a partnership page shows the members of (``?on=2003-06-30`` works too)."""

    on = date_field("The partnership as it stood on", required=False)
