"""Fair shares of the costs, savings, risks and rewards of a joint project.

A pure-Python engine (NumPy and SciPy; never Django) for councils working
out who pays what in a strategic partnership, using cooperative game theory as applied
to shared infrastructure: water supply (Young, Okada & Hashimoto 1982), airports
(Littlechild & Owen 1973) and multi-purpose projects (Straffin & Heaney 1981).

Examples
--------
>>> import fairshare
>>> game = fairshare.load_game({"players": ["A", "B"], "costs": {"A": 6, "B": 7, "A+B": 10}})
>>> fairshare.solve(game, "shapley").shares
{'A': 4.5, 'B': 5.5}
>>> fairshare.check_core(game, {"A": 4.5, "B": 5.5}).in_core
True
"""

from .core import CoreCheck, check_core, is_efficient, is_in_core
from .errors import (
    EmptyPartnershipError,
    FairshareError,
    FairshareWarning,
    InvalidAllocationError,
    InvalidGameError,
    InvalidRiskInputError,
    MethodError,
    MissingCoalitionError,
    NegativeCostError,
    UnknownPlayerError,
)
from .methods import METHOD_LABELS, METHODS, Allocation, compare_all, solve
from .models import (
    Airport,
    Explicit,
    Game,
    PiecewiseCurve,
    Pooled,
    PowerCurve,
    Standalone,
    load_game,
)
from .money import format_gbp, round_money
from .report import Saving, explain, savings
from .risk import Estimate, PartnerRisk, RiskResult, SharingRule, simulate_risk

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "Airport",
    "Allocation",
    "CoreCheck",
    "EmptyPartnershipError",
    "Estimate",
    "Explicit",
    "FairshareError",
    "FairshareWarning",
    "Game",
    "InvalidAllocationError",
    "InvalidGameError",
    "InvalidRiskInputError",
    "MethodError",
    "MissingCoalitionError",
    "NegativeCostError",
    "PartnerRisk",
    "PiecewiseCurve",
    "Pooled",
    "PowerCurve",
    "RiskResult",
    "Saving",
    "SharingRule",
    "Standalone",
    "UnknownPlayerError",
    "check_core",
    "compare_all",
    "explain",
    "format_gbp",
    "is_efficient",
    "is_in_core",
    "load_game",
    "round_money",
    "savings",
    "simulate_risk",
    "solve",
]
