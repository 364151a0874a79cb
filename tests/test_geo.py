import geopandas as gpd
import numpy as np
from shapely.geometry import box

from udsat.geo import assign_points


def test_points_get_the_containing_polygon_and_none_outside() -> None:
    polygons = gpd.GeoDataFrame(
        {"unit_id": ["b", "a"]},
        geometry=[
            box(700_000, 6_170_000, 701_000, 6_171_000),
            box(701_000, 6_170_000, 702_000, 6_171_000),
        ],
        crs="EPSG:25832",
    )
    x = np.array([700_500.0, 701_500.0, 705_000.0])
    y = np.array([6_170_500.0, 6_170_500.0, 6_170_500.0])
    assert assign_points(x, y, polygons, "unit_id").tolist() == ["b", "a", None]


def test_point_on_shared_boundary_goes_to_smallest_id() -> None:
    polygons = gpd.GeoDataFrame(
        {"unit_id": ["b", "a"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:25832",
    )
    assert assign_points(np.array([1.0]), np.array([0.5]), polygons, "unit_id").tolist() == ["a"]
