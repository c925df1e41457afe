"""The programme room's tables: pathfinder calls, applications, assessment, moderation and the
stored selection runs (with their inputs, so any run can be reproduced)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.dates import govuk_date
from partnering.core.models import TimeStampedModel


class CallStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Closed: assessing"
    DECIDED = "decided", "Decided"


class Theme(models.TextChoices):
    """What a project is about; a call's quotas may name a theme (``theme:<value>``, or ``egov``)."""

    EGOV = "egov", "E-government and corporate support"
    ACCESS = "access", "Access to services"
    REVENUES = "revenues", "Revenues and benefits"
    WASTE = "waste", "Waste and environment"
    PROCUREMENT = "procurement", "Procurement"
    REGENERATION = "regeneration", "Regeneration"
    LEISURE = "leisure", "Leisure and culture"
    HIGHWAYS = "highways", "Highways and transport"
    CARE = "care", "Social care and health"
    SAFETY = "safety", "Community safety"
    HOUSING = "housing", "Housing"
    PROPERTY = "property", "Property and asset management"
    CORPORATE = "corporate", "Corporate services"
    RURAL = "rural", "Rural services"
    TRAINING = "training", "Training and development"


class Call(TimeStampedModel):
    """A call for pathfinder projects: dates, eligibility, scored criteria and portfolio quotas."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField()
    eligibility = models.TextField(blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    decisions_by = models.DateField()
    status = models.CharField(max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    places = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="How many projects the portfolio takes"
    )
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    score_min = models.PositiveSmallIntegerField(default=0)
    score_max = models.PositiveSmallIntegerField(default=10)
    moderation_spread = models.PositiveSmallIntegerField(
        default=3, help_text="A criterion's scores disagree when they spread by more than this"
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessing_calls"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="call_scale_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:call-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status != CallStatus.DRAFT


class Criterion(TimeStampedModel):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class CallTag(TimeStampedModel):
    """A tag a call defines for its own quotas (``call:<slug>``), for example "Rural pilot".

    Staff attach it to submitted applications; applicants choose it on their draft when
    ``applicants_choose`` is set."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tags")
    slug = models.SlugField(max_length=60)
    label = models.CharField(max_length=100)
    applicants_choose = models.BooleanField(
        default=True, help_text="Applicants may choose it for their own application"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "slug"], name="call_tag_once_per_call")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def tag(self) -> str:
        """The tag as quotas and the selection name it."""
        return f"call:{self.slug}"


class Quota(TimeStampedModel):
    """At least ``minimum`` and/or at most ``maximum`` selected projects carrying ``tag``.

    Tags come from the partnership's record (``kind:<kind>``, ``region:<region>``, ``two_tier``,
    ``size:<small|medium|large>`` by the population its member councils serve), the
    application's themes (``egov``, ``theme:<theme>``) or the call's own tags
    (``call:<slug>``, see ``CallTag``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    tag = models.CharField(max_length=100)
    label = models.CharField(max_length=200, blank=True)
    minimum = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "tag"], name="quota_once_per_tag"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="quota_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.tag


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(TimeStampedModel):
    """A partnership's application to a call. Kind, members, two-tier and region come from the
    partnership's record, never retyped."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    themes = models.JSONField(default=list, blank=True)
    call_tags = models.JSONField(
        default=list, blank=True, help_text="Slugs of the call's own tags it carries"
    )
    answers = models.JSONField(default=dict, blank=True, help_text="Criterion id -> answer")
    requested_amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "partnership"], name="application_once_per_call"
            )
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:application-detail", kwargs={"reference": self.reference})


class Assessment(TimeStampedModel):
    """One assessor's scores of one application; hidden from other assessors until they submit."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="assessment_once_per_assessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application}"


class CriterionScore(TimeStampedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ModeratedScore(TimeStampedModel):
    """The panel's agreed score of one criterion of one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="moderated_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.criterion}: {self.score}"


class SelectionRun(TimeStampedModel):
    """One run of the optimiser on a call: its exact input and output, kept to reproduce it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_runs")
    number = models.PositiveIntegerField()
    inputs = models.JSONField(help_text="The optimiser's input, as the CLI takes it")
    result = models.JSONField(help_text="The optimiser's output, as the CLI gives it")
    status = models.CharField(max_length=16)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["call", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="selection_run_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.call}: run {self.number}"


# --- advisers, mentoring and the advice log ---------------------------------------------------


#: The most mentors a pathfinder can need at once.
MAX_MENTORS = 5


class Discipline(models.TextChoices):
    PROCUREMENT = "procurement", "Procurement"
    PROJECT_MANAGEMENT = "project_management", "Project management"
    FINANCE = "finance", "Finance"
    LEGAL = "legal", "Legal"


class AdviserProfile(TimeStampedModel):
    """An adviser's expertise and capacity (the programme room owns advisers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser_profile"
    )
    disciplines = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True, help_text="Partnership kinds")
    regions = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="How many partnerships at once"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class DeclaredInterest(TimeStampedModel):
    """A past employer or a relationship with a council or bidder: a conflict of interest with
    any partnership that organisation is a current member of."""

    profile = models.ForeignKey(AdviserProfile, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=255)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.profile}: {self.description}"


class AssignmentChange(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    REMOVED = "removed", "No longer assigned"


class AdviserAssignment(TimeStampedModel):
    """One change to who advises a partnership, by whom and why (a matching run confirmed, or
    staff by hand): the record of ``Partnership.advisers``, which keeps only who advises now."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="adviser_changes"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    change = models.CharField(max_length=16, choices=AssignmentChange.choices)
    reason = models.CharField(max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.adviser} {self.get_change_display().lower()}: {self.partnership}"


class MatchRun(TimeStampedModel):
    """One run of the mentor matching: its exact input and output."""

    number = models.PositiveIntegerField(unique=True)
    inputs = models.JSONField()
    result = models.JSONField()
    status = models.CharField(max_length=16)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Matching run {self.number}"


class MentoringNeeds(TimeStampedModel):
    """What a pathfinder needs from its mentors, set by taskforce staff: how many, and the
    disciplines each of them must hold (replacing those its application's themes suggest;
    an empty list: no particular discipline). A pathfinder without a row needs one mentor with
    the disciplines of its themes (``selectors.DISCIPLINE_FOR_THEME``)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="mentoring_needs"
    )
    mentors = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MENTORS)],
        help_text="How many mentors it needs at once",
    )
    disciplines = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        verbose_name_plural = "mentoring needs"
        constraints = [
            models.CheckConstraint(
                condition=Q(mentors__gte=1) & Q(mentors__lte=MAX_MENTORS),
                name="mentoring_needs_mentors_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.mentors} mentor(s)"


class MentoringSession(TimeStampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring_sessions"
    )
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership} on {self.held_on}"


class AdviceType(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"
    PROJECT_MANAGEMENT = "project_management", "Project management"
    SCOPING = "scoping", "Scoping"
    MANAGEMENT = "management", "Management arrangements"


class Advice(TimeStampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="advice"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_given"
    )
    advice_type = models.CharField(max_length=32, choices=AdviceType.choices)
    given_on = models.DateField()
    summary = models.TextField()
    attachment_titles = models.JSONField(default=list, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-given_on", "pk"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"{self.get_advice_type_display()} advice to {self.partnership}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(TimeStampedModel):
    """A follow-up action from advice or from a mentoring session (exactly one of the two): its
    owner is reminded once when it falls due, and whoever marks it done is recorded with the
    day. ``partnership`` is the advice's or the session's, kept on the action so every list of
    actions reads one partnership whatever it came from."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="programme_actions"
    )
    advice = models.ForeignKey(
        Advice, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    session = models.ForeignKey(
        MentoringSession, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(advice__isnull=False, session__isnull=True)
                | Q(advice__isnull=True, session__isnull=False),
                name="action_from_advice_or_session",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def source(self) -> str:
        """Where the action was agreed: "advice" or "session"."""
        return "advice" if self.advice_id else "session"

    def get_absolute_url(self) -> str:
        """The page that lists it: the advice log, or the mentoring sessions."""
        name = "programme:advice" if self.advice_id else "programme:sessions"
        return reverse(name, kwargs={"slug": self.partnership.slug}) + f"#action-{self.pk}"


class DigestSent(models.Model):
    """A weekly digest sent to an adviser (one per adviser per ISO week: safe to re-run)."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.CharField(max_length=8, help_text="ISO year and week, e.g. 2003-W18")
    sent_at = models.DateTimeField(auto_now_add=True)
    actions = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adviser", "week"], name="digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.adviser} {self.week}"


# --- training and development modules --------------------------------------------------------


class Audience(models.TextChoices):
    OFFICERS = "officers", "Officers"
    COUNCILLORS = "councillors", "Councillors"
    ALL = "all", "Officers and councillors"


class ModuleFormat(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    WEBINAR = "webinar", "Webinar"
    E_LEARNING = "e_learning", "E-learning"
    BLENDED = "blended", "Blended (taught and online)"


class TrainingModule(TimeStampedModel):
    """A training and development module. Published modules are public, and the library room
    reuses them as training programmes for authorities outside the programme
    (``selectors.published_modules()``)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField()
    learning_outcomes = models.JSONField(
        default=list, blank=True, help_text="What a person can do after it, one line each"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.OFFICERS)
    duration_hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    format = models.CharField(
        max_length=16, choices=ModuleFormat.choices, default=ModuleFormat.WORKSHOP
    )
    is_published = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gte=0.5), name="module_duration_at_least_half_hour"
            )
        ]
        indexes = [models.Index(fields=["is_published", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:module-detail", kwargs={"slug": self.slug})


class ModuleSession(TimeStampedModel):
    """A cohort of a module: its dates, where, and how many places."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    venue = models.CharField(max_length=200, help_text="A place, or ‘Online’")
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="module_session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="module_session_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.module} from {govuk_date(self.starts_on)}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(TimeStampedModel):
    """A person of a partner organisation on a cohort; completion is recorded with its date."""

    session = models.ForeignKey(ModuleSession, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    completed_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="enrolment_once_per_person"),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="enrolment_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}"


# --- networking: events and bookings ---------------------------------------------------------


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    PEER_VISIT = "peer_visit", "Peer visit"
    WEBINAR = "webinar", "Webinar"
    CONFERENCE = "conference", "Conference"


class Event(TimeStampedModel):
    """A networking event with a number of places; bookings beyond them join a waiting list."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.WORKSHOP)
    summary = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, help_text="A place, or ‘Online’")
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    is_published = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="event_has_places"),
        ]
        indexes = [models.Index(fields=["is_published", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:event-detail", kwargs={"slug": self.slug})


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Booking(TimeStampedModel):
    """A place at an event, or a place on its waiting list (first come, first served)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_bookings"
    )
    status = models.CharField(max_length=16, choices=BookingStatus.choices)
    attended = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="booking_once_per_person"),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status="booked"), name="booking_attended_if_booked"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.event}"


# --- peer support ------------------------------------------------------------------------


class PeerTopic(models.TextChoices):
    GOVERNANCE = "governance", "Partnership governance"
    BUSINESS_CASE = "business_case", "Business cases"
    PROCUREMENT = "procurement", "Procurement"
    EGOV = "egov", "E-government"
    SHARED_SERVICES = "shared_services", "Shared services"
    COST_SHARING = "cost_sharing", "Sharing costs and savings"
    TWO_TIER = "two_tier", "Joining up county and district services"
    FRONT_DOOR = "front_door", "One front door for citizens"
    LEGAL = "legal", "Legal agreements"
    PEOPLE = "people", "Staff transfer and change"


class PeerOffer(TimeStampedModel):
    """An officer who offers help to peers on some topics, and agreed to be listed."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_offer"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    job_title = models.CharField(max_length=200, blank=True)
    topics = models.JSONField(default=list)
    summary = models.TextField(blank=True, help_text="What they can help with")
    is_listed = models.BooleanField(
        default=True, help_text="They agreed to be listed in the peer directory"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["person__last_name", "person__username"]

    def __str__(self) -> str:
        return f"{self.person}: peer support"

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(PeerTopic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]


class SimilarScope(models.TextChoices):
    """Which partnerships a precomputed list ranks: every one (for signed-in viewers, filtered
    by what each may see) or the published ones alone (what the public sees, ranked among
    themselves, so nothing unpublished shapes the public's list)."""

    ALL = "all", "Every partnership"
    PUBLISHED = "published", "Published partnerships"


class SimilarList(models.Model):
    """A partnership's most similar partnerships, best first, worked out in advance for the
    "Partnerships like this one" section (``services.similar_lists_refresh``).

    Derived data, like a cache: rebuilt whole from the partnerships, never edited, so no
    history. ``entries`` is ``[[partnership pk, score, [the two weightiest reasons]], ...]``;
    the page keeps those the viewer may see."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=16, choices=SimilarScope.choices)
    entries = models.JSONField(default=list)
    computed_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "scope"], name="programme_similar_list_one_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"Partnerships like {self.partnership_id} ({self.scope})"
