import pytest

from partnering.sharing import engine
from partnering.sharing.models import ShareCalculation
from partnering.sharing.tests.factories import make_cost_model, make_partnership

pytestmark = pytest.mark.django_db


@pytest.mark.fake_engine
def test_marked_tests_store_the_fake_split():
    cost_model = make_cost_model(make_partnership(3))
    calculation = ShareCalculation.objects.get(cost_model=cost_model)
    shares = calculation.results["shapley"]["shares"]
    assert len(set(shares.values())) == 1
    assert calculation.explanations["shapley"]


def test_unmarked_tests_use_the_real_engine():
    cost_model = make_cost_model(make_partnership(3))
    calculation = ShareCalculation.objects.get(cost_model=cost_model)
    assert len(set(calculation.results["shapley"]["shares"].values())) == 3
    assert engine.compute.__module__ == "partnering.sharing.engine"
