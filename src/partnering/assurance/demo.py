"""The assurance room's demo: gateway reviews of the two named partnerships (North Yorkshire's
Gate 0 in 2003 rated Amber/Red, its shrinking membership a finding; Worcestershire's Gate 0
and Gate 1) with recommendations. Idempotent; rows marked ``is_demo``. Dates and wording are
illustrative, not from real review reports (Gateway reports were confidential)."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from partnering.partnerships.models import Partnership

from . import services
from .models import Review

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
    return f"{made} gateway reviews created"
