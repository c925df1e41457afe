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
