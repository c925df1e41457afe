"""Assessment arithmetic (the pattern of the programme room's assessment, written for rounds):
each criterion's assessors' scores, their spread, whether they disagree, and the weighted total
that uses the moderated score where the panel agreed one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CriterionResult:
    criterion: int
    scores: tuple[int, ...]
    spread: int
    disagrees: bool
    moderated: int | None
    used: Decimal | None  # the score counted: the moderated one, else the assessors' mean


def criterion_result(
    criterion: int, scores: Sequence[int], moderated: int | None, spread_limit: int
) -> CriterionResult:
    """>>> criterion_result(1, [3, 8], None, 3).disagrees
    True
    >>> criterion_result(1, [3, 8], 6, 3).used
    Decimal('6')
    """
    spread = (max(scores) - min(scores)) if scores else 0
    if moderated is not None:
        used: Decimal | None = Decimal(moderated)
    elif scores:
        used = Decimal(sum(scores)) / Decimal(len(scores))
    else:
        used = None
    return CriterionResult(
        criterion=criterion,
        scores=tuple(scores),
        spread=spread,
        disagrees=spread > spread_limit and moderated is None,
        moderated=moderated,
        used=used,
    )


def weighted_score(
    results: Sequence[CriterionResult], weights: Mapping[int, Decimal], score_max: int
) -> Decimal | None:
    """The weighted score as a percentage of the most it could be (2 places); None while any
    criterion is unscored or still needs moderation.

    >>> r = [criterion_result(1, [10], None, 3), criterion_result(2, [5], None, 3)]
    >>> weighted_score(r, {1: Decimal(1), 2: Decimal(1)}, 10)
    Decimal('75.00')
    """
    if not results or any(r.used is None or r.disagrees for r in results):
        return None
    top = sum(weights[r.criterion] * score_max for r in results)
    if top == 0:
        return None
    got = sum(weights[r.criterion] * r.used for r in results if r.used is not None)
    return (Decimal(100) * got / top).quantize(Decimal("0.01"))
