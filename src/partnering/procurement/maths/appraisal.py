"""Options appraisal: whole-life discounted cost, weighted totals and ranking sensitivity.

Options and criteria are keyed by string ids. Weights are percentages that add up to 100;
scores are on a scale from 0 to ``scale``. A weighted total is ``sum(w_c * s_oc) / scale``,
so it runs from 0 to 100.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "AppraisalError",
    "Crossing",
    "Sensitivity",
    "cost_scores",
    "discount_factors",
    "rank",
    "sensitivity",
    "weighted_totals",
    "weights_check",
    "whole_life_cost",
]

PENNY = Decimal("0.01")
TOLERANCE = 1e-9


class AppraisalError(ValueError):
    """The figures cannot be appraised; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def weights_check(weights: Mapping[str, Decimal]) -> Decimal:
    """How far the weights are from adding up to 100 (0 when they do; negative when short).

    Examples
    --------
    >>> weights_check({"cost": Decimal(40), "quality": Decimal(50)})
    Decimal('-10')
    """
    return sum(weights.values(), Decimal(0)) - 100


def discount_factors(term_years: int, rate_percent: Decimal) -> list[Decimal]:
    """``1 / (1 + r)^t`` for years ``t = 1 .. term_years`` (costs fall at each year's end).

    Examples
    --------
    >>> [f.quantize(Decimal("0.0001")) for f in discount_factors(2, Decimal("3.5"))]
    [Decimal('0.9662'), Decimal('0.9335')]

    Notes
    -----
    Exact decimal arithmetic (28 significant digits); HM Treasury's Green Book rate is 3.5%.

    References
    ----------
    .. [1] HM Treasury, *The Green Book: appraisal and evaluation in central government*
       (2003, revised 2022), annex 6 "Discounting".
    """
    if term_years < 1:
        raise AppraisalError("The term must be at least one year", "term_years")
    if rate_percent < 0 or rate_percent >= 100:
        raise AppraisalError("The discount rate must be from 0% up to (not including) 100%",
                             "discount_rate")  # fmt: skip
    base = 1 + rate_percent / 100
    return [1 / base**t for t in range(1, term_years + 1)]


def whole_life_cost(
    *, upfront: Decimal, annual: Decimal, term_years: int, rate_percent: Decimal
) -> Decimal:
    """Present value of an upfront cost (year 0) and an annual cost over the term, to the penny.

    Examples
    --------
    >>> whole_life_cost(upfront=Decimal(1000), annual=Decimal(100), term_years=2,
    ...                 rate_percent=Decimal(0))
    Decimal('1200.00')
    """
    factors = discount_factors(term_years, rate_percent)
    value = upfront + annual * sum(factors, Decimal(0))
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def cost_scores(costs: Mapping[str, Decimal], scale: int) -> dict[str, float]:
    """Scores for a cost criterion: the cheapest option scores ``scale``, the others
    ``scale * cheapest / cost`` (the usual lowest-price ratio); a zero-cost option scores full.
    """
    if not costs:
        return {}
    positive = [c for c in costs.values() if c > 0]
    cheapest = min(positive) if positive else Decimal(0)
    out = {}
    for key, cost in costs.items():
        out[key] = float(scale) if cost <= 0 else float(scale * cheapest / cost)
    return out


def weighted_totals(
    weights: Mapping[str, float],
    scores: Mapping[str, Mapping[str, float]],
    scale: int,
) -> dict[str, float]:
    """Each option's weighted total out of 100; a missing score counts as 0."""
    return {
        option: sum(w * row.get(c, 0.0) for c, w in weights.items()) / scale
        for option, row in scores.items()
    }


def rank(totals: Mapping[str, float]) -> list[str]:
    """Options from best to worst (ties broken by id so the order is stable)."""
    return sorted(totals, key=lambda o: (-round(totals[o], 9), o))


@dataclass(frozen=True)
class Crossing:
    """Moving the criterion's weight to ``weight`` (percent) makes ``option`` draw level with
    the leader; any further and it leads."""

    weight: float
    option: str

    @property
    def change(self) -> float:
        return self.weight


@dataclass(frozen=True)
class Sensitivity:
    """How far one criterion's weight can move before the leading option changes."""

    criterion: str
    weight: float
    down: Crossing | None  # the nearest lower weight at which the lead changes, or None
    up: Crossing | None  # the nearest higher weight at which the lead changes, or None

    @property
    def margin(self) -> float | None:
        """The smallest move (percentage points) that changes the leader, or None if none does."""
        moves = [abs(c.weight - self.weight) for c in (self.down, self.up) if c is not None]
        return min(moves) if moves else None


def _reweighted(weights: Mapping[str, float], criterion: str, new: float) -> dict[str, float]:
    """``criterion`` at ``new``; the others scaled to keep their proportions and the sum 100
    (shared equally when all the others are 0)."""
    old = weights[criterion]
    others = [c for c in weights if c != criterion]
    rest = 100.0 - old
    out = {criterion: new}
    for c in others:
        out[c] = (
            weights[c] * (100.0 - new) / rest if rest > TOLERANCE else (100.0 - new) / len(others)
        )
    return out


def sensitivity(
    weights: Mapping[str, float],
    scores: Mapping[str, Mapping[str, float]],
    scale: int,
) -> list[Sensitivity]:
    """For each criterion, the weights (moving only that one, the others in proportion) at which
    the leading option changes, computed exactly.

    Each option's total is linear in the moved weight ``x``: ``T_o(x) = a_o + b_o x``. The leader
    ``L`` is overtaken by ``o`` where the two lines cross, ``x = (a_L - a_o) / (b_o - b_L)``; the
    nearest crossing on each side of the current weight inside ``[0, 100]`` is reported.

    Examples
    --------
    >>> w = {"cost": 60.0, "quality": 40.0}
    >>> s = {"A": {"cost": 10, "quality": 0}, "B": {"cost": 0, "quality": 10}}
    >>> result = sensitivity(w, s, 10)[0]
    >>> (result.criterion, result.down.weight, result.down.option, result.up)
    ('cost', 50.0, 'B', None)

    Notes
    -----
    O(C x O) for C criteria and O options. Ties within 1e-9 count as level.
    """
    options = list(scores)
    if len(options) < 2 or not weights:
        return [Sensitivity(c, w, None, None) for c, w in weights.items()]
    current = rank(weighted_totals(weights, scores, scale))
    leader = current[0]
    out = []
    for criterion, weight in weights.items():
        lines = {}
        for option in options:
            at0 = weighted_totals(_reweighted(weights, criterion, 0.0), {option: scores[option]},
                                  scale)[option]  # fmt: skip
            at100 = weighted_totals(_reweighted(weights, criterion, 100.0),
                                    {option: scores[option]}, scale)[option]  # fmt: skip
            lines[option] = (at0, (at100 - at0) / 100.0)
        a_lead, b_lead = lines[leader]
        down: Crossing | None = None
        up: Crossing | None = None
        for option in options:
            if option == leader:
                continue
            a, b = lines[option]
            if abs(b - b_lead) < TOLERANCE:
                continue
            x = (a_lead - a) / (b - b_lead)
            if not -TOLERANCE <= x <= 100 + TOLERANCE:
                continue
            x = min(max(x, 0.0), 100.0)
            # Level now (a tie broken by id): the lead goes the way the other line rises.
            below = x < weight - TOLERANCE or (abs(x - weight) <= TOLERANCE and b < b_lead)
            above = x > weight + TOLERANCE or (abs(x - weight) <= TOLERANCE and b > b_lead)
            if below and (down is None or x > down.weight):
                down = Crossing(round(x, 6), option)
            elif above and (up is None or x < up.weight):
                up = Crossing(round(x, 6), option)
        out.append(Sensitivity(criterion, weight, down, up))
    return out
