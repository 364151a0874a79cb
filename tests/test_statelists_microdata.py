"""Microdata mode: known truth on hand-built data, and agreement with aggregate mode."""

import numpy as np
import pandas as pd
import pytest

from statelists_synthetic import MUNICIPALITIES, connect, make_tables
from udsat.errors import UdsatError
from udsat.statelists import compute_lists
from udsat.statelists.aggregate import read_aggregate
from udsat.statelists.classify import figure_columns
from udsat.statelists.microdata import References, area_figures
from udsat.statelists.rules import ruleset_for_year, with_settings

FIGURE_COLUMNS = (*figure_columns(), "outside_latest_pct")


@pytest.fixture(scope="module")
def tables():
    return make_tables()


# The benefits counted as outside the labour market (docs/statutory-lists.md): every public
# benefit but SU, barselsdagpenge, sygedagpenge, fleksjob and efterløn; or cash benefits only.
BROAD = ["kontanthjaelp", "uddannelseshjaelp", "selvforsoergelse", "dagpenge", "foertidspension",
         "ressourceforloeb", "jobafklaring", "ledighedsydelse", "revalidering"]  # fmt: skip
CASH_ONLY = ["kontanthjaelp", "uddannelseshjaelp", "selvforsoergelse"]


def _hand_truth(persons, addresses, area_id, year, averaging, benefits=BROAD):
    """The criteria computed row by row in plain pandas, as the law and docs state them."""
    p = persons.merge(addresses[["address_id", "housing_area_id"]], on="address_id")
    p = p[p["housing_area_id"] == area_id]
    out_share, conv_share = [], []
    for y in (year - 1, year):
        q = p[p["year"] == y]
        pop1 = q[(q["age"] >= 18) & (q["age"] <= 64)]
        fte = pop1[[f"fte_{b}" for b in benefits]].sum(axis=1).clip(upper=1)
        out_share.append((fte.sum(), len(pop1)))
        pop2 = q[q["age"] >= 18]
        conv = pop2[["convictions_straffeloven", "convictions_vaabenloven", "convictions_euf"]]
        conv_share.append(((conv.sum(axis=1) > 0).sum(), len(pop2)))
    now = p[p["year"] == year]

    def avg(pairs):
        if averaging == "pooled":
            return 100 * sum(a for a, _ in pairs) / sum(b for _, b in pairs)
        return np.mean([100 * a / b for a, b in pairs])

    edu = now[(now["age"] >= 30) & (now["age"] <= 59)]
    basic = edu["education_level"].isin(["grundskole", "unknown"]) | (
        edu["education_danish_approved"] == False  # noqa: E712
    )
    return {
        "residents": len(now),
        "outside_pct": avg(out_share),
        "convicted_pct": avg(conv_share),
        "basic_edu_pct": 100 * basic.sum() / len(edu),
        "nonwestern_pct": 100 * (now["origin"] == "immigrant_nonwestern").sum() / len(now),
    }


@pytest.mark.parametrize(
    ("averaging", "benefits"),
    [("mean_of_shares", "broad"), ("pooled", "broad"), ("mean_of_shares", "cash_only")],
)
def test_known_truth_per_area(tables, averaging, benefits) -> None:
    persons, addresses, _ = tables
    rs = with_settings(ruleset_for_year(2023), averaging=averaging, outside_benefits=benefits)
    fig = area_figures(connect(tables), rs, 2023).set_index("area_id")
    counted = BROAD if benefits == "broad" else CASH_ONLY
    for area_id in ("HA00", "HA07", "HA11"):
        truth = _hand_truth(persons, addresses, area_id, 2023, averaging, counted)
        for column, expected in truth.items():
            assert fig.at[area_id, column] == pytest.approx(expected, rel=1e-12), column


def test_income_is_a_share_of_the_regions_mean(tables) -> None:
    persons, addresses, areas = tables
    fig = area_figures(connect(tables), ruleset_for_year(2023), 2023).set_index("area_id")
    p = persons[persons["year"] == 2023].merge(addresses, on="address_id")
    p["region"] = p["municipality_code"].map(MUNICIPALITIES)
    group = p[(p["age"].between(15, 64)) & p["taxpayer"] & ~p["in_education"]]
    region_mean = group.groupby("region")["gross_income"].mean()
    area_mean = group.groupby("housing_area_id")["gross_income"].mean()
    expected = (
        100
        * area_mean["HA05"]
        / region_mean[areas.set_index("housing_area_id").at["HA05", "region"]]
    )
    assert fig.at["HA05", "income_pct_of_region"] == pytest.approx(expected, rel=1e-12)


def test_microdata_and_aggregate_mode_agree(tables, tmp_path) -> None:
    con = connect(tables)
    rs = ruleset_for_year(2023)
    fig = area_figures(con, rs, 2023)
    micro = compute_lists(fig)
    path = tmp_path / "figures.csv"
    fig[
        [
            *FIGURE_COLUMNS,
            "outside_base",
            "convicted_base",
            "basic_edu_base",
            "nonwestern_base",
            "outside_latest_base",
        ]
    ].to_csv(path, index=False, float_format="%.17g")
    agg_fig, warnings = read_aggregate(path)
    agg = compute_lists(agg_fig)
    assert warnings == []
    lists = [
        "udsat",
        "parallelsamfund",
        "forebyggelse",
        "kombineret",
        "criteria_met",
        "reason_codes",
    ]
    pd.testing.assert_frame_equal(micro[lists], agg[lists])
    assert micro["udsat"].any() and not micro["udsat"].all()  # the data test both outcomes
    margins = [c for c in micro if c.endswith("_margin_people")]
    pd.testing.assert_frame_equal(micro[margins], agg[margins])


def test_one_municipality_needs_given_references(tables) -> None:
    persons, addresses, areas = tables
    keep = addresses[addresses["municipality_code"] == 101]
    one = (persons[persons["address_id"].isin(keep["address_id"])], keep, areas)
    rs = ruleset_for_year(2023)
    with pytest.raises(UdsatError, match="--national-convicted-pct"):
        area_figures(connect(one), rs, 2023)
    with pytest.raises(UdsatError, match="--region-income"):
        area_figures(connect(one), rs, 2023, References(national_convicted_pct=0.7))
    refs = References(national_convicted_pct=0.7, region_income={"Hovedstaden": 400_000.0})
    fig = area_figures(connect(one), rs, 2023, refs)
    assert (fig["national_convicted_pct"] == 0.7).all()
    # the given income for Hovedstaden's areas; none for regions that were not given
    expected = fig["region"].map({"Hovedstaden": 400_000.0})
    assert expected.notna().any() and expected.isna().any()
    pd.testing.assert_series_equal(fig["region_income_dkk"], expected, check_names=False)


def test_missing_years_name_what_is_needed(tables, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    with pytest.raises(UdsatError, match=r"needs persons rows of the years \[2021, 2022\]"):
        area_figures(connect(tables), ruleset_for_year(2022), 2022)


def test_missing_years_message_is_danish_by_default(tables, monkeypatch) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    with pytest.raises(UdsatError, match=r"kræver personrækker for årene \[2021, 2022\]"):
        area_figures(connect(tables), ruleset_for_year(2022), 2022)


@pytest.mark.parametrize("year", [2017, 2020, 2024])
def test_located_cache_and_join_give_identical_counts(default_dataset, year) -> None:
    """counts_sql on persons_located (the dataset's located cache) equals the join path."""
    from udsat.contract.located import has_located
    from udsat.statelists.microdata import counts_sql, needed_years

    con = default_dataset.connect()
    assert has_located(con)
    rs = ruleset_for_year(year)
    keys = ["year", "area_id", "municipality_code"]
    years = needed_years(rs, year)
    runs = [con.sql(counts_sql(rs, years, located=flag)).df() for flag in (True, False)]
    located, joined = (r.sort_values(keys, na_position="first", ignore_index=True) for r in runs)
    whole = [c for c in located if located[c].dtype.kind != "f"]
    pd.testing.assert_frame_equal(located[whole], joined[whole])  # counts exactly
    floats = [c for c in located if located[c].dtype.kind == "f"]  # sums: summation order
    pd.testing.assert_frame_equal(located[floats], joined[floats], rtol=1e-12)
    assert located["residents"].sum() > 0


@pytest.mark.parametrize("year", [2017, 2019, 2024])
def test_microdata_and_aggregate_mode_agree_on_the_synthetic_city(
    default_dataset, tmp_path, year
) -> None:
    """The figures of `udsat synth`'s Copenhagen, published as an aggregate CSV, give the same
    lists, reason codes and margins as microdata mode (each list year with its own rule set)."""

    con = default_dataset.connect()
    fig = area_figures(con, ruleset_for_year(year), year, References(data_is_reference=True))
    micro = compute_lists(fig)
    path = tmp_path / "figures.csv"
    bases = [c for c in fig if c.endswith("_base")]
    fig[[*FIGURE_COLUMNS, *bases]].to_csv(path, index=False, float_format="%.17g")
    agg_fig, _ = read_aggregate(path)
    agg = compute_lists(agg_fig)
    lists = [c for c in ("udsat", "parallelsamfund", "forebyggelse", "kombineret") if c in micro]
    columns = [*lists, "criteria_met", "reason_codes", "reasons"]
    pd.testing.assert_frame_equal(micro[columns], agg[columns])
    margins = [c for c in micro if c.endswith("_margin_people")]
    pd.testing.assert_frame_equal(micro[margins], agg[margins])
    assert micro["residents_ok"].sum() >= 12


def test_an_amendment_is_computed_beside_the_law_from_microdata(tables) -> None:
    """The run's lists step with `--rules` (report, demo): an amendment that counts only cash
    benefits from the list of 1 December 2023 is measured with its own counts and shown beside
    the law's (<list>_amended); the law's own columns are those of a run without it."""
    import datetime as dt

    import yaml

    from udsat.statelists.rules import LAW_PATH, law_from_mapping
    from udsat.statelists.run import lists_for_data

    raw = yaml.safe_load(LAW_PATH.read_text(encoding="utf-8"))
    benefits = raw["settings"]["outside_benefits"]["values"]
    benefits[dt.date(2023, 12, 1)] = {**benefits[max(benefits)], "value": "cash_only"}
    amended = law_from_mapping(raw, "cash_only_from_2023.yaml")
    con = connect(tables)
    alone = lists_for_data(con, years=[2023])
    both = lists_for_data(con, years=[2023], amendment=amended)
    pd.testing.assert_frame_equal(both[alone.columns], alone)
    assert {"udsat_amended", "kombineret_amended", "status_changes_amended"} <= set(both)
    cash = lists_for_data(connect(tables), years=[2023], law_=amended)
    assert (cash["c1_outside_value"] <= alone["c1_outside_value"]).all()  # fewer benefits count
    assert (cash["c1_outside_value"] < alone["c1_outside_value"]).any()
    pd.testing.assert_series_equal(both["udsat_amended"], cash["udsat"], check_names=False)
