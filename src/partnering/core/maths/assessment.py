"""Assessment arithmetic shared by the rooms that score applications against weighted criteria
(the programme room's pathfinder calls and the funding room's rounds): whether a score is on the
scale, each criterion's scores with their spread and whether the panel must moderate them, and
the weighted score.

The weighted score is the share of the most an application could score, measured from the
bottom of the scale: 100 × Σ weight × (score − min) / Σ weight × (max − min). On a scale from 0
(both rooms' default) that is Σ weight × score / Σ weight × max; measuring from the bottom makes
an application scored at the bottom on every criterion 0%, whatever the scale.

Which scores count is each room's rule, not this module's: the funding room gives no score (and
so makes no award) while a criterion still needs moderation; the programme room scores at once
and shows the disagreements beside the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal


def score_problem(value: object, score_min: int, score_max: int) -> str | None:
    """None when ``value`` is a whole number on the scale, else the message to show.

    >>> score_problem(7, 0, 10) is None
    True
    >>> score_problem(11, 0, 10)
    'Enter a whole number from 0 to 10'
    >>> score_problem(True, 0, 10)
    'Enter a whole number from 0 to 10'
    """
    if isinstance(value, bool) or not isinstance(value, int) or not score_min <= value <= score_max:
        return f"Enter a whole number from {score_min} to {score_max}"
    return None


@dataclass(frozen=True)
class CriterionResult:
    criterion: int
    scores: tuple[int, ...]
    spread: int
    disagrees: bool  # spread wider than the limit, and no moderated score yet
    moderated: int | None
    used: Decimal | None  # the score counted: the moderated one, else the assessors' mean


def criterion_result(
    criterion: int, scores: Sequence[int], moderated: int | None, spread_limit: int
) -> CriterionResult:
    """One criterion's assessors' scores, their spread (highest less lowest) and the score that
    counts: the panel's moderated score where there is one, else the mean.

    >>> criterion_result(1, [3, 8], None, 3).disagrees
    True
    >>> criterion_result(1, [3, 8], 6, 3).used
    Decimal('6')
    >>> criterion_result(1, [3, 6], None, 3).disagrees
    False
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
    results: Sequence[CriterionResult],
    weights: Mapping[int, Decimal],
    score_min: int,
    score_max: int,
    *,
    places: int = 2,
) -> Decimal | None:
    """The weighted score as a percentage of the most it could be, measured from the bottom of
    the scale, to ``places`` decimal places; None while any criterion is unscored, or when
    there is nothing to weigh.

    >>> r = [criterion_result(1, [10], None, 3), criterion_result(2, [5], None, 3)]
    >>> weighted_score(r, {1: Decimal(1), 2: Decimal(1)}, 0, 10)
    Decimal('75.00')
    >>> weighted_score(r, {1: Decimal(1), 2: Decimal(1)}, 1, 10, places=1)
    Decimal('72.2')
    """
    if not results or score_max <= score_min or any(r.used is None for r in results):
        return None
    top = sum((weights[r.criterion] * (score_max - score_min) for r in results), Decimal(0))
    if top <= 0:
        return None
    got = sum(
        (weights[r.criterion] * (r.used - score_min) for r in results if r.used is not None),
        Decimal(0),
    )
    return (Decimal(100) * got / top).quantize(Decimal(1).scaleb(-places))
