"""Every string the report shows, Danish first; English with lang="en"."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    # errors
    "bad_lang": {
        "da": "Ukendt sprog {lang!r}; brug da eller en.",
        "en": "Unknown language {lang!r}; use da or en.",
    },
    "bad_limit": {
        "da": "Grænsen for små tal skal være mindst 1, fik {limit}.",
        "en": "The small-number limit must be at least 1, got {limit}.",
    },
    "bad_crs": {
        "da": "{name} skal være i EPSG:25832, men er i {crs}.",
        "en": "{name} must be in EPSG:25832, but is in {crs}.",
    },
    "no_list_year": {
        "da": "Data dækker intet listeår: rapporten har intet år at vise.",
        "en": "The data cover no list year: the report has no year to show.",
    },
    "missing_column": {
        "da": "{table}: kolonnen {column!r} mangler (regel: rapportens grænseflade), "
        "fx række {row}.",
        "en": "{table}: column {column!r} is missing (rule: the report interface), e.g. row {row}.",
    },
    "out_not_dir": {
        "da": "{path} findes og er ikke en mappe.",
        "en": "{path} exists and is not a directory.",
    },
    "policy_stand_in": {
        "da": "Politikkens udsatte byområder fra 2017 (stedfortræder indtil screeningen er kørt).",
        "en": "The policy's 2017 vulnerable urban areas (stand-in until the screening has run).",
    },
    # site frame
    "site_title": {"da": "Udsatte byområder i {city}", "en": "Vulnerable urban areas in {city}"},
    "skip": {"da": "Spring til indhold", "en": "Skip to content"},
    "nav_overview": {"da": "Overblik", "en": "Overview"},
    "nav_criteria": {"da": "De seks kriterier", "en": "The six criteria"},
    "nav_goals": {"da": "Målene for 2035", "en": "The 2035 goals"},
    "nav_lists": {"da": "Statens lister", "en": "The state's lists"},
    "nav_areas": {"da": "Områder", "en": "Areas"},
    "nav_method": {"da": "Metode og data", "en": "Method and data"},
    "nav_downloads": {"da": "Download", "en": "Downloads"},
    "synthetic": {
        "da": "SYNTETISKE DATA: ingen tal her beskriver virkelige personer.",
        "en": "SYNTHETIC DATA: no figure here describes real people.",
    },
    "footer": {
        "da": "Lavet med udsat {version}. Tal for 1-{below} personer vises ikke.",
        "en": "Made with udsat {version}. Figures for 1-{below} people are not shown.",
    },
    "suppressed_mark": {"da": "..", "en": ".."},
    "suppressed_note": {
        "da": '".." betyder, at tallet er udeladt, fordi det bygger på færre end {limit} '
        "personer eller ville kunne regnes ud af andre tal.",
        "en": '".." means the figure is withheld because it rests on fewer than {limit} people '
        "or could be worked out from other figures.",
    },
    "not_available": {"da": "ikke beregnet", "en": "not computed"},
    "missing_input": {
        "da": "Denne side venter på {what}: trinnet er ikke kørt for denne rapport.",
        "en": "This page awaits {what}: the step has not run for this report.",
    },
    "what_screening": {"da": "screeningen af byen", "en": "the city screening"},
    "what_monitoring": {"da": "opfølgningen på målene", "en": "the goal monitoring"},
    "what_warnings": {"da": "det tidlige varsel", "en": "the early warning"},
    # overview
    "map_title": {"da": "Udsatte byområder {year}", "en": "Vulnerable urban areas {year}"},
    "map_subtitle": {
        "da": "Statens parallelsamfundsområder, forebyggelsesområder",
        "en": "The state's parallel-society areas, prevention areas",
    },
    "map_help": {
        "da": "Hold musen over et område for tal, klik eller tryk Enter for at åbne det. "
        "Zoom med knapperne eller musehjulet; Tab flytter mellem områderne.",
        "en": "Hover over an area for figures, click or press Enter to open it. Zoom with the "
        "buttons or the mouse wheel; Tab moves between the areas.",
    },
    "zoom_in": {"da": "Zoom ind", "en": "Zoom in"},
    "zoom_out": {"da": "Zoom ud", "en": "Zoom out"},
    "zoom_reset": {"da": "Hele byen", "en": "Whole city"},
    "map_alt": {
        "da": "Kort over {city} med {areas} udsatte byområder og {listed} boligområder på "
        "statens lister; områderne står også i tabellen.",
        "en": "Map of {city} with {areas} vulnerable urban areas and {listed} housing areas on "
        "the state's lists; the areas are also listed in the table.",
    },
    "legend_designated": {"da": "Udsat byområde", "en": "Vulnerable urban area"},
    "legend_parallelsamfund": {"da": "Parallelsamfundsområde", "en": "Parallel-society area"},
    "legend_forebyggelse": {"da": "Forebyggelsesområde", "en": "Prevention area"},
    "legend_udsat": {"da": "Udsat boligområde", "en": "Vulnerable housing area"},
    "legend_housing": {"da": "Andet alment boligområde", "en": "Other social housing area"},
    "key_figures": {
        "da": "Nøgletal: udsatte byområder og resten af byen",
        "en": "Key figures: vulnerable areas and the rest of the city",
    },
    "residents_in_areas": {
        "da": "Beboere i de udsatte byområder",
        "en": "Residents of the vulnerable areas",
    },
    "residents_rest": {"da": "Beboere i resten af byen", "en": "Residents of the rest of the city"},
    "residents_city": {"da": "Beboere i hele byen", "en": "Residents of the whole city"},
    "share_in_areas": {"da": "Andel af byens beboere", "en": "Share of the city's residents"},
    "n_areas": {"da": "Udsatte byområder", "en": "Vulnerable urban areas"},
    "n_on_list": {"da": "Boligområder på {list}", "en": "Housing areas on {list}"},
    # The area sets a figure can describe: every table, card, chart and download names its set
    # with these words (one definition per figure; issue 17).
    "set_screening": {
        "da": "Udsatte byområder efter screeningen {year}",
        "en": "Vulnerable urban areas by the {year} screening",
    },
    "set_policy": {
        "da": "Politikkens {n} udsatte byområder (afgrænsningen fra 2017)",
        "en": "The policy's {n} vulnerable urban areas (2017 boundaries)",
    },
    "set_policy_short": {"da": "Udsatte byområder (2017)", "en": "Vulnerable areas (2017)"},
    "set_lists": {
        "da": "Almene boligområder på statens lister 1. december {year}",
        "en": "Public housing areas on the state's lists, 1 December {year}",
    },
    "set_rest": {"da": "Resten af byen", "en": "Rest of the city"},
    "group_udsat": {"da": "Udsatte byområder", "en": "Vulnerable areas"},
    "group_rest": {"da": "Resten af byen", "en": "Rest of the city"},
    "areas_table": {"da": "Områderne på kortet", "en": "The areas on the map"},
    # criteria
    "criteria_intro": {
        "da": "Hvert kort viser ét kriterium for byens enheder; jo mørkere, jo længere fra "
        "byens gennemsnit i den dårlige retning. Tallene står i tabellen ved siden af.",
        "en": "Each map shows one criterion for the city's units; the darker, the further from "
        "the city average in the bad direction. The figures are in the table beside it.",
    },
    "city_average": {"da": "Byens gennemsnit: {value}", "en": "City average: {value}"},
    "crit_income": {"da": "Indkomst", "en": "Income"},
    "crit_education": {"da": "Uddannelse", "en": "Education"},
    "crit_labour": {"da": "Beskæftigelse", "en": "Employment"},
    "crit_youth": {"da": "Unge", "en": "Young people"},
    "crit_health": {"da": "Sundhed", "en": "Health"},
    "crit_safety": {"da": "Tryghed og kriminalitet", "en": "Safety and crime"},
    "unit": {"da": "Enhed", "en": "Unit"},
    "units_n": {"da": "Enheder", "en": "Units"},
    "value": {"da": "Værdi", "en": "Value"},
    "ratio": {"da": "I forhold til byen", "en": "Relative to the city"},
    "flag": {"da": "Over grænsen", "en": "Beyond the threshold"},
    "choropleth_alt": {
        "da": "Kort over {criterion} for {units} enheder; tallene står i tabellen.",
        "en": "Map of {criterion} for {units} units; the figures are in the table.",
    },
    # goals
    "goals_intro": {
        "da": "Én graf pr. indikator: de udsatte byområder og resten af byen, målet for 2035 og "
        "fremskrivningen med usikkerhed. Målet og fremskrivningen er afstanden til resten af "
        "byen, her lagt på resten af byens seneste niveau.",
        "en": "One chart per indicator: the vulnerable areas and the rest of the city, the 2035 "
        "target and the projection with its uncertainty. Target and projection are gaps to the "
        "rest of the city, drawn from the rest of the city's latest level.",
    },
    "target_2035": {"da": "Mål 2035", "en": "Target 2035"},
    "projection": {"da": "Fremskrivning", "en": "Projection"},
    "projection_band": {"da": "Fremskrivningens usikkerhed", "en": "Projection uncertainty"},
    "year": {"da": "År", "en": "Year"},
    "status": {"da": "Status", "en": "Status"},
    "status_on_track": {"da": "På rette vej", "en": "On track"},
    "status_at_risk": {"da": "I risiko", "en": "At risk"},
    "status_off_track": {"da": "Ikke på rette vej", "en": "Off track"},
    "status_missing": {"da": "Mangler data", "en": "Data missing"},
    "gap_latest": {"da": "Afstand seneste år", "en": "Latest gap"},
    "gap_target": {"da": "Mål for afstanden 2035", "en": "Target gap 2035"},
    "gap_projected": {"da": "Fremskrevet afstand 2035", "en": "Projected gap 2035"},
    "goal_chart_alt": {
        "da": "Graf over {label}: udsatte byområder og resten af byen {first}-{last}, mål og "
        "fremskrivning til 2035; tallene står i tabellen.",
        "en": "Chart of {label}: vulnerable areas and the rest of the city {first}-{last}, "
        "target and projection to 2035; the figures are in the table.",
    },
    # lists
    "lists_intro": {
        "da": "Statens lister for {year} efter almenboligloven § 61 a, § 61 b og § 51 b "
        "({rules}): kriterierne, hvor langt hvert område er fra grænsen, og risikoen i det "
        "tidlige varsel.",
        "en": "The state's lists of {year} under almenboligloven § 61 a, § 61 b and § 51 b "
        "({rules}): the criteria, how far each area is from the threshold, and the "
        "early-warning risk.",
    },
    "lists_none": {
        "da": "Data dækker ikke listeåret {year}.",
        "en": "The data do not cover list year {year}.",
    },
    "area": {"da": "Område", "en": "Area"},
    "kind": {"da": "Type", "en": "Kind"},
    "residents": {"da": "Beboere", "en": "Residents"},
    "criteria_met": {"da": "Kriterier opfyldt", "en": "Criteria met"},
    "lists": {"da": "Lister", "en": "Lists"},
    "risk": {"da": "Risiko (tidligt varsel)", "en": "Risk (early warning)"},
    "risk_rank": {"da": "Risikorang", "en": "Risk rank"},
    "list_parallelsamfund": {"da": "parallelsamfundslisten", "en": "the parallel-society list"},
    "list_forebyggelse": {"da": "forebyggelseslisten", "en": "the prevention list"},
    "list_omdannelse": {"da": "omdannelseslisten", "en": "the transformation list"},
    "list_udsat": {"da": "listen over udsatte boligområder", "en": "the vulnerable list"},
    "criterion": {"da": "Kriterium", "en": "Criterion"},
    "threshold": {"da": "Grænse", "en": "Threshold"},
    "margin_pp": {"da": "Afstand (procentpoint)", "en": "Margin (percentage points)"},
    "margin_people": {"da": "Afstand (personer)", "en": "Margin (people)"},
    "met": {"da": "Opfyldt", "en": "Met"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "nej", "en": "no"},
    # profiles
    "area_profile": {"da": "Udsat byområde: {name}", "en": "Vulnerable urban area: {name}"},
    "housing_profile": {"da": "Boligområde: {name}", "en": "Housing area: {name}"},
    "why": {"da": "Hvorfor området er udpeget", "en": "Why the area is designated"},
    "criteria_flagged": {"da": "Kriterier over grænsen", "en": "Criteria beyond the threshold"},
    "stability": {"da": "Stabilitet", "en": "Stability"},
    "trends": {"da": "Udvikling", "en": "Trends"},
    "residents_trend": {"da": "Beboere pr. år", "en": "Residents per year"},
    "initiatives": {"da": "Indsatser", "en": "Initiatives"},
    "no_initiatives": {
        "da": "Ingen registrerede indsatser for området.",
        "en": "No initiatives recorded for the area.",
    },
    "initiative": {"da": "Indsats", "en": "Initiative"},
    "administration": {"da": "Forvaltning", "en": "Administration"},
    "start_year": {"da": "Startår", "en": "Start year"},
    "comparison": {"da": "Sammenligning med byen", "en": "Comparison with the city"},
    "indicator": {"da": "Indikator", "en": "Indicator"},
    "this_area": {"da": "Området", "en": "This area"},
    "history": {"da": "Statens lister over årene", "en": "The state's lists over the years"},
    "list_year": {"da": "Listeår", "en": "List year"},
    "reasons": {"da": "Begrundelse", "en": "Reason"},
    "warning_reason": {"da": "Tidligt varsel", "en": "Early warning"},
    "probability": {"da": "Sandsynlighed", "en": "Probability"},
    "people_to": {"da": "Personer til grænsen", "en": "People to the threshold"},
    "back_to_map": {"da": "Tilbage til kortet", "en": "Back to the map"},
    "profile_map_alt": {"da": "Kort over {name} i byen.", "en": "Map of {name} in the city."},
    # method, downloads
    "method_intro": {
        "da": "Hvordan tallene er lavet, hvilke regler og data de bygger på, og hvad der er "
        "syntetisk.",
        "en": "How the figures are made, which rules and data they rest on, and what is synthetic.",
    },
    "rule_sets": {"da": "Regelsæt", "en": "Rule sets"},
    "not_export": {
        "da": "{path} er ikke en eksportpakke fra udsat export (bundle.json mangler eller er af "
        "en anden version)",
        "en": "{path} is not an export bundle of udsat export (bundle.json is missing or of "
        "another version)",
    },
    "lists_amended": {"da": "Lister med de ændrede regler", "en": "Lists under the amended rules"},
    "reference": {"da": "Lovhenvisning", "en": "Legal reference"},
    "law_heading": {"da": "Loven bag statens lister", "en": "The law behind the state's lists"},
    "law_version": {
        "da": "Lovens parametre: {file}, version {version}; listerne afgøres efter de værdier, "
        "der gælder 1. december i listeåret.",
        "en": "The law's parameters: {file}, version {version}; each list is decided by the "
        "values in force on 1 December of its year.",
    },
    "legal_status_heading": {"da": "Retlig status", "en": "Legal status"},
    "data_vintages": {"da": "Data", "en": "Data"},
    "years_covered": {"da": "År i data: {first}-{last}", "en": "Years in the data: {first}-{last}"},
    "manifest": {"da": "Kørslens manifest", "en": "The run's manifest"},
    "disclosure": {"da": "Fortrolighed", "en": "Confidentiality"},
    "disclosure_text": {
        "da": "Intet offentliggjort tal bygger på færre end {limit} personer. Små tal udelades "
        "(primær diskretionering), og flere tal udelades, så et udeladt tal ikke kan regnes ud "
        "ved at trække andre tal og totaler fra hinanden (sekundær diskretionering). Andele "
        "af udeladte tal udelades også.",
        "en": "No published figure rests on fewer than {limit} people. Small figures are "
        "withheld (primary suppression), and further figures are withheld so a withheld figure "
        "cannot be worked out by subtracting other figures and totals (secondary suppression). "
        "Shares of withheld figures are withheld too.",
    },
    "synthetic_text": {
        "da": "Data er syntetiske: en kunstig befolkning i Københavns virkelige geografi. Intet "
        "tal beskriver virkelige personer.",
        "en": "The data are synthetic: an artificial population in Copenhagen's real geography. "
        "No figure describes real people.",
    },
    "real_text": {
        "da": "Data er registerdata fra {source}.",
        "en": "The data are register data from {source}.",
    },
    "downloads_intro": {
        "da": "CSV-filerne er UTF-8 med BOM, semikolon som skilletegn og decimalkomma, så Excel "
        "åbner dem direkte. Arbejdsbogen har ét ark pr. tabel. Områderne er en GeoPackage i "
        "EPSG:25832 til QGIS og ArcGIS.",
        "en": "The CSV files are UTF-8 with BOM, semicolon-separated with decimal comma, so "
        "Danish Excel opens them directly. The workbook has one sheet per table. The areas are a "
        "GeoPackage in EPSG:25832 for QGIS and ArcGIS.",
    },
    "file": {"da": "Fil", "en": "File"},
    "rows": {"da": "Rækker", "en": "Rows"},
    "in_workbook": {
        "da": "I arbejdsbogen (højst 5.000 rækker)",
        "en": "In the workbook (at most 5,000 rows)",
    },
    "workbook": {"da": "Alle tabeller i én Excel-arbejdsbog", "en": "All tables in one workbook"},
    "geopackage": {"da": "Områderne som GeoPackage", "en": "The areas as GeoPackage"},
    "print_figures": {"da": "Figurer til tryk", "en": "Figures for print"},
    "print_map_alt": {
        "da": "Kortet over udsatte byområder til tryk",
        "en": "The map of vulnerable areas for print",
    },
    "table_designated_areas": {"da": "Udsatte byområder", "en": "Vulnerable urban areas"},
    "table_state_lists": {"da": "Statens lister", "en": "The state's lists"},
    "table_housing_areas": {"da": "Boligområder", "en": "Housing areas"},
    "table_area_residents": {"da": "Beboere pr. område og år", "en": "Residents per area and year"},
    "table_screening_units": {"da": "Screeningens enheder", "en": "Screening units"},
    "table_goal_series": {"da": "Målenes tidsserier", "en": "Goal series"},
    "table_goal_status": {"da": "Målenes status", "en": "Goal status"},
    "table_warnings": {"da": "Tidligt varsel", "en": "Early warning"},
    "table_initiatives": {"da": "Indsatser", "en": "Initiatives"},
    "table_key_figures": {"da": "Nøgletal", "en": "Key figures"},
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    """A report string in `lang` (default: the user's language)."""
    return render(MESSAGES, key, lang, **values)
