"""A likelihood x impact matrix: scores 1..size², colour bands, a tolerance line."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class MatrixError(ValueError):
    """The matrix or a score is not valid; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Band:
    """Scores from ``lowest`` up (to the next band's lowest) are ``label``, shown in ``colour``."""

    lowest: int
    label: str
    colour: str


@dataclass(frozen=True)
class MatrixSpec:
    likelihood_labels: Sequence[str]
    impact_labels: Sequence[str]
    bands: Sequence[Band]
    tolerance: int  # a current score above this is above tolerance

    @property
    def size(self) -> int:
        return len(self.likelihood_labels)


def validate(spec: MatrixSpec) -> None:
    size = spec.size
    if size < 2 or len(spec.impact_labels) != size:
        raise MatrixError("Give the same number (2 or more) of likelihood and impact labels",
                          "impact_labels")  # fmt: skip
    if any(not label.strip() for label in [*spec.likelihood_labels, *spec.impact_labels]):
        raise MatrixError("Every likelihood and impact needs a label", "likelihood_labels")
    if not spec.bands or spec.bands[0].lowest != 1:
        raise MatrixError("The first band must start at a score of 1", "bands")
    lows = [b.lowest for b in spec.bands]
    if lows != sorted(set(lows)) or lows[-1] > size * size:
        raise MatrixError(f"Bands must start at rising scores from 1 to {size * size}", "bands")
    if any(not b.label.strip() for b in spec.bands):
        raise MatrixError("Every band needs a label", "bands")
    if not 1 <= spec.tolerance < size * size:
        raise MatrixError(f"The tolerance must be a score from 1 to {size * size - 1}",
                          "tolerance")  # fmt: skip


def score(spec: MatrixSpec, likelihood: int, impact: int) -> int:
    """``likelihood x impact``; either outside 1..size is a ``MatrixError``."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= spec.size:
            raise MatrixError(f"The {name} must be a whole number from 1 to {spec.size}", name)
    return likelihood * impact


def band_for(spec: MatrixSpec, value: int) -> Band:
    chosen = spec.bands[0]
    for band in spec.bands:
        if value >= band.lowest:
            chosen = band
    return chosen


def heat_map(spec: MatrixSpec, cells: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts by ``[likelihood - 1][impact - 1]`` of the (likelihood, impact) pairs given."""
    grid = [[0] * spec.size for _ in range(spec.size)]
    for likelihood, impact in cells:
        if 1 <= likelihood <= spec.size and 1 <= impact <= spec.size:
            grid[likelihood - 1][impact - 1] += 1
    return grid


@dataclass(frozen=True)
class Rebased:
    """What moving one risk to another matrix does: its current score's band and tolerance
    before and after, or ``fits=False`` when a likelihood or impact is beyond the new scale."""

    number: int
    current_score: int
    old_band: str
    new_band: str | None
    was_above: bool
    now_above: bool | None
    fits: bool


def rebase(
    old: MatrixSpec, new: MatrixSpec, risks: Iterable[tuple[int, Sequence[tuple[int, int]]]]
) -> list[Rebased]:
    """For each ``(number, [(likelihood, impact), ...])`` (its inherent, current and target
    pairs, current second), the effect of scoring it on ``new`` instead of ``old``. Scores are
    ``likelihood x impact`` on both, so only bands and the tolerance can change."""
    out = []
    for number, pairs in risks:
        likelihood, impact = pairs[1]
        current = likelihood * impact
        fits = all(1 <= x <= new.size for pair in pairs for x in pair)
        out.append(
            Rebased(
                number=number,
                current_score=current,
                old_band=band_for(old, current).label,
                new_band=band_for(new, current).label if fits else None,
                was_above=current > old.tolerance,
                now_above=current > new.tolerance if fits else None,
                fits=fits,
            )
        )
    return out
