"""One exception family for every bad input to the fair-share engine.

Every error carries a stable machine-readable ``code``, a plain-English ``message`` a
councillor can read, and (where it helps a form show the error in the right place) the
``field`` of the input that was wrong. The CLI prints ``message`` and exits with status 2;
the Django sharing room maps ``code`` to its own error codes.
"""

from __future__ import annotations

__all__ = [
    "EmptyPartnershipError",
    "FairshareError",
    "FairshareWarning",
    "InvalidAllocationError",
    "InvalidGameError",
    "InvalidRiskInputError",
    "MethodError",
    "MissingCoalitionError",
    "NegativeCostError",
    "UnknownPlayerError",
]


class FairshareError(ValueError):
    """Base of every error raised by :mod:`fairshare` for bad input.

    Parameters
    ----------
    message : str
        Plain-English explanation, safe to show to a user.
    field : str, optional
        The input field the error is about (e.g. ``"costs"``, ``"components[1].curve"``).
    code : str, optional
        Overrides the class's default stable ``code``.

    Examples
    --------
    >>> error = NegativeCostError("The cost of A+B is negative (-3).", field="costs.A+B")
    >>> (error.code, error.field)
    ('negative_cost', 'costs.A+B')
    """

    code: str = "fairshare_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidGameError(FairshareError):
    """The game description is malformed (wrong type, non-numeric value, bad curve...)."""

    code = "invalid_game"


class UnknownPlayerError(InvalidGameError):
    """A coalition, demand or weight names a partner that is not in ``players``."""

    code = "unknown_player"


class MissingCoalitionError(InvalidGameError):
    """An explicit game does not give the cost of every coalition."""

    code = "missing_coalition"


class NegativeCostError(InvalidGameError):
    """A cost, demand or requirement is negative."""

    code = "negative_cost"


class EmptyPartnershipError(InvalidGameError):
    """The partnership has no partners."""

    code = "empty_partnership"


class MethodError(FairshareError):
    """The method is unknown or does not apply to this game (e.g. too many partners)."""

    code = "method_unavailable"


class InvalidAllocationError(FairshareError):
    """An allocation (a split of the cost) is malformed or names unknown partners."""

    code = "invalid_allocation"


class InvalidRiskInputError(FairshareError):
    """A three-point estimate or sharing rule for the risk simulation is malformed."""

    code = "invalid_risk_input"


class FairshareWarning(UserWarning):
    """Something the partners should know but that does not stop the calculation.

    For example a game that is not subadditive: some group of partners would pay less
    apart than together.
    """
