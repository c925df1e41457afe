"""Factories for the programme room's tests (built through the services where rules apply)."""

import datetime as _dt
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import PartnershipFactory, make_partnership
from partnering.programme.models import (
    AdviserAssignment,
    Booking,
    CallStatus,
    CallTag,
    Enrolment,
    Event,
    MentoringNeeds,
    ModuleSession,
    PeerOffer,
    SimilarList,
    SimilarScope,
    TrainingModule,
)
from partnering.programme.services import (
    QuotaSpec,
    application_create,
    application_submit,
    assessment_submit,
    call_create,
)


def staff_user(**kwargs):
    return UserFactory(role=Role.STAFF, **kwargs)


def make_call(*, actor=None, places=2, quotas=(), assessors=(), **kwargs):
    actor = actor or staff_user(username="call-staff")
    defaults = {
        "title": "Pathfinder call 2003",
        "summary": "Projects that join up services",
        "opens_on": date(2003, 1, 6),
        "closes_on": date(2003, 3, 31),
        "decisions_by": date(2003, 5, 30),
        "places": places,
        "criteria": [("Benefit to citizens", 2), ("Deliverability", 1)],
        "quotas": [QuotaSpec(*q) if isinstance(q, tuple) else q for q in quotas],
        "status": CallStatus.OPEN,
        "assessors": assessors,
    }
    return call_create(actor=actor, **{**defaults, **kwargs})


def make_application(
    call, *, partnership=None, themes=("egov",), amount=100_000, submit=True, actor=None
):
    partnership = partnership or make_partnership(lead=OrganisationFactory())
    app = application_create(
        call=call, partnership=partnership, title=f"Project of {partnership.name}",
        requested_amount=Decimal(amount), themes=list(themes), actor=actor,
    )  # fmt: skip
    if submit:
        app = application_submit(application=app, actor=actor)
    return app


def assess(app, assessor, *values):
    criteria = list(app.call.criteria.all())
    return assessment_submit(
        application=app,
        scores={c.pk: (v, "Comment") for c, v in zip(criteria, values, strict=True)},
        assessor=assessor,
        actor=assessor,
    )


# --- training modules, events and peer support (model factories) ----------------------------


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    title = factory.Sequence(lambda n: f"Leading a strategic partnership {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    summary = "How to set up and lead a partnership of councils."
    learning_outcomes = factory.LazyFunction(
        lambda: ["Set up a partnership board", "Agree how costs are shared"]
    )
    audience = "officers"
    duration_hours = Decimal("6.0")
    format = "workshop"
    is_published = True


class ModuleSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleSession

    module = factory.SubFactory(ModuleFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + _dt.timedelta(days=1))
    venue = "Birmingham"
    places = 20


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment
        exclude = ("org",)

    org = factory.SubFactory(OrganisationFactory)
    session = factory.SubFactory(ModuleSessionFactory)
    person = factory.LazyAttribute(lambda e: UserFactory(organisations=[e.org]))
    organisation = factory.SelfAttribute("org")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Peer workshop {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = "workshop"
    summary = "Officers of partnerships meet to share what worked."
    starts_at = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + _dt.timedelta(hours=3))
    location = "Leeds"
    places = 10


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    status = "booked"


class PeerOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerOffer
        exclude = ("org",)

    org = factory.SubFactory(OrganisationFactory)
    person = factory.LazyAttribute(lambda o: UserFactory(organisations=[o.org]))
    organisation = factory.SelfAttribute("org")
    job_title = "Head of shared services"
    topics = factory.LazyFunction(lambda: ["governance", "procurement"])
    summary = "Set up a joint procurement team for seven districts."


class SimilarListFactory(factory.django.DjangoModelFactory):
    """A precomputed "like this one" list (normally built by ``similar_lists_refresh``)."""

    class Meta:
        model = SimilarList

    partnership = factory.SubFactory(PartnershipFactory)
    scope = SimilarScope.ALL
    entries = factory.LazyFunction(lambda: [[1, 0.5, ["Members of the same tiers"]]])
    computed_at = factory.LazyFunction(timezone.now)


class CallTagFactory(factory.django.DjangoModelFactory):
    """A tag of a call's own (normally added through ``call_create`` or ``call_update``)."""

    class Meta:
        model = CallTag

    call = factory.LazyFunction(lambda: make_call(actor=staff_user()))
    slug = factory.Sequence(lambda n: f"rural-pilot-{n}")
    label = factory.Sequence(lambda n: f"Rural pilot {n}")
    applicants_choose = True


class MentoringNeedsFactory(factory.django.DjangoModelFactory):
    """What a pathfinder needs from its mentors (normally set by staff, ``mentoring_needs_set``)."""

    class Meta:
        model = MentoringNeeds

    partnership = factory.SubFactory(PartnershipFactory)
    mentors = 2
    disciplines = factory.LazyFunction(lambda: ["finance"])


class AdviserAssignmentFactory(factory.django.DjangoModelFactory):
    """One change to who advises a partnership (normally written by ``adviser_assign``,
    ``adviser_unassign`` and ``match_confirm``)."""

    class Meta:
        model = AdviserAssignment

    partnership = factory.SubFactory(PartnershipFactory)
    adviser = factory.LazyFunction(lambda: UserFactory(role=Role.ADVISER))
    change = "assigned"
    reason = "Assigned by hand"
