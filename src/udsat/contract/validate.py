"""Validation of a dataset directory against the data contract, in DuckDB SQL.

Each table gets one aggregate pass for all column and reference rules, one pass over the key for
duplicates (64-bit hashes first, exact keys only for colliding hashes) and, for persons, one pass
over `year`. Problems are collected for every table before anything is raised.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from udsat.contract.load import FILE_COLUMN
from udsat.contract.messages import msg
from udsat.contract.plan import Rule, TablePlan, chk_view, dup_table, install, q
from udsat.contract.rules import column_rules, cpr_rules, operands, relation_rules
from udsat.errors import Problem
from udsat.runlog import Exclusion, RunLog

MODES = ("error", "exclude")
MAX_EXAMPLES = 5
CPR_SAMPLE_ROWS = 200_000


@dataclass
class ValidationReport:
    """What validation checked and found; `warnings` are ready-to-print texts."""

    tables: dict[str, int]  # table name -> rows checked
    files: dict[str, str]  # table name -> file (as named in problems)
    problems: list[Problem] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fingerprint: str = ""  # key of the remembered validation (validation_cache.py)
    reused: str | None = None  # when remembered: the time the dataset was validated

    @property
    def blockers(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "blocker"]

    def excluded_rows(self, table: str) -> int:
        return sum(e.rows for e in self.exclusions if e.table == table)


@dataclass
class Finding:
    rule: Rule
    count: int
    examples: list[str]


# --- running rules ----------------------------------------------------------------------------


def _cond(rule: Rule) -> str:
    return f"coalesce({rule.predicate}, false)"


def _label(col: str) -> str:
    name = col.strip('"')
    for prefix in ("__raw_", "__geom_problem"):
        if name.startswith(prefix):
            return name[len(prefix) :] or "geometry"
    return name


def _show(value: Any) -> str:
    return "NULL" if value is None else repr(value) if isinstance(value, str) else str(value)


def file_label(plan: TablePlan, filename: str | None) -> str:
    """The file of a row of a folder table, as users know it: `persons/persons_2020.parquet`."""
    if not filename:
        return plan.table.label
    path = Path(filename)
    try:
        return path.relative_to(plan.table.path.parent).as_posix()
    except ValueError:
        return f"{plan.table.label}{path.name}"


def examples(con: duckdb.DuckDBPyConnection, plan: TablePlan, rule: Rule) -> list[str]:
    """Up to five offending rows as `[file: ]key=value, ...: column=value`."""
    if rule.rule == "cpr_number":
        # Never print CPR numbers, not even the birth date in them.
        return [msg("cpr_masked", column=_label(rule.show[0]))]
    key = [q(k) for k in plan.key]
    cols = key + [s for s in rule.show if s not in key]
    files = [q(FILE_COLUMN)] if plan.has_file_column else []
    rows = con.execute(
        f"SELECT {', '.join(files + cols) or '1'} FROM {q(chk_view(plan.name))} AS c "
        f"WHERE {_cond(rule)} LIMIT {MAX_EXAMPLES}"
    ).fetchall()
    out = []
    for row in rows:
        where = [file_label(plan, row[0])] if files else []
        row = row[len(files) :]
        keys = ", ".join(f"{_label(k)}={_show(v)}" for k, v in zip(key, row, strict=False))
        shown = ", ".join(
            f"{_label(s)}={_show(v)}"
            for s, v in zip(cols[len(key) :], row[len(key) :], strict=True)
        )
        out.append(": ".join(p for p in (*where, keys, shown) if p) or msg("row"))
    return out


def run_rules(
    con: duckdb.DuckDBPyConnection, plan: TablePlan, rules: list[Rule], sample: str = ""
) -> tuple[int, list[Finding]]:
    """Row count and the rules that fired, from one aggregate pass over the table (or sample)."""
    counts = [f"coalesce(count_if({r.predicate}), 0)" for r in rules]
    bases = [f"count({r.show[0]})" if r.min_share else "0" for r in rules]
    source = q(chk_view(plan.name))
    if sample:
        source = f"(SELECT * FROM {source} {sample})"
    values = con.execute(
        f"SELECT {', '.join(['count(*)', *counts, *bases])} FROM {source} AS c"
    ).fetchall()[0]
    rows, findings = int(values[0]), []
    for i, rule in enumerate(rules):
        count, base = int(values[1 + i]), int(values[1 + len(rules) + i])
        if count and count >= rule.min_share * base:
            findings.append(Finding(rule, count, examples(con, plan, rule)))
    return rows, findings


def cpr_findings(
    con: duckdb.DuckDBPyConnection, plan: TablePlan, rules: list[Rule], rows: int
) -> list[Finding]:
    """CPR-like columns. Large tables are checked on a sample: it is a property of a column."""
    if rows <= CPR_SAMPLE_ROWS:
        return run_rules(con, plan, rules)[1]
    percent = max(100 * CPR_SAMPLE_ROWS / rows, 0.01)
    sampled, findings = run_rules(con, plan, rules, f"USING SAMPLE {percent:.4f}% (system, 42)")
    for f in findings:
        note = msg("cpr_sample", count=f.count, sampled=sampled)
        f.rule = dataclasses.replace(f.rule, message=f.rule.message + note)
    return findings


def duplicates(
    con: duckdb.DuckDBPyConnection, plan: TablePlan
) -> tuple[Finding | None, pa.Table | None]:
    """Rows whose key occurs more than once, and those keys (all copies are offending)."""
    key = [q(k) for k in plan.key]
    chk = q(chk_view(plan.name))
    ops = [operands(plan, k) for k in plan.key]
    notnull = " AND ".join(f"NOT {missing}" for _, missing, _ in ops)
    hashed = f"hash({', '.join(value for value, _, _ in ops)})"
    # Hashes first: cheap to group even for 65 million rows; exact keys only for candidates.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE __udsat_cand AS SELECT h FROM (SELECT {hashed} AS h "
        f"FROM {chk} AS c WHERE {notnull}) GROUP BY h HAVING count(*) > 1"
    )
    if con.execute("SELECT count(*) FROM __udsat_cand").fetchall() == [(0,)]:
        con.execute("DROP TABLE __udsat_cand")
        return None, None  # the usual case: no second pass over the table
    files = f", list(DISTINCT c.{q(FILE_COLUMN)}) AS __files" if plan.has_file_column else ""
    dup = con.sql(
        f"SELECT {', '.join(key)}, count(*) AS __n{files} FROM {chk} AS c "
        f"WHERE {notnull} AND {hashed} IN (SELECT h FROM __udsat_cand) "
        f"GROUP BY ALL HAVING count(*) > 1 ORDER BY {', '.join(key)}"
    ).to_arrow_table()
    con.execute("DROP TABLE __udsat_cand")
    if dup.num_rows == 0:
        return None, None  # only hash collisions
    match = " AND ".join(f"d.{k} = c.{k}" for k in key)
    rule = Rule(
        "duplicate_key",
        ", ".join(plan.key),
        f"EXISTS (SELECT 1 FROM {q(dup_table(plan.name))} AS d WHERE {match})",
        msg("duplicate_key", key=", ".join(plan.key)),
        True,
    )
    count = int(pa.compute.sum(dup.column("__n")).as_py())
    keys = dup.select(list(plan.key))
    return Finding(rule, count, _duplicate_examples(plan, dup)), keys


def _duplicate_examples(plan: TablePlan, dup: pa.Table) -> list[str]:
    # `[files: ]key=value, ...: n rows`; folder tables name the files holding the copies.
    out = []
    for r in dup.slice(0, MAX_EXAMPLES).to_pylist():
        keys = ", ".join(f"{k}={_show(r[k])}" for k in plan.key)
        text = f"{keys}: {msg('n_rows', count=r['__n'])}"
        if "__files" in r:
            text = ", ".join(sorted(file_label(plan, f) for f in r["__files"])) + ": " + text
        out.append(text)
    return out


def year_problems(
    con: duckdb.DuckDBPyConnection, plan: TablePlan, manifest: dict[str, Any]
) -> list[Problem]:
    """A blocker naming each manifest year with no persons rows."""
    first, last = manifest["years"]
    present = {
        y
        for (y,) in con.execute(
            f'SELECT DISTINCT "year" FROM {q(chk_view(plan.name))} WHERE "year" IS NOT NULL'
        ).fetchall()
    }
    missing = [y for y in range(first, last + 1) if y not in present]
    if not missing:
        return []
    return [
        Problem(
            plan.table.label,
            "missing_year",
            msg("missing_year", years=", ".join(map(str, missing)), first=first, last=last),
            column="year",
        )
    ]


# --- one table --------------------------------------------------------------------------------


@dataclass
class TableResult:
    rows: int
    problems: list[Problem]
    exclusions: list[Exclusion]
    skipped: list[str]


def _problem(plan: TablePlan, finding: Finding, mode: str) -> Problem:
    rule = finding.rule
    severity = rule.severity
    if rule.row_level:
        severity = "warning" if mode == "exclude" else "blocker"
    message = rule.message + (msg("rows_excluded") if rule.row_level and mode == "exclude" else "")
    return Problem(
        plan.table.label,
        rule.rule,
        message,
        column=rule.column,
        count=finding.count,
        examples=finding.examples,
        severity=severity,
    )


def check_table(
    con: duckdb.DuckDBPyConnection,
    plan: TablePlan,
    raw: list[tuple[str, str]],
    installed: dict[str, TablePlan],
    manifest: dict[str, Any],
    mode: str,
) -> TableResult:
    """Run every rule of one table; in exclude mode, set the plan's exclusions and install it."""
    unreadable = readable_problem(con, plan)
    if unreadable:
        return TableResult(0, [unreadable], [], [])
    install(con, plan)
    extra, skipped = relation_rules(plan, installed, manifest)
    rows, findings = run_rules(con, plan, column_rules(plan) + extra)
    findings += cpr_findings(con, plan, cpr_rules(plan, raw), rows)
    if plan.key and len(plan.key) == len(plan.schema.key):
        dup, keys = duplicates(con, plan)
        if dup:
            findings.append(dup)
            if mode == "exclude":
                plan.dup_keys = keys
    problems = [_problem(plan, f, mode) for f in findings]
    if plan.name == "persons" and "year" in plan.present:
        problems += year_problems(con, plan, manifest)
    if rows == 0:
        severity = "blocker" if plan.name in {"persons", "addresses"} else "warning"
        problems.append(
            Problem(plan.table.label, "empty_table", msg("empty_table"), severity=severity)
        )
    # _exclude installs the plan again when it sets exclusions; otherwise nothing changed.
    exclusions = _exclude(con, plan, findings) if mode == "exclude" else []
    return TableResult(rows, problems, exclusions, skipped)


def readable_problem(con: duckdb.DuckDBPyConnection, plan: TablePlan) -> Problem | None:
    """A blocker when some value of the file cannot be decoded (a damaged Parquet page).

    The rules read only the contract's columns, and DuckDB answers some aggregates from the
    Parquet statistics, so a damaged page could pass validation and fail later, inside DuckDB,
    when the views are read. Hashing every value of every column decodes each page once.
    """
    if plan.table.fmt not in ("parquet", "parquet_dir", "sas7bdat"):
        return None  # CSV is read as text by the rules; geometry tables are already in memory
    try:
        con.execute(f"SELECT max(hash(COLUMNS(*))) FROM {plan.source}").fetchall()
    except duckdb.Error as exc:
        return Problem(plan.table.label, "unreadable", msg("unreadable", error=exc))
    return None


def _exclude(
    con: duckdb.DuckDBPyConnection, plan: TablePlan, findings: list[Finding]
) -> list[Exclusion]:
    """Exclude the rows of row-level findings; each row is counted once, under its first rule."""
    row_level = [f for f in findings if f.rule.row_level]
    if not row_level:
        return []
    plan.exclude = [f.rule.predicate for f in row_level]
    install(con, plan)  # the duplicate-key table must exist before the attribution query
    cases = " ".join(f"WHEN {_cond(f.rule)} THEN {i}" for i, f in enumerate(row_level))
    counts = dict(
        con.execute(
            f"SELECT CASE {cases} END AS r, count(*) FROM {q(chk_view(plan.name))} AS c "
            f"WHERE ({' OR '.join(_cond(f.rule) for f in row_level)}) GROUP BY r"
        ).fetchall()
    )
    return [
        Exclusion(
            plan.name,
            f"{f.rule.rule} ({f.rule.column}): {f.rule.message}",
            int(counts.get(i, 0)),
            f.examples,
        )
        for i, f in enumerate(row_level)
        if counts.get(i, 0)
    ]


def record(report: ValidationReport, log: RunLog | None) -> None:
    """Copy exclusions and warnings into the run log (nothing is dropped silently)."""
    if log is None:
        return
    for e in report.exclusions:
        log.exclude(e.table, e.reason, e.rows, e.examples)
    for warning in report.warnings:
        log.note(warning)


def elapsed(started: float) -> float:
    return round(time.perf_counter() - started, 3)
