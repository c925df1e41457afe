"""Pure risk-matrix arithmetic (no Django): scores, bands, tolerance, heat-map counts, and what
moving a register to another matrix does."""

from .matrix import (
    Band,
    MatrixError,
    MatrixSpec,
    Rebased,
    band_for,
    heat_map,
    rebase,
    score,
    validate,
)

__all__ = [
    "Band",
    "MatrixError",
    "MatrixSpec",
    "Rebased",
    "band_for",
    "heat_map",
    "rebase",
    "score",
    "validate",
]
