"""`udsat neighbourhoods`: bespoke neighbourhoods of a dataset, written as Parquet or GeoPackage."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from udsat.contract.dataset import open_dataset
from udsat.contract.schemas import CRS
from udsat.engines import open_engine
from udsat.errors import UdsatError
from udsat.i18n import number
from udsat.neighbourhoods.cluster import areas, flag_worst
from udsat.neighbourhoods.grid import cell_polygons, cells_from_dataset
from udsat.neighbourhoods.messages import say
from udsat.neighbourhoods.step import DEFAULT_VARIABLES, neighbourhood_step


@dataclass
class Request:
    """What `udsat neighbourhoods` was asked for."""

    data: Path
    ks: list[int]
    out: Path
    year: int | None = None
    variables: list[str] = field(default_factory=list)
    flag: str | None = None
    worst: float = 0.05
    origins: str = "cells"
    engine: str = "duckdb"


def parse_variables(texts: list[str]) -> dict[str, str]:
    """`NAME=EXPRESSION` options as a mapping (DEFAULT_VARIABLES when none are given)."""
    if not texts:
        return dict(DEFAULT_VARIABLES)
    out = {}
    for text in texts:
        name, sep, expr = text.partition("=")
        if not sep or not name.strip().isidentifier() or not expr.strip():
            raise UdsatError(say("var", text=text))
        out[name.strip()] = expr.strip()
    return out


def neighbourhoods_command(request: Request, progress: Callable[[str, float], None]) -> str:
    """Compute, optionally cluster, and write; returns the closing message."""
    started = time.perf_counter()
    suffix = request.out.suffix.lower()
    if suffix not in (".parquet", ".gpkg"):
        raise UdsatError(say("suffix", name=request.out.name))
    if request.origins not in ("cells", "addresses"):
        raise UdsatError(say("origins", value=request.origins))
    if request.flag and request.origins == "addresses":
        raise UdsatError(say("flag_addresses"))
    variables = parse_variables(request.variables)
    con = open_engine(request.engine, open_dataset(request.data))
    frame = neighbourhood_step(con, request.ks, variables, request.year, progress, request.origins)
    found = _areas(con, frame, request) if request.flag else None
    _write(frame, found, request.out)
    cells = request.origins == "cells"
    lines = [
        say(
            "done" if cells else "done_addresses",
            **{"cells" if cells else "count": number(len(frame))},
            ks=", ".join(number(k) for k in sorted(set(request.ks))),
            path=request.out,
            seconds=number(time.perf_counter() - started),
        )
    ]
    if found is not None:
        share = number(request.worst * 100)
        lines.append(say("areas", areas=len(found), share=share, col=request.flag))
    return "\n".join(lines)


def _areas(con, frame: pd.DataFrame, request: Request) -> gpd.GeoDataFrame:
    """Areas of adjacent cells among the worst `worst` share on the column `flag`."""
    if request.flag not in frame.columns:
        example = next((c for c in frame.columns if "_share_k" in c), "…")
        raise UdsatError(say("flag", col=request.flag, example=example))
    # The step drops the per-cell people; the areas need them back.
    own = cells_from_dataset(con, {}, int(frame["year"].iloc[0]))
    residents = pd.DataFrame(
        {"row": own.rows, "col": own.cols, "people": own.people.astype("int64")}
    )
    cells = frame[["row", "col", request.flag]].merge(residents, on=["row", "col"])
    return areas(cells, flag_worst(cells[request.flag], request.worst))


def _write(frame: pd.DataFrame, found: gpd.GeoDataFrame | None, out: Path) -> None:
    """Write to `<stem>.partial<suffix>` first and move into place when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.stem + ".partial" + out.suffix)
    staging.unlink(missing_ok=True)
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(staging, index=False)
        if found is not None:
            found.to_parquet(out.with_name(out.stem + "_areas.parquet"), index=False)
    else:
        # Cell squares, or the address points (address origins have no row / col).
        if "row" in frame.columns:
            geometry = cell_polygons(frame["row"], frame["col"])
        else:
            geometry = shapely.points(frame["x"].to_numpy(), frame["y"].to_numpy())
        cells = gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)
        cells.to_file(staging, layer="neighbourhoods", driver="GPKG")
        if found is not None:
            found.to_file(staging, layer="areas", driver="GPKG")
    shutil.move(staging, out)
