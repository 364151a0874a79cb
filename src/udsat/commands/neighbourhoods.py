"""`udsat neighbourhoods`: bespoke neighbourhoods, published as one file with its manifest."""

from __future__ import annotations

import time
from collections.abc import Callable

from udsat.neighbourhoods.publish import write_neighbourhoods
from udsat.neighbourhoods.request import Request as NeighbourhoodsRequest
from udsat.neighbourhoods.request import check_request, closing_message, compute
from udsat.pipeline import identifiers, manifest, open_run
from udsat.publish import publish_file


def neighbourhoods_command(
    request: NeighbourhoodsRequest, progress: Callable[[str, float], None]
) -> str:
    """Compute, optionally cluster, and publish as `request.out` with its manifest; returns the
    closing message."""
    started = time.perf_counter()
    check_request(request)
    ctx = open_run(request.data, engine=request.engine)
    computed = compute(request, ctx.engine, progress)
    publish_file(
        request.out,
        lambda stage: write_neighbourhoods(
            stage, request.out.name, computed.frame, areas=computed.areas
        ),
        manifest(
            config={
                "ks": sorted(set(request.ks)),
                "year": request.year,
                "variables": computed.variables,
                "flag": request.flag,
                "worst": request.worst,
                "origins": request.origins,
            },
            inputs=request.data,
            engine=request.engine,
            seed=None,
        ),
        identifiers=identifiers(ctx),
        policy=ctx.policy,
    )
    return closing_message(request, computed, time.perf_counter() - started)
