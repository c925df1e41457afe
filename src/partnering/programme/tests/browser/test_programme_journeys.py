"""Journeys: apply -> assess -> moderate -> select (pin and re-run) -> confirm, the pathfinder
appears; log advice and see the action overdue and its reminder sent. Every page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.services import reminders_send

from ..factories import assess, make_application, make_call, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_assess_moderate_select_and_confirm(page, live_server, sign_in, assert_accessible):
    staff = staff_user(username="j-staff")
    assessor = UserFactory(role=Role.ADVISER, username="j-assessor")
    second = UserFactory(role=Role.ADVISER, username="j-second")
    call = make_call(actor=staff, places=1, assessors=[assessor, second], title="Pathfinder call")
    org = OrganisationFactory(name="Wychavon District Council")
    mine = make_partnership(lead=org, name="Wychavon Shared Services", reference="SPT-J1")
    rival = make_application(call)
    assess(rival, second, 6, 6)
    assess(rival, assessor, 6, 6)
    officer = UserFactory(username="j-officer", organisations=[org])

    sign_in(page, officer)
    page.goto(f"{live_server.url}/programme/")
    assert_accessible(page)
    page.get_by_role("link", name="Pathfinder call").click()
    assert_accessible(page)
    # Links drawn as GOV.UK buttons (govukButton with href) have the button role, as GOV.UK's.
    page.get_by_role("button", name="Apply for this call").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Partnership").select_option(label=mine.name)
    page.get_by_label("Project title").fill("One front door")
    page.get_by_label("E-government and corporate support").check()
    page.get_by_label("Amount requested (£)").fill("150000")
    page.get_by_label("Benefit to citizens").fill("Residents reach every council at once.")
    page.get_by_role("button", name="Save as a draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    assert_accessible(page)
    reference = page.url.rstrip("/").rsplit("/", 1)[1]

    page.context.clear_cookies()
    sign_in(page, assessor)
    page.goto(f"{live_server.url}/programme/applications/{reference}/")
    page.get_by_role("button", name="Assess this application").click()
    assert_accessible(page)
    page.get_by_label("Benefit to citizens: score (0 to 10)").fill("11")
    page.get_by_label("Deliverability: score (0 to 10)").fill("9")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Benefit to citizens: score (0 to 10)").fill("9")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_role("heading", name="The panel's scores")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, second)
    page.goto(f"{live_server.url}/programme/applications/{reference}/assess/")
    page.get_by_label("Benefit to citizens: score (0 to 10)").fill("2")
    page.get_by_label("Deliverability: score (0 to 10)").fill("8")
    page.get_by_role("button", name="Submit the assessment").click()
    expect(page.get_by_text("Disagree").first).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, staff)
    page.goto(f"{live_server.url}/programme/applications/{reference}/")
    page.get_by_role("button", name="Record agreed scores").click()
    assert_accessible(page)
    page.get_by_label("Benefit to citizens: agreed score").fill("8")
    page.get_by_role("button", name="Record the agreed scores").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}{call.get_absolute_url()}")
    page.get_by_role("button", name="Selection").click()
    assert_accessible(page)
    page.get_by_role("button", name="Run the selection").click()
    expect(page.get_by_role("heading", name="Run 1: the best portfolio")).to_be_visible()
    expect(page.get_by_text("below every application selected")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Always include").get_by_label(
        rival.reference, exact=False
    ).check()
    page.get_by_role("button", name="Run the selection").click()
    expect(page.get_by_role("heading", name="Run 2: the best portfolio")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Always include").get_by_label(
        rival.reference, exact=False
    ).uncheck()
    page.get_by_role("button", name="Run the selection").click()
    page.get_by_role("button", name="Confirm run 3: make these pathfinders").click()
    expect(page.get_by_text("1 partnership is now a pathfinder")).to_be_visible()
    assert_accessible(page)
    assert Partnership.objects.get(pk=mine.pk).is_pathfinder


def test_log_advice_and_see_the_action_overdue_and_reminded(
    page, live_server, sign_in, assert_accessible
):
    staff = staff_user(username="j2-staff")
    adviser = UserFactory(
        role=Role.ADVISER, username="j2-adviser", first_name="Alex", last_name="Morgan"
    )
    p = make_partnership(
        lead=OrganisationFactory(), name="Malvern Hills Partnership", reference="SPT-J2"
    )
    partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    sign_in(page, adviser)
    page.goto(f"{live_server.url}/programme/partnerships/{p.slug}/advice/")
    assert_accessible(page)
    page.get_by_label("Type of advice").select_option("legal")
    page.get_by_label("Date given").fill((timezone.localdate() - timedelta(days=20)).isoformat())
    page.get_by_label("Advice", exact=True).fill("Set up a joint committee.")
    page.get_by_label("Action 1: what needs doing").fill("Draft the agreement")
    page.get_by_role("button", name="Record the advice").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Action 1: who owns it").select_option(label="Alex Morgan")
    page.get_by_label("Action 1: when it is due").fill(
        (timezone.localdate() - timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Record the advice").click()
    expect(page.get_by_text("Overdue").first).to_be_visible()
    assert_accessible(page)
    assert reminders_send() == 1
    page.goto(f"{live_server.url}/programme/actions/")
    expect(page.get_by_text("(reminder sent)")).to_be_visible()
    assert_accessible(page)
