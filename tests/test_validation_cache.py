"""Remembered validation (contract/validation_cache.py): a dataset validated once is not checked
again while its files, udsat and the rules are unchanged; anything else validates afresh."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from fixtures.contract.builders import tables, write_dataset
from udsat.contract import validation_cache
from udsat.contract.dataset import Dataset, open_dataset
from udsat.contract.validate import ValidationReport
from udsat.errors import DataContractError
from udsat.runlog import RunLog


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")


class RuleRuns:
    """Counts the runs of the rule runner (check_table) of Dataset.validate."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, forbid: bool = False) -> None:
        import udsat.contract.dataset as dataset_module

        self.calls = 0
        real = dataset_module.check_table

        def counted(*args: object, **kwargs: object) -> object:
            if forbid:
                raise AssertionError("the rules ran, the remembered validation was not reused")
            self.calls += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(dataset_module, "check_table", counted)


def bad_rows_dataset(root: Path) -> Path:
    """Four persons rows to exclude: one impossible age, one unknown address, a duplicate pair."""
    frames = tables()
    frames["persons"].loc[0, "age"] = -1
    frames["persons"].loc[1, "address_id"] = "nowhere"
    frames["persons"] = pd.concat([frames["persons"], frames["persons"].iloc[[6]]])
    return write_dataset(root, frames)


def validated(root: Path, mode: str = "exclude") -> tuple[Dataset, ValidationReport, RunLog]:
    ds = open_dataset(root)
    log = RunLog()
    report = ds.validate(on_invalid_rows=mode, log=log)
    return ds, report, log


def cache_files(root: Path) -> list[Path]:
    return sorted((root / ".udsat_cache" / "validation").glob("*.json"))


def bump(path: Path) -> None:
    """A later mtime (as a re-delivered copy of the same bytes would have)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_second_validation_reuses_without_running_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = bad_rows_dataset(tmp_path)
    _, first, first_log = validated(root)
    assert [f.name for f in cache_files(root)] == ["exclude-en.json"]
    assert first.reused is None and first_log.process_notes == []

    RuleRuns(monkeypatch, forbid=True)
    ds, again, log = validated(root)
    assert again.reused is not None and again.fingerprint == first.fingerprint
    # The same exclusions (reasons, counts, examples) and warnings reach the run log.
    assert log.exclusions == first_log.exclusions
    assert log.notes == first_log.notes
    reasons = {e.reason.split(" ")[0]: e.rows for e in log.exclusions}
    assert reasons == {"impossible_value": 1, "unknown_address_id": 1, "duplicate_key": 2}
    assert any("p1" in x for e in log.exclusions for x in e.examples)
    assert (again.tables, again.files) == (first.tables, first.files)
    assert again.problems == first.problems and again.warnings == first.warnings
    # A process note says so, with the fingerprint; the published log is the same bytes.
    [note] = log.process_notes
    assert note.startswith("validation reused") and again.fingerprint[:12] in note
    assert log.to_dict(examples=False) == first_log.to_dict(examples=False)
    # The views leave out the same rows: 13 rows, 4 excluded, p3's duplicated 2021 both gone.
    con = ds.connect()
    assert con.execute("SELECT count(*), min(age) FROM persons").fetchone() == (9, 22)
    both = con.execute("SELECT count(*) FROM persons WHERE person_id = 'p3' AND year = 2021")
    assert both.fetchone() == (0,)


def test_connect_validates_once_and_then_reuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`connect()` validates implicitly (on_invalid_rows="error"): remembered the same way."""
    root = write_dataset(tmp_path)
    assert open_dataset(root).connect().execute("SELECT count(*) FROM persons").fetchone() == (12,)
    assert [f.name for f in cache_files(root)] == ["error-en.json"]
    RuleRuns(monkeypatch, forbid=True)
    ds = open_dataset(root)
    con = ds.connect()
    assert con.execute("SELECT count(*) FROM persons").fetchone() == (12,)
    assert con.execute("SELECT count(*) FROM persons_located").fetchone() == (12,)
    assert ds.located is not None and ds.located.built == 0  # the same views: cache reused


def test_file_gone_after_opening_is_a_blocker_not_a_crash(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    ds = open_dataset(root)
    (root / "persons.parquet").unlink()
    with pytest.raises(DataContractError, match="unreadable"):
        ds.validate()
    assert cache_files(root) == []


def test_touched_file_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = bad_rows_dataset(tmp_path)
    validated(root)
    runs = RuleRuns(monkeypatch)
    validated(root)
    assert runs.calls == 0
    bump(root / "addresses.csv")
    _, report, _ = validated(root)
    assert runs.calls == 6 and report.reused is None  # every table, once
    validated(root)
    assert runs.calls == 6  # remembered again under the new fingerprint


def test_changed_file_breaking_a_rule_is_caught(tmp_path: Path) -> None:
    root = write_dataset(tmp_path)
    open_dataset(root).validate()
    frames = tables()
    frames["persons"].loc[0, "age"] = 130  # above 120
    frames["persons"].to_parquet(root / "persons.parquet", index=False)
    with pytest.raises(DataContractError, match="impossible_value"):
        open_dataset(root).validate()


def test_file_added_to_a_table_folder_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(tmp_path)
    persons = pd.read_parquet(root / "persons.parquet")
    (root / "persons.parquet").unlink()
    (root / "persons").mkdir()
    early = persons[persons["year"] < 2022]
    early.to_parquet(root / "persons" / "persons_early.parquet", index=False)
    late = persons[persons["year"] >= 2022]
    late.to_parquet(root / "persons" / "persons_late.parquet", index=False)
    first = open_dataset(root).validate()
    assert first.tables["persons"] == 12
    runs = RuleRuns(monkeypatch)
    open_dataset(root).validate()
    assert runs.calls == 0
    late.assign(age=late["age"] + 1).to_parquet(root / "persons" / "more.parquet", index=False)
    # The new file repeats the late person-years: duplicates, found because the rules ran.
    with pytest.raises(DataContractError, match="duplicate_key"):
        open_dataset(root).validate()
    assert runs.calls > 0


@pytest.mark.parametrize("changed", ["udsat", "contract", "language", "mode"])
def test_new_udsat_rules_language_or_mode_validate_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    root = bad_rows_dataset(tmp_path)
    validated(root)
    runs = RuleRuns(monkeypatch)
    mode = "exclude"
    if changed == "udsat":
        monkeypatch.setattr(validation_cache, "__version__", "99.0.0")
    elif changed == "contract":
        monkeypatch.setattr(validation_cache, "contract_digest", lambda: "edited rules")
    elif changed == "language":
        monkeypatch.setenv("UDSAT_LANG", "da")
    else:
        mode = "error"
    if mode == "error":
        with pytest.raises(DataContractError):
            validated(root, mode)
    else:
        _, report, log = validated(root, mode)
        assert report.reused is None and log.process_notes == []
    assert runs.calls > 0
    if changed == "language":  # the reasons are written in the user's language
        assert "uden for" in " ".join(e.reason for e in log.exclusions)
        assert [f.name for f in cache_files(root)] == ["exclude-da.json", "exclude-en.json"]


def _truncated(text: str) -> str:
    return text[: len(text) // 2]


def _wrong_types(text: str) -> str:
    data = json.loads(text)
    data["report"]["tables"] = ["persons"]
    return json.dumps(data)


def _bad_keys(text: str) -> str:
    data = json.loads(text)
    data["plans"]["persons"]["dup_keys"] = "not base64 at all!"
    return json.dumps(data)


def _not_arrow(text: str) -> str:
    data = json.loads(text)
    data["plans"]["persons"]["dup_keys"] = "aGVsbG8="  # base64 of "hello"
    return json.dumps(data)


def _table_missing(text: str) -> str:
    data = json.loads(text)
    del data["plans"]["survey"]
    return json.dumps(data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "not json {",
        lambda text: "",
        lambda text: "[1, 2]",
        _truncated,
        _wrong_types,
        _bad_keys,
        _not_arrow,
        _table_missing,
    ],
    ids=["garbage", "empty", "list", "truncated", "types", "base64", "arrow", "table"],
)
def test_damaged_cache_is_ignored_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[str], str]
) -> None:
    root = bad_rows_dataset(tmp_path)
    _, first, first_log = validated(root)
    [path] = cache_files(root)
    good = path.read_text(encoding="utf-8")
    path.write_text(damage(good), encoding="utf-8")
    runs = RuleRuns(monkeypatch)
    _, report, log = validated(root)
    assert runs.calls == 6 and report.reused is None
    assert log.exclusions == first_log.exclusions
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert rewritten["key"] == first.fingerprint
    _, reused, _ = validated(root)
    assert runs.calls == 6 and reused.reused is not None


def test_read_only_cache_just_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing can be written under .udsat_cache (here: it is a file): no error, rules run."""
    root = bad_rows_dataset(tmp_path)
    (root / ".udsat_cache").write_text("not a folder", encoding="utf-8")
    runs = RuleRuns(monkeypatch)
    for _ in range(2):
        _, report, log = validated(root)
        assert report.excluded_rows("persons") == 4 and report.reused is None
        assert log.process_notes == []
    assert runs.calls == 12
    assert (root / ".udsat_cache").read_text(encoding="utf-8") == "not a folder"


def test_reused_csv_encoding_is_not_detected_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Detecting a CSV's encoding reads every byte; the remembered one is used instead."""
    root = write_dataset(tmp_path)
    tables()["initiatives"].to_csv(root / "initiatives.csv", index=False, encoding="cp1252")
    first = open_dataset(root).validate()
    assert [p.rule for p in first.problems] == ["encoding"]
    import udsat.contract.dataset as dataset_module

    def no_detection(path: Path) -> str:
        raise AssertionError(f"encoding of {path.name} detected again")

    monkeypatch.setattr(dataset_module, "csv_encoding", no_detection)
    RuleRuns(monkeypatch, forbid=True)
    ds = open_dataset(root)
    again = ds.validate()
    assert again.reused is not None and again.warnings == first.warnings
    name = ds.connect().execute("SELECT name FROM initiatives").fetchone()
    assert name == ("Lektiecafé",)
