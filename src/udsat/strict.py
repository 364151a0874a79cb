"""One strict loader for every law and method file (rule parameters, screening configuration,
indicator catalogue, goals).

A file is read as UTF-8 YAML and validated against a declared pydantic model: required fields,
closed value sets (Literal) and **no unknown keys** (`Strict` forbids extras). A failure is one
UdsatError naming the file, each offending key's path and, for an unknown key, the nearest valid
key. Defaults live in the models, nowhere else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from udsat.errors import UdsatError
from udsat.i18n import render


class Strict(BaseModel):
    """Base of every law and method model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)

MESSAGES: dict[str, dict[str, str]] = {
    "unreadable": {
        "da": "{file}: kan ikke læses som UTF-8-YAML: {error}",
        "en": "{file}: cannot be read as UTF-8 YAML: {error}",
    },
    "invalid": {
        "da": "{file}: {count} fejl i filens opbygning:\n{lines}",
        "en": "{file}: {count} error(s) in the file's structure:\n{lines}",
    },
    "unknown_key": {
        "da": "ukendt nøgle '{path}'{near}",
        "en": "unknown key '{path}'{near}",
    },
    "near": {"da": " (mente du '{key}'?)", "en": " (did you mean '{key}'?)"},
    "valid_keys": {"da": " (gyldige nøgler: {keys})", "en": " (valid keys: {keys})"},
    "missing": {"da": "'{path}' mangler", "en": "'{path}' is missing"},
    "other": {
        "da": "'{path}': {error} (fundet: {found})",
        "en": "'{path}': {error} (found: {found})",
    },
    "top": {"da": "filens øverste niveau", "en": "the file's top level"},
    "found": {"da": " (fundet: {found})", "en": " (found: {found})"},
    "e_literal": {"da": "skal være en af {expected}", "en": "must be one of {expected}"},
    "e_int": {"da": "skal være et helt tal", "en": "must be a whole number"},
    "e_float": {"da": "skal være et tal", "en": "must be a number"},
    "e_bool": {"da": "skal være true eller false", "en": "must be true or false"},
    "e_string": {"da": "skal være tekst", "en": "must be text"},
    "e_mapping": {
        "da": "skal være en mapping (nøgle: værdi)",
        "en": "must be a mapping (key: value)",
    },
    "e_list": {"da": "skal være en liste", "en": "must be a list"},
    "e_date": {"da": "skal være en dato (ÅÅÅÅ-MM-DD)", "en": "must be a date (YYYY-MM-DD)"},
    "e_gt": {"da": "skal være større end {gt}", "en": "must be greater than {gt}"},
    "e_ge": {"da": "skal være mindst {ge}", "en": "must be at least {ge}"},
    "e_lt": {"da": "skal være mindre end {lt}", "en": "must be less than {lt}"},
    "e_le": {"da": "skal være højst {le}", "en": "must be at most {le}"},
    "e_pattern": {
        "da": "skal passe til mønstret {pattern}",
        "en": "must match the pattern {pattern}",
    },
}
# pydantic's error kinds (by prefix) that udsat words itself.
KINDS = {
    "literal_error": "e_literal",
    "int_": "e_int",
    "float_": "e_float",
    "bool_": "e_bool",
    "string_type": "e_string",
    "string_pattern_mismatch": "e_pattern",
    "dict_type": "e_mapping",
    "list_type": "e_list",
    "tuple_type": "e_list",
    "date_": "e_date",
    "greater_than_equal": "e_ge",
    "greater_than": "e_gt",
    "less_than_equal": "e_le",
    "less_than": "e_lt",
}
MAX_SHOWN = 12
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE_REPR = re.compile(r"datetime\.date\((\d+), (\d+), (\d+)\)")


def read_yaml(path: Path) -> object:
    """The file's YAML content; an unreadable file is a UdsatError naming it."""
    try:
        # libyaml's loader where installed (the same safe constructors, about 5x faster)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    # ValueError: also PyYAML's own for impossible dates such as 2020-13-45.
    except (OSError, ValueError, OverflowError, yaml.YAMLError, RecursionError) as exc:
        raise UdsatError(render(MESSAGES, "unreadable", file=path.name, error=exc)) from exc


def load_model(path: Path, model: type[M]) -> M:
    """Read `path` and validate it against `model`, or raise one UdsatError listing every error."""
    return validate(read_yaml(path), model, path.name)


def validate(raw: object, model: type[M], where: str) -> M:
    """Validate already-read content (e.g. a mapping edited in memory) against `model`."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        lines = [f"  - {_describe(err, model, raw)}" for err in exc.errors()[:MAX_SHOWN]]
        if exc.error_count() > MAX_SHOWN:
            lines.append(f"  - ... (+{exc.error_count() - MAX_SHOWN})")
        text = render(
            MESSAGES, "invalid", file=where, count=exc.error_count(), lines="\n".join(lines)
        )
        raise UdsatError(text) from None


def _describe(err: Any, model: type[BaseModel], raw: object) -> str:
    loc = tuple(err["loc"])
    path = _path(loc, raw) or render(MESSAGES, "top")
    if err["type"] == "extra_forbidden":
        valid = sorted(_keys_at(model, loc[:-1]))
        near = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        if near:
            hint = render(MESSAGES, "near", key=near[0])
        elif valid:
            hint = render(MESSAGES, "valid_keys", keys=", ".join(valid))
        else:
            hint = ""
        return render(MESSAGES, "unknown_key", path=path, near=hint)
    if err["type"] == "missing":
        return render(MESSAGES, "missing", path=path)
    found = repr(err.get("input"))
    if err["type"] == "value_error":  # a rule of the model: its message, the value if short
        text = f"'{path}': {err['msg'].removeprefix('Value error, ')}"
        short = not isinstance(err.get("input"), dict) and len(found) <= 60
        return text + (render(MESSAGES, "found", found=found) if short else "")
    if len(found) > 80:
        found = found[:77] + "..."
    return render(MESSAGES, "other", path=path, error=_error_text(err), found=found)


def _error_text(err: Any) -> str:
    """pydantic's error in the user's language where udsat words it (the common kinds), else
    pydantic's own (English) text."""
    kind = str(err["type"])
    for stem, key in KINDS.items():
        if kind.startswith(stem):
            ctx = err.get("ctx") or {}
            return render(MESSAGES, key, **{k: str(v) for k, v in ctx.items()})
    return str(err["msg"])


def _path(loc: tuple[int | str, ...], raw: object) -> str:
    """The key path as written in the file; a list entry with an id is named by it too
    (indicators.3[low_income].numerater)."""
    parts: list[str] = []
    node = raw
    for step in loc:
        text = _part(step)
        if isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f"[{node['id']}]"
        elif isinstance(node, dict):
            node = next((v for k, v in node.items() if _part(k) == text), None)
        else:
            node = None
        parts.append(text)
    return ".".join(parts)


def _part(part: object) -> str:
    """One step of a key path as written in the file (a date key as 2021-12-01)."""
    if isinstance(part, dt.date):
        return part.isoformat()
    found = _DATE_REPR.fullmatch(str(part))  # pydantic writes a date key as its repr
    return dt.date(*map(int, found.groups())).isoformat() if found else str(part)


def _keys_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> set[str]:
    """The field names (aliases where declared) of the model found at `loc`, if any."""
    for kind in _walk(model, loc):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return {f.alias or name for name, f in kind.model_fields.items()}
    return set()


def _tags(kind: object) -> set[object]:
    """The values of a model's Literal fields (a discriminated union's tags)."""
    if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
        return set()
    return {
        value
        for f in kind.model_fields.values()
        if get_origin(f.annotation) is Literal
        for value in get_args(f.annotation)
    }


def _walk(kind: object, loc: tuple[int | str, ...]) -> list[object]:
    """Every type that may sit at `loc` below `kind` (unions are followed on every branch)."""
    origin = get_origin(kind)
    if origin is Annotated:  # e.g. a discriminated union: Annotated[A | B, Field(...)]
        return _walk(get_args(kind)[0], loc)
    if not loc:
        return list(get_args(kind)) if origin in (Union, types.UnionType) else [kind]
    if origin in (Union, types.UnionType):
        arms = get_args(kind)
        named = [a for a in arms if getattr(a, "__name__", None) == loc[0]]
        # a discriminated union names the member by its tag (the value of its Literal field)
        named = named or [a for a in arms if loc[0] in _tags(a)]
        if named:  # pydantic names the union member it tried in the location
            return _walk(named[0], loc[1:])
        return [t for arm in arms for t in _walk(arm, loc)]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        fields = {f.alias or name: f for name, f in kind.model_fields.items()}
        field = fields.get(str(loc[0]))
        return _walk(field.annotation, loc[1:]) if field is not None else []
    args = get_args(kind)
    if origin is dict and len(args) == 2:
        return _walk(args[1], loc[1:])
    if origin in (list, tuple) and args:
        # pydantic reports union members by their tag in the location; skip such tags.
        return _walk(args[0], loc[1:])
    return []
