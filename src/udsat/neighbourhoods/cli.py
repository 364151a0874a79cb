"""`udsat neighbourhoods`: bespoke neighbourhoods of a dataset, written as Parquet or GeoPackage."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from udsat.contract.dataset import open_dataset
from udsat.engines import open_engine
from udsat.errors import UdsatError
from udsat.i18n import number
from udsat.neighbourhoods.cluster import areas, flag_worst
from udsat.neighbourhoods.grid import cells_from_dataset
from udsat.neighbourhoods.messages import say
from udsat.neighbourhoods.publish import write_neighbourhoods
from udsat.neighbourhoods.step import DEFAULT_VARIABLES, neighbourhood_step
from udsat.publish import publish_file, run_manifest


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
    publish_file(
        request.out,
        lambda stage: write_neighbourhoods(stage, request.out.name, frame, areas=found),
        run_manifest(
            config={
                "ks": sorted(set(request.ks)),
                "year": request.year,
                "variables": variables,
                "flag": request.flag,
                "worst": request.worst,
                "origins": request.origins,
            },
            inputs=request.data,
            engine=request.engine,
            seed=None,
        ),
    )
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
