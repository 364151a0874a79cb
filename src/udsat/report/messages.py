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
        "da": 'Tegn i tabellerne: ".." udeladt, fordi tallet bygger på færre end {limit} personer '
        'eller ville kunne regnes ud af andre tal; "." ikke relevant (fx en liste, der ikke '
        'gjaldt det år); "i.o." ikke oplyst (ingen data).',
        "en": 'Signs in the tables: ".." withheld because the figure rests on fewer than {limit} '
        'people or could be worked out from other figures; "." not applicable (e.g. a list not '
        'in force that year); "i.o." no data.',
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
        "da": "Kortet viser byens udsatte byområder efter screeningen og de almene boligområder "
        "på statens lister (parallelsamfund, forebyggelse og udsatte boligområder)",
        "en": "The map shows the city's vulnerable urban areas by the screening and the public "
        "housing areas on the state's lists (parallel society, prevention and vulnerable)",
    },
    "map_help": {
        "da": "Hold musen over et område for tal, klik eller tryk Enter for at åbne det; på en "
        "telefon viser første tryk tallene og det andet åbner området. Zoom med knapperne, "
        "Ctrl + musehjul eller to fingre; Tab flytter mellem områderne, Esc lukker tallene.",
        "en": "Hover over an area for figures, click or press Enter to open it; on a phone the "
        "first tap shows the figures and the second opens the area. Zoom with the buttons, "
        "Ctrl + mouse wheel or two fingers; Tab moves between the areas, Esc closes the figures.",
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
    # The method page (the lead's part of issue 17): prose and readable tables.
    "method_screening_units": {
        "da": "Screeningen ser på hele byen i små nabolag: for hver 100 m-celle de {k} "
        "nærmeste beboere (et skræddersyet nabolag, som EquiPop beregner det), {shrink}",
        "en": "The screening looks at the whole city in small neighbourhoods: for each 100 m "
        "cell the {k} nearest residents (a bespoke neighbourhood, as EquiPop computes it), "
        "{shrink}",
    },
    "method_shrink": {
        "da": "og spørgeskemaernes tal er trukket mod byens niveau, hvor de bygger på få svar.",
        "en": "and the survey figures are pulled towards the city's level where few answered.",
    },
    "method_no_shrink": {
        "da": "uden at trække spørgeskemaernes tal mod byens niveau.",
        "en": "without pulling the survey figures towards the city's level.",
    },
    "method_screening_rule": {
        "da": "Politikkens {n} kriterier er {criteria}. Et kriterium er markeret, når nabolaget "
        "ligger mindst {margin} dårligere end byens gennemsnit. Et nabolag er udsat, når mindst "
        "{min_criteria} kriterier er markeret; nabolag, der ligger op ad hinanden, samles til "
        "byområder, og et byområde skal have mindst {residents} beboere.",
        "en": "The policy's {n} criteria are {criteria}. A criterion is flagged when the "
        "neighbourhood is at least {margin} worse than the city average. A neighbourhood is "
        "vulnerable when at least {min_criteria} criteria are flagged; adjacent neighbourhoods "
        "are joined into urban areas, and an urban area has at least {residents} residents.",
    },
    "method_screening_stability": {
        "da": "Et område kaldes stabilt, når mindst {overlap} af dets beboere også udpeges, når "
        "grænsen, antallet af kriterier og nabolagets størrelse ({ks} beboere) varieres.",
        "en": "An area is called stable when at least {overlap} of its residents are also "
        "designated when the margin, the number of criteria and the neighbourhood size ({ks} "
        "residents) are varied.",
    },
    "method_screening_heading": {
        "da": "Sådan udpeges de udsatte byområder",
        "en": "How the vulnerable urban areas are designated",
    },
    "method_config_version": {
        "da": "Metodens parametre (screening/config.yaml, version {version}):",
        "en": "The method's parameters (screening/config.yaml, version {version}):",
    },
    "parameter": {"da": "Parameter", "en": "Parameter"},
    "other_language": {"da": "English", "en": "Dansk"},
    "method_item": {"da": "Oplysning", "en": "Item"},
    "method_p_criteria": {"da": "Kriterier", "en": "Criteria"},
    "method_p_margin": {
        "da": "Et kriterium markeres ved (dårligere end byens gennemsnit)",
        "en": "A criterion is flagged at (worse than the city average)",
    },
    "method_p_margins": {"da": "Særlige grænser pr. kriterium", "en": "Margins per criterion"},
    "method_p_min_criteria": {
        "da": "Markerede kriterier for at være udsat",
        "en": "Flagged criteria to be vulnerable",
    },
    "method_p_scale": {
        "da": "Færre krævede kriterier, når data mangler",
        "en": "Fewer criteria required when data are missing",
    },
    "method_p_k": {"da": "Beboere i hvert nabolag", "en": "Residents in each neighbourhood"},
    "method_p_shrink": {
        "da": "Spørgeskematal trukket mod byens niveau",
        "en": "Survey figures pulled towards the city's level",
    },
    "method_p_min_residents": {
        "da": "Mindste antal beboere i et byområde",
        "en": "Fewest residents of an urban area",
    },
    "method_p_adjacency": {"da": "Nabolag samles, når de", "en": "Neighbourhoods join when they"},
    "method_adjacency_rook": {"da": "deler en side", "en": "share an edge"},
    "method_adjacency_queen": {
        "da": "deler en side eller et hjørne",
        "en": "share an edge or corner",
    },
    "method_p_min_unit": {
        "da": "Enheder med færre beboere gennemses manuelt",
        "en": "Units with fewer residents are reviewed by hand",
    },
    "method_p_students": {
        "da": "Højeste andel studerende før manuel gennemgang",
        "en": "Highest share of students before review by hand",
    },
    "method_p_age_band": {
        "da": "Højeste andel i én aldersgruppe før manuel gennemgang",
        "en": "Highest share in one age band before review by hand",
    },
    "method_p_overlap": {"da": "Stabil ved overlap på mindst", "en": "Stable at an overlap of"},
    "method_d_name": {"da": "Datasæt", "en": "Dataset"},
    "method_d_municipality": {"da": "Kommune", "en": "Municipality"},
    "method_d_years": {"da": "År", "en": "Years"},
    "method_d_source": {"da": "Kilde", "en": "Source"},
    "method_d_licence": {"da": "Licens", "en": "Licence"},
    "method_d_synthetic": {"da": "Syntetiske data", "en": "Synthetic data"},
    "method_versions": {"da": "Versioner", "en": "Versions"},
    "method_v_udsat": {"da": "udsat", "en": "udsat"},
    "method_v_law": {"da": "Lovens parametre", "en": "The law's parameters"},
    "method_v_rules": {"da": "Regelsæt brugt", "en": "Rule sets used"},
    "method_v_screening": {"da": "Screeningens metode", "en": "The screening's method"},
    "method_v_goals": {"da": "Mål og indikatorer", "en": "Goals and indicators"},
    "method_run_log": {"da": "Kørslens log (noterne skrives på engelsk)", "en": "The run's log"},
    "method_no_exclusions": {
        "da": "Ingen rækker blev udeladt af data.",
        "en": "No rows of the data were left out.",
    },
    "method_x_table": {"da": "Tabel", "en": "Table"},
    "method_x_reason": {"da": "Grund", "en": "Reason"},
    # The downloads' tables: what each describes (the lead's part of issue 17).
    "describes": {"da": "Beskriver", "en": "Describes"},
    "set_lists_all": {
        "da": "Almene boligområder og statens lister, alle listeår",
        "en": "Public housing areas and the state's lists, every list year",
    },
    "set_risk": {
        "da": "Almene boligområder: risikoen for statens lister 1. december {year}",
        "en": "Public housing areas: the risk of the state's lists on 1 December {year}",
    },
    "set_units": {
        "da": "Screeningens enheder (nabolag) {year}",
        "en": "The screening's units (neighbourhoods) {year}",
    },
    "set_plan": {"da": "Handleplanens indsatser", "en": "The action plan's initiatives"},
    "set_dictionary": {
        "da": "Alle tabellers kolonner: overskrift og enhed",
        "en": "Every table's columns: heading and unit",
    },
    "set_markers": {"da": "Tegnene i tabellerne", "en": "The signs in the tables"},
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
    # layout and the lists page's tables (issue 17: layout, print, accessibility)
    "table_scroll_hint": {
        "da": "Tabellen er bredere end skærmen: stryg eller rul vandret i den for at se alle "
        "kolonner.",
        "en": "The table is wider than the screen: swipe or scroll it sideways to see every "
        "column.",
    },
    "sort_help": {
        "da": "Klik på en kolonneoverskrift (eller tryk Enter på den) for at sortere efter den; "
        "et klik mere vender rækkefølgen.",
        "en": "Click a column header (or press Enter on it) to sort by it; another click "
        "reverses the order.",
    },
    "lists_overview": {
        "da": "Statens lister {year}: kriterier opfyldt og risikoen året efter",
        "en": "The state's lists {year}: criteria met and the next year's risk",
    },
    "lists_tier": {
        "da": "Kriterierne for {lists} {year}: værdi, grænse og afstand",
        "en": "The criteria for {lists} {year}: value, threshold and distance",
    },
    "lists_on": {"da": "Lister {year}", "en": "Lists {year}"},
    "criteria_met_of": {"da": "Kriterier opfyldt (af {n})", "en": "Criteria met (of {n})"},
    # \u00ad: a soft hyphen, so the narrow columns of the lists page may break the long word
    "risk_in": {"da": "Sandsyn\u00adlighed {year}", "en": "Proba\u00adbility {year}"},
    "risk_of": {
        "da": "Sandsyn\u00adlighed for {list} {year}",
        "en": "Proba\u00adbility of {list} {year}",
    },
    "risk_any": {
        "da": "Sandsyn\u00adlighed for mindst én liste {year}",
        "en": "Proba\u00adbility of any list {year}",
    },
    "early_warning": {"da": "Tidligt varsel", "en": "Early warning"},
    "rank_rule": {
        "da": "Risikorang: områderne ordnet efter sandsynligheden for at komme på mindst én "
        "liste i {year} (det tidlige varsel). Kun områder med en sandsynlighed på mindst {limit} "
        'får en rang; de øvrige står med "{mark}" (ikke relevant).',
        "en": "Risk rank: the areas ordered by the probability of being on at least one list "
        "in {year} (the early warning). Only areas with a probability of at least {limit} get a "
        'rank; the others show "{mark}" (not applicable).',
    },
    "method_warning_data": {
        "da": "Det tidlige varsel for listerne 1. december {year} bygger kun på data til og med "
        "{last}. For hvert boligområde og hvert kriteriums tal fortsættes udviklingen over de "
        "seneste {window} år (en hældning, der trækkes mod nul, når den er usikker), og tallet "
        "for {year} trækkes mange gange; hvert træk afgøres efter lovens egne grænser og regler. "
        "Sandsynligheden for en liste er andelen af træk, hvor området kommer på den.",
        "en": "The early warning for the lists of 1 December {year} rests only on data up to "
        "{last}. For each housing area and each criterion's figure the development over the "
        "last {window} years is carried forward (a slope pulled towards zero when it is "
        "uncertain), and the figure of {year} is drawn many times; each draw is judged by the "
        "law's own thresholds and rules. The probability of a list is the share of draws in "
        "which the area is on it.",
    },
    "method_warning_spread": {
        "da": "Hvor meget et tal kan flytte sig på et år, er målt på de tidligere år (op til "
        "{calibration}): hvor langt de faktiske tal lå fra det, samme metode ville have "
        "forudsagt. 50 %- og 90 %-intervallerne omkring det forventede tal skal derfor rumme "
        "omkring halvdelen og ni ud af ti af de faktiske tal; på udsats syntetiske testbyer "
        "rummede de 41-60 % og 83-95 % (udsat warn --backtest måler det på egne data). "
        "Referencerne (landsandelen af dømte og regionens indkomst) for året forudsiges også, "
        "med deres usikkerhed.",
        "en": "How far a figure can move in a year is measured on the earlier years (up to "
        "{calibration}): how far the real figures fell from what the same method would have "
        "forecast. So the 50 % and 90 % intervals around the expected figure should hold about "
        "half and nine in ten of the real figures; on udsat's synthetic test cities they held "
        "41-60 % and 83-95 % (udsat warn --backtest measures it on one's own data). The "
        "references of the year (the national share convicted and the region's income) are "
        "forecast too, with their uncertainty.",
    },
    "method_warning_rules": {
        "da": "Varslet følger de regler, der gjaldt, da listen for {last} blev offentliggjort; "
        "regler, der er vedtaget til {year}, men ikke var i kraft, vises for sig. På de "
        "syntetiske testbyer rammer varslet kriterierne lidt bedre end at gentage sidste års "
        "tal, men for selve listerne er et forspring ikke påvist: brug sandsynlighederne, "
        "intervallerne og afstanden i personer som et varsel, ikke som en forudsigelse af, hvem "
        "der kommer på listen.",
        "en": "The warning follows the rules in force when the list of {last} was published; "
        "rules adopted for {year} but not in force are shown apart. On the synthetic test "
        "cities the warning calls the criteria a little better than repeating last year's "
        "figures, but for the lists themselves an advantage is not established: use the "
        "probabilities, the intervals and the distance in people as a warning, not as a "
        "prediction of who will be listed.",
    },
    "warning_basis": {
        "da": "Varslet for {year} bygger kun på data til og med {last} og på de regler, der "
        "gjaldt, da listen for {last} blev offentliggjort; regler vedtaget til {year} vises for "
        "sig i boligområdets profil sammen med hvert kriteriums forventede tal og 50 %- og "
        "90 %-intervaller. Hvor godt varslet har ramt i tidligere år, viser en tilbagetest "
        "(udsat warn --backtest).",
        "en": "The warning for {year} rests only on data up to {last} and on the rules in force "
        "when the list of {last} was published; rules adopted for {year} are shown apart in "
        "the housing area's profile, with each criterion's expected figure and 50 % and 90 % "
        "intervals. How well the warning did in earlier years is shown by a backtest "
        "(udsat warn --backtest).",
    },
    "value_pct": {"da": "Værdi, %", "en": "Value, %"},
    "threshold_pct": {"da": "Grænse, %", "en": "Threshold, %"},
    "distance_pp": {"da": "Afstand, pct.-point", "en": "Distance, pp"},
    "distance_rule": {
        "da": "Afstanden til grænsen har samme fortegn for alle kriterier: et positivt tal (+) "
        "betyder, at kriteriet er opfyldt, med så mange procentpoint ud over grænsen; et "
        "negativt tal (\u2212) er, hvor mange procentpoint der mangler, før det er opfyldt. "
        "Kriterium {below} er opfyldt, når værdien er under grænsen, så dér er afstanden "
        "grænsen minus værdien. Opfyldte kriterier står med fed skrift.",
        "en": "The distance to the threshold has the same sign for every criterion: a positive "
        "number (+) means the criterion is met, by that many percentage points beyond the "
        "threshold; a negative number (\u2212) is how many percentage points are missing before "
        "it is met. Criterion {below} is met when the value is below the threshold, so there "
        "the distance is the threshold minus the value. Met criteria are in bold.",
    },
    # goals page, goal charts and the overview's key figures (issue 17, deliverable 4): units,
    # the direction of "better", goals without data, the summary table
    "unit_years": {"da": "år", "en": "years"},
    "in_share": {"da": "i procent", "en": "in percent"},
    "in_years": {"da": "i år", "en": "in years"},
    "in_number": {"da": "som tal", "en": "as numbers"},
    "gap_in": {"da": "Afstand i {unit}", "en": "Gap in {unit}"},
    "png_for_print": {"da": "Grafen til tryk (PNG)", "en": "The chart for print (PNG)"},
    "goals_print": {
        "da": "Hver graf kan hentes som PNG til tryk; alle graferne findes også som PDF under "
        "Download.",
        "en": "Each chart can be downloaded as a PNG for print; every chart is also a PDF under "
        "Downloads.",
    },
    "projected_interval": {
        "da": "Fremskrivningens interval 2035",
        "en": "Projection interval 2035",
    },
    "interval": {"da": "{low} til {high}", "en": "{low} to {high}"},
    "key_figures_heading": {"da": "Nøgletal", "en": "Key figures"},
    "unit_pp": {"da": "procentpoint", "en": "percentage points"},
    "axis_share": {"da": "Procent", "en": "Percent"},
    "axis_years": {"da": "Antal år", "en": "Years"},
    "axis_number": {"da": "Værdi", "en": "Value"},
    "better_higher_is_better": {"da": "højere er bedre", "en": "higher is better"},
    "better_higher_is_worse": {"da": "lavere er bedre", "en": "lower is better"},
    "better": {"da": "Retning", "en": "Direction"},
    "no_data": {"da": "ingen data", "en": "no data"},
    "gap": {"da": "Afstand", "en": "Gap"},
    "subgoal": {"da": "Delmål", "en": "Sub-goal"},
    "set_city": {"da": "Hele byen", "en": "The whole city"},
    "n_designated": {"da": "Områder", "en": "Areas"},
    "residents_in_year": {"da": "Beboere {year}", "en": "Residents {year}"},
    "goals_lede": {
        "da": "Opfølgningen på målene i Politik for udsatte byområder 2025-2035. Alle tal på "
        "siden gælder {areas} og resten af byen. Afstanden er de udsatte byområder minus resten af "
        "byen; procentpoint er forskellen mellem to procenter.",
        "en": "The monitoring of the goals of the policy for vulnerable urban areas 2025-2035. "
        "Every figure on this page is for {areas} and the rest of the city. The gap is the "
        "vulnerable areas minus the rest of the city; percentage points are the difference "
        "between two percentages.",
    },
    "goals_areas": {"da": "Områderne", "en": "The areas"},
    "goals_summary": {
        "da": "Overblik over de {n} indikatorer",
        "en": "The {n} indicators at a glance",
    },
    "goals_summary_caption": {
        "da": "Seneste værdi ({year}) i {areas} og i resten af byen, afstanden, målet for 2035 "
        "og status",
        "en": "Latest value ({year}) in {areas} and in the rest of the city, the gap, the 2035 "
        "target and the status",
    },
    "goals_charts": {"da": "Indikatorerne år for år", "en": "The indicators year by year"},
    "goal_table_caption": {
        "da": "{label}: {areas} og resten af byen; {gap}",
        "en": "{label}: {areas} and the rest of the city; {gap}",
    },
    "goal_gap_caption": {
        "da": "{label}: afstanden og målet for 2035",
        "en": "{label}: the gap and the 2035 target",
    },
    "gap_latest_year": {"da": "Afstand {year}", "en": "Gap {year}"},
    "goals_no_data": {"da": "Indikatorer uden data", "en": "Indicators without data"},
    "goals_no_data_intro": {
        "da": "Politikken nævner {n} indikatorer, som datasættet ikke har data til. De er ikke "
        "tegnet; her er grunden til hver.",
        "en": "The policy names {n} indicators for which the dataset has no data. They are not "
        "drawn; here is why for each.",
    },
    "why_no_data": {
        "da": "Datasættet har ingen data til indikatoren.",
        "en": "The dataset has no data for the indicator.",
    },
    "why_no_data_sixth_graders_in_clubs": {
        "da": "Tallene kommer fra en skoleundersøgelse, som ikke indgår i datasættet.",
        "en": "The figures come from a school survey that is not part of the dataset.",
    },
    "why_no_data_homes_affected_by_noise": {
        "da": "Tallene kommer fra støjkortlægningen, som ikke indgår i datasættet.",
        "en": "The figures come from the noise mapping, which is not part of the dataset.",
    },
    "why_no_data_access_to_green_areas": {
        "da": "Kræver geodata om grønne områder, som ikke indgår i datasættet.",
        "en": "Needs geodata on green areas, which are not part of the dataset.",
    },
    "why_no_data_voter_turnout": {
        "da": "Kræver valgresultater pr. afstemningssted, som ikke indgår i datasættet.",
        "en": "Needs election results by polling station, which are not part of the dataset.",
    },
    "why_no_data_access_to_public_transport": {
        "da": "Kræver stoppesteder og køreplaner, som ikke indgår i datasættet.",
        "en": "Needs stops and timetables, which are not part of the dataset.",
    },
    "goal_figure_caption": {
        "da": "{label}, {first}-{last}: {areas} og resten af byen, mål og fremskrivning til "
        "2035, {unit}. Tallene står i tabellen.",
        "en": "{label}, {first}-{last}: {areas} and the rest of the city, target and projection "
        "to 2035, {unit}. The figures are in the table.",
    },
    "key_goals_caption": {
        "da": "Målene for 2035 ({year}): {areas} og resten af byen",
        "en": "The 2035 goals ({year}): {areas} and the rest of the city",
    },
    "latest": {"da": "seneste år", "en": "latest year"},
    "key_goals_missing": {
        "da": "{n} indikatorer har ingen data; se Målene for 2035.",
        "en": "{n} indicators have no data; see The 2035 goals.",
    },
    # maps (issue 17, deliverable 3: legends, districts, tooltips, the sets a map shows)
    "legend_orientation": {"da": "Orientering", "en": "Orientation"},
    "legend_districts": {"da": "Bydele (grænser og navne)", "en": "Districts (borders and names)"},
    "legend_classes": {
        "da": "{criterion} i screeningens enheder {year}",
        "en": "{criterion} in the screening's units, {year}",
    },
    "legend_missing": {"da": "Ingen værdi ({mark})", "en": "No value ({mark})"},
    "legend_outline": {
        "da": "Omrids af de udsatte byområder",
        "en": "Outline of the vulnerable urban areas",
    },
    "legend_help": {
        "da": "Tryk på et lag i forklaringen for at skjule eller vise det.",
        "en": "Press a layer in the legend to hide or show it.",
    },
    "map_sets": {
        "da": "Kortet viser {designated} og {lists}.",
        "en": "The map shows {designated} and {lists}.",
    },
    "outline_note": {"da": "Sort omrids: {set}.", "en": "Black outline: {set}."},
    "profile_map_set": {"da": "Området er et af: {set}.", "en": "The area is one of: {set}."},
    "value_vs_city": {"da": "{value} (byen {city})", "en": "{value} (city {city})"},
    "map_help_cells": {
        "da": "Hold musen over eller tryk på et sted på kortet for dets værdi; med tastaturet "
        "flytter piletasterne mellem cellerne, når en farveklasse har fokus. Zoom med knapperne, "
        "Ctrl + musehjul eller to fingre; Esc lukker tallene.",
        "en": "Hover over or tap a place on the map for its value; with the keyboard, the arrow "
        "keys move between the cells when a colour class has focus. Zoom with the buttons, "
        "Ctrl + mouse wheel or two fingers; Esc closes the figures.",
    },
    # --- profiles, search and compare (issue 17, deliverable 5: profiles.py) ---
    "prof_residents_in": {"da": "Beboere {year}", "en": "Residents {year}"},
    "prof_status": {"da": "Status {year}", "en": "Status {year}"},
    "prof_status_short": {"da": "Status", "en": "Status"},
    "prof_dynamics": {"da": "Dynamik {since}-{year}", "en": "Dynamics {since}-{year}"},
    "prof_index": {"da": "statusindeks", "en": "status index"},
    "prof_change": {"da": "ændring", "en": "change"},
    "prof_status_high": {"da": "høj", "en": "high"},
    "prof_status_medium": {"da": "middel", "en": "medium"},
    "prof_status_low": {"da": "lav", "en": "low"},
    "prof_dynamics_positive": {"da": "positiv", "en": "positive"},
    "prof_dynamics_stable": {"da": "stabil", "en": "stable"},
    "prof_dynamics_negative": {"da": "negativ", "en": "negative"},
    "prof_housing_inside": {
        "da": "Almene boligområder i området",
        "en": "Public housing areas in the area",
    },
    "prof_stability_note": {
        "da": "Stabilitet: andelen af screeningens metodevarianter (margin, antal kriterier, "
        "naboskabets størrelse), hvor området stadig udpeges.",
        "en": "Stability: the share of the screening's method variations (margin, number of "
        "criteria, neighbourhood size) under which the area is still designated.",
    },
    "prof_rule": {
        "da": "Status og dynamik som i Berlins Monitoring Soziale Stadtentwicklung: "
        "statusindekset er gennemsnittet af kriteriernes forhold til byen (1 = byens niveau, "
        "over 1 = dårligere). Status er lav ved et indeks på mindst {low}, høj ved højst "
        "{high} og ellers middel. Dynamikken er indeksets ændring over {years} år: negativ ved "
        "en stigning på mindst {band}, positiv ved et fald på mindst {band} og ellers stabil.",
        "en": "Status and dynamics as in Berlin's Monitoring Soziale Stadtentwicklung: the "
        "status index is the mean of the criteria's ratios to the city (1 = the city's level, "
        "above 1 = worse). Status is low at an index of at least {low}, high at most {high} and "
        "medium otherwise. Dynamics is the index's change over {years} years: negative when it "
        "rose by at least {band}, positive when it fell by at least {band}, stable otherwise.",
    },
    "prof_criteria": {
        "da": "De seks kriterier mod byen {year}",
        "en": "The six criteria against the city {year}",
    },
    "prof_criterion": {"da": "Kriterium", "en": "Criterion"},
    "prof_area_value": {"da": "Området {year}", "en": "The area {year}"},
    "prof_interval": {"da": "95 %-interval", "en": "95 % interval"},
    "prof_city_value": {"da": "Byen", "en": "The city"},
    "prof_ratio": {"da": "Forhold til byen", "en": "Ratio to the city"},
    "prof_change_pp": {
        "da": "Ændring siden {since} (pct.-point)",
        "en": "Change since {since} (percentage points)",
    },
    "prof_trend": {"da": "Udvikling {first}-{year}", "en": "Trend {first}-{year}"},
    "prof_rose": {"da": "steget", "en": "rose"},
    "prof_fell": {"da": "faldet", "en": "fell"},
    "prof_no_change": {"da": "ingen sikker ændring", "en": "no clear change"},
    "prof_criteria_note": {
        "da": "Værdierne er beregnet for hele området (ikke for naboskaberne, som screeningen "
        "udpeger ud fra), med 95 %-konfidensinterval. Udviklingen {first}-{year} kaldes steget "
        "eller faldet, når intervallerne for de to år ikke overlapper.",
        "en": "The values are computed for the whole area (not for the neighbourhoods the "
        "screening designates by), with 95 % confidence intervals. The trend {first}-{year} "
        "is called rose or fell when the two years' intervals do not overlap.",
    },
    "prof_higher_worse": {
        "da": "For alle indikatorer gælder: højere er dårligere.",
        "en": "For every indicator: higher is worse.",
    },
    "prof_years": {
        "da": "Kriterierne år for år (forhold til byen)",
        "en": "The criteria year by year (ratio to the city)",
    },
    "prof_years_note": {
        "da": "1,00 = byens niveau; 1,50 = halvanden gang byens niveau.",
        "en": "1.00 = the city's level; 1.50 = one and a half times the city's level.",
    },
    "prof_housing": {
        "da": "Almene boligområder i området",
        "en": "Public housing areas in the area",
    },
    "prof_no_housing": {
        "da": "Ingen almene boligområder ligger i området.",
        "en": "No public housing area lies in the area.",
    },
    "prof_no_list": {"da": "ingen liste", "en": "no list"},
    "prof_lists_year": {"da": "Lister {year}", "en": "Lists {year}"},
    "prof_distance": {
        "da": "Kriterier: opfyldt eller ej (personer fra grænsen)",
        "en": "Criteria: met or not (people from the threshold)",
    },
    "prof_met": {"da": "opfyldt", "en": "met"},
    "prof_not_met": {"da": "ikke opfyldt", "en": "not met"},
    "prof_risk": {
        "da": "Sandsynlighed for en liste 1. december {year}",
        "en": "Probability of a list on 1 December {year}",
    },
    "prof_distance_note": {
        "da": "Kriterierne efter lovens nummer, ved grænsen for udsatte boligområder. Tallet i "
        "parentes er det mindste antal personer, der skal flytte ind i (eller ud af) "
        "kriteriets gruppe, før det skifter mellem opfyldt og ikke opfyldt.",
        "en": "The criteria by the law's number, at the vulnerable housing area threshold. "
        "The figure in brackets is the fewest people who must move into (or out of) the "
        "criterion's group before it switches between met and not met.",
    },
    "prof_goals": {"da": "Indikatorer for målene 2035", "en": "Indicators of the 2035 goals"},
    "prof_policy_area": {"da": "{name} (2017)", "en": "{name} (2017)"},
    "prof_goals_note": {
        "da": "Målene følges for {set}. Tallene er for {name}: {a} % af dette områdes areal "
        "ligger i det, og {b} % af dets areal ligger i dette område; de to afgrænsninger er "
        "ikke ens.",
        "en": "The goals are followed for {set}. The figures are for {name}: {a} % of this "
        "area's surface lies in it, and {b} % of its surface lies in this area; the two "
        "boundaries differ.",
    },
    "prof_no_policy_area": {
        "da": "Målene for 2035 følges for {set}. Intet af dem falder i det store hele sammen "
        "med dette område (mindst halvdelen af det ene områdes areal i det andet), så der "
        "vises ingen målindikatorer her.",
        "en": "The 2035 goals are followed for {set}. None of them largely coincides with this "
        "area (at least half of one area's surface in the other), so no goal indicators are "
        "shown here.",
    },
    "prof_citywide": {
        "da": "Desuden {n} indsatser for hele byen (se målsiden).",
        "en": "Also {n} city-wide initiatives (see the goals page).",
    },
    "prof_why_not": {
        "da": "Hvorfor området ikke er på en liste",
        "en": "Why the area is not on a list",
    },
    "prof_why_unknown": {"da": "Statens lister", "en": "The state's lists"},
    "prof_not_covered": {
        "da": "Data dækker ikke statens lister 1. december {year} for dette område.",
        "en": "The data do not cover the state's lists of 1 December {year} for this area.",
    },
    "prof_on_lists": {
        "da": "{name} er 1. december {year} på statens liste: {lists}.",
        "en": "On 1 December {year}, {name} is on the state's list: {lists}.",
    },
    "prof_on_lists_n": {
        "da": "{name} er 1. december {year} på statens lister: {lists}.",
        "en": "On 1 December {year}, {name} is on the state's lists: {lists}.",
    },
    "prof_on_no_list": {
        "da": "{name} er ikke på nogen af statens lister 1. december {year}. Lovens kriterier "
        "og grænser for hvert år står nedenfor.",
        "en": "{name} is on none of the state's lists on 1 December {year}. The law's criteria "
        "and thresholds for each year are below.",
    },
    "prof_list_criteria": {
        "da": "Lovens kriterier år for år med de gældende grænser",
        "en": "The law's criteria year by year with the thresholds in force",
    },
    "prof_criterion_n": {"da": "Kriterium {name}", "en": "Criterion {name}"},
    "prof_threshold_tier": {"da": "Grænse ({tier})", "en": "Threshold ({tier})"},
    "prof_met_tier": {"da": "Opfyldt ({tier})", "en": "Met ({tier})"},
    "prof_thresholds_note": {
        "da": "Grænserne er lovens værdier i kraft det enkelte listeår (almenboligloven § 61 a, "
        "§ 61 b og § 51 b); .. betyder ingen værdi det år.",
        "en": "The thresholds are the law's values in force each list year (almenboligloven "
        "§ 61 a, § 61 b and § 51 b); .. means no value that year.",
    },
    "prof_warning": {
        "da": "Tidligt varsel for listerne 1. december {year}",
        "en": "Early warning for the lists of 1 December {year}",
    },
    "prof_list": {"da": "Liste", "en": "List"},
    "prof_any_list": {"da": "Mindst én liste", "en": "At least one list"},
    "prof_p_lists": {
        "da": "Sandsynlighed for hver liste {year}",
        "en": "Probability of each list {year}",
    },
    "prof_p_criteria": {
        "da": "Sandsynlighed for hvert kriterium {year}",
        "en": "Probability of each criterion {year}",
    },
    "prof_p_met": {"da": "Opfyldt ({tier})", "en": "Met ({tier})"},
    "prof_expected": {"da": "Forventet", "en": "Expected"},
    "prof_figures": {
        "da": "Kriteriernes forventede tal {year} med intervaller",
        "en": "The criteria's expected figures {year} with intervals",
    },
    "prof_forecast_interval": {"da": "{level} %-interval", "en": "{level} % interval"},
    "prof_threshold": {"da": "Grænse", "en": "Threshold"},
    "prof_announced": {
        "da": "{list} (vedtagne regler, ikke i kraft ved varslet)",
        "en": "{list} (announced rules, not in force at the forecast)",
    },
    "prof_interval_note": {
        "da": "Forventet værdi og intervaller er kriteriets tal (i procent; kriterium 4 i procent "
        "af regionens indkomst): 50 %- og 90 %-intervallet rummer de midterste 50 % og 90 % af "
        "de simulerede udfald. Sandsynlighederne følger de regler, der gælder, når varslet "
        "laves; regler, der er vedtaget for listeåret, vises for sig.",
        "en": "Expected value and intervals are the criterion's figure (in percent; criterion 4 "
        "in percent of the region's income): the 50 % and 90 % intervals hold the middle 50 % "
        "and 90 % of the simulated outcomes. The probabilities follow the rules in force when "
        "the forecast is made; rules adopted for the list year are shown apart.",
    },
    "prof_people_to": {"da": "Personer til grænsen", "en": "People to the threshold"},
    "prof_people_note": {
        "da": "Personer til grænsen: positivt tal = så mange flere i kriteriets gruppe, før "
        "kriteriet er opfyldt; negativt = kriteriet er opfyldt, og så mange færre ville bringe "
        "området under grænsen (forventet værdi, grænsen for udsatte boligområder).",
        "en": "People to the threshold: positive = that many more in the criterion's group "
        "before it is met; negative = it is met, and that many fewer would bring the area "
        "below the threshold (expected value, vulnerable housing area threshold).",
    },
    "prof_warning_note": {
        "da": "Sandsynlighederne er andelen af simulerede udfald, hvor området kommer på "
        "listen, ud fra data til og med året før.",
        "en": "The probabilities are the share of simulated outcomes in which the area is "
        "listed, from the data up to the year before.",
    },
    "prof_initiative_planned": {"da": "planlagt", "en": "planned"},
    "prof_initiative_active": {"da": "i gang", "en": "active"},
    "prof_initiative_ended": {"da": "afsluttet", "en": "ended"},
    "prof_kind_area": {"da": "udsat byområde", "en": "vulnerable urban area"},
    "prof_kind_housing": {"da": "boligområde", "en": "housing area"},
    "prof_csv": {"da": "Profilens tal som CSV", "en": "The profile's figures as CSV"},
    "prof_compare_link": {
        "da": "Sammenlign med et andet område",
        "en": "Compare with another area",
    },
    "prof_compare_title": {"da": "Sammenlign to områder", "en": "Compare two areas"},
    "prof_compare_intro": {
        "da": "Vælg to udsatte byområder for at se deres tal side om side.",
        "en": "Choose two vulnerable urban areas to see their figures side by side.",
    },
    "prof_first_area": {"da": "Første område", "en": "First area"},
    "prof_second_area": {"da": "Andet område", "en": "Second area"},
    "prof_compare_button": {"da": "Sammenlign", "en": "Compare"},
    "prof_noscript": {
        "da": "Sammenligningen kræver JavaScript. Hvert områdes profil har de samme tal.",
        "en": "The comparison needs JavaScript. Each area's profile has the same figures.",
    },
    "prof_figure": {"da": "Tal", "en": "Figure"},
    "search_label": {"da": "Søg område", "en": "Search area"},
    "search_hint": {
        "da": "Skriv et områdes navn; store og små bogstaver og accenter er lige meget.",
        "en": "Type an area's name; case and accents do not matter.",
    },
    "search_none": {"da": "Intet område hedder sådan.", "en": "No area has that name."},
    "search_count": {"da": "områder fundet", "en": "areas found"},
}


def msg(key: str, lang: str | None = None, /, **values: object) -> str:
    """A report string in `lang` (default: the user's language)."""
    return render(MESSAGES, key, lang, **values)
