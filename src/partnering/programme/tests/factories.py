"""Factories for the programme room's tests (built through the services where rules apply)."""

from datetime import date
from decimal import Decimal

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import CallStatus
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
