"""New partnerships start unpublished (issue 8 part 6; they were public at the idea stage)."""

import json

import pytest

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.forms import PartnershipForm
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import partnership_create

pytestmark = pytest.mark.django_db


def test_the_service_registers_a_partnership_unpublished():
    partnership = partnership_create(
        name="Quiet start", reference="Q-1", purpose="x", lead_organisation=OrganisationFactory(),
        actor=None,
    )  # fmt: skip

    assert not partnership.is_published


def test_the_api_registers_a_partnership_unpublished(client):
    org = OrganisationFactory()
    member = UserFactory(username="creator", organisations=[org])
    _, raw = api_key_create(name="t", actor=member)
    body = {"name": "Via API", "reference": "API-1", "purpose": "x", "lead_organisation": org.slug}

    response = client.post(
        "/api/v1/partnerships/", data=json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert not Partnership.objects.get(reference="API-1").is_published
    assert client.get(f"/partnerships/{response.json()['slug']}/").status_code == 404


def test_the_form_offers_publishing_unticked():
    assert PartnershipForm.base_fields["is_published"].initial is False
