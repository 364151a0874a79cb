"""`udsat synth --format dst`: a dataset directory written as DST register extracts.

The inverse of the mapping: every register file the importer reads is written with DST's
variable names and codes (the first code of a category, or the entry's `synth` code), as SAS
transport files (.xpt; no library writes .sas7bdat). Spells and dates are chosen so that
`udsat import dst` gives back the same persons and addresses tables:

- address and enrolment spells run from 1 July of the year before a run of years at the same
  address to 30 June of its last year (open when the run reaches the last year);
- each benefit of a person-year is one spell from 1 January of the previous year, as many days
  as the full-time share needs (rounded up), with the degree that gives the exact share;
- each conviction is one decision on 1 July of the previous year with the law's code prefix;
- a death is dated 1 July of its year, a chronic disease 1 July of the year before the first
  person-year with it;
- FAMAEKVIVADISP_13 is a stand-in (the synthetic panel has no disposable income): 50,000 for a
  child in a relatively poor household, 200,000 for everyone else.

SYNTHETIC DATA: the files describe no real person.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from udsat.importer import mapping as m
from udsat.synth.writer import write_sas_transport

POOR, NOT_POOR = 50_000.0, 200_000.0
SYNTHETIC_LABEL = "SYNTETISKE DATA (udsat synth)"


def _ts(year: np.ndarray | int, month: int, day: int) -> np.ndarray:
    years = np.asarray(year, dtype=np.int64)
    text = np.char.add(years.astype(str), f"-{month:02d}-{day:02d}")
    return text.astype("datetime64[D]")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _inverse(entry: m.Codes) -> dict[object, float | str]:
    """Category -> the code written for it."""
    out: dict[object, float | str] = {}
    for code_, category in entry.codes.items():
        out.setdefault(category, _number(code_))
    for category, code_ in entry.synth.items():
        key: object = {"true": True, "false": False}.get(category, category)
        out[key] = _number(code_)
    return out


def _runs(pid: np.ndarray, year: np.ndarray, value: np.ndarray, last_year: int) -> pd.DataFrame:
    """Runs of consecutive years with the same value per person, as spells."""
    order = np.lexsort((year, pid))
    pid, year, value = pid[order], year[order], value[order]
    new = np.ones(len(pid), dtype=bool)
    new[1:] = (pid[1:] != pid[:-1]) | (year[1:] != year[:-1] + 1) | (value[1:] != value[:-1])
    run = np.cumsum(new) - 1
    first = year[new]
    last = np.zeros(run[-1] + 1 if len(run) else 0, dtype=np.int64)
    np.maximum.at(last, run, year)
    end = _ts(last, 6, 30)
    end[last == last_year] = np.datetime64("NaT")
    return pd.DataFrame(
        {"pnr": pid[new], "value": value[new], "start": _ts(first - 1, 7, 1), "end": end}
    )


def export_dst(dataset: Path, out: Path, mapping: m.Mapping | None = None) -> int:
    """Write the persons and addresses of `dataset` as register extracts into `out`; the
    housing areas and units are copied to `out/geo/`. Returns the number of register files."""
    mapping = mapping or m.default_mapping()
    p = mapping.persons
    regs = mapping.registers
    out.mkdir(parents=True, exist_ok=True)
    files = 0
    persons_files = sorted((dataset / "persons").glob("*.parquet"))
    years = [int(pq.read_table(f, columns=["year"]).column(0)[0].as_py()) for f in persons_files]
    last_year = max(years)
    addr_runs, edu_runs, deaths, chronic = [], [], [], []

    def write(
        register: str, year: int | None, frame: pd.DataFrame, dates: tuple[str, ...] = ()
    ) -> None:
        nonlocal files
        if len(frame) == 0:
            return
        name = f"{register}{'' if year is None else year}"
        write_sas_transport(
            frame, out / f"{name}.xpt", table_name=name, dates=dates, label=SYNTHETIC_LABEL
        )
        files += 1

    bef_key = regs["BEF"].key
    sex = p["sex"]
    origin = p["origin"]
    edu = p["education_level"]
    approved = p["education_danish_approved"]
    tax = p["taxpayer"]
    assert isinstance(sex, m.Codes) and isinstance(origin, m.Origin)
    assert isinstance(edu, m.Codes) and isinstance(approved, m.Codes) and isinstance(tax, m.Codes)
    types = {v: _number(k) for k, v in origin.types.items()}
    western = np.array([_number(c) for c in origin.western if c != "5100"], dtype=np.float64)
    non_western = np.array([_number(c) for c in origin.non_western], dtype=np.float64)
    danish = float(next(iter(origin.western)))  # 5100 Danmark
    spells: list[tuple[str, m.Fte]] = [
        (c, e) for c, e in p.items() if isinstance(e, m.Fte) and not isinstance(e, m.SpellFlag)
    ]
    flags = [(c, e) for c, e in p.items() if isinstance(e, m.SpellFlag)]
    counts = [(c, e) for c, e in p.items() if isinstance(e, m.Count)]
    for path, year in zip(persons_files, years, strict=True):
        d = pq.read_table(path).to_pandas()
        pid = d.person_id.astype(str).to_numpy()
        n = len(d)
        pick = np.frombuffer(pid.astype("S12").tobytes(), dtype=np.uint8).reshape(n, -1)
        pick = pick.sum(axis=1).astype(np.int64)
        kind = d.origin.astype(str).str.split("_").str[0].map(types).to_numpy(dtype=np.float64)
        land = np.full(n, danish)
        is_w = d.origin.astype(str).str.endswith("_western").to_numpy()
        is_nw = d.origin.astype(str).str.endswith("_nonwestern").to_numpy()
        land[is_w] = western[pick[is_w] % len(western)]
        land[is_nw] = non_western[pick[is_nw] % len(non_western)]
        bef = pd.DataFrame(
            {
                bef_key: pid,
                _var(p["household_id"]): d.household_id.astype(str).to_numpy(),
                _var(p["age"]): d.age.to_numpy(dtype=np.float64),
                sex.variable: d.sex.astype(str).map(_inverse(sex)).to_numpy(dtype=np.float64),
                origin.type_variable: kind,
                origin.country_variable: land,
            }
        )
        write("BEF", year - regs["BEF"].year_offset, bef)
        level = d.education_level.astype(str).map(_inverse(edu))
        ok = d.education_danish_approved
        source = ok.map(
            lambda v: np.nan if v is None or pd.isna(v) else _inverse(approved)[bool(v)]
        )
        udda = pd.DataFrame(
            {
                regs[edu.register_name].key: pid,
                edu.variable: level.to_numpy(dtype=np.float64),
                approved.variable: source.to_numpy(dtype=np.float64),
            }
        )
        write(edu.register_name, year - regs[edu.register_name].year_offset, udda)
        poverty = p["child_in_poor_household"]
        assert isinstance(poverty, m.RelativePoverty)
        poor = d.child_in_poor_household.fillna(False).astype(bool).to_numpy()
        ind = pd.DataFrame(
            {
                regs["IND"].key: pid,
                _var(p["gross_income"]): d.gross_income.to_numpy(dtype=np.float64),
                tax.variable: d.taxpayer.map(_inverse(tax)).to_numpy(dtype=np.float64),
                poverty.variable: np.where(poor, POOR, NOT_POOR),
            }
        )
        write("IND", year - regs["IND"].year_offset, ind)
        write_spells(d, pid, year, spells, flags, regs, write)
        write_counts(d, pid, year, counts, regs, write)
        addr_runs.append(
            pd.DataFrame({"pid": pid, "year": year, "value": d.address_id.astype(str)})
        )
        enrolled = d.in_education.to_numpy(dtype=bool)
        edu_runs.append(pd.DataFrame({"pid": pid[enrolled], "year": year, "value": "1"}))
        died = d.died.to_numpy(dtype=bool)
        deaths.append(pd.DataFrame({"pid": pid[died], "year": year}))
        sick = d.chronic_disease.to_numpy(dtype=bool)
        chronic.append(pd.DataFrame({"pid": pid[sick], "year": year}))
    _write_dated(mapping, addr_runs, edu_runs, deaths, chronic, last_year, write)
    a = pq.read_table(dataset / "addresses.parquet").to_pandas()
    spec = mapping.addresses
    adr = pd.DataFrame({spec.address_id: a.address_id.astype(str), spec.municipality_code:
                        a.municipality_code.to_numpy(dtype=np.float64)})  # fmt: skip
    if spec.x and spec.y:
        adr[spec.x] = a.x.to_numpy(dtype=np.float64)
        adr[spec.y] = a.y.to_numpy(dtype=np.float64)
    else:
        adr[spec.cell or ""] = [
            f"100m_{int(y // 100)}_{int(x // 100)}" for x, y in zip(a.x, a.y, strict=True)
        ]
    write(spec.register_name, None, adr)
    geo = out / "geo"
    for name in ("housing_areas.gpkg",):
        if (dataset / name).exists():
            geo.mkdir(exist_ok=True)
            shutil.copyfile(dataset / name, geo / name)
    if (dataset / "units").is_dir():
        shutil.copytree(dataset / "units", geo / "units", dirs_exist_ok=True)
    return files


def _var(entry: object) -> str:
    assert isinstance(entry, m.Copy)
    return entry.variable


Writer = Callable[[str, int | None, pd.DataFrame, tuple[str, ...]], None]


def write_spells(
    d: pd.DataFrame,
    pid: np.ndarray,
    year: int,
    spells: list[tuple[str, m.Fte]],
    flags: Sequence[tuple[str, m.Fte]],
    regs: dict[str, m.Register],
    write: Writer,
) -> None:
    """One spell per person-year and benefit from 1 January of the previous year."""
    if not spells:
        return
    entry0 = spells[0][1]
    first = np.datetime64(f"{year - 1}-01-01", "D")
    total = int((np.datetime64(f"{year}-01-01", "D") - first).astype(int))
    rows = []
    flagged = {c: (e, d[c].to_numpy(dtype=bool)) for c, e in flags}
    for column, entry in spells:
        fte = d[column].to_numpy(dtype=np.float64)
        has = fte > 0
        codes = [float(c) for c in entry.codes]
        code = np.full(len(d), codes[0])
        for _flag_col, (flag, mask) in flagged.items():
            both = [float(c) for c in flag.codes if c in entry.codes]
            plain = [float(c) for c in entry.codes if c not in flag.codes]
            if both and plain:
                code = np.where(mask, both[0], plain[0])
        days = np.minimum(np.ceil(fte * total), total).astype(np.int64)
        days = np.maximum(days, 1)
        degree = fte * total / days
        rows.append(
            pd.DataFrame(
                {
                    regs[entry.register_name].key: pid[has],
                    entry.code_variable: code[has],
                    entry.spell.start: np.full(int(has.sum()), first),
                    entry.spell.end: first + (days[has] - 1).astype("timedelta64[D]"),
                    (entry.degree or "GRAD"): degree[has],
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    write(entry0.register_name, year - 1, frame, (entry0.spell.start, entry0.spell.end))


def write_counts(
    d: pd.DataFrame,
    pid: np.ndarray,
    year: int,
    counts: list[tuple[str, m.Count]],
    regs: dict[str, m.Register],
    write: Writer,
) -> None:
    """One decision per conviction, on 1 July of the previous year."""
    if not counts:
        return
    entry0 = counts[0][1]
    rows = []
    for column, entry in counts:
        times = d[column].to_numpy(dtype=np.int64)
        who = np.repeat(pid, times)
        day = np.datetime64(f"{year - 1}-07-01", "D")
        frame = pd.DataFrame(
            {regs[entry.register_name].key: who, entry.date: np.full(len(who), day)}
        )
        for i, cv in enumerate(entry.code_variables):
            width = 7 if i == 0 else 9
            applies = (cv.from_year is None or year - 1 >= cv.from_year) and (
                cv.to_year is None or year - 1 <= cv.to_year
            )
            value = float((entry.prefixes[0] + "0" * width)[:width]) if applies else np.nan
            frame[cv.variable] = value
        rows.append(frame)
    frame = pd.concat(rows, ignore_index=True)
    write(entry0.register_name, year - 1, frame, (entry0.date,))


def _write_dated(
    mapping: m.Mapping,
    addr_runs: list[pd.DataFrame],
    edu_runs: list[pd.DataFrame],
    deaths: list[pd.DataFrame],
    chronic: list[pd.DataFrame],
    last_year: int,
    write: Writer,
) -> None:
    p = mapping.persons
    regs = mapping.registers
    for entry, parts in ((p["address_id"], addr_runs), (p["in_education"], edu_runs)):
        assert isinstance(entry, m.On1January)
        frame = pd.concat(parts, ignore_index=True)
        runs = _runs(frame.pid.to_numpy(), frame.year.to_numpy(dtype=np.int64),
                     frame.value.to_numpy(), last_year)  # fmt: skip
        spell = pd.DataFrame(
            {
                regs[entry.register_name].key: runs.pnr,
                entry.spell.start: runs.start,
                entry.spell.end: runs.end,
            }
        )
        if entry.variable:
            spell[entry.variable] = runs.value
        write(entry.register_name, None, spell, (entry.spell.start, entry.spell.end))
    died = p["died"]
    assert isinstance(died, m.DatedFlag)
    frame = pd.concat(deaths, ignore_index=True)
    write(died.register_name, None, pd.DataFrame({regs[died.register_name].key: frame.pid,
          died.date: _ts(frame.year.to_numpy(), 7, 1)}), (died.date,))  # fmt: skip
    sick = p["chronic_disease"]
    assert isinstance(sick, m.DatedFlag)
    first = pd.concat(chronic, ignore_index=True).groupby("pid", as_index=False)["year"].min()
    frame = pd.DataFrame(first)
    write(sick.register_name, None, pd.DataFrame({regs[sick.register_name].key: frame.pid,
          sick.date: _ts(frame.year.to_numpy() - 1, 7, 1)}), (sick.date,))  # fmt: skip
