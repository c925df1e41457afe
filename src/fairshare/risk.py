"""Sharing overruns and savings: each partner's exposure by seeded Monte Carlo.

Given an agreed split of the cost, three-point estimates (low, most likely, high) of the
overrun (positive) or saving (negative) on each component, and a *sharing rule*, simulate
the total outcome many times and report each partner's exposure as P50 (median) and P90
(exceeded in one run in ten).

References
----------
.. [1] Malcolm, D. G., Roseboom, J. H., Clark, C. E. & Fazar, W. (1959). Application of a
   technique for research and development program evaluation. *Operations Research*
   7(5), 646-669. (The PERT three-point estimate.)
.. [2] Vose, D. (2008). *Risk Analysis: A Quantitative Guide* (3rd ed.), chapters on the
   triangular and PERT distributions. Wiley.
.. [3] HM Treasury (2013). *The Green Book: supplementary guidance on optimism bias*;
   and NEC4 Engineering and Construction Contract, Option C (target contract with
   pain/gain share bands), Thomas Telford, 2017.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import InvalidRiskInputError

__all__ = ["Estimate", "PartnerRisk", "RiskResult", "SharingRule", "simulate_risk"]

FloatArray = NDArray[np.float64]


def _finite(value: Any, what: str, field_name: str | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRiskInputError(f"{what} must be a number, not {value!r}.", field=field_name)
    return float(value)


@dataclass(frozen=True)
class Estimate:
    """A three-point estimate of one component's overrun (+) or saving (-) in GBP.

    Parameters
    ----------
    low, likely, high : float
        ``low <= likely <= high``.
    name : str
    distribution : {"triangular", "pert"}
        PERT is a Beta distribution with the same three points and less weight in the tails
        (Malcolm et al. 1959): shape ``1 + 4 (likely - low) / (high - low)`` and
        ``1 + 4 (high - likely) / (high - low)``.

    Examples
    --------
    >>> Estimate(-10_000, 0, 50_000, name="Data migration").mean
    13333.333333333334
    """

    low: float
    likely: float
    high: float
    name: str = ""
    distribution: str = "triangular"

    def __post_init__(self) -> None:
        label = self.name or "an estimate"
        low = _finite(self.low, f"The low value of {label}", "low")
        likely = _finite(self.likely, f"The likely value of {label}", "likely")
        high = _finite(self.high, f"The high value of {label}", "high")
        if not low <= likely <= high:
            raise InvalidRiskInputError(
                f"The three points of {label} must satisfy low <= likely <= high "
                f"({low:,.0f}, {likely:,.0f}, {high:,.0f}).",
                field="likely",
            )
        if self.distribution not in ("triangular", "pert"):
            raise InvalidRiskInputError(
                f"Unknown distribution {self.distribution!r}: use 'triangular' or 'pert'.",
                field="distribution",
            )

    @property
    def mean(self) -> float:
        """Expected value."""
        if self.distribution == "pert":
            return (self.low + 4 * self.likely + self.high) / 6
        return (self.low + self.likely + self.high) / 3

    def sample(self, rng: np.random.Generator, runs: int) -> FloatArray:
        """``runs`` draws."""
        if self.high == self.low:
            return np.full(runs, float(self.low))
        if self.distribution == "pert":
            span = self.high - self.low
            a = 1 + 4 * (self.likely - self.low) / span
            b = 1 + 4 * (self.high - self.likely) / span
            return self.low + span * rng.beta(a, b, runs)
        return rng.triangular(self.low, self.likely, self.high, runs)

    @classmethod
    def coerce(cls, value: Any, k: int = 0) -> Estimate:
        """From an Estimate, a ``(low, likely, high)`` triple or a mapping."""
        if isinstance(value, Estimate):
            return value
        if isinstance(value, Mapping):
            extra = set(value) - {"low", "likely", "high", "name", "distribution"}
            if extra or not {"low", "likely", "high"} <= set(value):
                raise InvalidRiskInputError(
                    "An estimate needs 'low', 'likely' and 'high' (and optional 'name', "
                    "'distribution').",
                    field=f"estimates[{k}]",
                )
            return cls(**value)
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 3:
            return cls(*value)
        raise InvalidRiskInputError(
            f"Estimate {k + 1} must be (low, likely, high).", field=f"estimates[{k}]"
        )


Band = tuple[float | None, float]


@dataclass(frozen=True)
class SharingRule:
    """How an overrun or saving is shared among the partners.

    Build one with :meth:`proportional`, :meth:`capped` or :meth:`pain_gain`.

    Attributes
    ----------
    kind : {"proportional", "capped", "pain_gain"}
    caps : Mapping[str, float]
        For ``capped``: the most each partner will bear of an overrun (GBP).
    pain, gain : tuple of (limit, share)
        For ``pain_gain``: bands of the overrun (``pain``) or saving (``gain``) with their
        cumulative upper ``limit`` (GBP, or a fraction of ``target`` when it is given;
        ``None`` for the last, open band) and the partnership's ``share`` of the amount in
        that band (0 to 1); the counterparty (e.g. the contractor) bears the rest.
    target : float, optional
        Target cost the band limits are fractions of.
    """

    kind: str
    caps: Mapping[str, float] = field(default_factory=dict)
    pain: tuple[Band, ...] = ()
    gain: tuple[Band, ...] = ()
    target: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("proportional", "capped", "pain_gain"):
            raise InvalidRiskInputError(
                f"Unknown sharing rule {self.kind!r}: use proportional, capped or pain_gain.",
                field="rule",
            )
        for name, cap in self.caps.items():
            if _finite(cap, f"The cap of {name}", "caps") < 0:
                raise InvalidRiskInputError(f"The cap of {name} cannot be negative.", field="caps")
        if self.target is not None and _finite(self.target, "The target", "target") <= 0:
            raise InvalidRiskInputError("The target cost must be positive.", field="target")
        for label, bands in (("pain", self.pain), ("gain", self.gain)):
            previous = 0.0
            for k, band in enumerate(bands):
                limit, share = band
                _finite(share, f"The share of {label} band {k + 1}", label)
                if not 0 <= share <= 1:
                    raise InvalidRiskInputError(
                        f"The partnership's share of {label} band {k + 1} must be between 0 and 1.",
                        field=label,
                    )
                if limit is None:
                    if k != len(bands) - 1:
                        raise InvalidRiskInputError(
                            f"Only the last {label} band can be open-ended.", field=label
                        )
                    continue
                if _finite(limit, f"The limit of {label} band {k + 1}", label) <= previous:
                    raise InvalidRiskInputError(
                        f"The {label} band limits must increase.", field=label
                    )
                previous = float(limit)
        if self.kind == "pain_gain" and not self.pain:
            raise InvalidRiskInputError(
                "A pain/gain rule needs at least one pain band.", field="pain"
            )

    @classmethod
    def proportional(cls) -> SharingRule:
        """Overruns and savings split in proportion to the agreed shares."""
        return cls("proportional")

    @classmethod
    def capped(cls, caps: Mapping[str, float]) -> SharingRule:
        """Overruns split pro rata, but no partner bears more than its cap; the excess goes
        to the partners still under their caps, pro rata; anything beyond every cap is left
        unallocated (reported as the counterparty). Savings are shared pro rata."""
        return cls("capped", caps=dict(caps))

    @classmethod
    def pain_gain(
        cls,
        pain: Iterable[Band],
        gain: Iterable[Band] | None = None,
        *,
        target: float | None = None,
    ) -> SharingRule:
        """Pain/gain bands as in target-cost partnering contracts (NEC4 Option C).

        Examples
        --------
        First 10% of overrun against a £1m target shared 50/50 with the contractor, the
        next 10% 75/25, beyond that all the partnership's; savings shared 50/50:

        >>> rule = SharingRule.pain_gain([(0.1, 0.5), (0.2, 0.75), (None, 1.0)],
        ...                              [(None, 0.5)], target=1_000_000)
        >>> rule.partnership_portion(np.array([150_000.0, -40_000.0])).tolist()
        [87500.0, -20000.0]
        """
        pain_bands = tuple((b[0], b[1]) for b in pain)
        gain_bands = pain_bands if gain is None else tuple((b[0], b[1]) for b in gain)
        return cls("pain_gain", pain=pain_bands, gain=gain_bands, target=target)

    def _banded(self, amount: FloatArray, bands: tuple[Band, ...]) -> FloatArray:
        scale = self.target if self.target is not None else 1.0
        out = np.zeros_like(amount)
        lower = 0.0
        for limit, share in bands:
            upper = math.inf if limit is None else float(limit) * scale
            out += share * np.clip(amount - lower, 0.0, upper - lower)
            lower = upper
        return out

    def partnership_portion(self, outcome: FloatArray) -> FloatArray:
        """The part of each outcome the partnership bears (the rest is the counterparty's)."""
        if self.kind != "pain_gain":
            return np.asarray(outcome, dtype=float)
        outcome = np.asarray(outcome, dtype=float)
        over = self._banded(np.maximum(outcome, 0.0), self.pain)
        under = self._banded(np.maximum(-outcome, 0.0), self.gain or self.pain)
        return over - under

    def apply(
        self, outcome: FloatArray, fractions: FloatArray, players: Sequence[str]
    ) -> tuple[FloatArray, FloatArray]:
        """Split each run's outcome: ``(per-partner exposure (runs, n), counterparty (runs,))``."""
        portion = self.partnership_portion(outcome)
        exposure = portion[:, None] * fractions[None, :]
        if self.kind == "capped":
            caps = np.array([self.caps.get(p, math.inf) for p in players], dtype=float)
            over = portion > 0
            remaining = portion[over].copy()
            free = np.ones((int(over.sum()), len(players)), dtype=bool)
            result = np.zeros(free.shape)
            for _ in range(len(players) + 1):
                weight = np.where(free, fractions[None, :], 0.0)
                total_weight = weight.sum(axis=1, keepdims=True)
                has_free = total_weight[:, 0] > 0
                proposal = (
                    remaining[:, None]
                    * weight
                    / np.where(has_free, total_weight[:, 0], 1.0)[:, None]
                )
                capped = free & (proposal > caps[None, :])
                settle = has_free & ~capped.any(axis=1)
                result[settle] += proposal[settle]
                remaining[settle] = 0.0
                if not capped.any():
                    break
                result += np.where(capped, caps[None, :], 0.0)
                remaining -= np.where(capped, caps[None, :], 0.0).sum(axis=1)
                free &= ~capped
            exposure[over] = result
            counterparty = np.zeros_like(portion)
            counterparty[over] = np.maximum(remaining, 0.0)
            return exposure, counterparty
        return exposure, outcome - portion


@dataclass(frozen=True)
class PartnerRisk:
    """Distribution summary of one exposure (GBP; positive = bears a cost)."""

    mean: float
    p50: float
    p90: float

    @classmethod
    def of(cls, draws: FloatArray) -> PartnerRisk:
        p50, p90 = np.percentile(draws, [50, 90])
        return cls(float(np.mean(draws)), float(p50), float(p90))


@dataclass(frozen=True)
class RiskResult:
    """Result of :func:`simulate_risk`.

    Attributes
    ----------
    exposures : dict[str, PartnerRisk]
        Each partner's exposure: mean, P50 and P90 (the amount it bears in 90% of runs or
        fewer).
    total : PartnerRisk
        The whole outcome (before sharing).
    counterparty : PartnerRisk
        What the contractor bears (pain/gain) or what is left beyond every cap (capped);
        zero for proportional.
    runs, seed : int
    rule : str
    """

    exposures: dict[str, PartnerRisk]
    total: PartnerRisk
    counterparty: PartnerRisk
    runs: int
    seed: int
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "runs": self.runs,
            "seed": self.seed,
            "exposures": {p: vars(r) for p, r in self.exposures.items()},
            "total": vars(self.total),
            "counterparty": vars(self.counterparty),
        }


def simulate_risk(
    shares: Mapping[str, float],
    components_estimates: Sequence[Estimate | tuple[float, float, float] | Mapping[str, Any]],
    rule: SharingRule,
    *,
    runs: int = 10_000,
    seed: int = 0,
) -> RiskResult:
    """Each partner's exposure to overruns and savings, as P50 and P90.

    Parameters
    ----------
    shares : Mapping[str, float]
        The agreed split (any positive scale: shares are normalised to fractions).
    components_estimates : sequence
        One three-point estimate per component (:class:`Estimate`, a ``(low, likely,
        high)`` triple or a mapping); the components' outcomes are independent.
    rule : SharingRule
    runs : int
        Monte Carlo runs (standard error of a percentile about ``1 / sqrt(runs)`` of the
        spread).
    seed : int
        Seed for :func:`numpy.random.default_rng`: the same seed gives the same result.

    Returns
    -------
    RiskResult

    Notes
    -----
    ``O(runs * (components + n))`` with numpy; the capped rule iterates at most ``n``
    times (water-filling).

    Examples
    --------
    >>> result = simulate_risk({"A": 1, "B": 3}, [(0, 100, 200)], SharingRule.proportional(),
    ...                        runs=20_000, seed=1)
    >>> round(result.exposures["B"].p50 / result.exposures["A"].p50, 6)
    3.0
    """
    if not isinstance(rule, SharingRule):
        raise InvalidRiskInputError("The rule must be a SharingRule.", field="rule")
    if not isinstance(shares, Mapping) or not shares:
        raise InvalidRiskInputError(
            "The agreed split must name at least one partner.", field="shares"
        )
    players = list(shares)
    values = np.array([_finite(shares[p], f"The share of {p}", p) for p in players])
    if np.any(values < 0) or values.sum() <= 0:
        raise InvalidRiskInputError("Shares must be non-negative and not all zero.", field="shares")
    unknown = sorted(set(rule.caps) - set(players))
    if unknown:
        raise InvalidRiskInputError(
            f"The caps name {unknown[0]}, who is not a partner.", field="caps"
        )
    if isinstance(components_estimates, Mapping | str) or not components_estimates:
        raise InvalidRiskInputError("Give at least one three-point estimate.", field="estimates")
    estimates = [Estimate.coerce(e, k) for k, e in enumerate(components_estimates)]
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 10:
        raise InvalidRiskInputError("Use at least 10 runs.", field="runs")
    rng = np.random.default_rng(seed)
    outcome = np.zeros(runs)
    for estimate in estimates:
        outcome += estimate.sample(rng, runs)
    fractions = values / values.sum()
    exposure, counterparty = rule.apply(outcome, fractions, players)
    return RiskResult(
        exposures={p: PartnerRisk.of(exposure[:, i]) for i, p in enumerate(players)},
        total=PartnerRisk.of(outcome),
        counterparty=PartnerRisk.of(counterparty),
        runs=runs,
        seed=seed,
        rule=rule.kind,
    )
