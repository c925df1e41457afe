"""Procurement routes, their stages in the only allowed order, and how OCDS names them.

The stages of every route come from one sequence (``STAGES``); a route uses a subset of it, in
that order, and a procurement records them one after another without skipping any.
"""

from dataclasses import dataclass

from django.db import models


class Stage(models.TextChoices):
    NOTICE = "notice", "Notice published"
    SELECTION = "selection", "Selection (shortlist)"
    DIALOGUE = "dialogue", "Dialogue or negotiation"
    ITT = "itt", "Invitation to tender"
    TENDERS = "tenders_received", "Tenders received"
    EVALUATION = "evaluation", "Evaluation"
    AWARD = "award_decision", "Award decision"
    STANDSTILL = "standstill", "Standstill"
    SIGNED = "contract_signed", "Contract signed"


STAGE_ORDER = [s.value for s in Stage]
STAGE_LABELS = dict(Stage.choices)


class Route(models.TextChoices):
    PCR_OPEN = "pcr_open", "Open procedure (PCR 2015, reg. 27)"
    PCR_RESTRICTED = "pcr_restricted", "Restricted procedure (PCR 2015, reg. 28)"
    PCR_DIALOGUE = "pcr_dialogue", "Competitive dialogue (PCR 2015, reg. 30)"
    PCR_NEGOTIATION = (
        "pcr_negotiation",
        "Competitive procedure with negotiation (PCR 2015, reg. 29)",
    )
    PCR_INNOVATION = "pcr_innovation", "Innovation partnership (PCR 2015, reg. 31)"
    PA_OPEN = "pa_open", "Open procedure (Procurement Act 2023, s. 20)"
    PA_FLEXIBLE = "pa_flexible", "Competitive flexible procedure (Procurement Act 2023, s. 20)"
    PA_DIRECT = "pa_direct", "Direct award (Procurement Act 2023, ss. 41–43)"
    CALL_OFF = "call_off", "Call-off from a framework"
    TECKAL = "exempt_teckal", "Exempt: vertical arrangement (‘Teckal’)"
    HORIZONTAL = "exempt_horizontal", "Exempt: horizontal co-operation between public bodies"


@dataclass(frozen=True)
class RouteInfo:
    code: str
    label: str
    regime: str
    method: str  # OCDS tender.procurementMethod (closed codelist "method")
    stages: tuple[str, ...]
    exempt: bool = False
    default_basis: str = ""

    @property
    def competitive(self) -> bool:
        return Stage.TENDERS in self.stages


_FULL = tuple(STAGE_ORDER)
_RESTRICTED = tuple(s for s in STAGE_ORDER if s != Stage.DIALOGUE)
_OPEN = tuple(s for s in STAGE_ORDER if s not in (Stage.SELECTION, Stage.DIALOGUE, Stage.ITT))
_DIRECT = (Stage.NOTICE, Stage.AWARD, Stage.STANDSTILL, Stage.SIGNED)
_CALL_OFF = (Stage.ITT, Stage.TENDERS, Stage.EVALUATION, Stage.AWARD, Stage.SIGNED)
_EXEMPT = (Stage.AWARD, Stage.SIGNED)

PCR = "Public Contracts Regulations 2015"
PA = "Procurement Act 2023"
ROUTES: dict[str, RouteInfo] = {
    r.code: r
    for r in [
        RouteInfo(Route.PCR_OPEN, Route.PCR_OPEN.label, PCR, "open", _OPEN),
        RouteInfo(Route.PCR_RESTRICTED, Route.PCR_RESTRICTED.label, PCR, "selective", _RESTRICTED),
        RouteInfo(Route.PCR_DIALOGUE, Route.PCR_DIALOGUE.label, PCR, "selective", _FULL),
        RouteInfo(Route.PCR_NEGOTIATION, Route.PCR_NEGOTIATION.label, PCR, "selective", _FULL),
        RouteInfo(Route.PCR_INNOVATION, Route.PCR_INNOVATION.label, PCR, "selective", _FULL),
        RouteInfo(Route.PA_OPEN, Route.PA_OPEN.label, PA, "open", _OPEN),
        RouteInfo(Route.PA_FLEXIBLE, Route.PA_FLEXIBLE.label, PA, "selective", _FULL),
        RouteInfo(Route.PA_DIRECT, Route.PA_DIRECT.label, PA, "direct", _DIRECT),
        RouteInfo(Route.CALL_OFF, Route.CALL_OFF.label, "Framework agreement", "selective",
                  _CALL_OFF),
        RouteInfo(Route.TECKAL, Route.TECKAL.label, "Exempt from procurement", "direct", _EXEMPT,
                  exempt=True,
                  default_basis="Public Contracts Regulations 2015 reg. 12(1) (Procurement Act "
                                "2023 Schedule 2 para. 2): a contract with a body the authority "
                                "controls, which does more than 80% of its work for it"),
        RouteInfo(Route.HORIZONTAL, Route.HORIZONTAL.label, "Exempt from procurement", "direct",
                  _EXEMPT, exempt=True,
                  default_basis="Public Contracts Regulations 2015 reg. 12(7) (Procurement Act "
                                "2023 Schedule 2 para. 3): co-operation between public bodies "
                                "to deliver public services they share, in the public interest, "
                                "less than 20% of it on the open market"),
    ]
}  # fmt: skip

#: The release tag (OCDS closed codelist "releaseTag") published when a stage is recorded.
STAGE_TAGS = {
    Stage.NOTICE: "tender",
    Stage.SELECTION: "tenderUpdate",
    Stage.DIALOGUE: "tenderUpdate",
    Stage.ITT: "tenderUpdate",
    Stage.TENDERS: "tenderUpdate",
    Stage.EVALUATION: "tenderUpdate",
    Stage.AWARD: "award",
    Stage.STANDSTILL: "awardUpdate",
    Stage.SIGNED: "contract",
}


def tag_for(route: RouteInfo, stage: str) -> str:
    """The release tag of a stage: the route's first stage opens the process ("tender", or
    "award" for a process that starts at its award)."""
    if stage == route.stages[0] and STAGE_TAGS[stage] == "tenderUpdate":  # type: ignore[index]
        return "tender"
    return STAGE_TAGS[stage]  # type: ignore[index]


def next_stage(route: RouteInfo, done: list[str]) -> str | None:
    """The one stage that may be recorded next (None when the route is complete)."""
    remaining = [s for s in route.stages if s not in done]
    return remaining[0] if remaining else None
