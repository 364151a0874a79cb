"""Deterministic writers for every output: the same table gives the same bytes on every run.

Libraries stamp wall-clock times into files (openpyxl's document properties and zip entry times,
GDAL's gpkg_contents.last_change); these writers fix those stamps to `FIXED_TIME`, so a run's
outputs can be compared byte for byte and hashed in the run manifest.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from udsat.errors import UdsatError
from udsat.publish.messages import msg

if TYPE_CHECKING:
    import geopandas as gpd


def _fixed_time() -> datetime:
    # SOURCE_DATE_EPOCH is the reproducible-builds convention for "the time to stamp".
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else 946_684_800  # 2000-01-01T00:00:00Z
    return datetime.fromtimestamp(max(seconds, 315_532_800), tz=UTC)  # zip needs >= 1980


FIXED_TIME = _fixed_time()

TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")


# CSV for Danish Excel: UTF-8 with BOM, ';' between fields, a decimal comma. Six significant
# digits: published figures need no more, and a long run of decimals could read like a CPR number
# to the output scan once the decimal point is a comma.
DANISH_CSV = {
    "sep": ";",
    "decimal": ",",
    "encoding": "utf-8-sig",
    "lineterminator": "\n",
    "float_format": "%.6g",
}


def write_danish_csv(table: pd.DataFrame, path: Path) -> None:
    """One table as CSV for Danish Excel (read back with `read_danish_csv`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, **DANISH_CSV)  # type: ignore[call-overload]


def read_danish_csv(path: Path) -> pd.DataFrame:
    """A CSV written by `write_danish_csv`, as pandas reads it back."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


def check_table_suffix(out: Path) -> None:
    """Refuse, before any work, an --out file no table writer takes."""
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise UdsatError(msg("out_suffix", suffix=out.suffix))


def write_table(table: pd.DataFrame, path: Path, *, sheet_name: str = "lister") -> None:
    """CSV (UTF-8), Parquet or Excel by the suffix; undecided lists stay empty cells.

    Byte-identical for the same table: fixed line endings, no timestamps in Parquet or Excel.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    elif suffix == ".parquet":
        write_parquet(table, path)
    elif suffix == ".xlsx":
        write_xlsx(table, path, sheet_name=sheet_name)
    else:
        raise UdsatError(msg("table_suffix", suffix=path.suffix))


def write_parquet(table: pd.DataFrame, path: Path) -> None:
    """Parquet without the pandas index; pyarrow writes no time, only its version (created_by).
    A GeoDataFrame is written as GeoParquet (geometry as WKB with its CRS, for QGIS)."""
    if hasattr(table, "geometry") and hasattr(table, "crs"):
        table.to_parquet(path, index=False, compression="zstd")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path, compression="zstd")


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def sheet_name(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    used.add(candidate.lower())
    return candidate


def _cell(value: object) -> object:
    """A value openpyxl can store: numpy scalars as Python numbers, other objects as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def write_xlsx(table: pd.DataFrame, path: Path, *, sheet_name: str = "lister") -> None:
    """One table as a one-sheet workbook (see `write_workbook`)."""
    write_workbook({sheet_name: table}, path)


@dataclass(frozen=True)
class SheetLayout:
    """How a table is laid out in a workbook: column id -> header, column id -> Excel number
    format (e.g. '0.0%', '#,##0'; a column not named keeps its id and Excel's General), and
    the text an empty cell shows (e.g. ".." for a suppressed figure)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    marks: pd.DataFrame | None = None  # text for empty cells (same shape), e.g. ".." suppressed


def _width(header: str, values: pd.Series) -> float:
    """A column width that fits the header's longest word and most values (Excel characters)."""
    texts = values.dropna().astype(str).head(200)
    longest_value = int(texts.str.len().quantile(0.9)) if len(texts) else 0
    words = max((len(w) for w in header.split()), default=4)
    return float(min(max(words, min(len(header), 24), longest_value, 6) + 2, 60))


def write_workbook(
    tables: dict[str, pd.DataFrame],
    path: Path,
    *,
    headers: dict[str, str] | None = None,
    layouts: Mapping[str, SheetLayout] | None = None,
) -> None:
    """Tables in one .xlsx, a sheet per table, byte-identical for the same tables.

    Each sheet has its header row frozen, a filter on it, column widths that fit, and the number
    format of each column its layout names (`layouts` by table name; `headers` relabels columns
    of every sheet without a layout). openpyxl stamps 'now' into the document properties and the
    zip entries: both are fixed to `FIXED_TIME`.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # write_only streams rows: several times faster than pandas' cell-by-cell to_excel.
    book = Workbook(write_only=True)
    used: set[str] = set()
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name, table in tables.items():
        layout = (layouts or {}).get(name) or SheetLayout(headers or {})
        sheet = book.create_sheet(sheet_name(name, used))
        columns = [str(c) for c in table.columns]
        labels = [layout.headers.get(c, c) for c in columns]
        for i, (column, label) in enumerate(zip(columns, labels, strict=True), start=1):
            width = _width(label, table[column])
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        if len(columns):
            last = get_column_letter(len(columns))
            sheet.auto_filter.ref = f"A1:{last}{len(table) + 1}"
        head = []
        for label in labels:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font, cell.alignment = bold, wrap
            head.append(cell)
        sheet.append(head)
        formats = [layout.formats.get(c) for c in columns]
        plain = table.astype(object).where(table.notna(), None)
        marks = layout.marks
        if marks is not None and marks.shape != table.shape:
            raise ValueError(f"the marks of sheet {name!r} do not have the table's shape")
        for i, row in enumerate(plain.itertuples(index=False)):
            cells: list[object] = []
            for j, (value, number_format) in enumerate(zip(row, formats, strict=True)):
                if value is None and marks is not None:
                    value = marks.iat[i, j] or None
                if number_format is None or value is None or isinstance(value, str):
                    cells.append(_cell(value))
                    continue
                cell = WriteOnlyCell(sheet, value=_cell(value))
                cell.number_format = number_format
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = FIXED_TIME.timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


@contextmanager
def fixed_gdal_date() -> Iterator[None]:
    """GDAL stamps gpkg_contents.last_change with "now" unless OGR_CURRENT_DATE is set."""
    import pyogrio

    key = "OGR_CURRENT_DATE"
    before = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: before})


def write_geopackage(frame: gpd.GeoDataFrame, path: Path, *, layer: str) -> None:
    """One GeoPackage layer, byte-identical for the same frame (fixed GDAL date, no 'now')."""
    write_geopackage_layers({layer: frame}, path)


def write_geopackage_layers(layers: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """Several layers in one GeoPackage (EPSG:25832); empty layers are left out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with fixed_gdal_date():
        for layer, frame in layers.items():
            if len(frame):
                frame = frame.to_crs("EPSG:25832") if frame.crs is not None else frame
                frame.to_file(
                    path, layer=layer, driver="GPKG", engine="pyogrio", append=path.exists()
                )


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """GeoJSON in WGS 84 (RFC 7946), as web maps read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")


def json_text(data: Any) -> str:
    """JSON as udsat writes it: sorted keys, two-space indent, UTF-8 text, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json_text(data), encoding="utf-8")


def write_text(text: str, path: Path) -> None:
    """Text with '\\n' line endings on every platform."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
