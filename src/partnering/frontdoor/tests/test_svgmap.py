"""The queue's server-drawn map: the area fills the width, points land inside it, points
elsewhere are counted not drawn, and a council with no boundary gets no map."""

from shapely.geometry import Polygon, box

from partnering.frontdoor.maths.svgmap import draw


def test_area_and_points_are_projected_into_the_picture():
    area = box(-2.0, 52.0, -1.0, 52.5)  # lon/lat
    drawn = draw([area], [(52.25, -1.5, "FD-1"), (51.0, -1.5, "FD-2")], width=600)
    assert drawn is not None
    assert drawn.width == 600 and 0 < drawn.height < 600  # wider than tall at 52° N
    (dot,) = drawn.dots
    assert dot.label == "FD-1"
    assert abs(dot.x - 300) < 1 and abs(dot.y - drawn.height / 2) < 1  # the middle
    assert drawn.outside == 1
    assert drawn.area_path.startswith("M") and drawn.area_path.endswith("Z")


def test_a_county_is_the_union_of_its_districts_with_holes_kept():
    west, east = box(0, 0, 1, 1), box(1, 0, 2, 1)
    ring = Polygon(
        [(3, 0), (5, 0), (5, 2), (3, 2)], [[(3.5, 0.5), (4.5, 0.5), (4.5, 1.5), (3.5, 1.5)]]
    )
    drawn = draw([west, east, ring], [])
    assert drawn is not None
    assert drawn.area_path.count("M") == 3  # the two districts merged; the ring and its hole


def test_no_area_no_map():
    assert draw([], [(52.0, -1.0, "FD-1")]) is None
