"""`udsat import dst`: DST register extracts -> a dataset directory in the data contract.

One row year at a time: the year's BEF file (status on 1 January) is the frame; the status and
flow registers of that year are joined on PNR; the dated registers (address and benefit spells,
decisions, deaths, diagnoses) are read once, in chunks and with only the variables the mapping
needs, and placed by their dates. Each column is made by its mapping entry's rule. Every
person-year left out is counted by reason in the run log, every value filled in for a missing
row is counted in a note: nothing is lost silently.

The dataset is written with the synthetic city's writer (udsat.synth.writer: persons_table,
write_parquet, write_manifest_json) to a temporary folder beside `out` and moved into place when
complete.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from udsat import __version__
from udsat.contract.schemas import ADDRESSES, CRS, HOUSING_AREAS, PERSONS, Kind
from udsat.errors import UdsatError
from udsat.importer import mapping as m
from udsat.importer.files import (
    CHUNK_ROWS,
    RegisterFile,
    columns_of,
    file_label,
    find_files,
    read_chunks,
)
from udsat.importer.messages import msg
from udsat.runlog import RunLog

TABLE = "persons"
EXAMPLES = 5


@dataclass
class ImportSummary:
    path: Path
    persons: int
    person_years: int
    years: tuple[int, int]
    addresses: int
    dropped: int
    seconds: float
    log: RunLog = field(default_factory=RunLog)


@dataclass
class _Plan:
    """The register files and, per file, stored variable name -> mapping variable name."""

    files: dict[str, list[RegisterFile]]
    variables: dict[Path, dict[str, str]]


def _codes(values: pd.Series) -> pd.Series:
    """Codes as text whatever their storage (1.0 -> '1'); missing stays missing."""
    if values.dtype.kind == "f":
        out = pd.Series(pd.NA, index=values.index, dtype="object")
        ok = values.notna()
        whole = ok & (values == np.floor(values))
        out[whole] = values[whole].astype(np.int64).astype(str)
        out[ok & ~whole] = values[ok & ~whole].astype(str)
        return out
    if values.dtype.kind in "iu":
        return values.astype(str).astype("object")
    text = values.astype("string").str.strip()  # vectorised: SAS text, Parquet strings
    return text.astype("object").where(text.notna(), pd.NA)


def _top(counter: Counter[str], n: int = 10) -> str:
    return ", ".join(f"{k} ({v})" for k, v in counter.most_common(n))


def plan_files(root: Path, mapping: m.Mapping, log: RunLog) -> _Plan:
    """Find the files, check every file has the variables the mapping reads from it."""
    found, ignored = find_files(root, list(mapping.registers))
    if ignored:
        log.note(msg("ignored_files", files=", ".join(ignored)))
    files: dict[str, list[RegisterFile]] = {name: [] for name in mapping.registers}
    for f in found:
        files[f.register].append(f)
    variables: dict[Path, dict[str, str]] = {}
    for name, register in mapping.registers.items():
        wanted = mapping.variables_of(name)
        if not files[name]:
            users = [e for e in mapping.entries_of(name)]
            if users:
                raise UdsatError(
                    msg("no_register_files", register=name, path=root, entries=", ".join(users))
                )
            continue
        for f in files[name]:
            stored = columns_of(f.path)
            upper = {c.upper(): c for c in stored}
            chosen: dict[str, str] = {}
            for variable, entries in wanted.items():
                if variable.upper() in upper:
                    chosen[upper[variable.upper()]] = variable
                elif not _optional(mapping, name, variable, f.year):
                    raise UdsatError(
                        msg(
                            "missing_variable",
                            file=f.path.name,
                            variable=variable,
                            entries=", ".join(entries),
                            found=", ".join(stored),
                        )
                    )
            variables[f.path] = chosen
        del register
    if not any(f.year is not None for f in files["BEF"] if "BEF" in files) and "BEF" in files:
        raise UdsatError(msg("no_bef", path=root))
    return _Plan(files, variables)


def _optional(mapping: m.Mapping, register: str, variable: str, year: int | None) -> bool:
    """A count's code variable outside its years may be absent (KRAF's AFG_GER9 before 2020)."""
    for entry in mapping.entries_of(register).values():
        if isinstance(entry, m.Count):
            for cv in entry.code_variables:
                if cv.variable == variable and (cv.from_year is not None or cv.to_year is not None):
                    return True
    return False


def _dates(mapping: m.Mapping, register: str) -> set[str]:
    names: set[str] = set()
    for entry in mapping.entries_of(register).values():
        if isinstance(entry, (m.On1January, m.Fte)):
            names |= {entry.spell.start, entry.spell.end}
        elif isinstance(entry, (m.Count, m.DatedFlag)):
            names.add(entry.date)
    return names


def _read(plan: _Plan, mapping: m.Mapping, f: RegisterFile, chunk_rows: int) -> pd.DataFrame:
    dates = _dates(mapping, f.register)
    parts = list(read_chunks(f.path, plan.variables[f.path], dates, chunk_rows))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    for name in plan.variables[f.path].values():
        if name not in frame.columns:
            frame[name] = pd.Series(np.nan, index=frame.index)
    return frame


STORE_MEMORY = "1GB"  # the dated registers' DuckDB cache


class _DatedStore:
    """The dated registers (spells and events), read once in chunks into a DuckDB file beside
    the output, so that each row year holds in memory only the rows it uses: the import's memory
    does not grow with the number of years (a national extract over 11 years).

    A row year Y uses the spells that overlap Y-1 and Y (on 1 January, full-time equivalents of
    Y-1) and the events dated in Y-1 or Y; a `before_1_january` flag also needs each person's
    earliest event before that, which is kept whatever its year. Rows keep the files' order."""

    def __init__(
        self, path: Path, plan: _Plan, mapping: m.Mapping, window: tuple[int, int], chunk_rows: int
    ) -> None:
        import duckdb

        self.con = duckdb.connect(str(path))
        # The rows live in the file: DuckDB's cache is kept small (it spills, never fails).
        self.con.execute(f"SET memory_limit = '{STORE_MEMORY}'")
        self.con.execute("SET preserve_insertion_order = true")
        self.mapping = mapping
        self.columns: dict[str, list[str]] = {}
        for name, reg in mapping.registers.items():
            if reg.kind == "dated" and plan.files[name]:
                self._load(plan, name, window, chunk_rows)

    def _spells(self, register: str) -> tuple[set[str], set[str]]:
        entries = self.mapping.entries_of(register).values()
        starts = {e.spell.start for e in entries if isinstance(e, (m.On1January, m.Fte))}
        ends = {e.spell.end for e in entries if isinstance(e, (m.On1January, m.Fte))}
        return starts, ends

    def _earliest(self, register: str) -> set[str]:
        """Date variables of `before_1_january` flags: the earliest event counts, however old."""
        return {
            e.date
            for e in self.mapping.entries_of(register).values()
            if isinstance(e, m.DatedFlag) and e.when == "before_1_january"
        }

    def _load(self, plan: _Plan, register: str, window: tuple[int, int], chunk_rows: int) -> None:
        reg = self.mapping.registers[register]
        dates = _dates(self.mapping, register)
        starts, ends = self._spells(register)
        earliest = self._earliest(register)
        low, high = pd.Timestamp(window[0], 1, 1), pd.Timestamp(window[1], 12, 31)
        row = 0
        for f in plan.files[register]:
            for chunk in read_chunks(f.path, plan.variables[f.path], dates, chunk_rows):
                keep = pd.Series(True, index=chunk.index)
                for start in starts:
                    keep &= ~(chunk[start] > high)
                for end in ends:
                    keep &= ~(chunk[end] < low)
                for date in dates - starts - ends:
                    keep &= chunk[date].between(low, high) | (
                        (chunk[date] < low) if date in earliest else False
                    )
                chunk = chunk[keep].reset_index(drop=True)
                if reg.key in chunk.columns:
                    chunk[reg.key] = _codes(chunk[reg.key])
                for column in chunk.columns:  # text as text (all-missing chunks included)
                    if chunk[column].dtype.kind not in "fiuMmb":
                        chunk[column] = chunk[column].astype("object")
                chunk["__row"] = np.arange(row, row + len(chunk), dtype=np.int64)
                row += len(chunk)
                self.con.register("chunk", chunk)
                if register not in self.columns:
                    self.columns[register] = [c for c in chunk.columns if c != "__row"]
                    self.con.execute(f'CREATE TABLE "{register}" AS SELECT * FROM chunk')
                else:
                    self.con.execute(f'INSERT INTO "{register}" BY NAME SELECT * FROM chunk')
                self.con.unregister("chunk")

    def year(self, register: str, year: int) -> pd.DataFrame:
        """The register's rows row year `year` uses, in the files' order."""
        if register not in self.columns:
            return pd.DataFrame()
        key = self.mapping.registers[register].key
        dates = _dates(self.mapping, register)
        starts, ends = self._spells(register)
        low, high = f"TIMESTAMP '{year - 1}-01-01'", f"TIMESTAMP '{year}-12-31'"
        kept = [f'NOT coalesce("{s}" > {high}, false)' for s in starts]
        kept += [f'NOT coalesce("{e}" < {low}, false)' for e in ends]
        events = [f'"{d}" BETWEEN {low} AND {high}' for d in sorted(dates - starts - ends)]
        where = " AND ".join(kept + ([f"({' OR '.join(events)})"] if events else [])) or "true"
        parts = [f'SELECT * FROM "{register}" WHERE {where}']
        for d in sorted(self._earliest(register)):  # each person's first event before Y-1
            parts.append(
                f'SELECT * FROM "{register}" WHERE "{d}" < {low} '
                f'QUALIFY row_number() OVER (PARTITION BY "{key}" ORDER BY "{d}", __row) = 1'
            )
        query = " UNION ".join(parts)
        frame = self.con.execute(f"SELECT * FROM ({query}) ORDER BY __row").df()
        return frame.drop(columns="__row")[self.columns[register]]

    def close(self) -> None:
        self.con.close()


class _YearRegisters(dict[str, pd.DataFrame]):
    """The dated registers' rows of one row year, read from the store when first asked for."""

    def __init__(self, store: _DatedStore, year: int) -> None:
        super().__init__()
        self.store, self.year = store, year
        # each (register, code variable)'s spells of the year: several columns read the same
        self.spells: dict[tuple[str, str], pd.DataFrame] = {}

    def __missing__(self, register: str) -> pd.DataFrame:
        frame = self.store.year(register, self.year)
        self[register] = frame
        return frame


class _Year:
    """One row year: the BEF frame, the joined registers and what is dropped and why."""

    def __init__(self, year: int, bef: pd.DataFrame, key: str) -> None:
        self.year = year
        self.key = key
        self.pnr = _codes(bef[key]).reset_index(drop=True)
        self.frame = bef.reset_index(drop=True)
        self.n = len(self.frame)
        self.drop = np.zeros(self.n, dtype=bool)
        self.reasons: list[tuple[str, np.ndarray]] = []
        self.columns: dict[str, pa.Array | np.ndarray | pd.Series] = {}

    def mark(self, reason: str, mask: np.ndarray) -> None:
        new = mask & ~self.drop
        if new.any():
            self.reasons.append((reason, new))
            self.drop |= new

    def align(self, frame: pd.DataFrame, key: str) -> pd.DataFrame:
        """`frame` (one row per person) in the order of this year's persons."""
        indexed = frame.assign(__pnr=_codes(frame[key])).drop_duplicates("__pnr", keep="first")
        return indexed.set_index("__pnr").reindex(self.pnr.to_numpy())


def import_dst(
    registers: Path,
    out: Path,
    mapping: m.Mapping | None = None,
    *,
    housing_areas: Path | None = None,
    units: Path | None = None,
    log: RunLog | None = None,
    chunk_rows: int = CHUNK_ROWS,
    name: str | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> ImportSummary:
    """Import the extracts in `registers` into the dataset directory `out` (replaced when
    complete). `housing_areas` (a polygon file with housing_area_id) gives each address its
    housing area; `units` (a folder of polygon layers) is copied as the dataset's units."""
    started = time.perf_counter()
    mapping = mapping or m.default_mapping()
    log = log or RunLog()
    report = progress or (lambda _m, _f: None)
    plan = plan_files(Path(registers), mapping, log)
    bef = mapping.registers["BEF"]
    years = sorted({f.year + bef.year_offset for f in plan.files["BEF"] if f.year is not None})
    window = (years[0] - 1, years[-1])
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".udsat-import-", dir=Path(out).parent) as spill:
        store = _DatedStore(Path(spill) / "dated.duckdb", plan, mapping, window, chunk_rows)
        try:
            addresses = _addresses(plan, mapping, chunk_rows, housing_areas, log)
            rows, persons = _write_dataset(
                Path(out), plan, mapping, years, store, addresses, log, chunk_rows,
                name or Path(registers).name, housing_areas, units, report,
            )  # fmt: skip
        finally:
            store.close()
    report("done", 1.0)
    return ImportSummary(
        Path(out),
        persons,
        rows,
        (years[0], years[-1]),
        len(addresses),
        log.excluded_rows(TABLE),
        time.perf_counter() - started,
        log,
    )


def _write_dataset(
    out: Path,
    plan: _Plan,
    mapping: m.Mapping,
    years: list[int],
    store: _DatedStore,
    addresses: pd.DataFrame,
    log: RunLog,
    chunk_rows: int,
    name: str,
    housing_areas: Path | None,
    units: Path | None,
    report: Callable[[str, float], None],
) -> tuple[int, int]:
    """Write the dataset directory one row year at a time; person-years and distinct persons."""
    from udsat.synth.writer import staged_directory, write_manifest_json, write_parquet

    rows = 0
    with staged_directory(out) as tmp:
        for i, year in enumerate(years):
            report(f"persons {year}", i / (len(years) + 1))
            table = _year_table(plan, mapping, year, _YearRegisters(store, year), addresses,
                                log, chunk_rows)  # fmt: skip
            rows += table.num_rows
            write_parquet(table, tmp / "persons" / f"persons_{year}.parquet")
        glob = (tmp / "persons" / "*.parquet").as_posix().replace("'", "''")
        persons = store.con.execute(
            f"SELECT count(DISTINCT person_id) FROM read_parquet('{glob}')"
        ).fetchone()
        write_parquet(_address_table(addresses), tmp / "addresses.parquet")
        _write_geo(tmp, housing_areas, units)
        manifest = _manifest(mapping, years, addresses, name, log)
        if plan.files["BEF"] and all(
            file_label(f.path).startswith("SYNTETISKE DATA") for f in plan.files["BEF"]
        ):
            from udsat.i18n import t

            manifest.update(
                synthetic=True,
                source="udsat synth --format dst (synthetic register extracts); udsat import dst",
                licence="synthetic records: no licence restrictions",
                notice=t("synthetic_notice", lang="da"),
            )
        write_manifest_json(tmp, manifest)
    return rows, int(persons[0]) if persons else 0


def _addresses(
    plan: _Plan,
    mapping: m.Mapping,
    chunk_rows: int,
    housing_areas: Path | None,
    log: RunLog,
) -> pd.DataFrame:
    spec = mapping.addresses
    frames = [_read(plan, mapping, f, chunk_rows) for f in plan.files[spec.register_name]]
    raw = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame({"address_id": _codes(raw[spec.address_id])})
    if spec.x and spec.y:
        out["x"] = pd.to_numeric(raw[spec.x], errors="coerce").astype(np.float64)
        out["y"] = pd.to_numeric(raw[spec.y], errors="coerce").astype(np.float64)
    else:
        cell = raw[spec.cell].astype("string").str.extract(r"^100m_(\d+)_(\d+)$")
        out["y"] = pd.to_numeric(cell[0], errors="coerce") * 100 + 50.0
        out["x"] = pd.to_numeric(cell[1], errors="coerce") * 100 + 50.0
    out["municipality_code"] = pd.to_numeric(raw[spec.municipality_code], errors="coerce")
    bad = (
        out[["x", "y", "municipality_code"]].isna().any(axis=1) | out.address_id.isna()
    ).to_numpy()
    if bad.any():
        examples = [f"address_id={v!r}" for v in out.address_id[bad].head(EXAMPLES)]
        log.exclude("addresses", msg("drop_address_bad"), int(bad.sum()), examples)
    out = out[~bad].drop_duplicates("address_id", keep="first").reset_index(drop=True)
    out["municipality_code"] = out["municipality_code"].astype(np.int64)
    out["housing_area_id"] = _housing_area_ids(out, housing_areas)
    return out


def _housing_area_ids(points: pd.DataFrame, housing_areas: Path | None) -> pd.Series:
    """The housing area each address point lies in (None outside every area)."""
    if housing_areas is None:
        return pd.Series([None] * len(points), index=points.index, dtype="object")
    import geopandas as gpd

    from udsat.contract.geo import read_geo_file

    areas = read_geo_file(housing_areas)[["housing_area_id", "geometry"]].to_crs("EPSG:25832")
    gdf = gpd.GeoDataFrame(
        {"i": np.arange(len(points))},
        geometry=gpd.points_from_xy(points.x, points.y),
        crs="EPSG:25832",
    )
    hit = gpd.sjoin(gdf, areas, predicate="within", how="inner").drop_duplicates("i")
    ids = np.full(len(points), None, dtype=object)
    ids[hit["i"].to_numpy()] = hit["housing_area_id"].astype(str).to_numpy()
    return pd.Series(ids, index=points.index, dtype="object")


def _address_table(addresses: pd.DataFrame) -> pa.Table:
    return pa.table(
        {
            "address_id": pa.array(addresses.address_id.astype(str).tolist(), pa.string()),
            "x": pa.array(addresses.x.to_numpy(dtype=np.float64)),
            "y": pa.array(addresses.y.to_numpy(dtype=np.float64)),
            "housing_area_id": pa.array(addresses.housing_area_id.tolist(), pa.string()),
            "municipality_code": pa.array(addresses.municipality_code.to_numpy(dtype=np.int64)),
        }
    ).select(list(ADDRESSES.names))


def _write_geo(root: Path, housing_areas: Path | None, units: Path | None) -> None:
    from udsat.contract.geo import read_geo_file
    from udsat.publish.writers import write_geopackage

    if housing_areas is not None:
        areas = read_geo_file(housing_areas)
        cols = [c for c in HOUSING_AREAS.names if c in areas.columns]
        write_geopackage(areas[[*cols, "geometry"]], root / "housing_areas.gpkg",
                         layer="housing_areas")  # fmt: skip
    if units is not None:
        for path in sorted(Path(units).iterdir()):
            if path.suffix.lower() in (".gpkg", ".geojson", ".parquet"):
                layer = read_geo_file(path)
                write_geopackage(layer, root / "units" / f"{path.stem}.gpkg", layer=path.stem)


def _manifest(
    mapping: m.Mapping,
    years: list[int],
    addresses: pd.DataFrame,
    name: str,
    log: RunLog,
) -> dict[str, object]:
    """The manifest: the contract's fields, the mapping used and the import's run log."""
    from udsat.statelists.microdata import REGIONS_FILE

    codes = sorted(int(c) for c in addresses.municipality_code.unique())
    table = pd.read_csv(REGIONS_FILE)
    known = table[table.municipality_code.isin(codes)]
    one = len(codes) == 1 and len(known) > 0
    municipality = str(known.municipality.iloc[0]) if one else "Danmark"
    return {
        "name": name,
        "municipality": municipality,
        "municipality_codes": codes,
        "region": sorted(str(r) for r in known.region.unique()),
        "years": [years[0], years[-1]],
        "crs": CRS,
        "source": "Danmarks Statistik, Forskningsservice (registerudtræk); udsat import dst",
        "licence": "Restricted: DST research access only",
        "synthetic": False,
        "importer": f"udsat import dst {__version__}",
        "mapping": mapping.description,
        "import_run_log": log.to_dict(examples=False),
    }


def _year_table(
    plan: _Plan,
    mapping: m.Mapping,
    year: int,
    dated: _YearRegisters,
    addresses: pd.DataFrame,
    log: RunLog,
    chunk_rows: int,
) -> pa.Table:
    """The persons rows of one row year, with every dropped person-year counted."""
    bef_reg = mapping.registers["BEF"]
    bef_files = [
        f for f in plan.files["BEF"] if f.year is not None and f.year + bef_reg.year_offset == year
    ]
    if len(bef_files) > 1:
        raise UdsatError(msg("two_files", register="BEF", year=year,
                             files=", ".join(f.path.name for f in bef_files)))  # fmt: skip
    bef = _read(plan, mapping, bef_files[0], chunk_rows)
    y = _Year(year, bef, bef_reg.key)
    dup = y.pnr.duplicated(keep="first").to_numpy()
    y.mark(msg("drop_duplicate", file=bef_files[0].path.name), dup)
    joined = _joined(plan, mapping, y, chunk_rows, log)
    for column in PERSONS.names:
        if column == "year":
            y.columns["year"] = np.full(y.n, year, dtype=np.int16)
            continue
        entry = mapping.persons[column]
        y.columns[column] = _column(column, entry, y, joined, dated, addresses, mapping, log)
    for reason, mask in y.reasons:
        examples = [f"person_id={p!r}, year={year}" for p in y.pnr[mask].head(EXAMPLES)]
        log.exclude(TABLE, reason, int(mask.sum()), examples)
    keep = ~y.drop
    from udsat.synth.writer import persons_table

    table = persons_table({c: _arrow(c, v, keep) for c, v in y.columns.items()})
    return table


def _joined(
    plan: _Plan, mapping: m.Mapping, y: _Year, chunk_rows: int, log: RunLog
) -> dict[str, pd.DataFrame | None]:
    """Each status/flow register's rows of the year, aligned to the year's persons (None when
    the year's file is missing)."""
    out: dict[str, pd.DataFrame | None] = {"BEF": y.frame}
    for name, reg in mapping.registers.items():
        if name == "BEF" or reg.kind not in ("status", "flow"):
            continue
        files = [
            f for f in plan.files[name] if f.year is not None and f.year + reg.year_offset == y.year
        ]
        if len(files) > 1:
            raise UdsatError(msg("two_files", register=name, year=y.year,
                                 files=", ".join(f.path.name for f in files)))  # fmt: skip
        if not files:
            out[name] = None
            log.note(
                msg(
                    "no_file_year",
                    register=name,
                    year=y.year - reg.year_offset,
                    row_year=y.year,
                    entries=", ".join(mapping.entries_of(name)),
                    rows=y.n,
                )
            )
            continue
        frame = _read(plan, mapping, files[0], chunk_rows)
        out[name] = y.align(frame, reg.key)
    return out


def _aligned(
    joined: dict[str, pd.DataFrame | None], y: _Year, register: str, variable: str
) -> pd.Series:
    frame = joined.get(register)
    if frame is None:
        return pd.Series([pd.NA] * y.n, dtype="object")
    return frame[variable].reset_index(drop=True)


def _fill(
    column: str,
    entry: m.Copy | m.Codes,
    values: pd.Series,
    missing: np.ndarray,
    y: _Year,
    log: RunLog,
) -> pd.Series:
    """Missing values: the mapping's value (counted in a note) or the person-year dropped."""
    if not missing.any():
        return values
    if entry.missing is not None or not entry.drop_missing:
        if entry.missing is not None:
            values = values.copy()
            values[missing] = entry.missing
            log.note(msg("filled_missing", column=column, rows=int(missing.sum()),
                         register=entry.register_name, value=entry.missing))  # fmt: skip
        return values
    y.mark(msg("drop_missing", register=entry.register_name, variable=entry.variable,
               column=column), missing)  # fmt: skip
    return values


def _column(
    column: str,
    entry: m.Entry,
    y: _Year,
    joined: dict[str, pd.DataFrame | None],
    dated: _YearRegisters,
    addresses: pd.DataFrame,
    mapping: m.Mapping,
    log: RunLog,
) -> pd.Series:
    year = y.year
    if isinstance(entry, m.Copy):
        raw = _aligned(joined, y, entry.register_name, entry.variable)
        kind = PERSONS.column(column).kind
        values = _codes(raw) if kind == Kind.STRING else pd.to_numeric(raw, errors="coerce")
        return _fill(column, entry, values, values.isna().to_numpy(), y, log)
    if isinstance(entry, m.Codes):
        raw = _codes(_aligned(joined, y, entry.register_name, entry.variable))
        key = raw.str.slice(0, entry.prefix_digits) if entry.prefix_digits else raw
        values = key.map(entry.codes)
        present = raw.notna().to_numpy()
        unknown = present & ~key.isin(list(entry.codes)).to_numpy()
        if unknown.any():
            counts = Counter(raw[unknown].astype(str))
            if entry.unrecognised == "otherwise" and entry.otherwise is not None:
                values[unknown] = entry.otherwise
                log.note(msg("otherwise_codes", column=column, variable=entry.variable,
                             category=entry.otherwise, codes=_top(counts)))  # fmt: skip
            else:
                y.mark(msg("drop_unknown_code", variable=entry.variable, column=column,
                           codes=_top(counts)), unknown)  # fmt: skip
        values = _fill(column, entry, values.astype("object"), ~present, y, log)
        for other, bad in entry.null_when.items():
            done = y.columns[other]
            blank = pd.Series(np.asarray(done, dtype=object)).isin(bad).to_numpy()
            values = values.astype("object")
            values[blank] = None
        return values
    if isinstance(entry, m.Origin):
        return _origin(column, entry, y, joined, log)
    if isinstance(entry, m.Derived):
        done = pd.Series(np.asarray(y.columns[entry.column], dtype=object))
        return done.isin(entry.true_when)
    if isinstance(entry, m.On1January):
        return _on_1_january(entry, y, dated[entry.register_name], addresses, mapping, log)
    if isinstance(entry, (m.Fte, m.SpellFlag)):
        spells = _spells_of_year(dated, entry, year, mapping, log)
        chosen = spells[spells["code"].isin(entry.codes)]
        if isinstance(entry, m.SpellFlag):
            return pd.Series(y.pnr.isin(set(chosen["pnr"])).to_numpy())
        share = chosen.groupby("pnr")["share"].sum()
        shares = share.reindex(y.pnr.to_numpy()).fillna(0.0).to_numpy()
        return pd.Series(np.clip(shares, 0.0, 1.0))
    if isinstance(entry, m.Count):
        events = _events_of_year(dated, entry, year, mapping, log)
        hits = events[events["code"].map(lambda c: any(c.startswith(p) for p in entry.prefixes))]
        tally = hits.groupby("pnr").size()
        return pd.Series(tally.reindex(y.pnr.to_numpy()).fillna(0).to_numpy(dtype=np.int64))
    if isinstance(entry, m.DatedFlag):
        frame = dated[entry.register_name]
        reg_key = mapping.registers[entry.register_name].key
        when = frame[entry.date]
        if entry.when == "in_row_year":
            hit = frame[when.dt.year == year]
        else:
            hit = frame[when < pd.Timestamp(year, 1, 1)]
        return pd.Series(y.pnr.isin(set(hit[reg_key])).to_numpy())
    if isinstance(entry, m.RelativePoverty):
        raw = pd.to_numeric(
            _aligned(joined, y, entry.register_name, entry.variable), errors="coerce"
        )
        median = (
            float(np.nanmedian(raw.to_numpy(dtype=np.float64))) if raw.notna().any() else np.nan
        )
        age = pd.to_numeric(pd.Series(np.asarray(y.columns["age"], dtype=object)), errors="coerce")
        child = (age <= entry.max_age).to_numpy()
        poor = (raw < entry.share * median).to_numpy()
        out = pd.Series(poor, dtype="object")
        out[~child | raw.isna().to_numpy()] = None
        return out
    raise AssertionError(entry)


def _origin(
    column: str, entry: m.Origin, y: _Year, joined: dict[str, pd.DataFrame | None], log: RunLog
) -> pd.Series:
    kind = _codes(_aligned(joined, y, entry.register_name, entry.type_variable)).map(entry.types)
    country = _codes(_aligned(joined, y, entry.register_name, entry.country_variable))
    unknown_type = kind.isna().to_numpy()
    if unknown_type.any():
        raw = _codes(_aligned(joined, y, entry.register_name, entry.type_variable))
        counts = Counter(raw[unknown_type].astype(str))
        y.mark(msg("drop_unknown_code", variable=entry.type_variable, column=column,
                   codes=_top(counts)), unknown_type)  # fmt: skip
    western = country.isin(list(entry.western)).to_numpy()
    listed = western | country.isin(list(entry.non_western)).to_numpy()
    foreign = (kind != "danish").to_numpy() & ~unknown_type
    other = foreign & ~listed
    if other.any():
        counts = Counter(country[other].fillna("(mangler)").astype(str))
        if entry.otherwise is None:
            y.mark(msg("drop_unknown_code", variable=entry.country_variable, column=column,
                       codes=_top(counts)), other)  # fmt: skip
        else:
            log.note(msg("otherwise_codes", column=column, variable=entry.country_variable,
                         category=entry.otherwise, codes=_top(counts, 30)))  # fmt: skip
    side = np.where(western, "western", "nonwestern")
    out = np.where(kind == "danish", "danish", kind.fillna("").to_numpy() + "_" + side)
    return pd.Series(out, dtype="object")


def _on_1_january(
    entry: m.On1January,
    y: _Year,
    spells: pd.DataFrame,
    addresses: pd.DataFrame,
    mapping: m.Mapping,
    log: RunLog,
) -> pd.Series:
    key = mapping.registers[entry.register_name].key
    day = pd.Timestamp(y.year, 1, 1)
    start, end = spells[entry.spell.start], spells[entry.spell.end]
    on = spells[(start <= day) & (end.isna() | (end >= day))]
    if entry.variable is None:
        return pd.Series(y.pnr.isin(set(on[key])).to_numpy())
    on = on.sort_values(entry.spell.start, kind="stable")
    several = on[key].duplicated(keep=False)
    if several.any():
        log.note(msg("several_addresses", rows=int(on[key][several].nunique())))
    latest = on.drop_duplicates(key, keep="last").set_index(key)[entry.variable]
    values = _codes(latest.reindex(y.pnr.to_numpy()).reset_index(drop=True))
    none = values.isna().to_numpy()
    y.mark(msg("drop_no_address"), none)
    unknown = ~none & ~values.isin(set(addresses.address_id)).to_numpy()
    y.mark(msg("drop_address_unknown"), unknown)
    return values


def _spells_of_year(
    dated: _YearRegisters, entry: m.Fte, year: int, mapping: m.Mapping, log: RunLog
) -> pd.DataFrame:
    """pnr, code, share: each spell's share of the previous calendar year (days x degree),
    computed once per row year and register (kept on the year's registers)."""
    token = (entry.register_name, entry.code_variable)
    if token in dated.spells:
        return dated.spells[token]
    frame = dated[entry.register_name]
    key = mapping.registers[entry.register_name].key
    first, last = pd.Timestamp(year - 1, 1, 1), pd.Timestamp(year - 1, 12, 31)
    start = frame[entry.spell.start].where(frame[entry.spell.start] > first, first)
    end = frame[entry.spell.end].fillna(last)
    end = end.where(end < last, last)
    days = ((end - start).dt.days + 1).clip(lower=0)
    in_year = (days > 0).to_numpy()
    degree = (
        pd.to_numeric(frame[entry.degree], errors="coerce").fillna(1.0)
        if entry.degree
        else pd.Series(1.0, index=frame.index)
    )
    total = (last - first).days + 1
    out = pd.DataFrame(
        {
            "pnr": frame[key][in_year].to_numpy(),
            "code": _codes(frame[entry.code_variable][in_year]).to_numpy(),
            "share": (days[in_year].to_numpy(dtype=np.float64) * degree[in_year].to_numpy())
            / total,
        }
    )
    used = {c for e in mapping.persons.values() if isinstance(e, m.Fte) for c in e.codes}
    unused = Counter(out["code"][~out["code"].isin(used)].astype(str))
    if unused:
        log.note(msg("ignored_codes", register=entry.register_name,
                     variable=entry.code_variable, codes=_top(unused)))  # fmt: skip
    dated.spells[token] = out
    return out


def _events_of_year(
    dated: dict[str, pd.DataFrame], entry: m.Count, year: int, mapping: m.Mapping, log: RunLog
) -> pd.DataFrame:
    """pnr, code: the events dated in the previous calendar year, each with the code variable
    of its own year."""
    frame = dated[entry.register_name]
    key = mapping.registers[entry.register_name].key
    when = frame[entry.date]
    rows = frame[when.dt.year == year - 1]
    event_year = year - 1
    code = pd.Series(pd.NA, index=rows.index, dtype="object")
    for cv in entry.code_variables:
        applies = (cv.from_year is None or event_year >= cv.from_year) and (
            cv.to_year is None or event_year <= cv.to_year
        )
        if applies and cv.variable in rows.columns:
            code = code.fillna(_codes(rows[cv.variable]))
    return pd.DataFrame({"pnr": rows[key].to_numpy(), "code": code.fillna("").to_numpy()})


def _arrow(column: str, values: object, keep: np.ndarray) -> pa.Array:
    """A persons column in the contract's type (the synthetic city's storage types)."""
    spec = PERSONS.column(column)
    array = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    array = array[keep]
    if spec.kind == Kind.STRING:
        return pa.array(array.astype(object), pa.string(), from_pandas=True)
    if spec.kind == Kind.BOOL:
        return pa.array(array.astype(object), pa.bool_(), from_pandas=True)
    if spec.kind == Kind.INT:
        return pa.array(array.astype(np.int64).astype(np.int16))
    numbers = array.astype(np.float64)
    return pa.array(numbers.astype(np.float32) if spec.max == 1.0 else numbers)
