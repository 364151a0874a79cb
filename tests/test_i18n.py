from udsat.i18n import MESSAGES, number, t


def test_danish_numbers_use_dot_thousands_and_decimal_comma() -> None:
    assert number(650_000, "da") == "650.000"
    assert number(7.14, "da") == "7,1"
    assert number(1234.56, "da", decimals=2) == "1.234,56"
    assert number(650_000, "en") == "650,000"
    assert number(1234.56, "en") == "1,234.6"


def test_messages_are_danish_by_default(monkeypatch) -> None:
    monkeypatch.delenv("UDSAT_LANG", raising=False)
    text = t("synth_done", path="x", persons=650_000, rows=7_368_410, seconds=7.1)
    assert text == "Syntetisk datasæt skrevet til x: 650.000 personer, 7.368.410 person-år, 7,1 s"
    monkeypatch.setenv("UDSAT_LANG", "en")
    assert "650,000 persons" in t("synth_done", path="x", persons=650_000, rows=1, seconds=1.0)


def test_every_message_exists_in_both_languages() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"da", "en"}, key
