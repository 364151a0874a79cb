"""User-facing messages of the importer, Danish by default (UDSAT_LANG=en)."""

from __future__ import annotations

from udsat.i18n import render

MESSAGES: dict[str, dict[str, str]] = {
    "no_registers_dir": {
        "da": "Mappen med registerudtræk findes ikke: {path}",
        "en": "The folder of register extracts does not exist: {path}",
    },
    "unknown_register": {
        "da": "{file}: ukendt register{near}; kendte registre i mappingen: {known}. Fjern filen "
        "fra mappen eller tilføj registret i en projekt-mapping (--mapping).",
        "en": "{file}: unknown register{near}; registers in the mapping: {known}. Remove the "
        "file from the folder or add the register in a project mapping (--mapping).",
    },
    "near_register": {"da": " (mente du {name}?)", "en": " (did you mean {name}?)"},
    "unreadable": {
        "da": "{file}: filen kunne ikke læses: {error}",
        "en": "{file}: the file could not be read: {error}",
    },
    "missing_variable": {
        "da": "{file}: variablen {variable} mangler (bruges af mappingens {entries}); filen har: "
        "{found}",
        "en": "{file}: the variable {variable} is missing (used by the mapping's {entries}); "
        "the file has: {found}",
    },
    "no_register_files": {
        "da": "Ingen filer for registret {register} i {path} (bruges af mappingens {entries}).",
        "en": "No files of the register {register} in {path} (used by the mapping's {entries}).",
    },
    "no_bef": {
        "da": "Ingen BEF-filer med år i filnavnet (fx BEF2020.sas7bdat) i {path}.",
        "en": "No BEF files with a year in the name (e.g. BEF2020.sas7bdat) in {path}.",
    },
    "two_files": {
        "da": "To filer for {register} {year}: {files}; behold én.",
        "en": "Two files of {register} {year}: {files}; keep one.",
    },
    "no_file_year": {
        "da": "Ingen {register}-fil for år {year} (personår {row_year}): {entries} sat til "
        "mappingens værdi for manglende ({rows} personår).",
        "en": "No {register} file for {year} (person-year {row_year}): {entries} set to the "
        "mapping's value for missing ({rows} person-years).",
    },
    "drop_no_address": {
        "da": "ingen adresse 1. januar (BEFADR)",
        "en": "no address on 1 January (BEFADR)",
    },
    "drop_address_unknown": {
        "da": "adressen 1. januar findes ikke i adresseregistret (ingen koordinater)",
        "en": "the address on 1 January is not in the address register (no coordinates)",
    },
    "drop_unknown_code": {
        "da": "ukendt kode i {variable} ({column}): {codes}",
        "en": "unknown code in {variable} ({column}): {codes}",
    },
    "drop_missing": {
        "da": "ingen værdi i {register}.{variable} ({column})",
        "en": "no value in {register}.{variable} ({column})",
    },
    "drop_duplicate": {
        "da": "personen står mere end én gang i {file}",
        "en": "the person occurs more than once in {file}",
    },
    "drop_address_bad": {
        "da": "adresse uden brugbare koordinater eller kommunekode",
        "en": "address without usable coordinates or municipality code",
    },
    "filled_missing": {
        "da": "{column}: {rows} personår uden række i {register} fik værdien {value}",
        "en": "{column}: {rows} person-years without a row in {register} got the value {value}",
    },
    "otherwise_codes": {
        "da": "{column}: koder i {variable} uden for mappingens lister, regnet som {category}: "
        "{codes}. Tjek dem mod DST's klassifikation.",
        "en": "{column}: codes of {variable} outside the mapping's lists, counted as "
        "{category}: {codes}. Check them against DST's classification.",
    },
    "ignored_codes": {
        "da": "{register}.{variable}: forløb/afgørelser med koder, som mappingen ikke bruger, "
        "blev ikke talt med: {codes}",
        "en": "{register}.{variable}: spells/decisions with codes the mapping does not use "
        "were not counted: {codes}",
    },
    "ignored_files": {
        "da": "Filer, der ikke er registerudtræk, er sprunget over: {files}",
        "en": "Files that are no register extracts were skipped: {files}",
    },
    "several_addresses": {
        "da": "{rows} personår havde flere adresseforløb 1. januar; det senest begyndte er brugt",
        "en": "{rows} person-years had several address spells on 1 January; the latest begun is "
        "used",
    },
    "unused_addresses": {
        "da": "{rows} adresser i adresseregistret uden beboere i årene er udeladt",
        "en": "{rows} addresses of the address register without residents in the years were "
        "left out",
    },
    "import_done": {
        "da": "Importeret: {persons} personer, {rows} personår ({first}-{last}), {addresses} "
        "adresser til {path} på {seconds:.1f} s; {dropped} personår udeladt (se manifest.json, "
        "import_run_log).",
        "en": "Imported: {persons} persons, {rows} person-years ({first}-{last}), {addresses} "
        "addresses to {path} in {seconds:.1f} s; {dropped} person-years dropped (see "
        "manifest.json, import_run_log).",
    },
    "export_done": {
        "da": "Syntetiske registerudtræk (SAS transport, .xpt) skrevet til {path}: {files} filer.",
        "en": "Synthetic register extracts (SAS transport, .xpt) written to {path}: {files} files.",
    },
    "bad_format": {
        "da": "--format skal være contract eller dst, ikke {got!r}",
        "en": "--format must be contract or dst, not {got!r}",
    },
}


def msg(key: str, **values: object) -> str:
    return render(MESSAGES, key, **values)
