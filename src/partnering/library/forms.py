"""The shape of the library's web input (GOV.UK fields through ``GovukFormMixin``)."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from partnering.core.forms import GovukDateField, GovukFormMixin
from partnering.partnerships.models import Partnership, ServiceArea

from .files import MAX_ATTACHMENT_BYTES
from .models import Audience, Document, Kind, PartnershipKind

TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def _codes(text: str) -> list[int]:
    return [int(c) for c in re.findall(r"\d+", text or "")[:50] if len(c) <= 6]


class DocumentForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of document", choices=Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary",
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences, shown in lists and search results",
    )
    body = forms.CharField(
        label="Body",
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Markdown: ## for headings, - for lists, [words](https://…) for links, | for tables",
    )
    audiences = forms.MultipleChoiceField(
        label="Who it is for",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    partnership_kinds = forms.MultipleChoiceField(
        label="Kinds of partnership",
        choices=PartnershipKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    service_areas = forms.CharField(
        label="Service areas (LGSL codes)",
        required=False,
        max_length=500,
        help_text="The Local Government Service List codes, separated by commas, for example 372, 1",
    )
    related = forms.CharField(
        label="Related documents",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The web address of each related library document, one a line",
    )
    how_to_take = forms.CharField(
        label="How to take it (training programmes)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_service_areas(self) -> list[ServiceArea]:
        codes = _codes(self.cleaned_data.get("service_areas", ""))
        found = list(ServiceArea.objects.filter(lgsl_code__in=codes))
        missing = sorted(set(codes) - {s.lgsl_code for s in found})
        if missing:
            raise forms.ValidationError(
                f"There is no LGSL service with code {', '.join(str(c) for c in missing)}"
            )
        return found

    def clean_related(self) -> list[Document]:
        slugs = [
            line.strip().rstrip("/").rsplit("/", 1)[-1]
            for line in (self.cleaned_data.get("related") or "").splitlines()
            if line.strip()
        ]
        found = list(Document.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {d.slug for d in found})
        if missing:
            raise forms.ValidationError(f"There is no library document at {', '.join(missing)}")
        return found

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        return {
            "kind": document.kind,
            "title": document.title,
            "summary": document.summary,
            "body": document.body,
            "audiences": document.audiences,
            "partnership_kinds": document.partnership_kinds,
            "service_areas": ", ".join(
                str(s.lgsl_code) for s in document.service_areas.order_by("lgsl_code")
            ),
            "related": "\n".join(d.get_absolute_url() for d in document.related.order_by("title")),
            "how_to_take": document.how_to_take,
        }


class DocumentChangeForm(DocumentForm):
    """Editing a document; once published, say whether the change is major (with a note)."""

    change = forms.ChoiceField(
        label="Kind of change",
        choices=[
            ("minor", "Minor: a typo, a link or wording; no change note"),
            ("major", "Major: the public should know (a change note is published)"),
        ],
        widget=forms.RadioSelect,
        initial="minor",
    )
    change_note = forms.CharField(
        label="Change note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed and why, for example “Added the 2004 model contract schedule”",
    )
    conditional = {"change": {"major": ["change_note"]}}

    def __init__(self, *args: Any, published: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not published:
            del self.fields["change"]
            del self.fields["change_note"]
            self.conditional = {}


class ApproveForm(GovukFormMixin, forms.Form):
    when = forms.ChoiceField(
        label="When should it be published?",
        choices=[("now", "Now"), ("later", "At a date and time")],
        widget=forms.RadioSelect,
        initial="now",
    )
    publish_on = GovukDateField(label="Publication date", required=False)
    publish_time = forms.CharField(
        label="Time", required=False, max_length=10, help_text="For example 9:30 or 14:00"
    )
    conditional = {"when": {"later": ["publish_on", "publish_time"]}}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["publish_at"] = None
        if data.get("when") != "later":
            return data
        day = data.get("publish_on")
        if day is None:
            if "publish_on" not in self.errors:
                self.add_error("publish_on", "Enter the publication date")
            return data
        match = TIME.match(data.get("publish_time") or "9:00")
        hour = minute = -1
        if match:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if match.group(3):
                hour = hour % 12 + (12 if match.group(3).lower() == "pm" else 0)
        if not (0 <= hour < 24 and 0 <= minute < 60):
            self.add_error("publish_time", "Enter a time like 9:30 or 14:00")
            return data
        data["publish_at"] = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return data


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, label: str = "Reason", hint: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        if hint:
            self.fields["reason"].widget.attrs["aria-describedby"] = "id_reason-hint"


class AttachmentForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title of the attachment", max_length=200)
    file = forms.FileField(
        label="File",
        help_text="PDF, ODT, ODS, DOCX, XLSX or CSV, smaller than 10 MB",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload


class CaseStudyForm(GovukFormMixin, forms.Form):
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.order_by("name"),
        help_text="The case study is drafted from its members, stage history, fair shares and reviews",
    )


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search the library", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Kind.choices]
    )
    audience = forms.ChoiceField(
        label="Who it is for", required=False, choices=[("", "Everyone"), *Audience.choices]
    )
    service_area = forms.IntegerField(
        label="Service area (LGSL code)", required=False, min_value=1, max_value=999_999
    )
    updated_from = GovukDateField(label="Updated after", required=False)
    updated_to = GovukDateField(label="Updated before", required=False)
