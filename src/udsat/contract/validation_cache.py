"""Remembered validation: a dataset validated once is not checked again while nothing changed.

`Dataset.validate` keeps what a later run needs, per mode and language, in

    <dataset>/.udsat_cache/validation/<on_invalid_rows>-<language>.json

keyed by a fingerprint of

- every input file: manifest.json and each table's file (or each Parquet file of a table folder),
  as relative path, size and mtime_ns (`located.file_fingerprint`, shared with the located cache);
- the udsat version, a digest of the contract package's source (its rules and messages, so an
  edited rule re-validates even before the version changes) and the DuckDB version;
- the mode (on_invalid_rows), the user's language (the texts of the report) and the names of
  entries that are no table (they give a warning).

The file holds the validation report (problems, exclusions with their reasons, counts and
examples, warnings), and per table the replayable part of its plan that the rules set: the
predicates of excluded rows and the keys of duplicated rows (Arrow IPC, base64). Everything else
of a plan is rebuilt from the files' columns, which is cheap. A reused validation gives the run
log the same exclusions and warnings as a fresh one, plus a process note saying it was reused.

Only validations that passed are kept. The file is written to a temporary name and renamed
(atomic); a cache that cannot be written (read-only dataset) is skipped, and one that cannot be
read, is stale or is damaged is ignored: the dataset is validated and the file written again.
This is a cache, not a publication.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from udsat import __version__
from udsat.contract.cachefile import replacing
from udsat.contract.load import CACHE_DIR, TableFile
from udsat.contract.located import file_fingerprint
from udsat.contract.messages import msg
from udsat.contract.validate import ValidationReport
from udsat.errors import Problem
from udsat.i18n import language
from udsat.runlog import Exclusion

SUBDIR = "validation"
FORMAT = 1
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass
class PlanState:
    """What validation set on a table's plan: excluded-row predicates and duplicated keys."""

    exclude: list[str] = field(default_factory=list)
    dup_keys: pa.Table | None = None
    encoding: str | None = None  # CSV only: the detected encoding (detection reads every byte)


@dataclass
class Remembered:
    """A validation read back from the cache."""

    key: str
    validated_at: str
    report: ValidationReport
    plans: dict[str, PlanState]

    def note(self, lang: str | None = None) -> str:
        return msg("validation_reused", lang, when=self.validated_at, key=self.key[:12])


@functools.cache
def contract_digest() -> str:
    """sha256 of the contract package's source files (rules, plans, schemas, messages)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """The key of a remembered validation and what it was computed from."""

    key: str
    parts: dict[str, JsonValue]


def fingerprint(
    root: Path, files: dict[str, TableFile], unrecognised: list[str], mode: str
) -> Fingerprint | None:
    """The fingerprint of a dataset's inputs, the udsat version, the rules and the mode; None
    when a file is gone (validation then says so, and nothing is remembered)."""
    paths = sorted({f.path for f in files.values()} | {root / "manifest.json"})
    try:
        stats = [file_fingerprint(p, root) for p in paths]
    except OSError:
        return None
    parts: dict[str, JsonValue] = {
        "format": FORMAT,
        "udsat": __version__,
        "contract": contract_digest(),
        "duckdb": duckdb.__version__,
        "mode": mode,
        "language": language(),
        "files": list(stats),
        "unrecognised": [*sorted(unrecognised)],
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return Fingerprint(hashlib.sha256(text.encode()).hexdigest(), parts)


def cache_file(root: Path, mode: str) -> Path:
    return root / CACHE_DIR / SUBDIR / f"{mode}-{language()}.json"


# --- reading ----------------------------------------------------------------------------------


def load(path: Path, key: str, tables: set[str]) -> Remembered | None:
    """The remembered validation at `path` when it has `key` and these tables; else None."""
    try:
        data = _dict(json.loads(path.read_text(encoding="utf-8")))
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        plans = {name: _plan_state(state) for name, state in _dict(data["plans"]).items()}
        if set(plans) != tables:
            return None
        report = _report(data["report"])
        return Remembered(key, _str(data["validated_at"]), report, plans)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
        return None  # damaged or from another format: validated again and written anew


def _report(data: JsonValue) -> ValidationReport:
    report = _dict(data)
    return ValidationReport(
        tables={k: int(_number(v)) for k, v in _dict(report["tables"]).items()},
        files={k: _str(v) for k, v in _dict(report["files"]).items()},
        problems=[_problem(_dict(p)) for p in _list(report["problems"])],
        exclusions=[_exclusion(_dict(e)) for e in _list(report["exclusions"])],
        warnings=_strs(report["warnings"]),
        seconds=_number(report["seconds"]),
    )


def _problem(data: dict[str, JsonValue]) -> Problem:
    column = data["column"]
    return Problem(
        file=_str(data["file"]),
        rule=_str(data["rule"]),
        message=_str(data["message"]),
        column=None if column is None else _str(column),
        count=int(_number(data["count"])),
        examples=_strs(data["examples"]),
        severity=_str(data["severity"]),
    )


def _exclusion(data: dict[str, JsonValue]) -> Exclusion:
    return Exclusion(
        table=_str(data["table"]),
        reason=_str(data["reason"]),
        rows=int(_number(data["rows"])),
        examples=_strs(data["examples"]),
    )


def _plan_state(data: JsonValue) -> PlanState:
    state = _dict(data)
    keys, encoding = state["dup_keys"], state["encoding"]
    return PlanState(
        exclude=_strs(state["exclude"]),
        dup_keys=None if keys is None else _arrow(_str(keys)),
        encoding=None if encoding is None else _str(encoding),
    )


def _arrow(text: str) -> pa.Table:
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise ValueError("dup_keys: not base64") from exc
    return pa.ipc.open_stream(raw).read_all()


# Typed access to the parsed JSON: anything unexpected is a damaged cache (TypeError).


def _dict(value: JsonValue) -> dict[str, JsonValue]:
    if not isinstance(value, dict):
        raise TypeError("object expected")
    return value


def _list(value: JsonValue) -> list[JsonValue]:
    if not isinstance(value, list):
        raise TypeError("list expected")
    return value


def _str(value: JsonValue) -> str:
    if not isinstance(value, str):
        raise TypeError("text expected")
    return value


def _strs(value: JsonValue) -> list[str]:
    return [_str(v) for v in _list(value)]


def _number(value: JsonValue) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("number expected")
    return value


# --- writing ----------------------------------------------------------------------------------


def save(
    path: Path,
    fp: Fingerprint,
    report: ValidationReport,
    plans: dict[str, PlanState],
) -> bool:
    """Write the remembered validation (atomic); False when it cannot be written."""
    data = {
        "format": FORMAT,
        "key": fp.key,
        "inputs": fp.parts,
        "validated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "report": _report_dict(report),
        "plans": {name: _plan_dict(state) for name, state in plans.items()},
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path) as partial:
            partial.write_text(text, encoding="utf-8")
    except OSError:
        return False  # read-only dataset (or full disk): validation still ran, nothing kept
    return True


def _report_dict(report: ValidationReport) -> dict[str, JsonValue]:
    return {
        "tables": dict(report.tables),
        "files": dict(report.files),
        "problems": [dataclasses.asdict(p) for p in report.problems],
        "exclusions": [dataclasses.asdict(e) for e in report.exclusions],
        "warnings": list(report.warnings),
        "seconds": report.seconds,
    }


def _plan_dict(state: PlanState) -> dict[str, JsonValue]:
    keys: str | None = None
    if state.dup_keys is not None:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, state.dup_keys.schema) as writer:
            writer.write_table(state.dup_keys)
        keys = base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii")
    return {"exclude": list(state.exclude), "dup_keys": keys, "encoding": state.encoding}
