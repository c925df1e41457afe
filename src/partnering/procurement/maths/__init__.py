"""Pure options-appraisal and open-contracting arithmetic (no Django): whole-life discounted
cost, weighted totals, the sensitivity of the ranking to each weight, and the OCDS merge."""

from .appraisal import (
    AppraisalError,
    Crossing,
    Sensitivity,
    cost_scores,
    discount_factors,
    rank,
    sensitivity,
    weighted_totals,
    weights_check,
    whole_life_cost,
)
from .merge import compile_releases

__all__ = [
    "AppraisalError",
    "Crossing",
    "Sensitivity",
    "compile_releases",
    "cost_scores",
    "discount_factors",
    "rank",
    "sensitivity",
    "weighted_totals",
    "weights_check",
    "whole_life_cost",
]
