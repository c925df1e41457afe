"""The stage check the assurance room registers with the partnerships room (apps.py).

A partnership may not move forward into (or beyond) the stage a gate guards while a Critical
recommendation of a review at that gate is open (open or in progress). Going back, and
abandoning (closing), are never blocked. Staff may override with a recorded reason.
"""

from typing import Any

from partnering.partnerships.models import STAGE_ORDER, Stage
from partnering.partnerships.registry import StageBlock

from .errors import AssuranceError as E
from .gates import GATES
from .models import OPEN_STATUSES, Recommendation, Urgency


def critical_recommendations_open(partnership: Any, to_stage: str, actor: Any) -> list[StageBlock]:
    if to_stage not in STAGE_ORDER or to_stage == Stage.CLOSED:
        return []
    if partnership.stage in STAGE_ORDER and (
        STAGE_ORDER.index(to_stage) <= STAGE_ORDER.index(partnership.stage)
    ):
        return []
    target = STAGE_ORDER.index(to_stage)
    gates = [g.number for g in GATES if STAGE_ORDER.index(g.before_stage) <= target]
    open_criticals = list(
        Recommendation.objects.filter(
            review__partnership=partnership,
            review__gate__in=gates,
            urgency=Urgency.CRITICAL,
            status__in=OPEN_STATUSES,
        )
        .select_related("review")
        .order_by("review__gate", "number")
    )
    blocks: dict[int, list[Recommendation]] = {}
    for rec in open_criticals:
        blocks.setdefault(rec.review.gate, []).append(rec)
    return [
        StageBlock(
            code=str(E.CRITICAL_OPEN),
            message=(
                f"{recs[0].review.gate_info.label} has {len(recs)} open Critical "
                f"recommendation{'s' if len(recs) != 1 else ''} "
                f"({', '.join(f'R{r.number}' for r in recs)}): close "
                f"{'them' if len(recs) != 1 else 'it'} before moving to "
                f"{Stage(to_stage).label.lower()}."
            ),
            overridable=True,
        )
        for recs in blocks.values()
    ]
