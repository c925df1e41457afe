"""Vectorised helpers over all ``2**n`` coalitions, indexed by bitmask.

Coalition ``S`` is the integer whose bit ``i`` is set when player ``i`` is a member; the
vector entry ``v[S]`` is its value, with ``v[0] = 0`` for the empty coalition. Every helper
builds its vector by doubling (the second half of a vector over ``k + 1`` players is the
first half with player ``k`` added), so it costs ``O(2**n)`` time and memory.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

__all__ = ["additive_vector", "mask_of", "max_vector", "members", "popcount"]


@lru_cache(maxsize=4)
def popcount(n: int) -> NDArray[np.uint8]:
    """Sizes ``|S|`` of all ``2**n`` coalitions (read-only, cached).

    Examples
    --------
    >>> popcount(2).tolist()
    [0, 1, 1, 2]
    """
    pop = np.zeros(1 << n, dtype=np.uint8)
    for k in range(n):
        half = 1 << k
        np.add(pop[:half], 1, out=pop[half : 2 * half])
    pop.setflags(write=False)
    return pop


def additive_vector(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """``v[S] = sum(values[i] for i in S)`` for all coalitions.

    Examples
    --------
    >>> additive_vector(np.array([1.0, 2.0])).tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    n = len(values)
    out = np.zeros(1 << n, dtype=np.float64)
    for k in range(n):
        half = 1 << k
        np.add(out[:half], values[k], out=out[half : 2 * half])
    return out


def max_vector(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """``v[S] = max(values[i] for i in S)`` for all coalitions (``0`` for the empty one).

    Examples
    --------
    >>> max_vector(np.array([3.0, 2.0])).tolist()
    [0.0, 3.0, 2.0, 3.0]
    """
    n = len(values)
    out = np.zeros(1 << n, dtype=np.float64)
    for k in range(n):
        half = 1 << k
        np.maximum(out[:half], values[k], out=out[half : 2 * half])
    return out


def mask_of(indices: list[int] | tuple[int, ...]) -> int:
    """Bitmask of a coalition given by player indices."""
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask


def members(mask: int, n: int) -> tuple[int, ...]:
    """Player indices of a bitmask, ascending."""
    return tuple(i for i in range(n) if mask >> i & 1)
