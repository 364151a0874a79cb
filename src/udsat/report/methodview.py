"""The method page: how the figures were made, in prose a council paper can quote, with the
configuration as readable tables (no Python objects, no local paths)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from udsat import __version__
from udsat.report.bundle import ReportBundle
from udsat.report.messages import msg
from udsat.report.pages import count, yes_no
from udsat.report.publish import Published
from udsat.report.writer import PageWriter
from udsat.statelists.rules import law, ruleset_for_year

# The screening configuration's parameters the method page shows (an export bundle keeps them).
METHOD_PARAMETERS = (
    "criteria", "margin", "margins", "min_criteria", "scale_min_criteria", "k", "shrink",
    "min_area_residents", "adjacency", "min_unit_residents", "max_student_share",
    "max_age_band_share", "stability_overlap", "ks",
)  # fmt: skip


def method_parameters(config: Any) -> dict[str, Any]:
    """The parameters of a ScreeningConfig the method page shows, as plain JSON values."""
    out: dict[str, Any] = {}
    for name in METHOD_PARAMETERS:
        value = getattr(config, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def _pct(value: float, lang: str) -> str:
    from udsat.i18n import number

    return f"{number(value * 100, lang, 0)} %"


def screening_section(bundle: ReportBundle) -> dict[str, Any] | None:
    """The designation rule in words and its parameters as a table (screening/config.yaml)."""
    lang = bundle.lang
    config = getattr(bundle.screening, "config", None)
    if config is None:
        return None
    # A ScreeningConfig, or an export bundle's copy of its parameters (report.export).
    exported = getattr(config, "parameters", None)
    params = exported if isinstance(exported, dict) else method_parameters(config)
    if not params:  # (an export bundle of an older udsat)
        return None
    p = SimpleNamespace(**params)
    crits = ", ".join(msg(f"crit_{c}", lang).lower() for c in p.criteria)
    prose = [
        msg(
            "method_screening_units",
            lang,
            k=count(p.k, lang),
            shrink=msg("method_shrink" if p.shrink else "method_no_shrink", lang),
        ),
        msg(
            "method_screening_rule",
            lang,
            n=len(p.criteria),
            criteria=crits,
            margin=_pct(p.margin, lang),
            min_criteria=p.min_criteria,
            residents=count(p.min_area_residents, lang),
        ),
        msg(
            "method_screening_stability",
            lang,
            overlap=_pct(p.stability_overlap, lang),
            ks=", ".join(count(k, lang) for k in p.ks),
        ),
    ]
    rows = [
        ("method_p_criteria", crits),
        ("method_p_margin", _pct(p.margin, lang)),
        (
            "method_p_margins",
            ", ".join(f"{msg(f'crit_{c}', lang)}: {_pct(m, lang)}" for c, m in p.margins.items())
            or "-",
        ),
        ("method_p_min_criteria", str(p.min_criteria)),
        ("method_p_scale", yes_no(p.scale_min_criteria, lang)),
        ("method_p_k", count(p.k, lang)),
        ("method_p_shrink", yes_no(p.shrink, lang)),
        ("method_p_min_residents", count(p.min_area_residents, lang)),
        ("method_p_adjacency", msg(f"method_adjacency_{p.adjacency}", lang)),
        ("method_p_min_unit", count(p.min_unit_residents, lang)),
        ("method_p_students", _pct(p.max_student_share, lang)),
        ("method_p_age_band", _pct(p.max_age_band_share, lang)),
        ("method_p_overlap", _pct(p.stability_overlap, lang)),
    ]
    return {
        "prose": prose,
        "rows": [{"parameter": msg(k, lang), "value": v} for k, v in rows],
        "columns": [("parameter", msg("parameter", lang)), ("value", msg("value", lang))],
        "version": msg("method_config_version", lang, version=config.version),
    }


def dataset_rows(bundle: ReportBundle) -> list[dict[str, str]]:
    lang = bundle.lang
    dataset = bundle.manifest.get("dataset", {})
    years = dataset.get("years") or ["", ""]
    rows = [
        ("method_d_name", str(dataset.get("name", ""))),
        ("method_d_municipality", str(dataset.get("municipality", ""))),
        ("method_d_years", f"{years[0]}-{years[-1]}"),
        ("method_d_source", str(dataset.get("source", ""))),
        ("method_d_licence", str(dataset.get("licence", ""))),
        ("method_d_synthetic", yes_no(bool(dataset.get("synthetic")), lang)),
    ]
    return [{"what": msg(k, lang), "value": v} for k, v in rows if v]


def version_rows(bundle: ReportBundle) -> list[dict[str, str]]:
    lang = bundle.lang
    the_law = law()
    rules = sorted(bundle.state_lists["rule_set"].dropna().astype(str).unique())
    rows = [
        ("method_v_udsat", __version__),
        ("method_v_law", f"{the_law.path.name}, version {the_law.file.version}"),
        ("method_v_rules", ", ".join(rules)),
    ]
    config = getattr(bundle.screening, "config", None)
    if config is not None:
        rows.append(("method_v_screening", f"config.yaml, version {config.version}"))
    if bundle.monitoring is not None:
        rows.append(("method_v_goals", str(getattr(bundle.monitoring, "goals_label", ""))))
    return [{"what": msg(k, lang), "value": v} for k, v in rows if v]


def warning_prose(pub: Published, lang: str) -> list[str]:
    """The early warning's method in plain words, with the model's own settings (none when the
    report has no warning)."""
    from udsat.warning import model

    if pub.warnings is None or pub.warnings.empty:
        return []
    year = int(pub.warnings["list_year"].iloc[0])
    return [
        msg("method_warning_data", lang, year=year, last=year - 1, window=model.WINDOW),
        msg("method_warning_spread", lang, calibration=model.CALIBRATION),
        msg("method_warning_rules", lang, year=year, last=year - 1),
    ]


def write_method(writer: PageWriter, bundle: ReportBundle, pub: Published) -> None:
    lang = bundle.lang
    dataset = bundle.manifest.get("dataset", {})
    text = [
        msg("synthetic_text", lang)
        if dataset.get("synthetic")
        else msg("real_text", lang, source=dataset.get("source", ""))
    ]
    if getattr(bundle.screening, "stand_in", False):
        text.append(msg("policy_stand_in", lang))
    the_law, rs = law(), ruleset_for_year(bundle.year)
    name = "name_da" if lang == "da" else "name_en"
    status = [
        f"{the_law.criterion_short(key, lang).capitalize()}: "
        f"{s.text_da if lang == 'da' else s.text_en} "
        f"({rs.sources.get(s.source, s.source)})"
        for key, s in the_law.legal_status()
    ]
    run_log = bundle.manifest.get("run_log", {})
    exclusions = [
        {"table": str(e["table"]), "reason": str(e["reason"]), "rows": count(e["rows"], lang)}
        for e in run_log.get("exclusions", [])
    ]
    pair = [("what", msg("method_item", lang)), ("value", msg("value", lang))]
    warning_text = warning_prose(pub, lang)
    writer.page(
        "method.html",
        "method.html",
        msg("nav_method", lang),
        data_text=text,
        dataset_rows=dataset_rows(bundle),
        pair_columns=pair,
        screening=screening_section(bundle),
        law_version=msg(
            "law_version", lang, file=the_law.path.name, version=str(the_law.file.version)
        ),
        law_lists=[(getattr(rule, name), rule.citation) for rule in rs.lists.values()],
        legal_status=status,
        warning_text=warning_text,
        version_rows=version_rows(bundle),
        notes=[str(n) for n in run_log.get("notes", [])],
        exclusions=exclusions,
        exclusion_columns=[
            ("table", msg("method_x_table", lang)),
            ("reason", msg("method_x_reason", lang)),
            ("rows", msg("rows", lang)),
        ],
    )
