"""Register files as delivered: one file per register and year (BEF2020.sas7bdat, IND2019.csv,
KRAF.parquet ...), read in chunks with only the variables the mapping needs.

SAS datasets (.sas7bdat) and SAS transport files (.xpt) are read with pyreadstat's
read_file_in_chunks, Parquet by row groups and CSV with Arrow's streaming reader, so a national
extract is never held whole in memory. Variable names match case-insensitively.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pyreadstat

from udsat.errors import UdsatError
from udsat.importer.messages import msg

EXTENSIONS = (".sas7bdat", ".xpt", ".csv", ".parquet")
CHUNK_ROWS = 500_000
_TAIL = re.compile(r"^_?(\d{4})(\d{2})?$")


@dataclass(frozen=True)
class RegisterFile:
    register: str
    year: int | None
    path: Path


def find_files(root: Path, registers: list[str]) -> tuple[list[RegisterFile], list[str]]:
    """The register files in `root` (and the names of entries that are no data file).

    A file is <REGISTER>[YYYY[MM]].<ext>, case-insensitive; the longest register name that
    starts the file name wins (BEFADR before BEF). A data file of no known register is an error
    that names the nearest register.
    """
    if not root.is_dir():
        raise UdsatError(msg("no_registers_dir", path=root))
    names = sorted(registers, key=len, reverse=True)
    found: list[RegisterFile] = []
    ignored: list[str] = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in EXTENSIONS:
            ignored.append(path.name)
            continue
        stem = path.name[: -len(path.suffix)].upper()
        match = None
        for name in names:
            tail = _TAIL.match(stem[len(name) :]) if stem.startswith(name) else None
            if stem == name or tail:
                match = (name, int(tail.group(1)) if tail else None)
                break
        if match is None:
            letters = re.sub(r"[_\d]+$", "", stem)
            near = difflib.get_close_matches(letters, registers, n=1, cutoff=0.5)
            hint = msg("near_register", name=near[0]) if near else ""
            raise UdsatError(
                msg("unknown_register", file=path.name, known=", ".join(registers), near=hint)
            )
        found.append(RegisterFile(match[0], match[1], path))
    return found, ignored


def columns_of(path: Path) -> list[str]:
    """The file's variable names as stored."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".sas7bdat":
            return list(pyreadstat.read_sas7bdat(path, metadataonly=True)[1].column_names)
        if suffix == ".xpt":
            return list(pyreadstat.read_xport(path, metadataonly=True)[1].column_names)
        if suffix == ".parquet":
            return list(pq.read_schema(path).names)
        with path.open("rb") as handle:
            head = handle.readline().decode("utf-8-sig", errors="replace").strip()
        return [c.strip().strip('"') for c in head.split(_delimiter(head))]
    except Exception as exc:  # pyreadstat and pyarrow raise many error types
        raise UdsatError(msg("unreadable", file=path.name, error=exc)) from exc


def file_label(path: Path) -> str:
    """The SAS file label ('' for other formats): the synthetic extracts say so in it."""
    suffix = path.suffix.lower()
    if suffix not in (".sas7bdat", ".xpt"):
        return ""
    reader = pyreadstat.read_sas7bdat if suffix == ".sas7bdat" else pyreadstat.read_xport
    try:
        return str(reader(path, metadataonly=True)[1].file_label or "")
    except Exception:  # unreadable files are reported when they are read
        return ""


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_chunks(
    path: Path, variables: dict[str, str], dates: set[str], chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """The file in chunks of at most `chunk_rows` rows: only `variables` (stored name -> name
    used by the importer), dates as datetime64[s] (SAS dates, ISO text or Parquet dates)."""
    stored = list(variables)
    suffix = path.suffix.lower()
    try:
        if suffix in (".sas7bdat", ".xpt"):
            reader = pyreadstat.read_sas7bdat if suffix == ".sas7bdat" else pyreadstat.read_xport
            chunks: Iterator[pd.DataFrame] = (
                frame
                for frame, _meta in pyreadstat.read_file_in_chunks(
                    reader,
                    path,
                    chunksize=chunk_rows,
                    usecols=stored,
                    dates_as_pandas_datetime=True,
                )
            )
        elif suffix == ".parquet":
            parquet = pq.ParquetFile(path)
            chunks = (
                pa.Table.from_batches([batch]).to_pandas()
                for batch in parquet.iter_batches(batch_size=chunk_rows, columns=stored)
            )
        else:
            chunks = _csv_chunks(path, stored, chunk_rows)
        for frame in chunks:
            frame = frame.rename(columns=variables)
            for name in dates & set(frame.columns):
                frame[name] = pd.to_datetime(frame[name], errors="coerce")
            yield frame
    except UdsatError:
        raise
    except Exception as exc:  # pyreadstat and pyarrow raise many error types
        raise UdsatError(msg("unreadable", file=path.name, error=exc)) from exc


def _csv_chunks(path: Path, stored: list[str], chunk_rows: int) -> Iterator[pd.DataFrame]:
    with path.open("rb") as handle:
        head = handle.readline().decode("utf-8-sig", errors="replace")
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 24, encoding="utf-8"),
        parse_options=pacsv.ParseOptions(delimiter=_delimiter(head)),
        convert_options=pacsv.ConvertOptions(
            include_columns=stored, column_types={c: pa.string() for c in stored}
        ),
    )
    buffer: list[pd.DataFrame] = []
    rows = 0
    for batch in reader:
        buffer.append(batch.to_pandas())
        rows += batch.num_rows
        if rows >= chunk_rows:
            yield _numeric(pd.concat(buffer, ignore_index=True))
            buffer, rows = [], 0
    if buffer:
        yield _numeric(pd.concat(buffer, ignore_index=True))


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """CSV text to numbers where every value is a number (codes stay comparable as text)."""
    for name in frame.columns:
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.notna().sum() == frame[name].notna().sum():
            frame[name] = values
    return frame
