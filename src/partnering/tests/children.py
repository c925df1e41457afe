"""Records that hang off a partnership, for the tests that walk every route under one."""

from datetime import date
from typing import Any


def assurance_and_appraisal(partnership: Any, *, staff: Any, lead: Any) -> dict[str, Any]:
    """A gateway review (led by ``lead``) with a recommendation, a register risk with an action,
    and an options appraisal with one criterion and one option, all recorded by ``staff``."""
    from partnering.assurance import services as assurance
    from partnering.assurance.tests.factories import make_review, make_risk
    from partnering.procurement import services as procurement

    review = make_review(partnership, gate=0, lead=lead)
    rec = assurance.recommendation_add(review=review, text="Fix", urgency="recommended",
                                       owner=staff, actor=None)  # fmt: skip
    risk = make_risk(partnership, staff)
    action = assurance.risk_action_add(risk=risk, text="Negotiate exit terms", owner=staff,
                                       due_on=date(2004, 1, 1), actor=None)  # fmt: skip
    appraisal = procurement.appraisal_create(partnership=partnership, title="Options", actor=None)
    procurement.criteria_set(appraisal=appraisal, criteria=[
        {"name": "Quality", "kind": "quality", "weight": 100}], actor=None)  # fmt: skip
    option = procurement.option_add(appraisal=appraisal, kind="in_house", name="In-house",
                                    annual_cost="100000", actor=None)  # fmt: skip
    return {"review": review, "rec": rec, "risk": risk, "action": action,
            "appraisal": appraisal, "option": option}  # fmt: skip


def every_child(
    partnership: Any, *, staff: Any, adviser: Any, call: Any = None, round_: Any = None
) -> dict[Any, Any]:
    """Children of every kind under ``partnership`` (which has a member besides its lead, and
    ``adviser`` among its advisers): an aim, a priority entered on it, two cost-model versions
    with an agreement, a gateway review with a recommendation, a risk with an action, an options
    appraisal, a procurement to contract with its management arrangements, advice and a
    mentoring session, and draft applications to a programme ``call`` and a funding ``round_``
    (new ones when not given).

    Returns the values of the routes' path parameters that point at them, keyed as
    ``tests.reliability.routes.fill`` looks them up."""
    from partnering.funding.tests.factories import make_application as make_fund_application
    from partnering.funding.tests.factories import make_round
    from partnering.partnerships.tests.factories import PriorityFactory, StrategicAimFactory
    from partnering.procurement import services as procurement
    from partnering.procurement.tests.factories import run_to_award
    from partnering.programme.services import advice_record, session_record
    from partnering.programme.tests.factories import make_application, make_call
    from partnering.sharing import services as sharing
    from partnering.sharing.tests.factories import spec_for

    p = partnership
    lead = p.lead_organisation
    membership = p.memberships.exclude(organisation=lead).order_by("pk").first()
    aim = StrategicAimFactory(partnership=p)
    priority = PriorityFactory(organisation=lead, entered_for=p)
    for _ in range(2):
        cost_model = sharing.cost_model_create(partnership=p, spec=spec_for(p), actor=None)
    sharing.agreement_record(cost_model=cost_model, method="shapley", agreed_on=date(2002, 7, 1),
                             reason="Fair", actor=None)  # fmt: skip
    kids = assurance_and_appraisal(p, staff=staff, lead=adviser)
    done, _ = run_to_award(p)
    arrangement = procurement.arrangement_save(
        contract=done.contract, board_name="Board", meeting_frequency="quarterly",
        client_team="Two", payment_mechanism="Monthly", actor=None,
    )  # fmt: skip
    procurement.kpi_add(arrangement=arrangement, name="Availability", target=99, actor=None)
    advice_record(partnership=p, adviser=adviser, advice_type="legal", given_on=date(2003, 1, 6),
                  summary="Start small", actor=adviser)  # fmt: skip
    session_record(partnership=p, adviser=adviser, held_on=date(2003, 1, 6), actor=adviser)
    call_app = make_application(call or make_call(actor=staff), partnership=p, submit=False)
    fund_app = make_fund_application(round_ or make_round(actor=staff), partnership=p,
                                     submit=False)  # fmt: skip
    review, rec, risk, action = kids["review"], kids["rec"], kids["risk"], kids["action"]
    return {
        "slug": p.slug,
        ("members", "pk"): membership.pk,
        "membership_id": membership.pk,
        ("aims", "pk"): aim.pk,
        "aim_id": aim.pk,
        ("priorities", "pk"): priority.pk,
        "org_slug": lead.slug,
        "version": cost_model.version,
        "table": "methods",
        "fmt": "csv",
        ("reviews", "pk"): review.pk,
        "review_id": review.pk,
        ("recommendations", "pk"): rec.pk,
        "rec_id": rec.pk,
        "number": risk.number,
        "action_id": action.pk,
        ("appraisals", "pk"): kids["appraisal"].pk,
        "appraisal_id": kids["appraisal"].pk,
        "option_pk": kids["option"].pk,
        ("procurements", "pk"): done.pk,
        "procurement_id": done.pk,
        ("programme", "reference"): call_app.reference,
        ("funding", "reference"): fund_app.reference,
        ("advisers", "username"): adviser.username,
    }
