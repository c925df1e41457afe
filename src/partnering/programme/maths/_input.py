"""Checks shared by both optimisers' input parsers: every bad value gets a one-line message."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

#: Numbers beyond this are refused: they are typos, and they break the solver's tolerances.
MAX_NUMBER = 1e15


class InputError(ValueError):
    """The input cannot be used; the message says where and why, in one line."""


def as_object(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InputError(f"{where} must be a JSON object")
    return value


def as_list(value: object, where: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise InputError(f"{where} must be a JSON array")
    return value


def as_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where} must be a non-empty string")
    if "\x00" in value:
        raise InputError(f"{where} must not contain a null character")
    return value


def as_number(value: object, where: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where} must be a number")
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise InputError(f"{where} must be a finite number no larger than {MAX_NUMBER:.0e}")
    if minimum is not None and number < minimum:
        raise InputError(f"{where} must be at least {minimum:g}")
    return number


def as_count(value: object, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise InputError(f"{where} must be a whole number")
    if value < minimum:
        raise InputError(f"{where} must be at least {minimum}")
    if value > 10_000_000:
        raise InputError(f"{where} is too large")
    return value


def only_keys(obj: Mapping[str, object], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputError(f"{where} has unknown field(s): {', '.join(unknown)}")


def unique_ids(ids: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise InputError(f"{where}: the id {ident!r} appears more than once")
        seen.add(ident)
