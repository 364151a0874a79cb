"""The staging area of one publication: the only way an output file comes into being.

`udsat.publish.publish` hands a `Stage` to the command's build function; every table, layer,
page, figure and log is written through it. Tables go through the run's one disclosure policy
(`TableSpec` + `DisclosurePolicy`) and are checked before they are written; every writer is
deterministic (`udsat.publish.writers`), so the same run gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from udsat.errors import UdsatError
from udsat.publish import writers
from udsat.publish.messages import msg
from udsat.publish.policy import DisclosurePolicy, TableSpec

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

    from udsat.runlog import RunLog


@dataclass
class Stage:
    """A directory being filled for one publication (a folder of it with `sub`)."""

    root: Path
    policy: DisclosurePolicy = field(default_factory=DisclosurePolicy)
    prefix: str = ""  # the folder of `root` within the publication, for messages

    def sub(self, folder: str) -> Stage:
        """The same publication, writing under `folder` (names relative to it)."""
        return Stage(self.root / folder, self.policy, f"{self.prefix}{folder}/")

    def path(self, name: str) -> Path:
        """Where `name` is staged (parents made); for writers outside this module, such as
        matplotlib's savefig, that must be given a path."""
        target = (self.root / name).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise UdsatError(msg("outside_stage", path=name))
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    # --- tables: the disclosure policy applies ----------------------------------------------

    def protect(self, frame: pd.DataFrame, spec: TableSpec, name: str) -> pd.DataFrame:
        """`frame` as the policy lets it be published, checked (raises if it cannot be)."""
        out = self.policy.protect(frame, spec)
        self.policy.check(out, spec, self.prefix + name)
        return out

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        spec: TableSpec,
        *,
        style: Literal["plain", "danish"] = "plain",
        sheet_name: str = "lister",
    ) -> pd.DataFrame:
        """One table, by the suffix of `name` (.csv, .parquet, .xlsx); style "danish" writes a
        CSV for Danish Excel. Returns the published table."""
        out = self.protect(frame, spec, name)
        if style == "danish" and name.endswith(".csv"):
            writers.write_danish_csv(out, self.path(name))
        else:
            writers.write_table(out, self.path(name), sheet_name=sheet_name)
        return out

    def workbook(
        self,
        name: str,
        tables: Mapping[str, tuple[pd.DataFrame, TableSpec]],
        *,
        headers: dict[str, str] | None = None,
        layouts: Mapping[str, writers.SheetLayout] | None = None,
    ) -> None:
        """Several tables as the sheets of one workbook (`layouts`: headers and number formats
        per sheet, see writers.write_workbook)."""
        published = {s: self.protect(f, spec, f"{name}[{s}]") for s, (f, spec) in tables.items()}
        writers.write_workbook(published, self.path(name), headers=headers, layouts=layouts)

    def geopackage(
        self, name: str, layers: Mapping[str, tuple[gpd.GeoDataFrame, TableSpec]]
    ) -> None:
        """Layers of one GeoPackage (empty layers are left out), EPSG:25832."""
        published = {
            layer: self.protect(frame, spec, f"{name}[{layer}]")
            for layer, (frame, spec) in layers.items()
        }
        writers.write_geopackage_layers(published, self.path(name))

    def geojson(self, name: str, frame: gpd.GeoDataFrame, spec: TableSpec) -> None:
        writers.write_geojson(self.protect(frame, spec, name), self.path(name))

    # --- everything else ---------------------------------------------------------------------

    def text(self, name: str, text: str) -> None:
        writers.write_text(text, self.path(name))

    def json(self, name: str, data: Any) -> None:
        writers.write_json(data, self.path(name))

    def bytes(self, name: str, data: bytes) -> None:
        self.path(name).write_bytes(data)

    def run_log(self, log: RunLog, name: str = "run_log.json") -> None:
        """The run log without example rows (they hold input ids)."""
        self.json(name, log.to_dict(examples=False))

    def figure(self, stem: str, fig: Figure) -> list[str]:
        """`stem`.png (150 dpi) and `stem`.pdf without timestamps; closes the figure."""
        import matplotlib.pyplot as plt

        names = [f"{stem}.png", f"{stem}.pdf"]
        fig.savefig(self.path(names[0]), dpi=150, metadata={"Software": None})
        fig.savefig(
            self.path(names[1]), metadata={"CreationDate": None, "Producer": None, "Creator": None}
        )
        plt.close(fig)
        return names
