"""Progress bars for long steps (rich), as a callback the engines can call without knowing rich."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

ProgressCallback = Callable[[str, float], None]


@contextmanager
def progress_bar(console: Console, title: str) -> Iterator[ProgressCallback]:
    """Yield a callback `report(step, fraction)` that drives one progress bar from 0 to 1."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(title, total=1.0)

        def report(step: str, fraction: float) -> None:
            progress.update(task, completed=min(max(fraction, 0.0), 1.0), description=step)

        yield report
        progress.update(task, completed=1.0)
