"""Forms of the front door (GOV.UK markup through core's GovukFormMixin)."""

from django import forms

from partnering.core.forms import GovukFormMixin


class FinderForm(GovukFormMixin, forms.Form):
    need = forms.CharField(
        label="What do you need?",
        help_text="In your own words, for example ‘bins’, ‘pothole’ or ‘council tax’",
        max_length=200,
        error_messages={"required": "Enter what you need, for example ‘bins’ or ‘pothole’"},
    )
    place = forms.CharField(
        label="Where do you live?",
        help_text="A postcode (such as WR11 4AA), the first part of one (WR11), a town or a council",
        max_length=100,
        error_messages={"required": "Enter a postcode, town or council name"},
    )
    area = forms.CharField(required=False, widget=forms.HiddenInput)


class ReportForm(GovukFormMixin, forms.Form):
    """A report to a joined-up partnership's front door; the service's own questions are added."""

    description = forms.CharField(
        label="Describe the problem",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Describe the problem"},
    )
    postcode = forms.CharField(
        label="Postcode of the place",
        help_text="For example WR11 4AA. Or give a point below.",
        max_length=10,
        required=False,
    )
    address = forms.CharField(label="Street or landmark (optional)", max_length=300, required=False)
    lat = forms.CharField(label="Latitude (optional)", max_length=20, required=False)
    long = forms.CharField(label="Longitude (optional)", max_length=20, required=False)
    photo = forms.FileField(
        label="Photo (optional)", help_text="A JPG or PNG smaller than 5 MB", required=False
    )
    first_name = forms.CharField(label="First name (optional)", max_length=100, required=False)
    last_name = forms.CharField(label="Last name (optional)", max_length=100, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="We email you each update. Kept for a year after the request is closed.",
        max_length=254,
        required=False,
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, service=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.attribute_codes: list[str] = []
        for attribute in sorted(service.attributes if service else (), key=lambda a: a.order):
            name = f"attribute_{attribute.code}"
            choices = list(attribute.values)
            label = attribute.description + ("" if attribute.required else " (optional)")
            if attribute.datatype == "singlevaluelist":
                field: forms.Field = forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect, required=attribute.required,
                    error_messages={"required": f"Answer “{attribute.description}”"},
                )  # fmt: skip
            elif attribute.datatype == "multivaluelist":
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=attribute.required,
                )
            else:
                field = forms.CharField(
                    label=label, max_length=200, required=attribute.required,
                    help_text=attribute.datatype_description,
                    error_messages={"required": f"Answer “{attribute.description}”"},
                )  # fmt: skip
            self.fields[name] = field
            self.attribute_codes.append(attribute.code)
        for name in self.fields:
            widget = self.fields[name].widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs.setdefault("class", "govuk-input")


class TrackForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Your reference", help_text="For example FD-AB3D-7KXQ", max_length=20,
        error_messages={"required": "Enter your reference"},
    )  # fmt: skip


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="New status",
        choices=[
            ("in_progress", "In progress"),
            ("scheduled", "Scheduled"),
            ("done", "Done"),
            ("closed", "Closed"),
            ("received", "Received"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )
    note = forms.CharField(label="Note for the resident (optional)", max_length=500, required=False)


class PassOnForm(GovukFormMixin, forms.Form):
    to_council = forms.ChoiceField(
        label="Pass it to", error_messages={"required": "Choose a council"}
    )
    reason = forms.CharField(
        label="Why is it not yours?",
        max_length=400,
        error_messages={"required": "Say why it is being passed on"},
    )

    def __init__(self, *args, choices=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["to_council"].choices = [
            ("", "Choose a council"),
            *[(str(o.pk), o.name) for o in choices],
        ]
        self.fields["to_council"].widget.attrs["class"] = "govuk-select"
