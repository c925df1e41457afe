"""The OCDS merge routine: compile a process's releases into one compiled release.

Releases are merged in date order. Objects merge field by field (a later value replaces an
earlier one; ``null`` removes it); arrays of objects that all have an ``id`` merge item by item
on that id; any other array is replaced whole.

References
----------
.. [1] Open Contracting Partnership, *OCDS 1.1 schema reference*, "Merging"
   (https://standard.open-contracting.org/1.1/en/schema/merging/).
"""

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["compile_releases"]


def _identified(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and "id" in i for i in value)


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    for key, value in new.items():
        if value is None:
            into.pop(key, None)
        elif isinstance(value, dict):
            base = into.get(key)
            if not isinstance(base, dict):
                base = {}
                into[key] = base
            _merge(base, value)
        elif _identified(value) and value and _identified(into.get(key)):
            by_id = {item["id"]: item for item in into[key]}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    copy: dict[str, Any] = {}
                    _merge(copy, item)
                    into[key].append(copy)
                    by_id[item["id"]] = copy
        elif isinstance(value, list):
            into[key] = [_copy(i) for i in value]
        else:
            into[key] = value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        _merge(out, value)
        return out
    if isinstance(value, list):
        return [_copy(i) for i in value]
    return value


def compile_releases(releases: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The compiled release of one process: ``id`` is ``<ocid>-compiled``, ``tag`` ``["compiled"]``.

    Examples
    --------
    >>> r1 = {"ocid": "o", "id": "1", "date": "2004-01-01T00:00:00Z", "tag": ["tender"],
    ...       "tender": {"id": "t", "status": "active"}}
    >>> r2 = {"ocid": "o", "id": "2", "date": "2004-06-01T00:00:00Z", "tag": ["award"],
    ...       "tender": {"status": "complete"}, "awards": [{"id": "a1"}]}
    >>> c = compile_releases([r2, r1])
    >>> (c["id"], c["tag"], c["tender"], c["awards"])
    ('o-compiled', ['compiled'], {'id': 't', 'status': 'complete'}, [{'id': 'a1'}])
    """
    ordered = sorted(releases, key=lambda r: (str(r.get("date", "")), str(r.get("id", ""))))
    compiled: dict[str, Any] = {}
    for release in ordered:
        _merge(compiled, release)
    if ordered:
        compiled["id"] = f"{compiled.get('ocid', '')}-compiled"
        compiled["tag"] = ["compiled"]
    return compiled
