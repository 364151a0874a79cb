"""The data contract: the tables of a dataset directory, as data.

Every loader and validator reads these declarations; docs/data-contract.md documents the same
columns. A dataset directory holds one file (or one folder of Parquet files) per table:

    persons.parquet | persons.csv | persons.sas7bdat | persons/ (a folder of Parquet files)
    addresses.*     survey.*      initiatives.*     (tables)
    housing_areas.gpkg | .geojson | .parquet         (polygons)
    units/<layer>.gpkg | .geojson | .parquet         (polygon layers: bydele, kvarterer, ...)
    manifest.json
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypedDict


class Kind(StrEnum):
    """Logical column types; loaders coerce what is safe and reject the rest."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    required: bool = True


@dataclass(frozen=True)
class TableSchema:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    geometry: bool = False
    extra_columns_allowed: bool = True
    notes: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# Origin categories follow Danmarks Statistik's IE_TYPE combined with the Western/non-Western split.
ORIGINS = (
    "danish",
    "immigrant_western",
    "immigrant_nonwestern",
    "descendant_western",
    "descendant_nonwestern",
)
# Highest completed education, grouped as Danmarks Statistik's HFAUDD main groups (DISCED-15).
EDUCATION_LEVELS = (
    "grundskole",
    "gymnasial",
    "erhvervsfaglig",
    "kort_videregaaende",
    "mellemlang_videregaaende",
    "bachelor",
    "lang_videregaaende",
    "forsker",
    "unknown",
)
# Full-time-equivalent share of the previous calendar year on each benefit (0-1). Which of them
# count as "outside the labour market" is rule-set data (issue: statutory lists), not code.
BENEFITS = (
    "kontanthjaelp",
    "uddannelseshjaelp",
    "selvforsoergelse",  # selvforsørgelses- og hjemrejseydelse / overgangsydelse
    "dagpenge",
    "foertidspension",
    "sygedagpenge",
    "ressourceforloeb",
    "jobafklaring",
    "ledighedsydelse",
    "fleksjob",
    "revalidering",
    "efterloen",
    "barselsdagpenge",
    "su",
)
BENEFIT_COLUMNS = tuple(f"fte_{b}" for b in BENEFITS)
CONVICTION_LAWS = ("straffeloven", "vaabenloven", "euf")  # euf: lov om euforiserende stoffer


class _Range(TypedDict):
    """Keyword arguments of a Column: its kind and bounds."""

    kind: Kind
    min: float
    max: float


_share: _Range = {"kind": Kind.FLOAT, "min": 0.0, "max": 1.0}

PERSONS = TableSchema(
    name="persons",
    description=(
        "One row per person and year. Status on 1 January of the year (address, household, age, "
        "education); flows over the previous calendar year (benefits, employment, income, "
        "convictions); died: died during the row's year."
    ),
    key=("person_id", "year"),
    columns=(
        Column("person_id", Kind.STRING, "Pseudonymous person id (never a CPR number)."),
        Column("year", Kind.INT, "Register year; status on 1 January.", min=1980, max=2100),
        Column("address_id", Kind.STRING, "Address on 1 January; must exist in addresses."),
        Column("household_id", Kind.STRING, "Pseudonymous household (family) id on 1 January."),
        Column("age", Kind.INT, "Age in whole years on 1 January.", min=0, max=120),
        Column("sex", Kind.STRING, "m or f (KOEN).", allowed=("m", "f")),
        Column("origin", Kind.STRING, "Origin (IE_TYPE x Western/non-Western).", allowed=ORIGINS),
        Column(
            "education_level",
            Kind.STRING,
            "Highest completed education on 1 January (HFAUDD main group); unknown allowed.",
            allowed=EDUCATION_LEVELS,
        ),
        Column(
            "education_danish_approved",
            Kind.BOOL,
            "True when the highest education is Danish or Danish-approved (since 2018 only such "
            "education counts in the state's criterion 3). Null when education is unknown.",
            nullable=True,
        ),
        Column("in_education", Kind.BOOL, "Enrolled in education on 1 January."),
        *(
            Column(c, description=f"FTE share of the previous year on {c[4:]}.", **_share)
            for c in BENEFIT_COLUMNS
        ),
        Column(
            "aktivitetsparat",
            Kind.BOOL,
            "Received kontanthjælp as activity-ready (aktivitetsparat) in the previous year.",
        ),
        Column("employed_share", description="FTE share of the previous year employed.", **_share),
        Column("gross_income", Kind.FLOAT, "Gross income (DKK) in the previous year.", min=-1e7),
        Column("taxpayer", Kind.BOOL, "Full taxpayer in the previous year."),
        *(
            Column(
                f"convictions_{law}",
                Kind.INT,
                f"Convictions under {law} with a decision in the previous year.",
                min=0,
                max=1000,
            )
            for law in CONVICTION_LAWS
        ),
        Column(
            "youth_education_completed",
            Kind.BOOL,
            "Has completed a youth education (gymnasial or erhvervsfaglig or higher).",
        ),
        Column(
            "child_in_poor_household",
            Kind.BOOL,
            "Child (under 18) in a relatively poor household (below 50 % of median equivalised "
            "disposable income, DST definition). Null for adults.",
            nullable=True,
        ),
        Column(
            "chronic_disease", Kind.BOOL, "Register health measure: at least one chronic disease."
        ),
        Column("died", Kind.BOOL, "Died during the row's year (alive on 1 January)."),
    ),
)

ADDRESSES = TableSchema(
    name="addresses",
    description="Address points in EPSG:25832 (ETRS89 / UTM zone 32N).",
    key=("address_id",),
    columns=(
        Column("address_id", Kind.STRING, "Address id (e.g. DAR adresse-id or a pseudonym)."),
        Column("x", Kind.FLOAT, "Easting, EPSG:25832 metres.", min=100_000, max=1_000_000),
        Column("y", Kind.FLOAT, "Northing, EPSG:25832 metres.", min=6_000_000, max=6_500_000),
        Column(
            "housing_area_id",
            Kind.STRING,
            "The almene boligområde the address belongs to; null when none.",
            nullable=True,
        ),
        Column(
            "municipality_code", Kind.INT, "Kommunekode (e.g. 101 København).", min=101, max=999
        ),
    ),
)

HOUSING_AREAS = TableSchema(
    name="housing_areas",
    description="The almene boligområder: the unit of the state's lists (polygons, EPSG:25832).",
    key=("housing_area_id",),
    geometry=True,
    columns=(
        Column("housing_area_id", Kind.STRING, "Stable area id."),
        Column("name", Kind.STRING, "Area name as the ministry publishes it."),
        Column("municipality_code", Kind.INT, "Kommunekode.", min=101, max=999),
        Column("municipality", Kind.STRING, "Municipality name."),
        Column(
            "region",
            Kind.STRING,
            "Region (the income reference of criterion 4).",
            allowed=("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"),
        ),
    ),
)

UNITS = TableSchema(
    name="units",
    description="A polygon layer for reporting (bydele, kvarterer or any user layer), EPSG:25832.",
    key=("unit_id",),
    geometry=True,
    columns=(
        Column("unit_id", Kind.STRING, "Unit id, unique within the layer."),
        Column("name", Kind.STRING, "Unit name."),
        Column(
            "parent_id",
            Kind.STRING,
            "Enclosing unit (e.g. the bydel of a kvarter).",
            nullable=True,
            required=False,
        ),
    ),
)

SURVEY = TableSchema(
    name="survey",
    description=(
        "One row per respondent and year (e.g. Københavns Tryghedsundersøgelse, Sundhedsprofilen). "
        "Each row names an address or an area (or both)."
    ),
    key=("respondent_id", "year"),
    columns=(
        Column("respondent_id", Kind.STRING, "Pseudonymous respondent id."),
        Column("year", Kind.INT, "Survey year.", min=1980, max=2100),
        Column("address_id", Kind.STRING, "Respondent's address.", nullable=True),
        Column("area_id", Kind.STRING, "Unit id when no address is known.", nullable=True),
        Column("weight", Kind.FLOAT, "Design/post-stratification weight (> 0).", min=1e-9),
        Column("age", Kind.INT, "Age in years.", min=0, max=120, nullable=True),
        Column("sex", Kind.STRING, "m or f.", allowed=("m", "f"), nullable=True),
        Column(
            "feels_safe_day",
            Kind.BOOL,
            "Feels safe in the neighbourhood in daytime.",
            nullable=True,
        ),
        Column(
            "feels_safe_night",
            Kind.BOOL,
            "Feels safe in the neighbourhood at night.",
            nullable=True,
        ),
        Column(
            "self_rated_health",
            Kind.INT,
            "Self-rated health, 1 (very good) to 5 (very poor).",
            min=1,
            max=5,
            nullable=True,
        ),
    ),
)

INITIATIVES = TableSchema(
    name="initiatives",
    description="The action plan (handleplan): one row per initiative.",
    key=("initiative_id",),
    columns=(
        Column("initiative_id", Kind.STRING, "Stable id."),
        Column("name", Kind.STRING, "Name (Danish)."),
        Column("administration", Kind.STRING, "Lead administration(s), e.g. BUF; SUF."),
        Column("areas", Kind.STRING, "Semicolon-separated unit or housing-area ids, or 'city'."),
        Column("goals", Kind.STRING, "Semicolon-separated sub-goal ids (1.1-1.3, 2.1-2.3)."),
        Column("start_year", Kind.INT, "First year.", min=1990, max=2100),
        Column(
            "end_year", Kind.INT, "Last year; null when ongoing.", min=1990, max=2100, nullable=True
        ),
        Column("status", Kind.STRING, "Status.", allowed=("planned", "active", "ended")),
        Column("description", Kind.STRING, "Short description.", nullable=True, required=False),
    ),
)

TABLES: dict[str, TableSchema] = {
    s.name: s for s in (PERSONS, ADDRESSES, HOUSING_AREAS, UNITS, SURVEY, INITIATIVES)
}
REQUIRED_TABLES = ("persons", "addresses")
CRS = "EPSG:25832"

MANIFEST_FIELDS = {
    "name": "Dataset name.",
    "municipality": "Municipality (or 'Danmark' for national data).",
    "municipality_codes": "Kommunekoder covered.",
    "region": "Region(s) covered.",
    "years": "[first, last] register year.",
    "crs": "Always EPSG:25832.",
    "source": "Where the data come from.",
    "licence": "Licence of the data.",
    "synthetic": "True for synthetic data; shown everywhere a person sees the data.",
}
