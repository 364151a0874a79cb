"""A hostile variant of the demo's real report bundle: markup and script in names and ids.

The browser tests read the bundle and site the demo published (tests/conftest.py `default_demo`);
only this variant is built separately, to show that no name from the data runs as code.
"""

from __future__ import annotations

import copy

from udsat.report import ReportBundle
from udsat.report.profiles import initiative_index, initiatives_for

HOSTILE_AREA = "<script>alert(1)</script>"
HOSTILE_HOUSING = '"><img src=x onerror=alert(1)>'
HOSTILE_INITIATIVE = "<img src=y onerror=alert(3)>Indsats"
HOSTILE_ID = 'x"><svg onload=alert(2)>'


def covered_area(bundle: ReportBundle) -> tuple[object, int]:
    """(index label in screening.areas, position in initiatives) of the first designated area
    that an initiative covers through its own polygons, not merely as a city-wide initiative."""
    areas = bundle.screening.areas
    index = initiative_index(bundle)
    for label, area in areas[areas["kind"] == "screening"].iterrows():
        for position, (record, places) in enumerate(index):
            local = [(record, [p for p in places if not isinstance(p, str)])]
            if initiatives_for(local, area.geometry):
                return label, position
    raise AssertionError("no initiative of the data covers a designated area")


def hostile_bundle(bundle: ReportBundle) -> ReportBundle:
    """The same bundle with script and markup in area, housing and initiative names and ids.

    The hostile area is one the hostile initiative really covers, so its profile lists it.
    """
    hostile = copy.deepcopy(bundle)
    label, position = covered_area(hostile)
    areas = hostile.screening.areas
    old_id = str(areas.loc[label, "area_id"])
    areas.loc[label, "name"] = HOSTILE_AREA
    areas.loc[label, "area_id"] = HOSTILE_ID
    residents = hostile.residents_by_area
    residents.loc[residents["area_id"] == old_id, "area_id"] = HOSTILE_ID
    hostile.initiatives.loc[hostile.initiatives.index[position], "name"] = HOSTILE_INITIATIVE
    hostile.housing_areas.loc[0, "name"] = HOSTILE_HOUSING
    hostile.state_lists.loc[
        hostile.state_lists["area_id"] == hostile.housing_areas.loc[0, "housing_area_id"],
        "area_name",
    ] = HOSTILE_HOUSING
    return hostile
