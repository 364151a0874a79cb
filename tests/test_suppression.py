import pandas as pd

from udsat.publish import DisclosurePolicy, counts_table


def suppress_counts(frame: pd.DataFrame, columns: list[str], limit: int = 5) -> pd.DataFrame:
    """Primary suppression of count columns: the one policy's counts rule."""
    return DisclosurePolicy(limit).protect(frame, counts_table(*columns))


def test_counts_of_one_to_four_are_blanked_and_flagged() -> None:
    frame = pd.DataFrame({"unit": ["a", "b", "c", "d", "e"], "residents": [0, 1, 4, 5, 1000]})
    result = suppress_counts(frame, ["residents"])
    assert result["residents"].tolist()[0] == 0
    assert result["residents"].isna().tolist() == [False, True, True, False, False]
    assert result["residents"].tolist()[3:] == [5, 1000]
    assert result["suppressed"].tolist() == ["", "residents", "residents", "", ""]


def test_limit_is_configurable_and_input_untouched() -> None:
    frame = pd.DataFrame({"n": [9, 10]})
    result = suppress_counts(frame, ["n"], limit=10)
    assert result["n"].isna().tolist() == [True, False]
    assert frame["n"].tolist() == [9, 10]
