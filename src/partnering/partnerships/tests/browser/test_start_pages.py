"""Each role's own start page in the browser (issue 8 part 8, "done when": a browser test with
axe of the changed start page): an adviser with partnerships assigned and a partner member whose
organisations have partnerships sign in and find their panel filled, with what needs doing, at
1280 and 320 px. (core/tests/browser/test_sign_in.py signs in each role, but its people have no
partnerships, so their panel is empty there.)"""

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import aim_create, partnership_update
from partnering.partnerships.tests.factories import make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_an_adviser_and_a_partner_member_start_with_their_own_partnerships(
    page, live_server, sign_in, assert_accessible, staff_user, width
):
    page.set_viewport_size({"width": width, "height": 900})
    adviser = UserFactory(username=f"adviser-{width}", role="adviser")
    assigned = make_partnership(name="Dales Assigned Connect")
    partnership_update(partnership=assigned, data={"advisers": [adviser]}, actor=staff_user)
    council = OrganisationFactory(name="Ryedale District Council", short_name="Ryedale")
    ours = make_partnership(2, lead=council, name="Ryedale Shared Revenues", is_published=False)
    aim_create(partnership=ours, title="One front door", actor=None)
    member = UserFactory(username=f"member-{width}", organisations=[council])
    make_partnership(name="Somebody Else's Connect")  # neither of theirs

    for user, heading, partnership, to_do in (
        (adviser, "Partnerships assigned to you", assigned,
         "Record the partnership's strategic aims"),
        (member, "Your organisations' partnerships", ours,
         "2 members to record their priorities"),
    ):  # fmt: skip
        sign_in(page, user)
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        panel = page.locator("#my-partnerships + ul")
        expect(panel.get_by_role("link", name=partnership.name)).to_be_visible()
        row = panel.locator("> li").filter(has=page.get_by_role("link", name=partnership.name))
        expect(row.get_by_text(to_do, exact=True)).to_be_visible()  # what needs doing
        expect(panel.get_by_role("link")).to_have_count(1)  # no one else's partnership
        assert_accessible(page)
        if width == 320:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the start page scrolls sideways by {overflow} px"
        panel.get_by_role("link", name=partnership.name).click()
        expect(page.get_by_role("heading", name=partnership.name, level=1)).to_be_visible()
        page.context.clear_cookies()  # signed out: the next person signs in afresh
