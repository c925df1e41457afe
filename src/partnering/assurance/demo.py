"""The assurance room's demo: gateway reviews of the two named partnerships (North Yorkshire's
Gate 0 in 2003 rated Amber/Red, its shrinking membership a finding; Worcestershire's Gate 0
and Gate 1) with recommendations. Idempotent; rows marked ``is_demo``. Dates and wording are
illustrative, not from real review reports (Gateway reports were confidential)."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from partnering.partnerships.models import Partnership

from . import services
from .models import Recommendation, Review, Risk

User = get_user_model()
WORCS, NORTH_YORKS = "worcestershire-partnership", "north-yorkshire-ict-partnership"

NORTH_YORKS_REVIEW = {
    "gate": 0,
    "starts_on": date(2003, 9, 15),
    "ends_on": date(2003, 9, 18),
    "rating": "amber_red",
    "summary": (
        "The partnership's aim of shared ICT for the county and its districts remains sound, "
        "but its membership has shrunk since 2002 and the remaining partners have not yet "
        "agreed how the cost of the shared service will be met without the departed councils."
    ),
    "rating_statement": (
        "Successful delivery is in doubt: with fewer members the economies of scale in the "
        "business case are not available, and there is no agreed plan to replace them."
    ),
    "interviews": [
        ("Chief Executive", "Senior responsible owner", "North Yorkshire County Council"),
        ("Head of ICT", "Partnership manager", "North Yorkshire County Council"),
        ("Director of Resources", "Partner representative", "a district council"),
    ],
    "documents": [
        ("Partnership agreement", date(2002, 6, 1)),
        ("Shared ICT outline business case", date(2002, 11, 4)),
        ("Partnership board minutes", date(2003, 7, 10)),
    ],
    "findings": [
        (
            "governance",
            "The partnership's membership has shrunk: councils have withdrawn since "
            "2002 and the board has not revisited the agreement or the cost split.",
        ),
        (
            "business_case",
            "The business case assumed every district would join; its savings "
            "are overstated for the partnership as it stands.",
        ),
        (
            "risk",
            "There is no risk register for partner withdrawal, the partnership's largest risk.",
        ),
    ],
    "recommendations": [
        (
            "critical",
            "Confirm in writing which councils remain committed members and on what "
            "terms, before any further investment.",
            None,
            "done",
        ),
        (
            "essential",
            "Re-base the business case and the cost-sharing formula on the current membership.",
            date(2003, 12, 19),
            "in_progress",
        ),
        (
            "essential",
            "Set up a risk register with partner withdrawal as a managed risk.",
            date(2003, 11, 28),
            "done",
        ),
        ("recommended", "Agree an exit protocol for members that leave.", None, "open"),
    ],
}

WORCS_REVIEWS = [
    {
        "gate": 0,
        "starts_on": date(2003, 2, 10),
        "ends_on": date(2003, 2, 13),
        "rating": "amber_green",
        "summary": "A committed county-wide partnership with a clear vision for joined-up "
                   "access to services; programme governance is in place but benefits need "
                   "to be quantified.",
        "rating_statement": "Successful delivery appears probable with attention to the "
                            "benefits case.",
        "interviews": [("Partnership director", "Senior responsible owner",
                        "Worcestershire County Council")],
        "documents": [("Worcestershire Partnership programme plan", date(2002, 12, 2))],
        "findings": [("benefits", "Benefits are described but not yet measured or owned.")],
        "recommendations": [
            ("essential", "Quantify the benefits and name an owner for each.", date(2003, 5, 30),
             "done"),
            ("recommended", "Share the programme plan with the district partners' scrutiny "
                            "committees.", None, "done"),
        ],
    },
    {
        "gate": 1,
        "starts_on": date(2003, 10, 6),
        "ends_on": date(2003, 10, 9),
        "rating": "amber",
        "summary": "The business justification for shared customer contact centres is made, but "
                   "the TUPE implications for staff moving between councils are not yet costed.",
        "rating_statement": "Feasible; the staff transfer issues are resolvable if addressed now.",
        "interviews": [("Head of HR", "Workstream lead", "Worcestershire County Council")],
        "documents": [("Customer contact business case", date(2003, 9, 1))],
        "findings": [("resources", "TUPE transfer of staff between employers is unplanned.")],
        "recommendations": [
            ("critical", "Cost the TUPE transfer of contact-centre staff and agree who bears it.",
             None, "open"),
            ("essential", "Agree the data-sharing protocol between the councils.",
             date(2004, 1, 30), "open"),
        ],
    },
]  # fmt: skip


def _make(
    partnership: Partnership, spec: dict[str, Any], lead: Any, owner: Any, staff: Any
) -> None:
    review = services.review_create(
        partnership=partnership,
        gate=spec["gate"],
        starts_on=spec["starts_on"],
        ends_on=spec["ends_on"],
        lead=lead,
        members=[staff] if staff else [],
        is_demo=True,
        actor=staff,
    )
    for name, role, org in spec["interviews"]:
        services.interview_add(review=review, name=name, role=role, organisation=org, actor=staff)
    for title, dated in spec["documents"]:
        services.document_add(review=review, title=title, dated=dated, actor=staff)
    for area, text in spec["findings"]:
        services.finding_add(review=review, area=area, text=text, actor=staff)
    for urgency, text, due, status in spec["recommendations"]:
        rec = services.recommendation_add(
            review=review, text=text, urgency=urgency, owner=owner, due_on=due, actor=staff
        )
        if status != "open":
            services.recommendation_update(
                recommendation=rec, status=status, note="Demo follow-up", actor=staff
            )
    data = {k: spec[k] for k in ("rating", "summary", "rating_statement")}
    services.review_update(review=review, data=data, actor=staff)
    services.review_finalise(review=review, actor=staff)
    services.review_publish(review=review, actor=staff)


# (title, category, cause, event, effect, inherent (L, I), current, target, treatment, note)
NAMED_RISKS = [
    ("Partners withdraw", "partnership", "Councils' priorities change after elections",
     "One or more councils leave the partnership", "Fixed costs fall on fewer members",
     (4, 5), (4, 4), (2, 3), "reduce", "Exit terms and notice periods in the agreement"),
    ("Supplier lock-in", "procurement", "A single supplier runs the shared platform",
     "The supplier raises prices or under-performs at renewal",
     "Costs rise with no practical alternative", (3, 4), (3, 4), (2, 2), "reduce",
     "Open standards and data export in the contract"),
    ("TUPE transfer of staff", "legal", "Staff move between employers into the shared service",
     "Transfer terms are challenged or harmonisation costs more than planned",
     "Delay, dispute and higher pay costs", (4, 4), (3, 4), (2, 3), "reduce",
     "Early consultation with unions"),
    ("Benefits not realised", "financial", "Savings depend on channel shift and reduced posts",
     "Planned cashable savings do not materialise", "The business case fails",
     (4, 4), (4, 3), (2, 3), "reduce", "Benefits register with named owners"),
    ("Data sharing between councils", "information_governance",
     "Customer records are shared across councils and agencies",
     "Personal data is shared without a lawful basis or protocol",
     "Breach of the Data Protection Act 1998 and loss of trust", (3, 5), (2, 5), (1, 4),
     "reduce", "Information sharing protocol signed by every partner"),
    ("Key staff leave", "service_delivery", "The programme relies on a few specialists",
     "The programme manager or technical lead leaves", "Delivery slips", (3, 3), (3, 3),
     (2, 2), "reduce", "Deputies named and documented"),
    ("Legacy systems do not integrate", "technical", "Each council runs different back-office systems",
     "Interfaces to the shared CRM fail or cost more", "Services cannot be joined up",
     (4, 4), (3, 4), (2, 3), "reduce", "Integration proof of concept first"),
    ("Funding not renewed", "financial", "Pathfinder funding is time-limited",
     "Central funding ends before the service pays for itself", "A funding gap", (4, 4),
     (4, 4), (3, 3), "accept", "Partners agree to underwrite the gap"),
    ("Public reaction to closing local offices", "reputational",
     "Face-to-face services move to shared centres",
     "Residents and councillors oppose the change", "Political support is withdrawn",
     (3, 3), (3, 3), (2, 2), "reduce", "Consultation and outreach points"),
    ("Procurement challenge", "procurement", "A large contract is let under EU rules",
     "An unsuccessful bidder challenges the award", "Delay and legal costs", (2, 4), (2, 4),
     (1, 4), "reduce", "Legal review of the evaluation"),
    ("Private partner insolvency", "financial", "The private partner is a small firm",
     "The partner becomes insolvent", "The service stops", (2, 5), (2, 5), (1, 5), "transfer",
     "Parent company guarantee and step-in rights"),
    ("Governance too slow", "partnership", "Every council's cabinet must agree decisions",
     "Decisions take months", "The programme misses its milestones", (4, 3), (3, 3), (2, 2),
     "reduce", "Delegated authority to the partnership board"),
]  # fmt: skip
LIGHT_RISKS = NAMED_RISKS[:3]


def _data(spec: tuple[Any, ...], owner: Any, scores: tuple[Any, ...]) -> dict[str, Any]:
    title, category, cause, event, effect, _inh, _cur, _tgt, treatment, note = spec
    inherent, current, target = scores
    return {
        "title": title, "category": category, "cause": cause, "event": event, "effect": effect,
        "owner": owner, "proximity": date(2004, 3, 31), "treatment": treatment,
        "treatment_notes": note,
        "inherent_likelihood": inherent[0], "inherent_impact": inherent[1],
        "current_likelihood": current[0], "current_impact": current[1],
        "target_likelihood": target[0], "target_impact": target[1],
    }  # fmt: skip


def _register(partnership: Partnership, specs: list[Any], owner: Any, staff: Any,
              named: bool) -> int:  # fmt: skip
    if Risk.objects.filter(register__partnership=partnership).exists():
        return 0
    recs = list(Recommendation.objects.filter(review__partnership=partnership))
    for index, spec in enumerate(specs):
        inherent, current, target = spec[5], spec[6], spec[7]
        start = inherent if named else current
        risk = services.risk_create(partnership=partnership, data=_data(spec, owner, (inherent, start, target)),
                                    is_demo=True, actor=staff)  # fmt: skip
        if start != current:
            services.risk_update(risk=risk, data=_data(spec, owner, (inherent, current, target)),
                                 note="Controls in place", actor=staff)  # fmt: skip
        if named and index == 0:
            risk = services.risk_update(risk=risk, data={"current_likelihood": 5},
                                        note="A council gave notice", actor=staff)  # fmt: skip
            services.risk_update(risk=risk, data={"current_likelihood": 4},
                                 note="Remaining partners re-committed", actor=staff)  # fmt: skip
            if recs:
                services.risk_update(risk=risk, data={}, recommendations=recs[:1], actor=staff)
            services.risk_escalate(risk=risk, reason="Membership loss threatens the pathfinder "
                                   "model for other two-tier areas", actor=staff)  # fmt: skip
        if named and spec[0] == "Funding not renewed":
            services.risk_accept(risk=risk, approver="Chair of the partnership board",
                                 approver_role="Leader of the lead council",
                                 reason="No further mitigation is available; partners underwrite",
                                 accepted_on=date(2003, 11, 1), review_on=date(2004, 4, 1),
                                 actor=staff)  # fmt: skip
        services.risk_action_add(risk=risk, text=f"Review: {spec[9]}", owner=owner,
                                 due_on=date(2004, 1, 30), actor=staff)  # fmt: skip
    return len(specs)


def load() -> str:
    staff = User.objects.filter(username="staff").first()
    lead = User.objects.filter(username="adviser").first()
    made = 0
    plans = [(NORTH_YORKS, [NORTH_YORKS_REVIEW], "northyorks"), (WORCS, WORCS_REVIEWS, "worcs")]
    for slug, specs, owner_name in plans:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None or lead is None:
            continue
        if Review.objects.filter(partnership=partnership, is_demo=True).exists():
            continue
        owner = User.objects.filter(username=owner_name).first() or staff or lead
        for spec in specs:
            _make(partnership, spec, lead, owner, staff)
            made += 1
    risks = 0
    for slug, owner_name in ((NORTH_YORKS, "northyorks"), (WORCS, "worcs")):
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is not None and staff is not None:
            owner = User.objects.filter(username=owner_name).first() or staff
            risks += _register(partnership, NAMED_RISKS, owner, staff, named=True)
    if staff is not None:
        others = Partnership.objects.filter(is_pathfinder=True).exclude(
            slug__in=[WORCS, NORTH_YORKS]
        )
        for partnership in others.order_by("name"):
            risks += _register(partnership, LIGHT_RISKS, staff, staff, named=False)
    return f"{made} gateway reviews and {risks} risks created"
