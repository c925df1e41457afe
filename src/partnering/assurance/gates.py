"""The OGC Gateway reference data: gates, the delivery confidence scale, recommendation classes.

Where each definition comes from is in docs/assurance.md. No Django models here: plain data the
models, forms, pages and the PDF report share.
"""

from dataclasses import dataclass

from partnering.partnerships.models import Stage


@dataclass(frozen=True)
class GateInfo:
    number: int
    name_2003: str  # the OGC Gateway name used for public projects in 2003
    name_today: str  # the name the IPA's Gateway uses today
    purpose: str
    before_stage: str  # the lifecycle stage a partnership may not enter while it has open Criticals

    @property
    def label(self) -> str:
        if self.name_today == self.name_2003:
            return f"Gate {self.number}: {self.name_2003}"
        return f"Gate {self.number}: {self.name_2003} (today {self.name_today})"


GATES = (
    GateInfo(0, "Strategic assessment", "Strategic assessment",
             "Confirms the programme's direction and planned outcomes; repeatable.",
             Stage.OPTIONS_APPRAISAL),
    GateInfo(1, "Business justification", "Business justification",
             "Confirms the business need and that the case is robust.", Stage.PROCUREMENT),
    GateInfo(2, "Procurement strategy", "Delivery strategy",
             "Confirms the way the partnership will be delivered and procured.", Stage.AGREEMENT),
    GateInfo(3, "Investment decision", "Investment decision",
             "Confirms the recommended decision before the agreement is signed.", Stage.AGREEMENT),
    GateInfo(4, "Readiness for service", "Readiness for service",
             "Confirms the partners are ready to move into service.", Stage.DELIVERY),
    GateInfo(5, "Benefits realisation", "Operations review and benefits realisation",
             "Confirms the benefits are being realised as the business case said.", Stage.REVIEW),
)  # fmt: skip
GATE_BY_NUMBER = {g.number: g for g in GATES}
GATE_CHOICES = [(g.number, g.label) for g in GATES]
REPEATABLE_GATES = {0}


@dataclass(frozen=True)
class Rating:
    value: str
    label: str
    meaning: str
    three_point: str  # the Red / Amber / Green scale used today
    tag: str = ""  # the GOV.UK tag colour (the label is always written: colour is never the cue)


RATINGS = (
    Rating("green", "Green",
           "Successful delivery to time, cost and quality appears highly likely, and no major "
           "outstanding issues appear at this stage to threaten delivery.", "Green", "govuk-tag--green"),
    Rating("amber_green", "Amber/Green",
           "Successful delivery appears probable, but constant attention is needed so that risks "
           "do not become major issues threatening delivery.", "Green", "govuk-tag--turquoise"),
    Rating("amber", "Amber",
           "Successful delivery appears feasible, but significant issues need management "
           "attention. They appear resolvable now and, if addressed promptly, should not affect "
           "delivery or benefits.", "Amber", "govuk-tag--yellow"),
    Rating("amber_red", "Amber/Red",
           "Successful delivery is in doubt: there are major risks or issues in a number of key "
           "areas. Urgent action is needed to address them and to find out whether they can be "
           "resolved.", "Red", "govuk-tag--orange"),
    Rating("red", "Red",
           "Successful delivery appears unachievable: major issues with definition, schedule, "
           "budget, quality or benefits do not appear manageable or resolvable at this stage. "
           "The partnership may need re-planning or its viability re-assessed.", "Red", "govuk-tag--red"),
)  # fmt: skip
RATING_BY_VALUE = {r.value: r for r in RATINGS}
RATING_CHOICES = [(r.value, r.label) for r in RATINGS]


@dataclass(frozen=True)
class Urgency:
    value: str
    label: str
    meaning: str


URGENCIES = (
    Urgency("critical", "Critical (do now)",
            "Of the greatest importance for success: act immediately."),
    Urgency("essential", "Essential (do by)",
            "Act in the near future, by the date stated, to make success more likely."),
    Urgency("recommended", "Recommended",
            "The partnership would benefit from taking this up."),
)  # fmt: skip
URGENCY_BY_VALUE = {u.value: u for u in URGENCIES}

FINDING_AREAS = (
    ("policy", "Policy and business context"),
    ("business_case", "Business case and stakeholders"),
    ("options", "Options and affordability"),
    ("governance", "Governance and partnership arrangements"),
    ("risk", "Risk management"),
    ("resources", "Resources and skills"),
    ("procurement", "Procurement and commercial arrangements"),
    ("readiness", "Readiness for the next phase"),
    ("benefits", "Benefits realisation"),
)
