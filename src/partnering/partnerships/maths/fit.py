"""Priorities fit: how well a partnership's aims serve each member's own weighted priorities."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MAX_SCORE",
    "POOR_FIT_THRESHOLD",
    "MemberFit",
    "MemberPriorities",
    "WeightedPriority",
    "fit_matrix",
    "is_valid_score",
    "member_fit",
]

MAX_SCORE = 3
POOR_FIT_THRESHOLD = 50.0


@dataclass(frozen=True)
class WeightedPriority:
    """One priority of a member: an id, a weight from 1 to 5 and a title for explanations."""

    id: str
    weight: int
    title: str = ""


@dataclass(frozen=True)
class MemberPriorities:
    member: str
    priorities: tuple[WeightedPriority, ...]


@dataclass(frozen=True)
class MemberFit:
    """The fit of the partnership to one member.

    ``by_aim[aim]`` is the weighted fit (0-100) of that aim alone to the member's priorities;
    ``overall`` the weighted fit (0-100) of the best-serving aim for each priority; ``None`` when
    the member has recorded no priorities. ``unserved`` lists the priorities no aim scores above 1.
    """

    member: str
    by_aim: Mapping[str, float | None]
    overall: float | None
    unserved: tuple[WeightedPriority, ...] = field(default_factory=tuple)
    unscored: int = 0

    @property
    def is_poor(self) -> bool:
        return self.overall is not None and self.overall < POOR_FIT_THRESHOLD


def is_valid_score(score: object) -> bool:
    """A score is an integer from 0 (does not serve the priority) to 3 (fully serves it).

    Examples
    --------
    >>> is_valid_score(2), is_valid_score(4), is_valid_score(1.5)
    (True, False, False)
    """
    return isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= MAX_SCORE


def member_fit(
    member: MemberPriorities,
    aims: Sequence[str],
    scores: Mapping[tuple[str, str], int],
) -> MemberFit:
    """Weighted fit of the aims to one member's priorities.

    Parameters
    ----------
    member : MemberPriorities
        The member's priorities with weights (positive integers).
    aims : sequence of str
        The partnership's aim ids.
    scores : mapping (aim id, priority id) -> int
        Scores from 0 to 3; a missing pair counts as 0 and is counted in ``unscored``.

    Returns
    -------
    MemberFit
        ``by_aim[a] = 100 * sum_i w_i s(a, i) / (3 sum_i w_i)`` and
        ``overall = 100 * sum_i w_i max_a s(a, i) / (3 sum_i w_i)``.

    Raises
    ------
    ValueError
        If a weight is not a positive integer or a score is outside 0..3.

    Examples
    --------
    >>> m = MemberPriorities("york", (WeightedPriority("p1", 3), WeightedPriority("p2", 1)))
    >>> fit = member_fit(m, ["a1", "a2"], {("a1", "p1"): 3, ("a2", "p2"): 3})
    >>> fit.by_aim["a1"], fit.by_aim["a2"], fit.overall
    (75.0, 25.0, 100.0)

    Notes
    -----
    O(aims x priorities). Results are rounded to one decimal place.
    """
    for p in member.priorities:
        if not isinstance(p.weight, int) or isinstance(p.weight, bool) or p.weight < 1:
            raise ValueError(f"weight of priority {p.id!r} must be a positive integer")
    for key, value in scores.items():
        if not is_valid_score(value):
            raise ValueError(f"score for {key!r} must be an integer from 0 to {MAX_SCORE}")
    total_weight = sum(p.weight for p in member.priorities)
    if total_weight == 0:
        return MemberFit(member=member.member, by_aim=dict.fromkeys(aims), overall=None)
    denominator = MAX_SCORE * total_weight
    unscored = sum(1 for a in aims for p in member.priorities if (a, p.id) not in scores)
    by_aim = {
        a: round(
            100 * sum(p.weight * scores.get((a, p.id), 0) for p in member.priorities) / denominator,
            1,
        )
        for a in aims
    }
    best = {
        p.id: max((scores.get((a, p.id), 0) for a in aims), default=0) for p in member.priorities
    }
    overall = round(100 * sum(p.weight * best[p.id] for p in member.priorities) / denominator, 1)
    unserved = tuple(p for p in member.priorities if best[p.id] <= 1)
    return MemberFit(
        member=member.member, by_aim=by_aim, overall=overall, unserved=unserved, unscored=unscored
    )


def fit_matrix(
    members: Sequence[MemberPriorities],
    aims: Sequence[str],
    scores: Mapping[tuple[str, str], int],
) -> list[MemberFit]:
    """``member_fit`` for every member, in the given order.

    Examples
    --------
    >>> ms = [MemberPriorities("a", (WeightedPriority("p", 2),)), MemberPriorities("b", ())]
    >>> [f.overall for f in fit_matrix(ms, ["x"], {("x", "p"): 1})]
    [33.3, None]
    """
    return [member_fit(m, aims, scores) for m in members]
