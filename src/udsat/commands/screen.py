"""`udsat screen`: the city screening, published as a directory."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from udsat.contract.tabular import Stated
from udsat.errors import UdsatError
from udsat.pipeline import identifiers, manifest, open_run
from udsat.progress import progress_bar
from udsat.publish import publish
from udsat.screening.aggregate import screen_aggregate
from udsat.screening.config import load_config
from udsat.screening.messages import say as screening_say
from udsat.screening.publish import write_screening
from udsat.screening.result import ScreeningResult


def screen_command(
    data: Path | None,
    aggregate: Path | None,
    year: int,
    config: Path | None,
    compare: Path | None,
    out: Path,
    engine: str = "duckdb",
    stated: Stated | None = None,
) -> ScreeningResult:
    """Screen `data` (a dataset directory) or `aggregate` (an area-level CSV) for `year` and
    publish the outputs into `out` (a directory, replaced whole when complete)."""
    if (data is None) == (aggregate is None):
        raise UdsatError(screening_say("one_source"))
    settings = load_config(config)
    source = Path(data if data is not None else aggregate)  # type: ignore[arg-type]
    if aggregate is not None:
        if compare is not None:
            raise UdsatError(screening_say("compare_aggregate"))
        result = screen_aggregate(aggregate, year=year, config=settings, stated=stated)
        for note in result.log.process_notes:  # how the table was read
            Console(stderr=True).print(note, style="dim", markup=False)
        found = None
    else:
        from udsat.screening.run import run_screening

        ctx = open_run(source, engine=engine)
        with progress_bar(ctx.console, "screening") as report:
            result = run_screening(
                ctx.dataset,
                year=year,
                config=settings,
                compare=compare,
                progress=report,
                engine=ctx.engine,
                references=ctx.references,
            )
        result.log.exclusions[:0] = ctx.log.exclusions
        result.log.notes[:0] = ctx.log.notes
        found = identifiers(ctx)
    publish(
        out,
        lambda stage: write_screening(stage, result),
        manifest(
            config={
                "year": year,
                "config": str(config) if config else "default",
                "compare": str(compare) if compare else None,
            },
            inputs=source,
            engine=engine,
            seed=None,
            parts=("indicators", "screening", "statelists"),
        ),
        identifiers=found,
    )
    Console().print(screening_say("done", year=year, path=out, areas=len(result.areas)))
    return result
