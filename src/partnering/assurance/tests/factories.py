"""Test data for the assurance room: partnerships built by the partnerships services, reviewers
(advisers from no member organisation) and reviews built by this room's services."""

import json
from datetime import date

import factory

from partnering.assurance import services
from partnering.assurance.gates import FINDING_AREAS
from partnering.assurance.models import (
    DocumentSeen,
    Finding,
    FollowUp,
    Interview,
    Recommendation,
    Review,
    ReviewTeamMember,
    TeamRole,
    Urgency,
)
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import membership_add, partnership_create
from partnering.partnerships.tests.factories import PartnershipFactory

START = date(2002, 6, 1)


def make_partnership(n: int = 2, *, published: bool = True, orgs: list | None = None,
                     stage: str | None = None) -> Partnership:  # fmt: skip
    orgs = list(orgs or []) + [OrganisationFactory() for _ in range(n - len(orgs or []))]
    count = Partnership.objects.count() + 1
    partnership = partnership_create(
        name=f"Assured Partnership {orgs[0].pk} {count}",
        reference=f"SPT-A-{orgs[0].pk}-{count}",
        purpose="Shared services",
        lead_organisation=orgs[0],
        start_date=START,
        joined_on=START,
        is_published=published,
        actor=None,
    )
    for org in orgs[1:]:
        membership_add(partnership=partnership, organisation=org, role="partner", joined_on=START,
                       actor=None)  # fmt: skip
    if stage:
        Partnership.objects.filter(pk=partnership.pk).update(stage=stage)
        partnership.refresh_from_db()
    return partnership


def reviewer(**kwargs):
    return UserFactory(role="adviser", **kwargs)


def make_review(partnership: Partnership, *, gate: int = 0, lead=None, members=(),
                starts_on: date = date(2003, 3, 3), **kwargs) -> Review:  # fmt: skip
    return services.review_create(
        partnership=partnership,
        gate=gate,
        starts_on=starts_on,
        ends_on=starts_on.replace(day=starts_on.day + 2),
        lead=lead or reviewer(),
        members=list(members),
        actor=None,
        **kwargs,
    )


def risk_data(owner, **overrides):
    data = {
        "title": "Partners withdraw",
        "cause": "Councils' priorities change after elections",
        "event": "One or more councils leave the partnership",
        "effect": "The shared service costs the rest more",
        "category": "partnership",
        "owner": owner,
        "inherent_likelihood": 4, "inherent_impact": 5,
        "current_likelihood": 4, "current_impact": 4,
        "target_likelihood": 2, "target_impact": 3,
    }  # fmt: skip
    return data | overrides


def api(client, method, path, user, body=None, *, under="partnerships/"):
    """Call the assurance API at ``under + path`` as ``user``, with a fresh API key."""
    _, raw = api_key_create(name="t", actor=user)
    kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
    if body is not None:
        kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(f"/api/v1/assurance/{under}{path}", **kwargs)


def make_risk(partnership, owner, **overrides):
    from partnering.assurance.services import risk_create

    return risk_create(partnership=partnership, data=risk_data(owner, **overrides), actor=None)


# --- A bare row of every model (``make_review`` builds one through the services) -------------


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    partnership = factory.SubFactory(PartnershipFactory)
    gate = 0
    starts_on = date(2003, 3, 3)
    ends_on = date(2003, 3, 5)


class ReviewTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewTeamMember

    review = factory.SubFactory(ReviewFactory)
    user = factory.SubFactory(UserFactory, role="adviser")
    role = TeamRole.MEMBER


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    review = factory.SubFactory(ReviewFactory)
    name = factory.Faker("name")
    role = "Head of ICT"


class DocumentSeenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSeen

    review = factory.SubFactory(ReviewFactory)
    title = factory.Sequence(lambda n: f"Business case, draft {n}")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    review = factory.SubFactory(ReviewFactory)
    area = FINDING_AREAS[0][0]
    text = "The business case is clear about the savings."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Agree the shared service's governance before the contract is let."
    urgency = Urgency.RECOMMENDED
    owner = factory.SubFactory(UserFactory)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    recommendation = factory.SubFactory(RecommendationFactory)
    text = "Governance agreed by the board."
