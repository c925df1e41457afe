"""The cost-model form's remove action (issue 8 part 9): a styled, labelled checkbox on every
saved component; ticking it and saving removes that component and keeps the others' figures."""

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.models import CostModel
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_partner_removes_a_component_and_keeps_the_rest(
    page, live_server, sign_in, assert_accessible, width
):
    own = OrganisationFactory(name="Selby District Council")
    partnership = make_partnership(3, lead=own, name="Vale ICT Partnership")
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    sign_in(page, UserFactory(organisations=[own]))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v1/edit/")
    crm = page.get_by_role("group", name="Component 2", exact=True)
    expect(crm.get_by_label("Name")).to_have_value("Shared CRM")
    remove = crm.get_by_role("checkbox", name="Remove this component when I save")
    # Styled as a GOV.UK checkbox: the native box is hidden behind the drawn one, and the label
    # is the click target.
    expect(remove).to_have_class("govuk-checkboxes__input")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    crm.get_by_text("Remove this component when I save").click()
    expect(remove).to_be_checked()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)
    assert_accessible(page)

    cost_model = CostModel.objects.get(partnership=partnership, version=1)
    names = list(cost_model.components.order_by("position").values_list("name", flat=True))
    assert names == ["Own back office", "Data centre"]
    own_back_office = cost_model.components.get(name="Own back office")
    assert own_back_office.values.count() == 3  # the kept component keeps every member's figure
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v1/edit/")
    expect(
        page.get_by_role("group", name="Component 2", exact=True).get_by_label("Name")
    ).to_have_value("Data centre")
    expect(page.locator("input[name$='-name'][value='Shared CRM']")).to_have_count(0)
