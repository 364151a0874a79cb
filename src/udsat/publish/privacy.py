"""No personal data out: scan every output file for CPR-like numbers and the input's ids.

Outputs are aggregates, so they are small next to the input; they are tokenised in Python and
the tokens joined in DuckDB against the (possibly millions of) person, household and address ids
of the dataset. A finding never prints the value itself, only its kind, file and place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from udsat.publish.messages import msg

# ddmmyy-xxxx or ddmmyyxxxx with a real day of the month (29 February allowed, as in the data
# contract's input check), not inside a longer word or number (ids like p00000012345 or the
# decimals of a float are not CPR numbers).
_DDMM = r"(?:(?:0[1-9]|1[0-9]|2[0-9])(?:0[1-9]|1[0-2])|30(?:0[13-9]|1[0-2])|31(?:0[13578]|1[02]))"
CPR_PATTERN = re.compile(
    r"(?<![0-9A-Za-z.])" + _DDMM + r"[0-9]{2}-?[0-9]{4}(?![0-9A-Za-z]|\.[0-9])"
)

# Identifier-like tokens: letters, digits, '_' and '-'; each part between '-' and '_' is a token
# too, so an id glued to a prefix ('id_p00000012345') is still found.
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]*")
_PARTS = re.compile(r"[-_]")

TEXT_SUFFIXES = frozenset(
    {".csv", ".tsv", ".txt", ".md", ".json", ".geojson", ".html", ".htm", ".js", ".mjs",
     ".css", ".svg", ".xml", ".yaml", ".yml", ".log"}
)  # fmt: skip
# Binary formats whose content cannot hold text a reader would see as an id.
SKIPPED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2"})

# Ids shorter than this are not searched for: they would match ordinary counts and years.
MIN_ID_LENGTH = 6


@dataclass(frozen=True)
class Finding:
    """Personal data in an output: `kind` is "cpr" or the id column it matches."""

    file: str
    kind: str
    where: str

    def render(self, lang: str | None = None) -> str:
        what = (
            msg("finding_cpr", lang)
            if self.kind == "cpr"
            else msg("finding_id", lang, column=self.kind)
        )
        return msg("finding", lang, file=self.file, where=self.where, what=what)

    def __str__(self) -> str:
        return self.render()


@dataclass
class Identifiers:
    """Where the run's ids live: `queries` maps an id kind to a SQL query of one text column."""

    con: duckdb.DuckDBPyConnection
    queries: dict[str, str] = field(default_factory=dict)


ID_COLUMNS: tuple[tuple[str, str], ...] = (
    ("persons", "person_id"),
    ("persons", "household_id"),
    ("addresses", "address_id"),
    ("survey", "respondent_id"),
)


def identifiers_from_dataset(con: duckdb.DuckDBPyConnection) -> Identifiers:
    """Person, household, address and survey respondent ids of a dataset connection's views."""
    tables = {
        row[0] for row in con.sql("SELECT table_name FROM information_schema.tables").fetchall()
    }
    queries = {
        column: f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}"'
        for table, column in ID_COLUMNS
        if table in tables
    }
    return Identifiers(con, queries)


def cpr_like(text: str) -> bool:
    """True if `text` holds a CPR-like number (ddmmyy-xxxx or ddmmyyxxxx, a real date)."""
    return CPR_PATTERN.search(text) is not None


# A chunk is (kind, label, text): kind "text" (a whole text file; places are lines), "column",
# "row" (a spreadsheet row), "sheet" or "layer". Places are rendered only for findings:
# formatting one per line of a large file would cost more than the scan.
Chunk = tuple[str, str, str]
CELL_SEPARATOR = "\x1f"  # between a spreadsheet row's values (ASCII unit separator)


def _frame_chunks(frame: object, prefix: str = "") -> Iterator[Chunk]:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    for column in frame.columns:
        label = f"{prefix}{column}"
        yield "column", label, str(column)
        values = frame[column].dropna()
        if len(values):
            yield "column", label, "\n".join(values.astype(str).tolist())


def _parquet_chunks(path: Path) -> Iterator[Chunk]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    # Binary columns (a GeoParquet's WKB geometry) hold coordinates, no text a reader sees.
    binary = [
        f.name
        for f in table.schema
        if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
    ]
    yield from _frame_chunks(table.drop_columns(binary).to_pandas())


def _xlsx_chunks(path: Path) -> Iterator[Chunk]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield "sheet", sheet.title, sheet.title
            # A row's values joined (one chunk per row, not per cell: 20x faster); the finding's
            # column is recovered from the separators before it (_where).
            for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                text = CELL_SEPARATOR.join("" if v is None else str(v) for v in row)
                yield "row", f"{sheet.title}!{number}", text
    finally:
        book.close()


def _gpkg_chunks(path: Path) -> Iterator[Chunk]:
    import pyogrio

    for layer, _ in pyogrio.list_layers(path):
        yield "layer", str(layer), str(layer)
        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        yield from _frame_chunks(frame, prefix=f"{layer}.")


def file_chunks(path: Path) -> Iterator[Chunk]:
    """Every piece of text a reader of the file could see, with where it is."""
    suffix = path.suffix.lower()
    if suffix in SKIPPED_SUFFIXES:
        return
    if suffix == ".parquet":
        yield from _parquet_chunks(path)
    elif suffix == ".xlsx":
        yield from _xlsx_chunks(path)
    elif suffix == ".gpkg":
        yield from _gpkg_chunks(path)
    else:
        # Text formats and anything unknown: scanned as text (the safe side).
        yield "text", "", path.read_bytes().decode("utf-8", errors="replace")


def _where(chunk: Chunk, offset: int) -> str:
    kind, label, text = chunk
    if kind == "text":
        return msg("line", None, n=text.count("\n", 0, offset) + 1)
    if kind == "row":
        from openpyxl.utils import get_column_letter

        sheet, _, row = label.rpartition("!")
        return f"{sheet}!{get_column_letter(text.count(CELL_SEPARATOR, 0, offset) + 1)}{row}"
    return msg(kind, None, **{kind: label})


@cache
def _library_digests(paths: tuple[Path, ...]) -> frozenset[tuple[int, str]]:
    out = set()
    for path in paths:
        if path.is_file():
            out.add((path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()))
    return frozenset(out)


def library_files() -> tuple[Path, ...]:
    """Third-party files the site copies verbatim (plotly.min.js): not data, never scanned.

    plotly.min.js holds integer constants such as 1508970993 that read like CPR numbers; an
    output is skipped only when it is byte-identical to the installed library file.
    """
    try:
        from importlib import resources

        bundled = resources.files("plotly").joinpath("package_data", "plotly.min.js")
        return (Path(str(bundled)),)
    except (ImportError, TypeError):
        return ()


def _is_library_copy(path: Path, digests: frozenset[tuple[int, str]]) -> bool:
    size = path.stat().st_size
    if not any(size == known for known, _ in digests):
        return False
    return (size, hashlib.sha256(path.read_bytes()).hexdigest()) in digests


def output_files(out_dir: Path) -> list[Path]:
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def scan_outputs(
    out_dir: Path,
    identifiers: Identifiers | None = None,
    *,
    files: Iterable[Path] | None = None,
    libraries: Iterable[Path] | None = None,
) -> list[Finding]:
    """Findings of CPR-like numbers and input ids in every file under `out_dir` (sorted).

    Files byte-identical to a third-party library file (`libraries`, default `library_files()`)
    are not scanned.
    """
    digests = _library_digests(tuple(library_files() if libraries is None else libraries))
    findings: set[Finding] = set()
    chunks: list[Chunk] = []
    # (file, token) -> the chunk of its first occurrence; offsets are looked up for findings
    # only (sets of unique tokens per chunk: a Python step per token cost most of the scan).
    first: dict[tuple[str, str], int] = {}
    for path in sorted(files) if files is not None else output_files(out_dir):
        name = path.relative_to(out_dir).as_posix()
        if digests and _is_library_copy(path, digests):
            continue
        known: set[str] = set()
        for chunk in file_chunks(path):
            chunks.append(chunk)
            text = chunk[2]
            if match := CPR_PATTERN.search(text):
                findings.add(Finding(name, "cpr", _where(chunk, match.start())))
            if identifiers is None:
                continue
            new = _pieces(text) - known
            known |= new
            first.update(dict.fromkeys(((name, piece) for piece in new), len(chunks) - 1))
    if identifiers is not None and identifiers.queries and first:
        for file, kind, token, rank in _id_matches(identifiers, first):
            chunk = chunks[rank]
            found = re.search(rf"(?<![0-9A-Za-z]){re.escape(token)}(?![0-9A-Za-z])", chunk[2])
            findings.add(Finding(file, kind, _where(chunk, found.start() if found else 0)))
    return sorted(findings, key=lambda f: (f.file, f.kind, f.where))


def _pieces(text: str) -> set[str]:
    """The tokens of `text` and their parts split at - and _, of at least MIN_ID_LENGTH."""
    tokens = set(_TOKEN.findall(text))
    pieces = {t for t in tokens if len(t) >= MIN_ID_LENGTH}
    for token in tokens:
        if "-" in token or "_" in token:
            pieces.update(p for p in _PARTS.split(token) if len(p) >= MIN_ID_LENGTH)
    return pieces


def _id_matches(
    ids: Identifiers, first: dict[tuple[str, str], int]
) -> list[tuple[str, str, str, int]]:
    """(file, id kind, token, its chunk) of the first output token per file and kind that is an
    input id (joined in DuckDB)."""
    import pyarrow as pa

    tokens = pa.table(
        {
            "file": [k[0] for k in first],
            "token": [k[1] for k in first],
            "rank": list(first.values()),
        }
    )
    union = " UNION ALL ".join(
        f"SELECT id, '{kind}' AS kind FROM ({query}) AS q(id) WHERE length(id) >= {MIN_ID_LENGTH}"
        for kind, query in ids.queries.items()
    )
    name = "__udsat_output_tokens"
    ids.con.register(name, tokens)
    try:
        return ids.con.sql(
            f"""
            SELECT file, kind, min(token), rank  -- ties: the smallest token (deterministic)
            FROM (
                SELECT t.file, i.kind, t.token, t.rank,
                       min(t.rank) OVER (PARTITION BY t.file, i.kind) AS first_rank
                FROM {name} t JOIN ({union}) i ON t.token = i.id
            )
            WHERE rank = first_rank
            GROUP BY file, kind, rank
            """
        ).fetchall()
    finally:
        ids.con.unregister(name)


def findings_message(findings: Sequence[Finding], lang: str | None = None) -> str:
    """The error text of a failed scan: a header and one line per finding (at most 20)."""
    lines = [msg("privacy_failed", lang, count=len(findings))]
    lines += [f"  - {f.render(lang)}" for f in findings[:20]]
    if len(findings) > 20:
        lines.append(msg("and_more", lang, count=len(findings) - 20))
    return "\n".join(lines)
