"""The home page: each room's panel (core.rooms) for what the viewer may see, in fixed queries."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.models import ComponentKind
from partnering.sharing.services import ComponentSpec
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def _skewed_spec(partnership):
    """One small council beside two large ones: an equal split charges the small one more than
    it would pay alone, so that split is outside the core (Shapley's is not)."""
    spec = spec_for(partnership)
    sizes = [Decimal(10_000), Decimal(1_000_000), Decimal(1_000_000)]
    values = {
        member.organisation.pk: size for member, size in zip(spec.members, sizes, strict=True)
    }
    return replace(
        spec,
        components=[
            ComponentSpec(kind=ComponentKind.STANDALONE, name="Own back office", values=values),
            ComponentSpec(kind=ComponentKind.AIRPORT, name="Data centre", values=dict(values)),
        ],
    )


def _agree(partnership, method):
    cost_model = services.cost_model_create(
        partnership=partnership, spec=_skewed_spec(partnership), actor=None
    )
    return services.agreement_record(
        cost_model=cost_model,
        method=method,
        agreed_on=date(2003, 1, 1),
        reason="Agreed",
        actor=None,
    )


def test_counts_partnerships_by_stage_and_kind(client):
    make_partnership(3)
    make_partnership(2, is_published=False, name="Hidden partnership")
    html = client.get("/").content.decode()
    assert "1 partnership, 0 of them pathfinders" in html


def test_lists_latest_agreements_outside_the_core_that_the_viewer_may_see(client):
    own = OrganisationFactory()
    visible = make_partnership(3, name="Visible Connect")
    hidden = make_partnership(3, lead=own, is_published=False, name="Hidden Connect")
    agreement = _agree(visible, "equal")
    _agree(hidden, "equal")
    assert not agreement.in_core, "the factory's cost model must make an equal split unfair"

    public = client.get("/").content.decode()
    assert "Visible Connect" in public and "Hidden Connect" not in public

    client.force_login(UserFactory(username="member", organisations=[own]))
    member = client.get("/").content.decode()
    assert "Visible Connect" in member and "Hidden Connect" in member


def test_a_later_fair_agreement_clears_the_warning(client):
    partnership = make_partnership(3, name="Mended Connect")
    _agree(partnership, "equal")
    assert "Mended Connect" in client.get("/").content.decode()
    _agree(partnership, "shapley")
    assert "Mended Connect" not in client.get("/").content.decode()


def test_query_count_does_not_grow(client, django_assert_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    _agree(make_partnership(3), "equal")
    few = count()
    for n in range(6):
        _agree(make_partnership(3, name=f"More Connect {n}"), "equal")
    assert count() == few
