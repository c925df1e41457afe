"""The adapter between the sharing room's models and the fair-share engine (``fairshare``).

Only translation lives here: a cost-model version becomes the engine's GAME.json shape, and the
engine's results become JSON to store. Every number a page shows about fair shares comes from
``fairshare``; this module never splits a cost itself.
"""

import hashlib
import json
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import fairshare

from .models import METHOD_CHOICES, ComponentKind, CurveType

METHODS: tuple[str, ...] = tuple(fairshare.METHODS)
METHOD_LABELS = dict(METHOD_CHOICES)

#: Above this many members a calculation runs as a background task (the nucleolus and the
#: least core solve linear programmes over every coalition: 2**n of them).
BACKGROUND_ABOVE_MEMBERS = 12


@dataclass
class ComponentData:
    """One cost component, the one shape the room uses: the services key ``values`` by
    organisation id (``None`` while a figure is missing), the engine by player name."""

    kind: str
    name: str
    values: dict[Any, Decimal | None]
    fixed_cost: Decimal = Decimal(0)
    curve_type: str = ""
    curve_scale: Decimal | None = None
    curve_exponent: Decimal | None = None
    curve_breaks: list[list[float]] = field(default_factory=list)
    #: Pooled services: every member needs it, even one with no demand.
    needed_by_all: bool = False

    def keyed_by(self, names: dict[Any, str]) -> "ComponentData":
        """A copy with the figures keyed by player name (a missing figure counts as 0)."""
        return replace(
            self,
            values={names[key]: value or Decimal(0) for key, value in self.values.items()},
            curve_breaks=list(self.curve_breaks),
        )


@dataclass
class GameData:
    players: list[str]
    components: list[ComponentData]
    weights: dict[str, Decimal | None]
    basis: str

    def as_json(self) -> dict[str, Any]:
        """The engine's GAME.json shape (floats)."""
        data: dict[str, Any] = {
            "players": list(self.players),
            "components": [_component_json(c) for c in self.components],
        }
        if self.basis == "weights":
            data["weights"] = {
                p: float(w) if w is not None else None for p, w in self.weights.items()
            }
        return data

    def digest(self) -> str:
        payload = {"game": self.as_json(), "basis": self.basis}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _component_json(c: ComponentData) -> dict[str, Any]:
    values = {p: float(v or 0) for p, v in c.values.items()}
    if c.kind == ComponentKind.STANDALONE:
        return {"kind": "standalone", "name": c.name, "costs": values}
    if c.kind == ComponentKind.AIRPORT:
        return {"kind": "airport", "name": c.name, "requirements": values}
    curve: dict[str, Any]
    if c.curve_type == CurveType.PIECEWISE:
        curve = {"type": "piecewise", "breaks": [list(map(float, b)) for b in c.curve_breaks]}
    else:
        curve = {
            "type": "power",
            "scale": float(c.curve_scale) if c.curve_scale is not None else None,
            "exponent": float(c.curve_exponent) if c.curve_exponent is not None else None,
        }
    if not c.needed_by_all:
        # A member with no demand does not use the service: alone it costs them nothing, and
        # they do not share its fixed cost (unless the model says every member needs it).
        # (With no demand at all, every member is listed: the engine needs at least one user.)
        values = {p: v for p, v in values.items() if v > 0} or values
    return {
        "kind": "pooled",
        "name": c.name,
        "fixed": float(c.fixed_cost),
        "demand": values,
        "curve": curve,
    }


def load(data: GameData) -> "fairshare.Game":
    """Validate with the engine; raises ``fairshare.FairshareError`` with a plain message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fairshare.FairshareWarning)
        return fairshare.load_game(data.as_json())


def field_label(field_path: str | None, data: GameData) -> str | None:
    """Turn an engine field path like ``components[1].demand`` into a component name."""
    if not field_path or not field_path.startswith("components["):
        return None
    try:
        index = int(field_path.split("[", 1)[1].split("]", 1)[0])
        return data.components[index].name
    except (ValueError, IndexError):
        return None


@dataclass
class Computed:
    grand_cost: float
    total_standalone: float
    results: dict[str, Any]
    core: dict[str, Any]
    savings: dict[str, Any]
    explanations: dict[str, Any]
    warnings: list[str]
    duration_ms: int


def _proportional_weights(data: GameData) -> str:
    return {"weights": "weights", "standalone": "standalone", "demand": "demand"}.get(
        data.basis, "standalone"
    )


def compute(data: GameData) -> Computed:
    """Every method, its core check, savings and explanations, as JSON-ready dicts."""
    started = time.perf_counter()
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", fairshare.FairshareWarning)
        game = fairshare.load_game(data.as_json())
        results: dict[str, Any] = {}
        core: dict[str, Any] = {}
        savings: dict[str, Any] = {}
        explanations: dict[str, Any] = {}
        for method in METHODS:
            try:
                allocation = fairshare.solve(
                    game,
                    method,
                    weights=_proportional_weights(data) if method == "proportional" else None,
                )
            except fairshare.MethodError as error:
                results[method] = {
                    "label": METHOD_LABELS.get(method, method),
                    "available": False,
                    "message": error.message,
                }
                continue
            check = fairshare.check_core(game, allocation.shares)
            notes = allocation.details.get("notes") or []
            results[method] = {
                "label": METHOD_LABELS.get(method, method),
                "available": True,
                "shares": {p: float(v) for p, v in allocation.shares.items()},
                "standard_errors": (
                    {p: float(v) for p, v in allocation.standard_errors.items()}
                    if allocation.standard_errors
                    else None
                ),
                "exact": bool(allocation.exact),
                "notes": [str(n) for n in notes],
            }
            core[method] = core_json(check)
            savings[method] = {
                p: {
                    "standalone": s.standalone,
                    "share": s.share,
                    "saving": s.saving,
                    "saving_pct": s.saving_pct,
                    "share_of_total_saving": s.share_of_total_saving,
                }
                for p, s in fairshare.savings(game, allocation.shares).items()
            }
            explanations[method] = fairshare.explain(game, allocation, method, check=check)
        caught.extend(
            str(r.message) for r in records if issubclass(r.category, fairshare.FairshareWarning)
        )
    standalone = game.standalone_costs
    return Computed(
        grand_cost=float(game.grand_cost),
        total_standalone=float(sum(standalone.values())),
        results=results,
        core=core,
        savings=savings,
        explanations=explanations,
        warnings=sorted(set(caught)),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def core_json(check: "fairshare.CoreCheck") -> dict[str, Any]:
    return {
        "in_core": bool(check.in_core),
        "max_excess": float(check.max_excess),
        "worst_coalition": list(check.worst_coalition),
        "worst_coalition_cost": float(check.worst_coalition_cost),
        "efficient": bool(check.efficient),
        "exhaustive": bool(check.exhaustive),
    }


def pennies(shares: dict[str, float], total: float) -> dict[str, int]:
    """Shares rounded to the penny by the engine's largest-remainder rule, in pence."""
    rounded = fairshare.round_money(shares, total=total)
    return {p: int(v * 100) for p, v in rounded.items()}


def check_pennies(data: GameData, pence: dict[str, int]) -> dict[str, Any]:
    game = load(data)
    tolerance = 0.01 * max(len(pence), 1)
    check = fairshare.check_core(game, {p: v / 100 for p, v in pence.items()}, tolerance=tolerance)
    return core_json(check)


def explain_shares(data: GameData, shares: dict[str, float], method: str) -> dict[str, str]:
    game = load(data)
    return fairshare.explain(game, shares, method)


@dataclass
class RiskInput:
    shares: dict[str, float]
    estimates: Sequence[dict[str, Any]]
    rule: str
    cap: Decimal | None = None
    target: Decimal | None = None
    pain_bands: Iterable[tuple[float | None, float]] = ()
    gain_bands: Iterable[tuple[float | None, float]] = ()
    runs: int = 10_000
    seed: int = 0


def simulate(risk: RiskInput) -> dict[str, Any]:
    """Each member's P50/P90 exposure from the engine's seeded Monte Carlo."""
    if risk.rule == "capped":
        cap = float(risk.cap or 0)
        rule = fairshare.SharingRule.capped(dict.fromkeys(risk.shares, cap))
    elif risk.rule == "pain_gain":
        rule = fairshare.SharingRule.pain_gain(
            [tuple(b) for b in risk.pain_bands],
            [tuple(b) for b in risk.gain_bands] or None,
            target=float(risk.target) if risk.target is not None else None,
        )
    else:
        rule = fairshare.SharingRule.proportional()
    estimates = [
        fairshare.Estimate(
            float(e["low"]), float(e["likely"]), float(e["high"]), name=str(e.get("component", ""))
        )
        for e in risk.estimates
    ]
    result = fairshare.simulate_risk(risk.shares, estimates, rule, runs=risk.runs, seed=risk.seed)
    return result.to_dict()


def format_gbp(amount: float | Decimal) -> str:
    return fairshare.format_gbp(amount)
