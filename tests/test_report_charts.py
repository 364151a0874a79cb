"""Goal charts in the units of their tables: the web chart (plotly figure data), the printed
chart (matplotlib) and the table cells show a goal's values on one scale, with Danish numbers,
the axis titled with the unit and the direction of "better". Expected strings are written out
here, not produced by the code under test."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from udsat.report.charts import GoalUnit, goal_figure, goal_unit, year_ticks
from udsat.report.figures import goal_chart


def _series(values: dict[str, list[float]], first: int = 2017) -> pd.DataFrame:
    rows = []
    for group, vals in values.items():
        for i, v in enumerate(vals):
            rows.append(
                {
                    "group": group,
                    "year": first + i,
                    "value": v,
                    "ci_low": v - 0.01,
                    "ci_high": v + 0.01,
                }
            )
    return pd.DataFrame(rows)


SHARE_STATUS = pd.Series(
    {
        "unit": "share",
        "direction": "higher_is_worse",
        "target_gap_2035": 0.05,
        "projected_gap_2035": 0.08,
        "projected_low": 0.06,
        "projected_high": 0.10,
    }
)
YEARS_STATUS = pd.Series(
    {
        "unit": "years",
        "direction": "higher_is_better",
        "target_gap_2035": -1.5,
        "projected_gap_2035": -2.5,
        "projected_low": -3.0,
        "projected_high": -2.0,
    }
)


@pytest.mark.parametrize(
    ("unit", "value", "gap", "lang", "shown", "gap_shown"),
    [
        (GoalUnit("share"), 0.1234, 0.05, "da", "12,3 %", "5,0 procentpoint"),
        (GoalUnit("share"), 0.1234, -0.0804, "en", "12.3 %", "-8.0 percentage points"),
        (GoalUnit("share"), 1.0, 0.0, "da", "100,0 %", "0,0 procentpoint"),
        (GoalUnit("years"), 78.66, -3.6975, "da", "78,7 år", "-3,7 år"),
        (GoalUnit("years"), 82.36, 1.25, "en", "82.4 years", "1.2 years"),
        (GoalUnit("share"), None, float("nan"), "da", "..", ".."),
    ],
)
def test_values_and_gaps_are_shown_in_the_goal_unit(
    unit: GoalUnit, value: object, gap: float, lang: str, shown: str, gap_shown: str
) -> None:
    assert unit.value(value, lang) == shown
    assert unit.gap(gap, lang) == gap_shown


def test_unit_and_direction_come_from_the_status_row() -> None:
    assert goal_unit(SHARE_STATUS) == GoalUnit("share", "higher_is_worse")
    assert goal_unit(YEARS_STATUS) == GoalUnit("years", "higher_is_better")
    assert goal_unit(YEARS_STATUS).axis_title("da") == "Antal år (højere er bedre)"
    assert goal_unit(SHARE_STATUS).axis_title("en") == "Percent (lower is better)"
    # Without a unit, a series within 0-1 is a share; a direction the file does not give is
    # not invented.
    unknown = goal_unit(pd.Series({}), pd.Series([0.2, 0.4]))
    assert unknown == GoalUnit("share", "")
    assert unknown.axis_title("da") == "Procent"


def test_year_ticks_every_five_years_to_2035() -> None:
    assert year_ticks(2015) == [2015, 2020, 2025, 2030, 2035]
    assert year_ticks(2017) == [2015, 2020, 2025, 2030, 2035]
    assert year_ticks(2011, 2024) == [2010, 2015, 2020]


def test_share_chart_is_drawn_in_percent_with_a_titled_axis() -> None:
    series = _series({"udsat": [0.20, 0.19, 0.18], "rest": [0.10, 0.10, 0.09]})
    fig = goal_figure(series, SHARE_STATUS, "da")
    layout = fig["layout"]
    assert layout["separators"] == ",."  # Danish decimal comma, thousands point
    assert layout["yaxis"]["ticksuffix"] == " %"
    assert layout["yaxis"]["title"]["text"] == "Procent (lavere er bedre)"
    assert layout["yaxis"]["rangemode"] == "tozero"
    assert layout["xaxis"]["tickvals"] == [2015, 2020, 2025, 2030, 2035]
    assert layout["xaxis"]["ticktext"] == ["2015", "2020", "2025", "2030", "2035"]
    assert layout["xaxis"]["tickangle"] == 0
    assert layout["dragmode"] is False and layout["yaxis"]["fixedrange"] is True
    lines = {t["name"]: t for t in fig["data"] if t.get("mode") == "lines+markers"}
    assert lines["Udsatte byområder (2017)"]["y"] == pytest.approx([20.0, 19.0, 18.0])
    assert lines["Resten af byen"]["y"] == pytest.approx([10.0, 10.0, 9.0])
    # The target: the rest's latest level (9 %) plus the target gap (5 pp) = 14 %.
    (target,) = [t for t in fig["data"] if t["name"] == "Mål 2035"]
    assert target["x"] == [2035] and target["y"] == pytest.approx([14.0])
    assert "%{y:.1f} %" in lines["Resten af byen"]["hovertemplate"]


def test_life_expectancy_is_drawn_in_years_off_zero() -> None:
    series = _series({"udsat": [78.0, 78.4, 78.7], "rest": [81.3, 81.9, 82.4]})
    fig = goal_figure(series, YEARS_STATUS, "en")
    layout = fig["layout"]
    assert layout["separators"] == ".,"
    assert layout["yaxis"]["rangemode"] == "normal"  # not forced to 0
    assert layout["yaxis"]["ticksuffix"] == ""
    assert layout["yaxis"]["title"]["text"] == "Years (higher is better)"
    lines = {t["name"]: t for t in fig["data"] if t.get("mode") == "lines+markers"}
    assert lines["Vulnerable areas (2017)"]["y"] == pytest.approx([78.0, 78.4, 78.7])


def test_printed_chart_uses_the_web_chart_scale_and_labels() -> None:
    series = _series({"udsat": [0.20, 0.19, 0.18], "rest": [0.10, 0.10, 0.09]})
    web = goal_figure(series, SHARE_STATUS, "da")["layout"]
    fig = goal_chart(series, SHARE_STATUS, label="Kun grundskole", lang="da")
    try:
        ax = fig.axes[0]
        fig.canvas.draw()
        assert ax.get_ylabel() == web["yaxis"]["title"]["text"]
        assert [int(t) for t in ax.get_xticks()] == web["xaxis"]["tickvals"]
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert labels and all(label.endswith(" %") for label in labels)
        assert "0 %" in labels and ax.get_ylim()[0] == 0
        (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "Udsatte byområder (2017)"]
        assert list(line.get_ydata()) == pytest.approx([20.0, 19.0, 18.0])
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[:2] == ["Udsatte byområder (2017)", "Resten af byen"]
    finally:
        plt.close(fig)


def test_printed_life_expectancy_has_decimal_commas_and_no_zero() -> None:
    series = _series({"udsat": [78.0, 78.4, 78.7], "rest": [81.3, 81.9, 82.4]})
    fig = goal_chart(series, YEARS_STATUS, label="Middellevetid", lang="da")
    try:
        ax = fig.axes[0]
        fig.canvas.draw()
        assert ax.get_ylim()[0] > 70  # a range around the data, not 0-85
        assert ax.get_ylabel() == "Antal år (højere er bedre)"
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert not any("%" in label or "." in label for label in labels)
    finally:
        plt.close(fig)
