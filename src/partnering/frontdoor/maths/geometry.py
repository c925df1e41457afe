"""A point (WGS84 latitude/longitude) -> the English council area it is in.

shapely (GEOS) does the point-in-polygon test; an STRtree over the 296 generalised ONS district
boundaries narrows each lookup to the few polygons whose boxes hold the point. The boundaries are
generalised to about 500 m and clipped to the coastline, so a point just outside every polygon
(a pier, a harbour) falls back to the nearest area within 1 km (see data/SOURCES.md, section 5).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

# England's extent with a margin (lon -6.36…1.76, lat 49.88…55.81 in the boundary file).
ENGLAND_BOX = (-6.5, 49.8, 1.9, 55.9)
FALLBACK_METRES = 1000.0
METRES_PER_DEGREE = 111_320.0


class PointError(ValueError):
    def __init__(self, code: str, message: str, field: str = "lat") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PointArea:
    lad_gss: str
    name: str
    distance_m: float  # 0 inside the polygon; >0 for the coastal fallback


@dataclass
class Boundaries:
    codes: list[str]
    names: list[str]
    geometries: list[BaseGeometry]
    tree: STRtree

    def locate(self, lat: float, lon: float) -> PointArea:
        check_point(lat, lon)
        point = Point(lon, lat)
        for index in self.tree.query(point, predicate="intersects"):
            return PointArea(self.codes[int(index)], self.names[int(index)], 0.0)
        # Coast: the nearest polygon within 1 km (degrees of longitude shrink with latitude).
        scale = METRES_PER_DEGREE * max(0.1, math.cos(math.radians(lat)))
        nearest = self.tree.query_nearest(point, max_distance=FALLBACK_METRES / scale * 1.5)
        best: PointArea | None = None
        for index in nearest:
            geometry = self.geometries[int(index)]
            metres = _metres(point, geometry, lat)
            if metres <= FALLBACK_METRES and (best is None or metres < best.distance_m):
                best = PointArea(self.codes[int(index)], self.names[int(index)], metres)
        if best is None:
            raise PointError(
                "point_outside_england",
                "That point is not in an English council area (it may be offshore or outside England)",
            )
        return best

    def areas(self, gss_codes: Iterable[str]) -> list[BaseGeometry]:
        """The boundaries of the council areas with these GSS codes (those the file has)."""
        wanted = set(gss_codes)
        return [g for code, g in zip(self.codes, self.geometries, strict=True) if code in wanted]


def _metres(point: Point, geometry: BaseGeometry, lat: float) -> float:
    """Approximate metres from a point to a geometry (local equirectangular scaling)."""
    _, other = nearest_points(point, geometry)
    dx = (other.x - point.x) * METRES_PER_DEGREE * math.cos(math.radians(lat))
    dy = (other.y - point.y) * METRES_PER_DEGREE
    return math.hypot(dx, dy)


def check_point(lat: float, lon: float) -> None:
    """Raises PointError for impossible coordinates or ones far outside England."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise PointError("point_invalid", "Latitude and longitude must be numbers")
    if not -90 <= lat <= 90:
        raise PointError("point_invalid", "Latitude must be between -90 and 90", "lat")
    if not -180 <= lon <= 180:
        raise PointError("point_invalid", "Longitude must be between -180 and 180", "long")
    west, south, east, north = ENGLAND_BOX
    if not (south <= lat <= north and west <= lon <= east):
        raise PointError(
            "point_outside_england",
            "That point is outside England: this service covers councils in England only",
        )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def read_boundaries(path: Path) -> Boundaries:
    collection: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    codes: list[str] = []
    names: list[str] = []
    geometries: list[BaseGeometry] = []
    for feature in collection["features"]:
        codes.append(str(feature["properties"]["gss_code"]))
        names.append(str(feature["properties"]["name"]))
        geometries.append(shape(feature["geometry"]))
    return Boundaries(codes, names, geometries, STRtree(geometries))
