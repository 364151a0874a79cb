"""The export bundle: what may leave Danmarks Statistik's research machine, and all the report
needs outside it.

DST lets only aggregates out, after its output control. `write_export` writes the report's
figures *after* disclosure control (`publish_bundle`: the same `Published` tables the site is
built from), each through the publication layer with its declared spec, plus the maps' geometry
(areas and units, no people), a `bundle.json` of the run's settings and `INDHOLD.md`: every file,
what it holds and the rule it passed, for the output controller. `read_export` reads it back,
and `udsat report --bundle DIR` builds the same site from it on any machine: no microdata, no
figure that was not already cleared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from udsat.errors import UdsatError
from udsat.publish import Stage, TableSpec
from udsat.publish import tables as specs
from udsat.publish.policy import NO_PEOPLE
from udsat.report.bundle import ReportBundle
from udsat.report.messages import msg
from udsat.report.methodview import method_parameters
from udsat.report.publish import Published, publish_bundle

FORMAT = "udsat-export"
VERSION = 1
BUNDLE_JSON = "bundle.json"
CONTENTS = "INDHOLD.md"


@dataclass
class ExportedScreening:
    """The screening as the export carries it (ScreeningLike): its units already protected."""

    year: int
    units: pd.DataFrame
    unit_geometry: gpd.GeoDataFrame | None
    areas: gpd.GeoDataFrame
    comparison: pd.DataFrame | None
    summary_da: str
    own_values: bool = True
    stand_in: bool = False
    config: Any = None


BACKGROUND_COLUMNS = ("unit_id", "name", "geometry")  # the districts, named on the maps


@dataclass
class ExportedConfig:
    """The screening configuration's name, version and the parameters the method page shows
    (udsat.report.methodview.METHOD_PARAMETERS)."""

    version: str
    source: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExportedMonitoring:
    series: pd.DataFrame
    status: pd.DataFrame
    initiatives: pd.DataFrame
    goals_label: str = ""


# file -> (what it holds, Danish; the spec it was published with)
def _plan(bundle: ReportBundle, pub: Published) -> dict[str, tuple[Any, TableSpec, str]]:
    screening = bundle.screening
    own = screening is None or getattr(screening, "own_values", True)
    plan: dict[str, tuple[Any, TableSpec, str]] = {
        "tables/statens_lister.parquet": (
            pub.lists, specs.STATE_LISTS, "statens lister pr. boligområde og listeår"
        ),
        "tables/beboere_pr_omraade.parquet": (
            pub.area_residents, specs.AREA_RESIDENTS,
            "beboere pr. udsat byområde, resten af byen og hele byen pr. år "
            "(sekundær diskretionering)",
        ),
        "layers/udsatte_byomraader.parquet": (
            pub.designated, specs.DESIGNATED_AREAS, "de udpegede byområder med afgrænsning"
        ),
        "layers/boligomraader.parquet": (
            pub.housing, specs.HOUSING_AREAS, "almene boligområder med afgrænsning og listestatus"
        ),
    }  # fmt: skip
    if screening is not None:
        plan["layers/screening_omraader.parquet"] = (
            screening.areas,
            specs.SCREENING_AREAS,
            "screeningens områder med begrundelse",
        )
        if pub.units is not None:
            plan["tables/screening_enheder.parquet"] = (
                pub.units,
                specs.screening_units(own),
                "screeningens enheder: kriterier og flag",
            )
        if screening.unit_geometry is not None:
            plan["layers/screening_enheder.parquet"] = (
                screening.unit_geometry[["unit_id", "name", "geometry"]]
                if "name" in screening.unit_geometry
                else screening.unit_geometry[["unit_id", "geometry"]],
                NO_PEOPLE, "screeningens enheders afgrænsning (ingen tal om personer)",
            )  # fmt: skip
    if pub.series is not None and pub.status is not None and bundle.monitoring is not None:
        plan["tables/maal_serier.parquet"] = (
            pub.series,
            specs.MONITORING_SERIES,
            "målenes indikatorer pr. gruppe og år",
        )
        plan["tables/maal_status.parquet"] = (
            pub.status,
            specs.MONITORING_STATUS,
            "målenes status: afstande mellem grupper",
        )
        plan["tables/maal_indsatser.parquet"] = (
            bundle.monitoring.initiatives,
            specs.INITIATIVES,
            "handleplanens indsatser",
        )
    if pub.warnings is not None:
        plan["tables/tidligt_varsel.parquet"] = (
            pub.warnings,
            specs.EARLY_WARNING,
            "tidligt varsel: sandsynligheder og afstande",
        )
    if pub.area_indicators is not None:
        plan["tables/omraadeprofiler.parquet"] = (
            pub.area_indicators,
            specs.AREA_INDICATORS,
            "de udpegede byområders og byens kriterier pr. år (områdeprofilerne)",
        )
    if bundle.initiatives is not None:
        plan["tables/indsatser.parquet"] = (
            bundle.initiatives,
            specs.INITIATIVES,
            "handleplanens indsatser (datasættets tabel)",
        )
    for name, frame in pub.extra.items():
        plan[f"tables/ekstra_{name}.parquet"] = (frame, specs.RESIDENTS, f"tabel {name}")
    if bundle.background is not None:
        plan["layers/baggrund.parquet"] = (
            bundle.background[
                [c for c in ("unit_id", "name", "geometry") if c in bundle.background]
            ],
            NO_PEOPLE,
            "kortets baggrund (bydelene med navne)",
        )
    for layer, frame in bundle.initiative_layers.items():
        plan[f"layers/indsatslag_{layer}.parquet"] = (
            frame[[c for c in ("unit_id", "name", "geometry") if c in frame]],
            NO_PEOPLE,
            f"afgrænsning og navne i laget {layer}",
        )
    return plan


def write_export(stage: Stage, bundle: ReportBundle) -> list[str]:
    """Write the export bundle of `bundle` into a publication's stage; returns its files."""
    pub = publish_bundle(bundle)
    plan = _plan(bundle, pub)
    for name, (frame, spec, _) in plan.items():
        stage.table(name, frame, spec)
    screening = bundle.screening
    config = getattr(screening, "config", None)
    settings = {
        "format": FORMAT,
        "version": VERSION,
        "year": bundle.year,
        "lang": bundle.lang,
        "limit": bundle.limit,
        "basemap_url": bundle.basemap_url,
        "manifest": bundle.manifest,
        "suppressed_cells": pub.suppressed_cells,
        "extra": sorted(pub.extra),
        "initiative_layers": sorted(bundle.initiative_layers),
        "screening": None
        if screening is None
        else {
            "year": int(screening.year),
            "summary_da": screening.summary_da,
            "own_values": bool(getattr(screening, "own_values", True)),
            "stand_in": bool(getattr(screening, "stand_in", False)),
            "config": None
            if config is None
            else {
                "version": str(config.version),
                "source": Path(str(config.source)).name,
                "parameters": method_parameters(config),
            },
        },
        "monitoring": bundle.monitoring is not None and pub.status is not None,
        "goals_label": str(getattr(bundle.monitoring, "goals_label", "") or ""),
    }
    stage.json(BUNDLE_JSON, settings)
    stage.text(CONTENTS, _contents(bundle, plan))
    return [*plan, BUNDLE_JSON, CONTENTS]


def _contents(bundle: ReportBundle, plan: dict[str, tuple[Any, TableSpec, str]]) -> str:
    """INDHOLD.md: every file, what it holds and the rule it passed (for output control)."""
    lines = [
        "# Eksportpakke fra udsat",
        "",
        f"Rapportår {bundle.year}. Kun aggregerede tal: intet tal bygger på færre end "
        f"{bundle.limit} personer (primær og sekundær diskretionering efter udsat.publish); "
        "ingen personnumre, adresse- eller person-id'er. Rapporten kan bygges uden for "
        "forskermaskinen af denne pakke alene: `udsat report --bundle MAPPE --out SITE`.",
        "",
        "| fil | indhold | regel |",
        "|---|---|---|",
    ]
    kinds = {
        "counts": "antal: 1-4 udeladt",
        "units": "tal om et område: udeladt under 5 beboere",
        "rates": "andele: udeladt når tæller eller nævner er 1-4",
        "none": "ingen tal om personer",
    }
    for name, (_, spec, what) in plan.items():
        lines.append(f"| `{name}` | {what} | {kinds[spec.kind]} |")
    lines += [
        f"| `{BUNDLE_JSON}` | kørslens indstillinger og manifest (ingen tal om personer) | - |",
        f"| `{CONTENTS}` | denne liste | - |",
        "| `run_manifest.json` | sha256 af hver fil (`udsat verify`) | - |",
    ]
    return "\n".join(lines) + "\n"


def read_export(root: Path) -> tuple[ReportBundle, Published]:
    """The bundle and its published tables from an export folder (`write_export`)."""
    root = Path(root)
    settings_path = root / BUNDLE_JSON
    if not settings_path.is_file():
        raise UdsatError(msg("not_export", None, path=root))
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    if settings.get("format") != FORMAT or settings.get("version") != VERSION:
        raise UdsatError(msg("not_export", None, path=root))

    def table(name: str) -> pd.DataFrame | None:
        path = root / "tables" / f"{name}.parquet"
        return pd.read_parquet(path) if path.is_file() else None

    def layer(name: str) -> gpd.GeoDataFrame | None:
        path = root / "layers" / f"{name}.parquet"
        return gpd.read_parquet(path) if path.is_file() else None

    lists = table("statens_lister")
    designated, housing = layer("udsatte_byomraader"), layer("boligomraader")
    area_residents = table("beboere_pr_omraade")
    if lists is None or designated is None or housing is None or area_residents is None:
        raise UdsatError(msg("not_export", None, path=root))
    screening = None
    meta = settings.get("screening")
    if meta is not None:
        areas = layer("screening_omraader")
        config = meta.get("config")
        units = table("screening_enheder")
        screening = ExportedScreening(
            year=int(meta["year"]),
            units=units if units is not None else pd.DataFrame(),
            unit_geometry=layer("screening_enheder"),
            areas=areas if areas is not None else designated,
            comparison=None,
            summary_da=str(meta["summary_da"]),
            own_values=bool(meta["own_values"]),
            stand_in=bool(meta["stand_in"]),
            config=ExportedConfig(
                config["version"], config["source"], config.get("parameters", {})
            )
            if config
            else None,
        )  # fmt: skip
    monitoring = None
    series, status = table("maal_serier"), table("maal_status")
    if settings.get("monitoring") and series is not None and status is not None:
        plan = table("maal_indsatser")
        monitoring = ExportedMonitoring(
            series,
            status,
            plan if plan is not None else pd.DataFrame(),
            str(settings.get("goals_label", "")),
        )
    warnings = table("tidligt_varsel")
    extra = {name: table(f"ekstra_{name}") for name in settings.get("extra", [])}
    layers = {name: layer(f"indsatslag_{name}") for name in settings.get("initiative_layers", [])}
    bundle = ReportBundle(
        year=int(settings["year"]),
        manifest=settings["manifest"],
        state_lists=lists,
        housing_areas=gpd.GeoDataFrame(housing[["housing_area_id", "name", "geometry"]]),
        lang=str(settings["lang"]),
        screening=screening,
        monitoring=monitoring,
        warnings=warnings,
        initiatives=table("indsatser"),
        background=layer("baggrund"),
        initiative_layers={k: v for k, v in layers.items() if v is not None},
        limit=int(settings["limit"]),
        basemap_url=settings.get("basemap_url"),
    )
    pub = Published(
        designated=designated,
        housing=housing,
        area_residents=area_residents,
        lists=lists,
        units=screening.units if screening is not None and len(screening.units) else None,
        series=series if monitoring is not None else None,
        status=status if monitoring is not None else None,
        warnings=warnings,
        extra={k: v for k, v in extra.items() if v is not None},
        suppressed_cells=int(settings["suppressed_cells"]),
        area_indicators=table("omraadeprofiler"),
    )
    return bundle, pub
