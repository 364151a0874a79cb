"""One reader for every tabular input: CSV as Danish analysts save it, and .xlsx, give the same
result as the plain comma-separated file; an undecidable file is an error saying how to state it."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from udsat.cli import app
from udsat.contract.tabular import Stated, read_table, to_number
from udsat.errors import DataContractError

FIXTURES = Path(__file__).parent / "fixtures" / "statelists"
AGGREGATE = FIXTURES / "aggregate_example.csv"
HISTORY = FIXTURES / "memberships_2017_2022.csv"
runner = CliRunner()


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _danish(value: str, grouped: bool) -> str:
    """A number as Danish Excel writes it: decimal comma, '.' between thousands."""
    if not value or not value.replace(".", "").replace("-", "").isdigit():
        return value
    whole, _, frac = value.partition(".")
    if grouped and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if frac else "")


def write_danish(rows: list[list[str]], path: Path, *, encoding: str, grouped: bool) -> Path:
    text_columns = {"area_id", "area_name", "municipality", "list", "list_name_as_published"}
    header = rows[0]
    out = [header] + [
        [v if header[i] in text_columns else _danish(v, grouped) for i, v in enumerate(r)]
        for r in rows[1:]
    ]
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(out)
    return path


def write_xlsx(rows: list[list[str]], path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tal"
    text_columns = {"area_id", "area_name", "municipality"}
    for i, row in enumerate(rows):
        cells: list[object] = []
        for name, value in zip(rows[0], row, strict=True):
            if i == 0 or name in text_columns or value == "":
                cells.append(value if value != "" else None)
            else:
                cells.append(float(value) if "." in value else int(value))
        sheet.append(cells)
    book.save(path)
    return path


def _lists(tmp_path: Path, name: str, source: Path, *extra: str) -> pd.DataFrame:
    out = tmp_path / f"{name}.csv"
    result = runner.invoke(
        app,
        ["lists", "--aggregate", str(source), "--year", "2023", "--out", str(out), *extra],
        terminal_width=200,
    )
    assert result.exit_code == 0, result.output
    return pd.read_csv(out)


def test_danish_csv_and_xlsx_give_the_plain_csvs_lists(tmp_path: Path) -> None:
    rows = _rows(AGGREGATE)
    plain = _lists(tmp_path, "plain", AGGREGATE)
    variants = {
        "cp1252_grouped": write_danish(
            rows, tmp_path / "cp1252.csv", encoding="cp1252", grouped=True
        ),
        "bom_semicolon": write_danish(
            rows, tmp_path / "bom.csv", encoding="utf-8-sig", grouped=False
        ),
        "xlsx": write_xlsx(rows, tmp_path / "figures.xlsx"),
    }
    for name, path in variants.items():
        pd.testing.assert_frame_equal(_lists(tmp_path, name, path), plain, obj=name)
    # the residents really were written with a thousands separator (6.800), so it was read
    assert "6.800" in (tmp_path / "cp1252.csv").read_text(encoding="cp1252")


def test_how_a_file_was_read_is_stated(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    path = write_danish(_rows(AGGREGATE), tmp_path / "tal.csv", encoding="cp1252", grouped=True)
    frame, fmt = read_table(path)
    assert (fmt.kind, fmt.encoding, fmt.separator, fmt.decimal, fmt.thousands) == (
        "csv", "cp1252", ";", ",", "."
    )  # fmt: skip
    assert fmt.describe("da") == (
        "tal.csv: læst som CSV, tegnsæt cp1252, skilletegn ';', decimaltegn ',', "
        "tusindtalsskilletegn '.'"
    )
    assert to_number(frame["residents"], fmt).tolist()[:2] == [966.0, 6800.0]
    assert to_number(frame["outside_pct"], fmt).tolist()[:2] == [44.1, 46.3]
    result = runner.invoke(
        app,
        ["lists", "--aggregate", str(path), "--year", "2023", "--out", str(tmp_path / "l.csv")],
        terminal_width=200,
    )
    assert "læst som CSV, tegnsæt cp1252, skilletegn ';'" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("12,5", ",", ".", 12.5),
        ("1.234,5", ",", ".", 1234.5),
        ("1.234.567", ",", ".", 1234567.0),
        ("12.5", ".", None, 12.5),
        ("1,234.5", ".", ",", 1234.5),
        ("1 234,5", ",", ".", 1234.5),
        ("-0,73", ",", ".", -0.73),
        ("", ",", ".", float("nan")),
        ("høj", ",", ".", float("nan")),
    ],
)
def test_numbers_in_each_format(text: str, decimal: str, thousands: str | None, expected) -> None:
    from udsat.contract.tabular import TextFormat

    fmt = TextFormat("x.csv", "csv", "utf-8", ";", decimal, thousands)  # type: ignore[arg-type]
    got = to_number(pd.Series([text]), fmt).iloc[0]
    assert (pd.isna(got) and pd.isna(expected)) or got == expected


def test_ambiguous_decimal_mark_is_an_error_that_says_how_to_state_it(tmp_path: Path) -> None:
    """In a ';' file, 1.234 can be a Danish thousand or an English decimal: not guessed."""
    path = tmp_path / "uklar.csv"
    path.write_text("area_id;share\na;1.234\nb;2.500\n", encoding="utf-8")
    with pytest.raises(DataContractError) as info:
        read_table(path)
    text = info.value.problems[0].render("da")
    assert "uklar.csv" in text and "1.234" in text and "--decimal comma" in text
    frame, fmt = read_table(path, Stated(decimal="."))
    assert to_number(frame["share"], fmt).tolist() == [1.234, 2.5]
    frame, fmt = read_table(path, Stated(decimal=","))
    assert to_number(frame["share"], fmt).tolist() == [1234.0, 2500.0]


def test_both_decimal_marks_in_one_file_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blandet.csv"
    path.write_text("a;b\n12,5;3.25\n", encoding="utf-8")
    with pytest.raises(DataContractError) as info:
        read_table(path)
    text = info.value.problems[0].render("en")
    assert "12,5" in text and "3.25" in text and "--decimal" in text


def test_a_header_no_separator_splits_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "en_kolonne.csv"
    path.write_text("area_id|share\na|1\n", encoding="utf-8")
    with pytest.raises(DataContractError) as info:
        read_table(path)
    assert "--separator" in info.value.problems[0].render("da")


def test_a_row_longer_than_the_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "skaev.csv"
    path.write_text("a;b;c\n1;2;3\n3;4;5;6\n", encoding="utf-8")
    with pytest.raises(DataContractError) as info:
        read_table(path)
    assert "linje 3 har 4 felter, overskriften 3" in info.value.problems[0].render("da")


def test_both_separators_splitting_alike_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "begge.csv"
    path.write_text("a,b;c,d\n1,2;3,4\n", encoding="utf-8")
    with pytest.raises(DataContractError) as info:
        read_table(path)
    assert (
        "','" in str(info.value) and "';'" in str(info.value) and "--separator" in str(info.value)
    )


def test_stated_separator_and_sheet(tmp_path: Path) -> None:
    path = tmp_path / "tab.tsv"
    path.write_text("a\tb\n1,5\t2\n", encoding="utf-8")
    frame, fmt = read_table(path)
    assert fmt.separator == "\t" and fmt.decimal == ","
    book = tmp_path / "to_ark.xlsx"
    wb = Workbook()
    wb.active.title = "Forside"
    wb.active.append(["ikke", "data"])
    second = wb.create_sheet("Tal")
    second.append(["area_id", "value"])
    second.append(["a", 0.123456789012])  # read back in full precision
    wb.save(book)
    frame, fmt = read_table(book, Stated(sheet="Tal"))
    assert fmt.sheet == "Tal" and frame["value"].tolist() == ["0.123456789012"]
    with pytest.raises(DataContractError, match="Forside, Tal"):
        read_table(book, Stated(sheet="Data"))


def test_history_and_references_read_danish_csv(tmp_path: Path) -> None:
    from udsat.statelists.lookback import read_history
    from udsat.statelists.references import read_references

    history = write_danish(_rows(HISTORY), tmp_path / "h.csv", encoding="cp1252", grouped=False)
    pd.testing.assert_frame_equal(read_history(history), read_history(HISTORY))
    refs = tmp_path / "refs.csv"
    refs.write_text(
        "list_year;national_convicted_pct;region;region_mean_income\n"
        "2023;0,73;Hovedstaden;412.345,5\n",
        encoding="cp1252",
    )
    got = read_references(refs).get(2023)
    assert got is not None
    assert got.national_convicted_pct == 0.73 and got.region_income == {"Hovedstaden": 412345.5}


def test_the_cli_takes_decimal_and_rejects_a_bad_value(tmp_path: Path) -> None:
    out = tmp_path / "l.csv"
    bad = runner.invoke(
        app,
        ["lists", "--aggregate", str(AGGREGATE), "--year", "2023", "--out", str(out),
         "--decimal", "komma"],
        terminal_width=200,
    )  # fmt: skip
    assert bad.exit_code != 0 and "--decimal" in bad.output and not out.exists()


def test_the_screenings_area_input_as_danish_csv_and_xlsx(tmp_path: Path) -> None:
    """The KK roder 2008-2014 (396 units) screened from a Danish CSV and from .xlsx: the same
    units, ranks and flags as from the packaged comma-separated file."""
    from udsat.screening.aggregate import screen_aggregate

    roder = (
        Path(__file__).parents[1] / "src" / "udsat" / "data" / "kk" / "socio_roder_2008_2014.csv"
    )
    rows = _rows(roder)
    text = {"area_id", "area_name"}
    header = rows[0]
    danish = [header] + [
        [
            v if header[i] in text else _danish(v, grouped=header[i] != "year")
            for i, v in enumerate(r)
        ]
        for r in rows[1:]
    ]
    csv_path = tmp_path / "roder.csv"
    with csv_path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(danish)
    plain = screen_aggregate(roder, year=2012).units
    for path in (csv_path, write_xlsx_as_numbers(rows, tmp_path / "roder.xlsx", text)):
        got = screen_aggregate(path, year=2012).units
        pd.testing.assert_frame_equal(got, plain, obj=path.name)


def write_xlsx_as_numbers(rows: list[list[str]], path: Path, text: set[str]) -> Path:
    book = Workbook()
    for i, row in enumerate(rows):
        book.active.append(
            [v if i == 0 or rows[0][j] in text or v == "" else float(v) for j, v in enumerate(row)]
        )
    book.save(path)
    return path
