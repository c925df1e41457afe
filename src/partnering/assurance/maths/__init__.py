"""Pure risk-matrix arithmetic (no Django): scores, bands, tolerance, heat-map counts."""

from .matrix import Band, MatrixError, MatrixSpec, band_for, heat_map, score, validate

__all__ = ["Band", "MatrixError", "MatrixSpec", "band_for", "heat_map", "score", "validate"]
