"""One reader for every small tabular input a user hands udsat: CSV as Danish analysts save it,
and Excel workbooks.

`read_table` reads a CSV with `,`, `;` or tab as separator, in UTF-8 (with or without BOM) or
Windows-1252, with decimal point or decimal comma and thousands separators, or an `.xlsx`
workbook (its first sheet, or the one named), as text columns. It detects the format and states
it (`TextFormat.describe`, for the run log). A file whose format cannot be told apart is an error
that says what was found and how to state it (`Stated`: the command's --separator, --decimal,
--sheet). `to_number` then reads a text column as numbers in that format.

Used by the state's lists (aggregate figures, published history, references), the screening's
area-level input and the action plan's initiatives. The dataset's own tables (persons, ...) are
read by DuckDB (contract.load).
"""

from __future__ import annotations

import csv
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from udsat.contract.load import csv_encoding
from udsat.errors import DataContractError, Problem
from udsat.i18n import render
from udsat.runlog import RunLog

Separator = Literal[",", ";", "\t"]
Decimal = Literal[".", ","]
SEPARATORS: tuple[Separator, ...] = (",", ";", "\t")
SNIFF_LINES = 200
SNIFF_ROWS = 1000  # rows per column that decide the decimal mark

MESSAGES: dict[str, dict[str, str]] = {
    "described": {
        "da": "{file}: læst som {kind}, tegnsæt {encoding}, skilletegn {separator}, "
        "decimaltegn {decimal}{thousands}",
        "en": "{file}: read as {kind}, encoding {encoding}, separator {separator}, "
        "decimal mark {decimal}{thousands}",
    },
    "thousands": {"da": ", tusindtalsskilletegn {mark}", "en": ", thousands separator {mark}"},
    "sheet": {"da": "Excel-ark '{sheet}'", "en": "Excel sheet '{sheet}'"},
    "separator_ambiguous": {
        "da": "skilletegnet kan både være {found}: angiv det med --separator",
        "en": "the separator could be any of {found}: state it with --separator",
    },
    "separator_none": {
        "da": "ingen af skilletegnene , ; eller tabulator deler overskriften og rækkerne ens "
        "(overskriften har {header} felter med {tried}); angiv det med --separator",
        "en": "none of the separators , ; or tab splits the header and the rows alike (the "
        "header has {header} fields with {tried}); state it with --separator",
    },
    "decimal_ambiguous": {
        "da": "decimaltegnet kan ikke afgøres: fx {comma} (decimalkomma) og {point} "
        "(decimalpunktum); angiv det med --decimal comma eller --decimal point",
        "en": "the decimal mark cannot be told: e.g. {comma} (decimal comma) and {point} "
        "(decimal point); state it with --decimal comma or --decimal point",
    },
    "decimal_unsure": {
        "da": "tal som {example} kan både være et decimaltal og et tal med tusindtalsskilletegn; "
        "angiv decimaltegnet med --decimal comma eller --decimal point",
        "en": "numbers like {example} can be a decimal or a number with a thousands separator; "
        "state the decimal mark with --decimal comma or --decimal point",
    },
    "row_too_long": {
        "da": "linje {line} har {fields} felter, overskriften {header} (skilletegn {separator})",
        "en": "line {line} has {fields} fields, the header {header} (separator {separator})",
    },
    "no_sheet": {
        "da": "arket '{sheet}' findes ikke; arkene er {sheets}",
        "en": "there is no sheet '{sheet}'; the sheets are {sheets}",
    },
    "unreadable": {"da": "kan ikke læses: {error}", "en": "cannot be read: {error}"},
    "empty": {"da": "filen er tom", "en": "the file is empty"},
}
NAMES = {",": "','", ";": "';'", "\t": "tab", ".": "'.'"}
DECIMAL_WORDS = {"comma": ",", "point": "."}

# Numbers as written, one pattern per reading (a leading sign, no currency or percent sign).
_PLAIN = re.compile(r"[+-]?\d+")
_COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")  # 12,5 (or 1,234: see _AMBIGUOUS)
_POINT_DECIMAL = re.compile(r"[+-]?\d+\.\d+")  # 12.5 (or 1.234)
_DOT_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")  # 1.234 1.234.567 1.234,5
_COMMA_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234 1,234.5
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3}[.,]\d{3}")  # one mark, exactly three digits after it


@dataclass(frozen=True)
class Stated:
    """What the user said about a file (--separator, --decimal, --sheet); None = detect."""

    separator: Separator | None = None
    decimal: Decimal | None = None
    sheet: str | None = None

    @classmethod
    def from_options(cls, separator: str | None, decimal: str | None, sheet: str | None) -> Stated:
        sep = {"tab": "\t", "\\t": "\t"}.get(separator or "", separator)
        mark = DECIMAL_WORDS.get(decimal or "", decimal)
        if sep is not None and sep not in SEPARATORS:
            raise ValueError(f"--separator must be one of , ; tab, got {separator!r}")
        if mark is not None and mark not in (".", ","):
            raise ValueError(f"--decimal must be comma or point, got {decimal!r}")
        return cls(sep, mark, sheet)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TextFormat:
    """How a file was read: stated in the run log."""

    file: str
    kind: Literal["csv", "xlsx"]
    encoding: str
    separator: Separator
    decimal: Decimal
    thousands: str | None
    sheet: str | None = None

    def describe(self, lang: str | None = None) -> str:
        kind = "CSV" if self.kind == "csv" else render(MESSAGES, "sheet", lang, sheet=self.sheet)
        thousands = (
            render(MESSAGES, "thousands", lang, mark=NAMES.get(self.thousands, self.thousands))
            if self.thousands
            else ""
        )
        return render(
            MESSAGES,
            "described",
            lang,
            file=self.file,
            kind=kind,
            encoding=self.encoding,
            separator=NAMES[self.separator],
            decimal=NAMES.get(self.decimal, "','"),
            thousands=thousands,
        )


def _fail(path: Path, rule: str, key: str, **values: object) -> DataContractError:
    return DataContractError([Problem(path.name, rule, render(MESSAGES, key, **values), count=1)])


def read_table(path: Path, stated: Stated | None = None) -> tuple[pd.DataFrame, TextFormat]:
    """The file as text columns (missing cells as ''), and how it was read."""
    path = Path(path)
    stated = stated or Stated()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, stated)
    return _read_csv(path, stated)


def _read_csv(path: Path, stated: Stated) -> tuple[pd.DataFrame, TextFormat]:
    try:
        encoding = csv_encoding(path)
        if encoding == "utf-8":
            with path.open("rb") as fh:  # the BOM: three bytes, not the whole file
                encoding = "utf-8-sig" if fh.read(3) == b"\xef\xbb\xbf" else encoding
        with path.open(encoding=encoding, newline="") as fh:
            head = [line for _, line in zip(range(SNIFF_LINES), fh, strict=False)]
    except OSError as exc:
        raise _fail(path, "readable_csv", "unreadable", error=exc) from exc
    if not "".join(head).strip():
        raise _fail(path, "readable_csv", "empty")
    separator = stated.separator or _separator(path, head)
    try:
        # index_col=False: a header shorter than the rows must not turn column 1 into an
        # index; pandas would then drop the extra values with only a warning.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                sep=separator,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                index_col=False,
            )
    except (pd.errors.ParserWarning, pd.errors.ParserError) as exc:
        if isinstance(exc, pd.errors.ParserError) and "Expected" not in str(exc):
            raise _fail(path, "readable_csv", "unreadable", error=exc) from exc
        line, fields, header = _first_long_row(path, encoding, separator)
        raise _fail(
            path, "row_length", "row_too_long", line=line, fields=fields, header=header,
            separator=NAMES[separator],
        ) from exc  # fmt: skip
    except (OSError, ValueError) as exc:  # EmptyDataError, ParserError, UnicodeDecodeError
        raise _fail(path, "readable_csv", "unreadable", error=exc) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    decimal, thousands = _marks(path, frame, separator, stated.decimal)
    shown = "utf-8" if encoding == "utf-8-sig" else encoding
    encoding_text = f"{shown} (BOM)" if encoding == "utf-8-sig" else shown
    fmt = TextFormat(path.name, "csv", encoding_text, separator, decimal, thousands)
    return frame, fmt


def _separator(path: Path, head: list[str]) -> Separator:
    """The candidate that splits the header into more than one field: the only one, or the
    only one that also splits every sniffed row alike (a longer row is reported later)."""
    splits: list[Separator] = []
    consistent: list[Separator] = []
    header_fields = {}
    for sep in SEPARATORS:
        rows = [r for r in csv.reader(head, delimiter=sep) if r]
        header_fields[sep] = len(rows[0]) if rows else 0
        if rows and len(rows[0]) > 1:
            splits.append(sep)
            if {len(r) for r in rows} == {len(rows[0])}:
                consistent.append(sep)
    if len(splits) == 1:
        return splits[0]
    if len(consistent) == 1:
        return consistent[0]
    if not splits:
        tried = ", ".join(f"{NAMES[s]}: {n}" for s, n in header_fields.items())
        raise _fail(path, "separator", "separator_none", header=max(header_fields.values()),
                    tried=tried)  # fmt: skip
    found = " / ".join(NAMES[s] for s in (consistent or splits))
    raise _fail(path, "separator", "separator_ambiguous", found=found)


def _marks(
    path: Path, frame: pd.DataFrame, separator: Separator, stated: Decimal | None
) -> tuple[Decimal, str | None]:
    """The decimal mark and the thousands separator, from the cells that look like numbers."""
    cells = Counter()  # type: Counter[str]
    examples: dict[str, str] = {}
    for column in frame.columns:  # the first rows of every column
        for value in frame[column].head(SNIFF_ROWS):
            text = str(value).strip().replace("\xa0", "").replace(" ", "")
            kind = _kind(text) if text else None
            if kind:
                cells[kind] += 1
                examples.setdefault(kind, text)
    if stated is not None:
        return stated, ("." if stated == "," else ("," if separator != "," else None))
    comma, point = cells["comma"], cells["point"]
    if separator == ",":
        # A comma inside a number of a comma-separated file is quoted on purpose: there is no
        # thousands separator in such files, so 0,75 is a decimal comma (to_number reads it).
        if cells["ambiguous_comma"]:
            raise _fail(path, "decimal", "decimal_unsure", example=examples["ambiguous_comma"])
        return ".", None
    if comma and point:
        raise _fail(path, "decimal", "decimal_ambiguous", comma=examples["comma"],
                    point=examples["point"])  # fmt: skip
    if comma:
        return ",", "."
    if point:
        return ".", ("," if separator != "," else None)
    unsure = "ambiguous" if cells["ambiguous"] else "ambiguous_comma"
    if cells[unsure]:
        raise _fail(path, "decimal", "decimal_unsure", example=examples[unsure])
    return ",", "."  # only whole numbers: Danish Excel's marks (nothing depends on them)


def _kind(text: str) -> str | None:
    """'comma' / 'point': the cell settles the decimal mark; 'ambiguous': 1.234 or 1,234;
    'plain': a whole number; None: not a number."""
    if _PLAIN.fullmatch(text):
        return "plain"
    if _AMBIGUOUS.fullmatch(text):
        return "ambiguous_comma" if "," in text else "ambiguous"
    if _DOT_GROUPED.fullmatch(text) and "," in text:  # 1.234,5
        return "comma"
    if _COMMA_GROUPED.fullmatch(text) and "." in text:  # 1,234.5
        return "point"
    if _COMMA_DECIMAL.fullmatch(text):
        return "comma"
    if _POINT_DECIMAL.fullmatch(text):
        return "point"
    if _DOT_GROUPED.fullmatch(text):  # 1.234.567
        return "comma"
    if _COMMA_GROUPED.fullmatch(text):  # 1,234,567
        return "point"
    return None


def to_number(values: pd.Series, fmt: TextFormat) -> pd.Series:
    """A text column as float64 in the file's format: NaN for blank cells and for cells that
    are not numbers (the caller reports those: compare with the blank cells)."""
    text = values.astype(str).str.strip().str.replace("\xa0", "", regex=False)
    text = text.str.replace(" ", "", regex=False)
    if fmt.thousands:
        text = text.str.replace(fmt.thousands, "", regex=False)
    if fmt.decimal == "," or fmt.separator == ",":  # see _marks: a quoted 0,75 in a ',' file
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _first_long_row(path: Path, encoding: str, separator: str) -> tuple[int, int, int]:
    """(line, fields, header fields) of the first row with more fields than the header."""
    with path.open(encoding=encoding, newline="") as f:
        rows = csv.reader(f, delimiter=separator)
        header = len(next(rows))
        for row in rows:
            if len(row) > header:
                return rows.line_num, len(row), header
    return 0, 0, header


def _read_xlsx(path: Path, stated: Stated) -> tuple[pd.DataFrame, TextFormat]:
    """The first sheet (or the stated one) as text: numbers written with a decimal point."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _fail(path, "readable_xlsx", "unreadable", error=exc) from exc
    try:
        names = book.sheetnames
        sheet = stated.sheet or names[0]
        if sheet not in names:
            raise _fail(path, "sheet", "no_sheet", sheet=sheet, sheets=", ".join(names))
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise _fail(path, "readable_xlsx", "empty")
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    body = [[_cell(v) for v in r[: len(header)]] for r in rows[1:]]
    for r in body:
        r.extend([""] * (len(header) - len(r)))
    frame = pd.DataFrame(body, columns=header, dtype=str)
    fmt = TextFormat(path.name, "xlsx", "xlsx", ",", ".", None, sheet)
    return frame, fmt


def _cell(value: object) -> str:
    """A cell as text: floats in full precision with a decimal point, whole floats as integers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)  # as written, like a CSV cell (each reader strips what it must)


def read_text(
    path: Path, stated: Stated | None = None, log: RunLog | None = None
) -> tuple[pd.DataFrame, TextFormat]:
    """`read_table`, with how the file was read stated in `log`: in English in the published
    log, in the user's language among the process notes the command prints."""
    frame, fmt = read_table(Path(path), stated)
    if log is not None:
        log.note(fmt.describe("en"))
        log.note(fmt.describe(), process=True)
    return frame, fmt
