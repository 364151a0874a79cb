"""The site's downloads: every table as CSV, one Excel workbook, the areas as GeoPackage.

CSV: UTF-8 with BOM, ';' between fields and a decimal comma, which Danish Excel opens directly
(read it back with pandas.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")); headers
are the stable column ids. The workbook has one sheet per table with Danish headers. All files
are byte-identical for the same tables (fixed zip and document times, fixed GDAL date).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from udsat.outputs import FIXED_TIME, fixed_gdal_date

# Six significant digits: published figures need no more, and a long run of decimals could read
# like a CPR number to the output scan (udsat.privacy) once the decimal point is a comma.
CSV_OPTIONS = {
    "sep": ";",
    "decimal": ",",
    "encoding": "utf-8-sig",
    "lineterminator": "\n",
    "float_format": "%.6g",
}

# Danish headers for the workbook; a column not named here keeps its id.
HEADERS_DA = {
    "area_id": "områdeid",
    "area_name": "område",
    "name": "navn",
    "kind": "type",
    "residents": "beboere",
    "year": "år",
    "list_year": "listeår",
    "rule_set": "regelsæt",
    "criteria_flagged": "kriterier over grænsen",
    "criteria": "kriterier",
    "criteria_met": "kriterier opfyldt",
    "explanation_da": "begrundelse",
    "explanation_en": "begrundelse (engelsk)",
    "stability": "stabilitet",
    "housing_area_id": "boligområdeid",
    "status": "status",
    "municipality": "kommune",
    "udsat": "udsat boligområde",
    "parallelsamfund": "parallelsamfundsområde",
    "forebyggelse": "forebyggelsesområde",
    "omdannelse": "omdannelsesområde",
    "reasons": "begrundelse",
    "reason_codes": "begrundelseskoder",
    "indicator_id": "indikator",
    "subgoal": "delmål",
    "group": "gruppe",
    "value": "værdi",
    "ci_low": "nedre grænse",
    "ci_high": "øvre grænse",
    "numerator": "tæller",
    "denominator": "nævner",
    "label_da": "navn",
    "label_en": "navn (engelsk)",
    "direction": "retning",
    "baseline_year": "basisår",
    "baseline_gap": "afstand basisår",
    "latest_year": "seneste år",
    "latest_gap": "afstand seneste år",
    "target_gap_2035": "mål for afstanden 2035",
    "trend_per_year": "udvikling pr. år",
    "projected_gap_2035": "fremskrevet afstand 2035",
    "projected_low": "fremskrivning nedre",
    "projected_high": "fremskrivning øvre",
    "reason_da": "begrundelse",
    "reason_en": "begrundelse (engelsk)",
    "risk_rank": "risikorang",
    "unit_id": "enhed",
    "composite": "samlet mål",
    "vulnerable": "udsat",
    "note": "note",
    "initiative_id": "indsats",
    "administration": "forvaltning",
    "areas": "områder",
    "goals": "mål",
    "start_year": "startår",
    "end_year": "slutår",
    "description": "beskrivelse",
    "figure": "nøgletal",
    "rest": "resten af byen",
    "city": "hele byen",
}


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """One table as CSV for Danish Excel (see the module docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, **CSV_OPTIONS)


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV written by `write_csv`, as pandas reads it back."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


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


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """All tables in one .xlsx, a sheet per table, Danish headers, fixed times."""
    from openpyxl import Workbook

    # write_only streams rows: several times faster than pandas' cell-by-cell to_excel.
    book = Workbook(write_only=True)
    used: set[str] = set()
    for name, table in tables.items():
        sheet = book.create_sheet(sheet_name(name, used))
        sheet.append([HEADERS_DA.get(str(c), str(c)) for c in table.columns])
        plain = table.astype(object).where(table.notna(), None)
        for row in plain.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_areas_gpkg(layers: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """The map's areas as one GeoPackage (EPSG:25832), a layer per kind of area."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with fixed_gdal_date():
        for layer, frame in layers.items():
            if len(frame):
                frame.to_crs("EPSG:25832").to_file(
                    path, layer=layer, driver="GPKG", engine="pyogrio", append=path.exists()
                )
