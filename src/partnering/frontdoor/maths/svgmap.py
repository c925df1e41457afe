"""A council's area and its requests as an SVG map drawn on the server: no map library, no tiles
and no script, so the staff queue's map works offline and under a strict CSP. The list beside it
stays the accessible way through the requests; the map is a picture of where they are.

Projection: equirectangular, longitudes scaled by the cosine of the area's middle latitude (good
to a fraction of a per cent across one council)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

WIDTH = 600.0
MARGIN = 12.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class SvgMap:
    width: float
    height: float
    area_path: str  # the "d" of one <path> (every polygon and hole of the area)
    dots: list[Dot]
    outside: int  # requests whose point is off the drawn area's box (not drawn)


def draw(
    areas: Sequence[BaseGeometry],
    points: Iterable[tuple[float, float, str]],
    *,
    width: float = WIDTH,
) -> SvgMap | None:
    """The union of ``areas`` (lon/lat geometries) and ``points`` ((lat, lon, label)) in SVG
    coordinates ``width`` wide; None when there is no area to draw."""
    shapes = [g for g in areas if g is not None and not g.is_empty]
    if not shapes:
        return None
    area = unary_union(shapes)
    west, south, east, north = area.bounds
    scale_x = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * scale_x, 1e-9), max(north - south, 1e-9)
    k = (width - 2 * MARGIN) / span_x
    height = span_y * k + 2 * MARGIN

    def project(lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - west) * scale_x * k, MARGIN + (north - lat) * k

    dots, outside = [], 0
    for lat, lon, label in points:
        if not (south <= lat <= north and west <= lon <= east):
            outside += 1
            continue
        x, y = project(lon, lat)
        dots.append(Dot(round(x, 1), round(y, 1), label))
    return SvgMap(round(width, 1), round(height, 1), _path(area, project), dots, outside)


def _path(area: BaseGeometry, project) -> str:  # type: ignore[no-untyped-def]
    polygons = list(area.geoms) if isinstance(area, MultiPolygon) else [area]
    parts = []
    for polygon in polygons:
        if not isinstance(polygon, Polygon):
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = [project(lon, lat) for lon, lat in ring.coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)
