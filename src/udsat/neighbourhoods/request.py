"""`udsat neighbourhoods`: bespoke neighbourhoods of a dataset (udsat.commands publishes them as
Parquet or GeoPackage)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from udsat.engines import Engine
from udsat.errors import UdsatError
from udsat.i18n import number
from udsat.neighbourhoods.cluster import areas, flag_worst
from udsat.neighbourhoods.grid import cells_from_dataset
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


@dataclass
class Computed:
    """What `udsat neighbourhoods` computed: the table, the areas (with --flag), the variables."""

    frame: pd.DataFrame
    areas: gpd.GeoDataFrame | None
    variables: dict[str, str]


def check_request(request: Request) -> None:
    """Refuse an impossible request before any work (the output's suffix, origins, flag)."""
    if request.out.suffix.lower() not in (".parquet", ".gpkg"):
        raise UdsatError(say("suffix", name=request.out.name))
    if request.origins not in ("cells", "addresses"):
        raise UdsatError(say("origins", value=request.origins))
    if request.flag and request.origins == "addresses":
        raise UdsatError(say("flag_addresses"))


def compute(request: Request, engine: Engine, progress: Callable[[str, float], None]) -> Computed:
    """The neighbourhoods of the request on `engine` and, with --flag, their areas."""
    check_request(request)
    variables = parse_variables(request.variables)
    frame = neighbourhood_step(
        engine, request.ks, variables, request.year, progress, request.origins
    )
    found = _areas(engine, frame, request) if request.flag else None
    return Computed(frame, found, variables)


def closing_message(request: Request, computed: Computed, seconds: float) -> str:
    cells = request.origins == "cells"
    lines = [
        say(
            "done" if cells else "done_addresses",
            **{"cells" if cells else "count": number(len(computed.frame))},
            ks=", ".join(number(k) for k in sorted(set(request.ks))),
            path=request.out,
            seconds=number(seconds),
        )
    ]
    if computed.areas is not None:
        share = number(request.worst * 100)
        lines.append(say("areas", areas=len(computed.areas), share=share, col=request.flag))
    return "\n".join(lines)


def _areas(con: Engine, frame: pd.DataFrame, request: Request) -> gpd.GeoDataFrame:
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
