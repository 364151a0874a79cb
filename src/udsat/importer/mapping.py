"""The translation from DST register extracts to the data contract, as data.

`dst_mapping.yaml` (in this package) names, for every contract column, the register(s) and DST
variable(s) it comes from, the rule that translates them, a source and whether the fact is
confirmed. It is read by the project's one strict loader (`udsat.strict.load_model`): unknown
keys are errors that name the nearest valid key. A project may pass its own copy with
`udsat import dst --mapping FILE`; it is validated by the same models.

Rules (the `rule` key of each column entry):

- `copy`: a variable as it is (text, number).
- `codes`: a code variable through a code table; `prefix_digits` compares only the first digits
  (HFAUDD's main group); `otherwise` is the category of a code not in the table (null: the code is
  unrecognised, the person-year is dropped and counted).
- `origin`: IE_TYPE x OPR_LAND (Western / non-Western) -> the contract's origin categories.
- `derived`: true when another contract column has one of the listed values.
- `on_1_january`: the spell (start/end dates) that covers 1 January of the row year: its value
  (address) or simply whether there is one (enrolment).
- `fte`: the share of the previous calendar year covered by spells with the listed codes,
  times their degree (`degree` variable, 1 when absent).
- `spell_flag`: any spell with the listed codes overlapping the previous calendar year.
- `count`: events (decisions) dated in the previous calendar year whose code starts with one of
  the prefixes; the code variable may change by year (KRAF's AFG_GER7, from 2020 AFG_GER9).
- `dated_flag`: an event dated in the row year (death) or before 1 January of it (a diagnosis).
- `relative_poverty`: under `max_age` and the value below `share` of the median of the year.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from udsat.contract.schemas import ADDRESSES, PERSONS
from udsat.strict import Strict, load_model, validate

Value = str | int | float | bool | None
MAPPING_FILE = "dst_mapping.yaml"


def code(value: object) -> str:
    """A code as text, the same whether SAS stored it as 1.0, CSV as '1' or YAML as 1."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Sourced(Strict):
    """Every entry cites where its fact comes from and says whether it is confirmed."""

    source: str
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _unconfirmed_has_note(self) -> Sourced:
        if not self.confirmed and not self.note:
            raise ValueError("an unconfirmed entry needs a note saying what to confirm")
        return self


class Register(Sourced):
    """One register: how its files relate to the row year (status on 1 January of the year)."""

    description: str
    kind: Literal["status", "flow", "dated", "static"]
    # status/flow: the file of year F gives the rows of year F + year_offset; dated: every file
    # is read once and its rows placed by their dates; static: one table for all years.
    year_offset: int = 0
    key: str = "PNR"


class Spell(Strict):
    start: str
    end: str


class Copy(Sourced):
    rule: Literal["copy"]
    register_name: str = Field(alias="register")
    variable: str
    missing: Value = None  # value when the person has no row (None: drop the person-year)
    drop_missing: bool = True

    def variables(self) -> list[str]:
        return [self.variable]


class Codes(Sourced):
    rule: Literal["codes"]
    register_name: str = Field(alias="register")
    variable: str
    codes: dict[str, Value]
    prefix_digits: int | None = None
    otherwise: Value = None
    unrecognised: Literal["drop", "otherwise"] = "drop"
    missing: Value = None
    drop_missing: bool = True
    # Null where another contract column has one of these values (e.g. education unknown).
    null_when: dict[str, list[str]] = Field(default_factory=dict)
    # The code the synthetic extracts write for each category (inverse of `codes`).
    synth: dict[str, str] = Field(default_factory=dict)

    @field_validator("codes", mode="before")
    @classmethod
    def _codes_as_text(cls, raw: object) -> object:
        return {code(k): v for k, v in raw.items()} if isinstance(raw, dict) else raw

    def variables(self) -> list[str]:
        return [self.variable]


class Origin(Sourced):
    rule: Literal["origin"]
    register_name: str = Field(alias="register")
    type_variable: str
    country_variable: str
    types: dict[str, Literal["danish", "immigrant", "descendant"]]
    western: dict[str, str]  # code -> country name
    # Codes known to be non-Western (any other code is non-Western too, and reported).
    non_western: dict[str, str]
    otherwise: Literal["non_western"] | None = "non_western"
    not_in_sources: list[str] = Field(default_factory=list)

    @field_validator("types", "western", "non_western", mode="before")
    @classmethod
    def _codes_as_text(cls, raw: object) -> object:
        return {code(k): v for k, v in raw.items()} if isinstance(raw, dict) else raw

    def variables(self) -> list[str]:
        return [self.type_variable, self.country_variable]


class Derived(Sourced):
    rule: Literal["derived"]
    column: str
    true_when: list[str]


class On1January(Sourced):
    rule: Literal["on_1_january"]
    register_name: str = Field(alias="register")
    spell: Spell
    variable: str | None = None  # None: a flag (is there a spell on 1 January?)

    def variables(self) -> list[str]:
        return [self.spell.start, self.spell.end, *([self.variable] if self.variable else [])]


class Fte(Sourced):
    rule: Literal["fte"]
    register_name: str = Field(alias="register")
    code_variable: str
    spell: Spell
    degree: str | None = None
    codes: list[str]

    @field_validator("codes", mode="before")
    @classmethod
    def _codes_as_text(cls, raw: object) -> object:
        return [code(v) for v in raw] if isinstance(raw, list) else raw

    def variables(self) -> list[str]:
        return [self.code_variable, self.spell.start, self.spell.end] + (
            [self.degree] if self.degree else []
        )


class SpellFlag(Fte):
    rule: Literal["spell_flag"]  # type: ignore[assignment]


class CodeVariable(Strict):
    variable: str
    from_year: int | None = None
    to_year: int | None = None


class Count(Sourced):
    rule: Literal["count"]
    register_name: str = Field(alias="register")
    date: str
    code_variables: list[CodeVariable]
    prefixes: list[str]

    def variables(self) -> list[str]:
        return [self.date, *(c.variable for c in self.code_variables)]


class DatedFlag(Sourced):
    rule: Literal["dated_flag"]
    register_name: str = Field(alias="register")
    date: str
    when: Literal["in_row_year", "before_1_january"]

    def variables(self) -> list[str]:
        return [self.date]


class RelativePoverty(Sourced):
    rule: Literal["relative_poverty"]
    register_name: str = Field(alias="register")
    variable: str
    share: float = Field(gt=0, lt=1)
    max_age: int

    def variables(self) -> list[str]:
        return [self.variable]


Entry = Annotated[
    Copy
    | Codes
    | Origin
    | Derived
    | On1January
    | Fte
    | SpellFlag
    | Count
    | DatedFlag
    | RelativePoverty,
    Field(discriminator="rule"),
]


class Coordinates(Sourced):
    """The address points: ETRS89/UTM32 coordinates, or a DDKN cell id (cell centre)."""

    register_name: str = Field(alias="register")
    address_id: str
    municipality_code: str
    x: str | None = None
    y: str | None = None
    cell: str | None = None  # e.g. 100m_61810_7237 (north/100, east/100)

    @model_validator(mode="after")
    def _coordinates_or_cell(self) -> Coordinates:
        if (self.x is None) != (self.y is None) or (self.x is None and self.cell is None):
            raise ValueError("give x and y (ETRS89/UTM32 east and north) or cell (DDKN id)")
        return self

    def variables(self) -> list[str]:
        names = [self.address_id, self.municipality_code]
        return names + ([self.x, self.y] if self.x and self.y else [self.cell or ""])


class Mapping(Strict):
    """The whole mapping: registers, one entry per persons column, the address points."""

    version: Literal[1]
    description: str
    sources: dict[str, str]
    registers: dict[str, Register]
    persons: dict[str, Entry]
    addresses: Coordinates

    @model_validator(mode="after")
    def _complete(self) -> Mapping:
        wanted = [c for c in PERSONS.names if c not in ("year",)]
        missing = [c for c in wanted if c not in self.persons]
        extra = [c for c in self.persons if c not in wanted]
        if missing or extra:
            raise ValueError(
                f"persons must have one entry per contract column; missing: {missing}, "
                f"not contract columns: {extra}"
            )
        for name, entry in [*self.persons.items(), ("addresses", self.addresses)]:
            register = getattr(entry, "register_name", None)
            if register is not None and register not in self.registers:
                raise ValueError(f"{name}: register {register!r} is not declared in registers")
            cited = entry.source.split(",")[0].strip()
            if cited not in self.sources:
                raise ValueError(f"{name}: source {cited!r} is not declared in sources")
        return self

    def entries_of(self, register: str) -> dict[str, Entry | Coordinates]:
        """The columns read from `register` (for error messages and column selection)."""
        out: dict[str, Entry | Coordinates] = {
            name: e
            for name, e in self.persons.items()
            if getattr(e, "register_name", None) == register
        }
        if self.addresses.register_name == register:
            out["addresses"] = self.addresses
        return out

    def variables_of(self, register: str) -> dict[str, list[str]]:
        """Variable -> the mapping entries that read it, for one register."""
        out: dict[str, list[str]] = {self.registers[register].key: ["(key)"]}
        for name, entry in self.entries_of(register).items():
            for variable in entry.variables():  # type: ignore[union-attr]
                out.setdefault(variable, []).append(name)
        if self.registers[register].key == "":
            out.pop("")
        return out


ADDRESS_COLUMNS = ADDRESSES.names


@cache
def default_mapping() -> Mapping:
    source = resources.files("udsat.importer").joinpath(MAPPING_FILE)
    with resources.as_file(source) as path:
        return load_model(path, Mapping)


def load_mapping(path: Path | None) -> Mapping:
    """The packaged mapping, or a project's own (validated by the same models)."""
    return default_mapping() if path is None else load_model(Path(path), Mapping)


__all__ = ["Mapping", "code", "default_mapping", "load_mapping", "validate"]
