"""Contract messages in both languages: Danish by default, English with UDSAT_LANG=en.

Rule codes never change with the language; the texts around them do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures.contract.builders import housing_areas, tables, write_dataset
from udsat.contract.dataset import open_dataset
from udsat.contract.messages import MESSAGES, msg
from udsat.errors import DataContractError, Problem
from udsat.i18n import grouped_number as number
from udsat.runlog import RunLog

LANGS = ("da", "en")


def in_both(
    monkeypatch: pytest.MonkeyPatch, root: Path, rule: str, column: str | None = None
) -> dict[str, Problem]:
    """Validate in each language; the one problem of `rule` (and `column`) per language."""
    out = {}
    for lang in LANGS:
        monkeypatch.setenv("UDSAT_LANG", lang)
        with pytest.raises(DataContractError) as info:
            open_dataset(root).validate()
        found = [p for p in info.value.problems if p.rule == rule and column in (None, p.column)]
        assert len(found) == 1, info.value.problems
        out[lang] = found[0]
    return out


def test_catalogue_has_both_languages_with_the_same_placeholders() -> None:
    fields = re.compile(r"\{(\w+)")
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGS), key
        assert set(fields.findall(texts["da"])) == set(fields.findall(texts["en"])), key


def test_danish_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UDSAT_LANG", raising=False)
    assert msg("empty_table") == "tabellen har ingen rækker"
    monkeypatch.setenv("UDSAT_LANG", "en")
    assert msg("empty_table") == "the table has no rows"


def test_numbers_formatted_per_language() -> None:
    assert [number(n, "da") for n in (12345, 1_000_000, 2020, 0.5, -1e7)] == [
        "12.345", "1.000.000", "2020", "0,5", "-10.000.000"
    ]  # fmt: skip
    assert [number(n, "en") for n in (12345, 2020, 0.5)] == ["12,345", "2020", "0.5"]
    assert msg("n_rows", "da", count=23456) == "23.456 rækker"


def test_impossible_value_rendered_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = -4
    got = in_both(monkeypatch, write_dataset(tmp_path, frames), "impossible_value", "age")
    assert got["da"].message == "værdier uden for det tilladte interval 0 til 120"
    assert got["en"].message == "values outside the allowed range 0 to 120"
    example = "person_id='p1', year=2020: age=-4"
    assert got["da"].render("da") == (
        "[blokerende] persons.parquet, kolonne 'age': værdier uden for det tilladte interval "
        f"0 til 120 (regel: impossible_value, 1 række(r))\n    fx {example}"
    )
    assert got["en"].render("en") == (
        "[blocker] persons.parquet, column 'age': values outside the allowed range 0 to 120 "
        f"(rule: impossible_value, 1 row(s))\n    e.g. {example}"
    )


def test_error_header_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tables()
    frames["persons"].loc[0, "age"] = -4
    frames["persons"].loc[1, "sex"] = "x"
    root = write_dataset(tmp_path, frames)
    for lang, header in (
        ("da", "2 problem(er) i inputdata:"),
        ("en", "2 problem(s) in the input data:"),
    ):
        monkeypatch.setenv("UDSAT_LANG", lang)
        with pytest.raises(DataContractError) as info:
            open_dataset(root).validate()
        assert str(info.value).splitlines()[0] == header
        assert {p.rule for p in info.value.problems} == {"impossible_value", "not_allowed_category"}


def test_missing_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tables()
    frames["persons"] = frames["persons"].drop(columns=["age"])
    got = in_both(monkeypatch, write_dataset(tmp_path, frames), "missing_column")
    assert got["da"].message.startswith("påkrævet kolonne 'age' mangler")
    assert "fundne kolonner: person_id, year" in got["da"].message
    assert got["en"].message.startswith("required column 'age' is missing")
    assert "(regel: missing_column)" in got["da"].render("da")
    assert "(rule: missing_column)" in got["en"].render("en")


def test_unknown_address_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tables()
    frames["persons"].loc[2, "address_id"] = "nowhere"
    root = write_dataset(tmp_path, frames)
    got = in_both(monkeypatch, root, "unknown_address_id", "address_id")
    assert got["da"].message == "ukendt adresse-id: findes ikke i addresses.address_id"
    assert got["en"].message == "unknown address id: not found in addresses.address_id"
    assert got["da"].examples == got["en"].examples


def test_missing_crs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_dataset(tmp_path)
    housing_areas().set_crs(None, allow_override=True).to_parquet(root / "housing_areas.parquet")
    (root / "housing_areas.gpkg").unlink()
    got = in_both(monkeypatch, root, "crs")
    assert got["da"].message.startswith("filen angiver intet koordinatsystem (CRS); omprojicér")
    assert "fx med ogr2ogr -t_srs EPSG:25832" in got["da"].message
    assert got["en"].message.startswith("the file declares no CRS; reproject")


def test_cpr_like_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tables()
    frames["addresses"]["owner_cpr"] = ["0101901234", "3112851234", "2902001234"]
    got = in_both(monkeypatch, write_dataset(tmp_path, frames), "cpr_number")
    assert "ligner CPR-numre: pseudonymisér data først" in got["da"].message
    assert got["da"].examples == ["owner_cpr=******-**** (værdierne er skjult)"]
    assert "looks like CPR numbers" in got["en"].message
    assert got["en"].examples == ["owner_cpr=******-**** (values masked)"]


def test_missing_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = tables()
    frames["persons"] = frames["persons"][frames["persons"]["year"] != 2021]
    got = in_both(monkeypatch, write_dataset(tmp_path, frames), "missing_year")
    assert got["da"].message == (
        "ingen rækker for år 2021; manifestets år er [2020, 2022], og alle år skal være med"
    )
    assert got["en"].message.startswith("no rows for year(s) 2021; the manifest's years")


def test_exclusions_and_warnings_in_danish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    frames = tables()
    frames["persons"].loc[0, "age"] = -1
    root = write_dataset(tmp_path, frames)
    (root / "notes.txt").write_text("x")
    log = RunLog()
    report = open_dataset(root).validate(on_invalid_rows="exclude", log=log)
    (exclusion,) = log.exclusions
    assert exclusion.reason == "impossible_value (age): " + msg("range", "da", lo=0, hi=120)
    assert report.warnings[0].startswith("[advarsel] persons.parquet, kolonne 'age'")
    assert "(rækkerne er udeladt) (regel: impossible_value, 1 række(r))" in report.warnings[0]
    assert report.warnings[-1] == "ikke en del af datakontrakten, ignoreret: notes.txt"
