"""`udsat import dst` and `udsat synth --format dst`: the round trip through DST's register
shape, and what happens with bad input (through the real CLI)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from typer.testing import CliRunner

from udsat.cli import DEFAULT_SEED, app
from udsat.contract.dataset import open_dataset
from udsat.statelists.microdata import References
from udsat.statelists.run import lists_for_data
from udsat.synth import synthesize
from udsat.synth.writer import write_sas_transport

PERSONS = 3000
REGISTER_FILES = 60  # 11 years x BEF, UDDA, IND, AMRUN, KRAF + BEFADR, ADRESSER, KOTRE, DOD, RUKS


def _import(registers: Path, out: Path, *extra: str) -> object:
    geo = registers / "geo"
    args = ["import", "dst", "--registers", str(registers), "--out", str(out)]
    args += ["--housing-areas", str(geo / "housing_areas.gpkg"), "--units", str(geo / "units")]
    return CliRunner().invoke(app, [*args, *extra])


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("dst")
    direct = root / "direct"
    synthesize(direct, persons=PERSONS, seed=DEFAULT_SEED)
    registers = root / "registers"
    result = CliRunner().invoke(
        app, ["synth", "--out", str(registers), "--persons", str(PERSONS), "--format", "dst"]
    )
    assert result.exit_code == 0, result.output
    imported = root / "imported"
    result = _import(registers, imported)
    assert result.exit_code == 0, result.output
    return {"direct": direct, "registers": registers, "imported": imported, "root": root}


def _table(root: Path, name: str) -> pd.DataFrame:
    if name == "persons":
        frame = pq.read_table(root / "persons").to_pandas()
        return frame.sort_values(["person_id", "year"]).reset_index(drop=True)
    frame = pq.read_table(root / f"{name}.parquet").to_pandas()
    return frame.sort_values("address_id").reset_index(drop=True)


def _assert_same(a: Path, b: Path) -> None:
    for name in ("persons", "addresses"):
        left, right = _table(a, name), _table(b, name)
        assert list(left.columns) == list(right.columns)
        assert len(left) == len(right)
        for column in left.columns:
            assert left[column].dtype == right[column].dtype, column
            pd.testing.assert_series_equal(left[column], right[column], check_exact=True)


def test_synth_format_dst_writes_register_files(trip: dict[str, Path]) -> None:
    names = sorted(p.name for p in trip["registers"].glob("*.xpt"))
    assert len(names) == REGISTER_FILES
    assert {"BEF2015.xpt", "BEF2025.xpt", "IND2014.xpt", "UDDA2024.xpt", "BEFADR.xpt"} <= set(names)
    frame, meta = pyreadstat.read_xport(trip["registers"] / "BEF2020.xpt")
    assert list(frame.columns) == ["PNR", "FAMILIE_ID", "ALDER", "KOEN", "IE_TYPE", "OPR_LAND"]
    assert set(frame.KOEN) == {1.0, 2.0} and set(frame.IE_TYPE) <= {1.0, 2.0, 3.0}
    assert meta.file_label.startswith("SYNTETISKE DATA")
    kraf, _ = pyreadstat.read_xport(trip["registers"] / "KRAF2020.xpt")
    # From 2020 the offence code is AFG_GER9 (9 digits); 34 våbenloven, 32 euf, 1 straffeloven.
    assert kraf.AFG_GER9.notna().all()
    assert {str(int(v))[:1] for v in kraf.AFG_GER9} <= {"1", "3"}


def test_round_trip_is_exact(trip: dict[str, Path]) -> None:
    """Every column of persons and addresses, value and storage type, equal after sorting."""
    _assert_same(trip["direct"], trip["imported"])
    manifest = json.loads((trip["imported"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True  # the extracts said so in their SAS file label
    assert manifest["years"] == [2015, 2025] and manifest["municipality_codes"] == [101]
    assert manifest["import_run_log"]["exclusions"] == []


def test_round_trip_same_lists(trip: dict[str, Path]) -> None:
    a = open_dataset(trip["direct"])
    b = open_dataset(trip["imported"])
    b.validate()
    own = References(data_is_reference=True)  # one municipality: its own reference
    left = lists_for_data(a.connect(), own)
    right = lists_for_data(b.connect(), own)
    assert left["list_year"].nunique() >= 5 and left["area_id"].nunique() == 40
    pd.testing.assert_frame_equal(left, right)


def test_csv_and_parquet_extracts(trip: dict[str, Path], tmp_path: Path) -> None:
    """The same extracts as CSV (';'), Parquet and SAS transport mixed give the same dataset."""
    registers = tmp_path / "registers"
    shutil.copytree(trip["registers"], registers)
    for path in registers.glob("IND*.xpt"):
        frame, _ = pyreadstat.read_xport(path)
        frame.to_csv(path.with_suffix(".csv"), sep=";", index=False)
        path.unlink()
    for path in registers.glob("BEF2*.xpt"):
        frame, _ = pyreadstat.read_xport(path)
        frame.to_parquet(path.with_suffix(".parquet"))
        path.unlink()
    result = _import(registers, tmp_path / "out")
    assert result.exit_code == 0, result.output
    _assert_same(trip["direct"], tmp_path / "out")


def _copy(trip: dict[str, Path], tmp_path: Path) -> Path:
    registers = tmp_path / "registers"
    shutil.copytree(trip["registers"], registers)
    return registers


def test_unknown_register_file(
    trip: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    registers = _copy(trip, tmp_path)
    shutil.copyfile(registers / "IND2019.xpt", registers / "INDK2019.xpt")
    result = _import(registers, tmp_path / "out")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "INDK2019.xpt: unknown register (did you mean IND?)" in text
    assert not (tmp_path / "out").exists()


def test_missing_variable_names_file_variable_and_entry(
    trip: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    registers = _copy(trip, tmp_path)
    frame, _ = pyreadstat.read_xport(registers / "IND2019.xpt")
    write_sas_transport(frame.drop(columns=["PERINDKIALT_13"]), registers / "IND2019.xpt",
                        table_name="IND2019")  # fmt: skip
    result = _import(registers, tmp_path / "out")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "IND2019.xpt: the variable PERINDKIALT_13 is missing" in text
    assert "used by the mapping's gross_income" in text


def test_unknown_codes_are_counted(
    trip: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown KOEN drops the person-year (counted with the code); an unknown benefit code
    and a country code outside the lists are reported in the run log, never silently used."""
    monkeypatch.setenv("UDSAT_LANG", "en")
    registers = _copy(trip, tmp_path)
    bef, _ = pyreadstat.read_xport(registers / "BEF2020.xpt")
    bef.loc[bef.index[:3], "KOEN"] = 7.0
    immigrant = bef.index[bef.IE_TYPE == 2][:2]
    bef.loc[immigrant, "OPR_LAND"] = 5999.0
    write_sas_transport(bef, registers / "BEF2020.xpt", table_name="BEF2020")
    amrun, _ = pyreadstat.read_xport(registers / "AMRUN2019.xpt")
    amrun.loc[amrun.index[:4], "SOC_STATUS_KODE"] = 414.0  # folkepension: no contract column
    write_sas_transport(amrun, registers / "AMRUN2019.xpt", table_name="AMRUN2019",
                        dates=())  # fmt: skip
    out = tmp_path / "out"
    result = _import(registers, out)
    assert result.exit_code == 0, result.output
    log = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["import_run_log"]
    dropped = {e["reason"]: e["rows"] for e in log["exclusions"]}
    assert dropped == {"unknown code in KOEN (sex): 7 (3)": 3}
    notes = " ".join(log["notes"])
    assert (
        "codes of OPR_LAND outside the mapping's lists, counted as non_western: 5999 (2)" in notes
    )
    assert "AMRUN.SOC_STATUS_KODE: spells/decisions with codes the mapping does not use" in notes
    assert "414 (4)" in notes
    persons = pq.read_table(out / "persons" / "persons_2020.parquet").to_pandas()
    direct = pq.read_table(trip["direct"] / "persons" / "persons_2020.parquet").to_pandas()
    assert len(persons) == len(direct) - 3
    assert "3 person-years dropped" in " ".join(result.output.split())


def test_mapping_typo_names_the_nearest_key(
    trip: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    from udsat.importer import mapping as m

    source = Path(m.__file__).with_name(m.MAPPING_FILE).read_text(encoding="utf-8")
    assert source.count("    prefix_digits: 2\n") == 1
    typo = tmp_path / "my_mapping.yaml"
    typo.write_text(source.replace("    prefix_digits: 2\n", "    prefix_digit: 2\n"), "utf-8")
    result = _import(trip["registers"], tmp_path / "out", "--mapping", str(typo))
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "my_mapping.yaml" in text
    # The nearest key (udsat.strict follows the mapping's discriminated union by its tag).
    expected = "unknown key 'persons.education_level.codes.prefix_digit' (did you mean "
    assert expected + "'prefix_digits'?)" in text


def test_the_mapping_cites_and_flags() -> None:
    """Every entry cites a declared source; what the reference notes mark unconfirmed is."""
    from udsat.importer.mapping import default_mapping

    mapping = default_mapping()
    assert mapping.persons["sex"].confirmed  # KOEN 1 man, 2 woman: documented
    for column in ("address_id", "education_level", "gross_income", "died", "taxpayer"):
        entry = mapping.persons[column]
        assert not entry.confirmed and entry.note, column
    origin = mapping.persons["origin"]
    assert origin.rule == "origin"
    # Western per DST's variant: the Nordic countries, Germany, USA, New Zealand ...
    assert {"5110", "5120", "5104", "5180", "5390", "5514"} <= set(origin.western)
    assert "5172" in origin.non_western  # Tyrkiet
    assert not mapping.addresses.confirmed


def test_a_diagnosis_before_the_first_year_still_counts(
    trip: dict[str, Path], tmp_path: Path
) -> None:
    """`before_1_january` flags (chronic_disease from RUKS) take each person's first event
    however old: a diagnosis in 2005 flags the person from the first row year (2015) on; one
    dated after the last year flags nothing."""

    registers = _copy(trip, tmp_path)
    ruks, _ = pyreadstat.read_xport(registers / "RUKS.xpt")
    direct = _table(trip["direct"], "persons")
    first = direct[direct["year"] == 2015]
    ill = first.loc[first["chronic_disease"], "person_id"].iloc[0]
    never = ~first["person_id"].isin(set(ruks["PNR"]))
    well = first.loc[never, "person_id"].iloc[0]
    assert (ruks["PNR"] == ill).sum() == 1
    ruks["DIAG_DATO"] = pd.to_datetime(ruks["DIAG_DATO"])
    ruks.loc[ruks["PNR"] == ill, "DIAG_DATO"] = pd.Timestamp(2005, 3, 1)
    ruks = pd.concat(
        [ruks, pd.DataFrame({"PNR": [well], "DIAG_DATO": [pd.Timestamp(2031, 1, 1)]})],
        ignore_index=True,
    )
    write_sas_transport(ruks, registers / "RUKS.xpt", table_name="RUKS", dates=("DIAG_DATO",))
    out = tmp_path / "out"
    result = _import(registers, out)
    assert result.exit_code == 0, result.output
    persons = _table(out, "persons")
    flags = persons.set_index(["person_id", "year"])["chronic_disease"]
    assert bool(flags[(ill, 2015)]) is True
    assert not persons.loc[persons["person_id"] == well, "chronic_disease"].astype(bool).any()
    # everyone else as written directly
    others = ~persons["person_id"].isin([ill, well])
    assert persons.loc[others, "chronic_disease"].tolist() == (
        direct.loc[~direct["person_id"].isin([ill, well]), "chronic_disease"].tolist()
    )
