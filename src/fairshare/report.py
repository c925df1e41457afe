"""What a split means for each partner: savings against going alone, and plain English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .core import CoreCheck, check_core, default_tolerance, validate_shares
from .methods import METHOD_LABELS, NUCLEOLUS_LIMIT, Allocation, least_core_epsilon
from .models import Game
from .money import format_gbp

__all__ = ["METHOD_EXPLANATIONS", "Saving", "core_is_empty", "explain", "savings"]


@dataclass(frozen=True)
class Saving:
    """One partner's position under a split.

    Attributes
    ----------
    standalone : float
        What the partner would pay going alone (GBP).
    share : float
        What it pays under the split (GBP).
    saving : float
        ``standalone - share`` (GBP); negative means it pays more than alone.
    saving_pct : float
        ``saving`` as a percentage of ``standalone`` (0 when ``standalone`` is 0).
    share_of_total_saving : float
        ``saving`` as a percentage of the partnership's total saving
        (``sum of stand-alone costs - c(N)``); 0 when there is no total saving.
    """

    standalone: float
    share: float
    saving: float
    saving_pct: float
    share_of_total_saving: float


def savings(game: Game, shares: Mapping[str, float] | Allocation) -> dict[str, Saving]:
    """Each partner's saving against going alone, in GBP and per cent, and its share of
    the partnership's total saving.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10})
    >>> row = savings(game, {"A": 4.5, "B": 5.5})["A"]
    >>> row.saving, row.saving_pct, row.share_of_total_saving
    (1.5, 25.0, 50.0)
    """
    if isinstance(shares, Allocation):
        shares = shares.shares
    x = validate_shares(game, shares)
    total_saving = sum(game.standalone_costs.values()) - game.grand_cost
    rows = {}
    for p in game.players:
        alone = game.standalone_costs[p]
        saving = alone - x[p]
        rows[p] = Saving(
            standalone=alone,
            share=x[p],
            saving=saving,
            saving_pct=100.0 * saving / alone if alone else 0.0,
            share_of_total_saving=100.0 * saving / total_saving if total_saving > 0 else 0.0,
        )
    return rows


METHOD_EXPLANATIONS = {
    "equal": "every partner pays the same amount",
    "proportional": "the cost is split in proportion to {measure}",
    "scrb": (
        "each partner pays the cost it alone adds to the project, and the joint cost left "
        "over is shared in proportion to what each saves by joining"
    ),
    "shapley": (
        "each partner pays the extra cost it brings, averaged over every order in which the "
        "partnership could have come together"
    ),
    "nucleolus": (
        "the split makes the group of partners with the least to gain from the partnership "
        "as well off as possible"
    ),
    "least_core": (
        "the split keeps the largest amount any group of partners would save by leaving as "
        "small as possible; many splits do that, and this is the one that also treats "
        "interchangeable partners alike (the {point})"
    ),
    "prenucleolus": (
        "the split makes the group of partners with the least to gain from the partnership "
        "as well off as possible; it is the prenucleolus, used because the nucleolus is not "
        "defined when the partnership costs more than the partners going alone"
    ),
}

_MEASURES = {
    "standalone": "what each would pay alone",
    "demand": "each partner's demand",
    "weights": "the agreed weights",
}


def _pct(value: float) -> str:
    return f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"


def explain(
    game: Game,
    result_or_shares: Allocation | Mapping[str, float],
    method: str | None = None,
    *,
    check: CoreCheck | None = None,
) -> dict[str, str]:
    """A plain-English paragraph per partner that a councillor can read.

    Parameters
    ----------
    game : Game
    result_or_shares : Allocation or Mapping[str, float]
    method : str, optional
        Method name (taken from the allocation when omitted).
    check : CoreCheck, optional
        A core check already computed for these shares.

    Returns
    -------
    dict[str, str]
        Paragraph per partner, amounts formatted like ``"£1,234,567"``.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> game = Game.from_costs(["Malvern Hills", "Wychavon"],
    ...     {"Malvern Hills": 600, "Wychavon": 700, "Malvern Hills+Wychavon": 1000})
    >>> print(explain(game, {"Malvern Hills": 450, "Wychavon": 550}, "shapley")["Malvern Hills"])
    Malvern Hills pays £450 under the Shapley value: each partner pays the extra cost it brings, averaged over every order in which the partnership could have come together. Alone it would pay £600, so it saves £150 (25%). Working together saves the partnership £300 in all, of which Malvern Hills keeps 50%. No group of partners could do better by leaving.
    """
    errors: Mapping[str, float] | None = None
    measure = None
    shares: Mapping[str, float]
    point = "nucleolus"
    approximate: str | None = None
    if isinstance(result_or_shares, Allocation):
        method = method or result_or_shares.method
        errors = result_or_shares.standard_errors
        measure = result_or_shares.details.get("measure")
        shares = result_or_shares.shares
        point = str(result_or_shares.details.get("point", "nucleolus"))
        if method == "nucleolus" and result_or_shares.method_used == "prenucleolus":
            method = "prenucleolus"
        if (
            not result_or_shares.exact
            and result_or_shares.error_kind == "estimated"
            and result_or_shares.error_bound is not None
        ):
            approximate = (
                "These shares are not exact: demand was rounded into units to compute them, "
                f"which may move a share by about {format_gbp(result_or_shares.error_bound)}."
            )
        elif (
            not result_or_shares.exact
            and result_or_shares.error_kind == "proven"
            and result_or_shares.error_bound is not None
        ):
            bound = result_or_shares.error_bound
            within = "less than a penny" if bound < 0.005 else format_gbp(bound, pennies=True)
            approximate = (
                f"These shares are not computed exactly, but each is proven to be within "
                f"{within} of the exact value (a proven bound, not an estimate)."
            )
    else:
        shares = result_or_shares
    rows = savings(game, shares)
    check = check or check_core(game, shares)
    total_saving = sum(game.standalone_costs.values()) - game.grand_cost
    label = METHOD_LABELS.get(method or "", "agreed split")
    if method == "prenucleolus":
        label = "prenucleolus"
    how = METHOD_EXPLANATIONS.get(method or "", "")
    if "{measure}" in how:
        how = how.format(measure=_MEASURES.get(measure or "standalone", "the agreed measure"))
    if "{point}" in how:
        how = how.format(point=point)
    no_stable_split: str | None = None
    if not check.in_core and check.efficient:
        empty, epsilon = core_is_empty(game)
        if empty and epsilon is not None:
            no_stable_split = (
                "No split of this partnership can be stable: the best any split can do is "
                f"leave some group {format_gbp(epsilon)} better off going ahead on its own "
                "(the least core)."
            )
    worst = "+".join(check.worst_coalition)
    group_size = len(check.worst_coalition)
    texts = {}
    for p in game.players:
        row = rows[p]
        parts = [f"{p} pays {format_gbp(row.share)} under the {label}"]
        if errors and errors.get(p):
            parts[0] += f" (an estimate, give or take {format_gbp(errors[p], pennies=True)})"
        parts[0] += f": {how}." if how else "."
        if row.saving >= 0:
            parts.append(
                f"Alone it would pay {format_gbp(row.standalone)}, so it saves "
                f"{format_gbp(row.saving)} ({_pct(row.saving_pct)})."
            )
        else:
            parts.append(
                f"Alone it would pay {format_gbp(row.standalone)}, so it pays "
                f"{format_gbp(-row.saving)} more than going alone."
            )
        if total_saving > 0:
            parts.append(
                f"Working together saves the partnership {format_gbp(total_saving)} in all, of "
                f"which {p} keeps {_pct(row.share_of_total_saving)}."
            )
        else:
            parts.append("Working together saves the partnership nothing overall.")
        if not check.efficient:
            parts.append(
                f"The shares add up to {format_gbp(check.total)}, not the partnership's cost of "
                f"{format_gbp(check.grand_cost)}."
            )
        if check.in_core:
            parts.append(
                "No group of partners could do better by leaving."
                if check.exact
                else "No group of partners we checked could do better by leaving (there are "
                "too many groups to check them all)."
            )
        elif check.max_excess > check.tolerance:
            gain = format_gbp(check.max_excess)
            alone_cost = format_gbp(check.worst_coalition_cost)
            if p in check.worst_coalition and group_size == 1:
                parts.append(
                    f"But {p} would be {gain} better off going alone, so this split is not stable."
                )
            elif p in check.worst_coalition:
                parts.append(
                    f"But {p} and its group {worst} would pay {gain} less by going ahead on "
                    f"their own (for {alone_cost}), so this split is not stable."
                )
            else:
                parts.append(
                    f"But the split is not stable: {worst} would pay {gain} less by going "
                    f"ahead without the others (for {alone_cost})."
                )
        if no_stable_split:
            parts.append(no_stable_split)
        if approximate:
            parts.append(approximate)
        texts[p] = " ".join(parts)
    return texts


def core_is_empty(game: Game) -> tuple[bool | None, float | None]:
    """Whether no split at all can be stable, and the least-core ``epsilon`` when known.

    Returns ``(False, None)`` for a project made only of own costs, pooled and airport
    components: their costs are submodular, so the core is never empty (Shapley 1971).
    For an explicit table of up to :data:`~fairshare.methods.NUCLEOLUS_LIMIT` partners,
    one linear program gives ``epsilon``, the smallest worst excess any split can reach;
    the core is empty when it is positive. ``(None, None)`` when unknown.

    Examples
    --------
    >>> from fairshare.models import Game
    >>> core_is_empty(Game.from_costs("AB", {"A": 6, "B": 7, "A+B": 10}))
    (False, -1.5)
    """
    if game.is_structured:
        return False, None
    if game.n > NUCLEOLUS_LIMIT:
        return None, None
    epsilon = least_core_epsilon(game)
    return epsilon > default_tolerance(game), epsilon
