"""Every English council (current and abolished since 2003) and the other bodies partnerships involve."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel

#: England's nine regions (ONS), the values of ``Organisation.region`` besides blank.
ENGLISH_REGIONS = (
    "East Midlands", "East of England", "London", "North East", "North West", "South East",
    "South West", "West Midlands", "Yorkshire and The Humber",
)  # fmt: skip


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary and community"


class Kind(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    CITY_CORPORATION = "city_corporation", "City corporation"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic authority"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    HEALTH = "health", "Health body"
    EDUCATION = "education", "Education and skills"
    PROBATION = "probation", "Probation"
    OTHER_PUBLIC = "other_public", "Other public body"
    COMPANY = "company", "Company"
    CHARITY = "charity", "Charity"


COUNCIL_KINDS = {
    Kind.COUNTY,
    Kind.DISTRICT,
    Kind.UNITARY,
    Kind.METROPOLITAN_DISTRICT,
    Kind.LONDON_BOROUGH,
    Kind.CITY_CORPORATION,
    Kind.STRATEGIC_AUTHORITY,
    Kind.COMBINED_AUTHORITY,
}


class Tier(models.TextChoices):
    COUNTY = "county", "County"
    DISTRICT = "district", "District"
    UNITARY = "unitary", "Unitary"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic authority"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"


class Organisation(TimeStampedModel):
    name = models.CharField(max_length=200)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisations",
        db_table="core_user_organisations",  # the table it had when core declared it
        help_text="The people who work for the organisation (partner members).",
    )
    short_name = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    sector = models.CharField(max_length=16, choices=Sector.choices, default=Sector.PUBLIC)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    tier = models.CharField(max_length=32, choices=Tier.choices, blank=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True, null=True, blank=True)
    org_id = models.CharField("Org-ID", max_length=64, unique=True, null=True, blank=True)
    la_code = models.CharField("local authority code", max_length=8, blank=True)
    former_gss_codes = models.CharField("former GSS codes", max_length=100, blank=True)
    parent_county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="districts"
    )
    combined_authority = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="constituents"
    )
    replaced_by = models.ManyToManyField(
        "self", blank=True, symmetrical=False, related_name="predecessors"
    )
    region = models.CharField(max_length=64, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Last day in existence")
    existed_2003 = models.BooleanField("existed in 2003", default=False)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Made up for the demo, not real data")
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["name"]
        indexes = [
            # The list's order (name, then id as the paginator's tie-break): an index scan for
            # a page instead of sorting every organisation.
            models.Index(fields=["name", "id"], name="organisation_list_order"),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["tier", "name"]),
            models.Index(fields=["region", "name"]),
            models.Index(fields=["end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="organisation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def is_council(self) -> bool:
        return self.kind in COUNCIL_KINDS

    @property
    def identifier(self) -> str:
        """The best public identifier: Org-ID where there is one, else the GSS code."""
        return self.org_id or self.gss_code or self.slug
