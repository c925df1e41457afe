"""The programme room's services: calls, applications, assessment, moderation, selection."""

from decimal import Decimal

import pytest

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import (
    Application,
    ApplicationStatus,
    Assessment,
    CallStatus,
    ModeratedScore,
    SelectionRun,
)
from partnering.programme.selectors import application_scored, application_tags
from partnering.programme.services import (
    QuotaSpec,
    application_create,
    moderation_record,
    quota_set,
    selection_confirm,
    selection_run,
)

from .factories import assess, make_application, make_call, staff_user

pytestmark = pytest.mark.django_db


def test_quota_with_min_above_max_is_refused_and_nothing_saved():
    staff = staff_user()
    call = make_call(actor=staff)
    with pytest.raises(DomainError) as err:
        quota_set(call=call, spec=QuotaSpec("egov", 5, 3), actor=staff)
    assert err.value.code == "programme.quota_range"
    assert not call.quotas.exists()


def test_only_staff_create_calls():
    with pytest.raises(DomainError):
        make_call(actor=UserFactory(role=Role.PARTNER))


def test_a_partner_applies_only_for_their_own_partnership():
    call = make_call()
    org = OrganisationFactory()
    mine = make_partnership(lead=org)
    other = make_partnership(lead=OrganisationFactory())
    officer = UserFactory(role=Role.PARTNER, organisations=[org])
    app = application_create(
        call=call, partnership=mine, title="Ours", requested_amount=Decimal(1), actor=officer
    )
    assert app.status == ApplicationStatus.DRAFT
    with pytest.raises(DomainError) as err:
        application_create(
            call=call, partnership=other, title="Theirs", requested_amount=Decimal(1), actor=officer
        )
    assert err.value.code == "programme.not_your_partnership"
    with pytest.raises(DomainError) as err:
        application_create(
            call=call, partnership=mine, title="Again", requested_amount=Decimal(1), actor=officer
        )
    assert err.value.code == "programme.already_applied"


def test_tags_come_from_the_partnership_record():
    county = OrganisationFactory(county=True, region="North West")
    district = OrganisationFactory(parent_county=county, region="North West")
    p = make_partnership(lead=county, members=[district])
    app = make_application(make_call(), partnership=p)
    tags = application_tags(app)
    assert {
        "egov",
        "theme:egov",
        "two_tier",
        "kind:public_public",
        "region:North West",
        "size:small",
    } <= set(tags)


def test_assessment_rules_scale_conflict_and_panel():
    assessor = UserFactory(role=Role.ADVISER)
    call = make_call(assessors=[assessor])
    app = make_application(call)
    with pytest.raises(DomainError) as err:
        assess(app, assessor, 11, 5)
    assert err.value.code == "programme.score_outside_scale"
    assert not Assessment.objects.exists()
    with pytest.raises(DomainError) as err:
        assess(app, UserFactory(role=Role.ADVISER), 5, 5)
    assert err.value.code == "programme.not_on_panel"
    member = UserFactory(role=Role.PARTNER, organisations=[app.partnership.lead_organisation])
    call.assessors.add(member)
    with pytest.raises(DomainError) as err:
        assess(app, member, 5, 5)
    assert err.value.code == "programme.conflict_of_interest"
    assess(app, assessor, 8, 6)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_ASSESSMENT
    with pytest.raises(DomainError):
        assess(app, assessor, 8, 6)


def test_moderation_resolves_a_disagreement_and_sets_the_score():
    a, b = UserFactory(role=Role.ADVISER), UserFactory(role=Role.ADVISER)
    call = make_call(assessors=[a, b])
    app = make_application(call)
    assess(app, a, 9, 5)
    assess(app, b, 3, 5)
    scored = application_scored(app)
    assert [r.disagrees for r in scored.rows] == [True, False]
    assert scored.score == pytest.approx(100 * (2 * 0.6 + 0.5) / 3, abs=0.1)
    criterion = scored.rows[0].criterion
    moderation_record(
        application=app, criterion=criterion, score=7, note="Agreed", actor=staff_user()
    )
    scored = application_scored(app)
    assert scored.rows[0].value == 7 and not scored.rows[0].disagrees
    assert scored.score == pytest.approx(100 * (2 * 0.7 + 0.5) / 3, abs=0.1)
    with pytest.raises(DomainError):
        moderation_record(application=app, criterion=criterion, score=-1, actor=staff_user())
    assert ModeratedScore.objects.get().score == 7


def _scored_call(n=4, places=2, quotas=()):
    staff = staff_user()
    assessor = UserFactory(role=Role.ADVISER)
    call = make_call(actor=staff, places=places, quotas=quotas, assessors=[assessor])
    apps = []
    for i in range(n):
        app = make_application(call, themes=("egov",) if i % 2 else ("waste",))
        assess(app, assessor, 10 - i, 10 - i)
        apps.append(app)
    return staff, call, apps


def test_selection_runs_stores_inputs_and_confirm_makes_pathfinders():
    staff, call, apps = _scored_call(quotas=[("egov", 1, None)])
    run = selection_run(call=call, actor=staff)
    assert run.status == "optimal"
    assert run.result["selected"] == [apps[0].reference, apps[1].reference]
    assert run.inputs["select"] == 2 and len(run.inputs["applications"]) == 4
    pinned = selection_run(call=call, pinned=[apps[3].reference], actor=staff)
    assert apps[3].reference in pinned.result["selected"]
    with pytest.raises(DomainError) as err:
        selection_confirm(run=run, actor=staff)
    assert err.value.code == "programme.run_not_latest"
    selection_confirm(run=pinned, actor=staff)
    assert set(Partnership.objects.filter(is_pathfinder=True).values_list("pk", flat=True)) == {
        a.partnership_id for a in apps if a.reference in pinned.result["selected"]
    }
    statuses = dict(Application.objects.values_list("reference", "status"))
    assert statuses[apps[2].reference] == ApplicationStatus.NOT_SELECTED
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED
    with pytest.raises(DomainError):
        selection_run(call=call, actor=staff)


def test_infeasible_quotas_are_stored_with_the_explanation_and_cannot_be_confirmed():
    staff, call, _ = _scored_call(quotas=[("egov", 3, None)])
    run = selection_run(call=call, actor=staff)
    assert run.status == "infeasible"
    assert "at least 3 'egov'" in run.result["explanation"]["message"]
    with pytest.raises(DomainError) as err:
        selection_confirm(run=run, actor=staff)
    assert err.value.code == "programme.run_not_optimal"
    assert SelectionRun.objects.count() == 1
