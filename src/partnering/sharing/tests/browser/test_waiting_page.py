"""Journey: a person waits for shares calculated in the background. The page never uses
<meta refresh> (axe: critical); with JavaScript it shows the shares by itself when they are ready
(issue 8, part 1)."""

import pytest
from playwright.sync_api import expect

from partnering.sharing import services
from partnering.sharing.models import CalculationStatus, ShareCalculation
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_page_shows_the_shares_when_the_worker_finishes(
    page, live_server, assert_accessible
):
    partnership = make_partnership(3)
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), calculate=False, actor=None
    )
    calculation = ShareCalculation.objects.create(
        cost_model=cost_model, status=CalculationStatus.QUEUED, inputs_hash=cost_model.inputs_hash
    )
    page.goto(f"{live_server.url}/sharing/{partnership.slug}/v1/")
    expect(page.get_by_role("heading", name="Calculating…")).to_be_visible()
    assert page.locator("meta[http-equiv]").count() == 0
    assert_accessible(page)

    services.calculation_run(calculation_id=calculation.pk)  # what the worker does

    expect(page.get_by_role("heading", name="Would anyone do better alone?")).to_be_visible(
        timeout=15_000
    )
    assert_accessible(page)
