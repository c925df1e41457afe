"""An agreement is on or after the date its cost-model version applies from (issue 8 part 3)."""

from datetime import date, timedelta

import pytest

from partnering.core.errors import DomainError
from partnering.sharing import services
from partnering.sharing.models import ShareAgreement
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def test_an_agreement_dated_before_its_version_is_refused_and_nothing_saved():
    partnership = make_partnership(2)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )

    with pytest.raises(DomainError) as error:
        services.agreement_record(
            cost_model=cost_model,
            method="shapley",
            agreed_on=cost_model.effective_on - timedelta(days=1),
            reason="Fair",
            actor=None,
        )

    assert error.value.code == "sharing.agreed_before_model"
    assert error.value.field == "agreed_on"
    assert f"{cost_model.effective_on:%-d %B %Y}" in error.value.message
    assert not ShareAgreement.objects.exists()
    agreement = services.agreement_record(
        cost_model=cost_model, method="shapley", agreed_on=cost_model.effective_on,
        reason="Fair", actor=None,
    )  # fmt: skip
    assert agreement.agreed_on == cost_model.effective_on >= date(2002, 1, 1)


def test_a_version_is_agreed_once():
    partnership = make_partnership(2)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    services.agreement_record(
        cost_model=cost_model, method="shapley", agreed_on=cost_model.effective_on,
        reason="Fair", actor=None,
    )  # fmt: skip

    with pytest.raises(DomainError) as error:
        services.agreement_record(
            cost_model=cost_model, method="equal", agreed_on=cost_model.effective_on,
            reason="Simpler", actor=None,
        )  # fmt: skip

    assert error.value.code == "sharing.already_agreed"
    assert ShareAgreement.objects.filter(cost_model=cost_model).count() == 1
