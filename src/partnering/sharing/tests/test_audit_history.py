"""Every row the sharing services write has a history row with who and why (bulk writes too)."""

from datetime import date

import pytest

from partnering.sharing import services
from partnering.sharing.models import AgreedShare, ComponentValue
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def test_component_values_and_agreed_shares_have_history_with_the_actor(staff_user):
    partnership = make_partnership(3)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=staff_user
    )
    values = ComponentValue.objects.filter(component__cost_model=cost_model)
    assert values.count() == 9
    for value in values:
        record = value.history.get()
        assert record.history_user == staff_user

    agreement = services.agreement_record(
        cost_model=cost_model,
        method="shapley",
        agreed_on=date(2002, 7, 1),
        reason="Board decision",
        actor=staff_user,
    )
    shares = AgreedShare.objects.filter(agreement=agreement)
    assert shares.count() == 3
    for share in shares:
        record = share.history.get()
        assert record.history_user == staff_user
        assert record.history_change_reason == f"Agreement version {agreement.version}"
