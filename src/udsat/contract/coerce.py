"""SQL that turns a raw column (as stored in Parquet, CSV text or SAS) into its contract type.

Every expression yields NULL when the raw value cannot be read as the contract type; the
validator compares it with `present_sql` (a raw value was given) to count wrong-type rows.
"""

from __future__ import annotations

from udsat.contract.schemas import Kind

SQL_TYPES = {Kind.STRING: "VARCHAR", Kind.INT: "BIGINT", Kind.FLOAT: "DOUBLE", Kind.BOOL: "BOOLEAN"}
INTEGER_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
}  # fmt: skip
FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}
# Text that means "no value" in CSV exports (R, Excel, SAS write NA / NaN / . for missing).
MISSING_TOKENS = ("", "NA", "NAN", "NULL", ".")
TRUE_WORDS = ("true", "1", "ja", "t", "1.0")
FALSE_WORDS = ("false", "0", "nej", "f", "0.0")


def family(raw_type: str) -> str:
    """int | float | text | bool | date | other, from a DuckDB type name."""
    base = raw_type.upper().split("(")[0]
    if base in INTEGER_TYPES:
        return "int"
    if base in FLOAT_TYPES or base == "DECIMAL":
        return "float"
    if base == "VARCHAR":
        return "text"
    if base == "BOOLEAN":
        return "bool"
    if base in {"DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"}:
        return "date"
    return "other"


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def present_sql(col: str, raw_type: str, kind: Kind) -> str:
    """True when the raw cell holds a value (not NULL, not blank, not NaN)."""
    fam = family(raw_type)
    if fam == "text" and kind is not Kind.STRING:
        return f"coalesce(upper(trim({col})) NOT IN ({_words(MISSING_TOKENS)}), false)"
    if fam == "text":
        return f"coalesce({col} <> '', false)"
    if fam == "float" and raw_type.upper().split("(")[0] != "DECIMAL":
        return f"coalesce(NOT isnan({col}), false)"
    return f"({col} IS NOT NULL)"


def _whole(number: str) -> str:
    # DuckDB rounds when casting 2.5 to BIGINT; a non-whole number is a wrong type, not a value.
    return (
        f"CASE WHEN isfinite({number}) AND {number} = trunc({number}) "
        f"AND abs({number}) < 9e15 THEN CAST({number} AS BIGINT) END"
    )


def typed_sql(col: str, raw_type: str, kind: Kind) -> str:
    """The raw column as the contract type; NULL where it cannot be read."""
    fam = family(raw_type)
    # Same type family: a plain cast, cheapest for the usual Parquet case.
    if (fam, kind) in {("int", Kind.INT), ("bool", Kind.BOOL)}:
        return f"CAST({col} AS {SQL_TYPES[kind]})"
    if (fam, kind) == ("text", Kind.STRING):
        return f"nullif({col}, '')"
    if (fam, kind) == ("float", Kind.FLOAT):
        return f"nullif(CAST({col} AS DOUBLE), 'NaN'::DOUBLE)"
    present = present_sql(col, raw_type, kind)
    body = _typed_body(col, fam, kind)
    if body is None:
        return f"CAST(NULL AS {SQL_TYPES[kind]})"
    return f"CASE WHEN {present} THEN {body} END"


def _typed_body(col: str, fam: str, kind: Kind) -> str | None:
    if kind is Kind.STRING:
        if fam == "float":
            # SAS stores numeric ids as doubles: 1234.0 is the id "1234".
            whole = f"{col} = trunc({col}) AND abs({col}) < 9e15"
            return (
                f"CASE WHEN {whole} THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) "
                f"ELSE CAST({col} AS VARCHAR) END"
            )
        return f"CAST({col} AS VARCHAR)"
    if kind is Kind.INT:
        return {
            "int": f"CAST({col} AS BIGINT)",
            "float": _whole(f"CAST({col} AS DOUBLE)"),
            "text": _whole(f"TRY_CAST(trim({col}) AS DOUBLE)"),
            "date": f"CAST(year({col}) AS BIGINT)",  # SAS dates in a year column
        }.get(fam)
    if kind is Kind.FLOAT:
        return {
            "int": f"CAST({col} AS DOUBLE)",
            "float": f"CAST({col} AS DOUBLE)",
            "text": f"TRY_CAST(trim({col}) AS DOUBLE)",
        }.get(fam)
    return _bool_body(col, fam)


def _bool_body(col: str, fam: str) -> str | None:
    if fam == "bool":
        return col
    if fam in {"int", "float"}:  # SAS and Stata store booleans as 0/1 numbers
        return f"CASE WHEN {col} = 1 THEN true WHEN {col} = 0 THEN false END"
    if fam == "text":
        word = f"lower(trim({col}))"
        return (
            f"CASE WHEN {word} IN ({_words(TRUE_WORDS)}) THEN true "
            f"WHEN {word} IN ({_words(FALSE_WORDS)}) THEN false END"
        )
    return None


def needs_type_check(raw_type: str, kind: Kind) -> bool:
    """False when every present raw value is certainly readable (no wrong-type count needed)."""
    fam = family(raw_type)
    return not (
        (kind is Kind.STRING and fam in {"text", "int", "float", "date"})
        or (kind is Kind.INT and fam == "int")
        or (kind is Kind.FLOAT and fam in {"int", "float"})
        or (kind is Kind.BOOL and fam == "bool")
    )
