#!/usr/bin/env python3
"""Every wheel udsat and its runtime dependencies need, in one folder, for a machine offline.

    python scripts/wheelhouse.py [--out wheelhouse] [--platform win_amd64] [--python-version 3.11]
    python scripts/wheelhouse.py --check --platform win_amd64 --python-version 3.11

`make wheelhouse PLATFORM=... PYTHON_VERSION=...` runs the first form. Without --platform the
wheels are for this machine (its platform tags, as pip sees them); without --python-version for
the Python that runs this script. On the machine without internet:

    python -m pip install --no-index --find-links wheelhouse udsat

How it works (README.md, "Install without internet"):

1. udsat's own wheel is built (`pip wheel --no-deps`; hatchling is the build backend);
2. `pip download --only-binary=:all:` fetches the wheels of its runtime dependencies (not the dev
   extras) for the target (`--platform --python-version --implementation cp --abi cpXY`);
3. pip evaluates environment markers for the machine it runs on, not for the target (a Windows-only
   dependency such as typer's `colorama; platform_system == "Windows"` is skipped when the
   wheelhouse is built on Linux). So the closure is checked again from the wheels' own metadata with
   the target's markers: a requirement the wheelhouse lacks is fetched, a wheel no requirement
   reaches on the target is removed, a version that breaks a requirement is an error;
4. README.txt (target, Python, the install command, sha256 of every wheel) and SHA256SUMS are
   written into the folder, which replaces the previous wheelhouse only when complete.

`--check` resolves the same closure with `pip install --dry-run --report` (metadata only, nothing
is downloaded) and says whether every dependency has a wheel for the target.

A dependency without a wheel for the target is an error that names it. Messages are Danish by
default; UDSAT_LANG=en for English. Standard library and pip only (pip's vendored `packaging` when
`packaging` is not installed), so any Python >= 3.11 with pip runs it, before udsat is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging import markers, requirements, specifiers, tags, utils, version
except ImportError:  # pragma: no cover - pip vendors packaging
    from pip._vendor.packaging import (  # type: ignore[no-redef]
        markers,
        requirements,
        specifiers,
        tags,
        utils,
        version,
    )

Requirement = requirements.Requirement
canonicalize_name = utils.canonicalize_name

PROJECT = Path(__file__).resolve().parent.parent
README = "README.txt"
SUMS = "SHA256SUMS"
ROOT = "udsat"
MAX_ROUNDS = 6

MESSAGES: dict[str, dict[str, str]] = {
    "no_pip": {
        "da": "{python} har ikke pip. Installér pip (fx python3-pip) eller kør med en anden "
        "Python: make wheelhouse PYTHON=.venv/bin/python",
        "en": "{python} has no pip. Install pip (e.g. python3-pip) or use another Python: "
        "make wheelhouse PYTHON=.venv/bin/python",
    },
    "bad_python_version": {
        "da": "--python-version {value!r}: skriv hovedversion og underversion, fx 3.11.",
        "en": "--python-version {value!r}: give the major and minor version, e.g. 3.11.",
    },
    "python_too_old": {
        "da": "udsat kræver Python {required}; målet er Python {version}.",
        "en": "udsat requires Python {required}; the target is Python {version}.",
    },
    "unknown_platform": {
        "da": "Ukendt platform {platform!r}. Brug et platform-mærke fra pip, fx win_amd64, "
        "manylinux_2_28_x86_64, manylinux2014_x86_64 eller macosx_14_0_arm64.",
        "en": "Unknown platform {platform!r}. Use a pip platform tag, e.g. win_amd64, "
        "manylinux_2_28_x86_64, manylinux2014_x86_64 or macosx_14_0_arm64.",
    },
    "no_wheel": {
        "da": "{name} har intet hjul (wheel) til {target}, så det kan ikke installeres uden "
        "internet dér. Vælg en anden Python-version eller platform (--python-version, "
        "--platform), eller find en udgave af {name} med hjul til målet.",
        "en": "{name} has no wheel for {target}, so it cannot be installed there without "
        "internet. Choose another Python version or platform (--python-version, --platform), "
        "or find a release of {name} with a wheel for the target.",
    },
    "pip_failed": {
        "da": "pip fejlede ({command}):\n{output}",
        "en": "pip failed ({command}):\n{output}",
    },
    "conflict": {
        "da": "{requirement} (krævet af {parent}) passer ikke med {name} {version} i "
        "wheelhouse: pip valgte versionen efter maskinen, der bygger, ikke efter målet.",
        "en": "{requirement} (required by {parent}) does not match {name} {version} in the "
        "wheelhouse: pip chose the version for the building machine, not for the target.",
    },
    "duplicate": {
        "da": "wheelhouse har to udgaver af {name}: {files}.",
        "en": "the wheelhouse holds two releases of {name}: {files}.",
    },
    "no_progress": {
        "da": "Disse krav mangler stadig efter {rounds} runder: {missing}.",
        "en": "These requirements are still missing after {rounds} rounds: {missing}.",
    },
    "not_a_wheelhouse": {
        "da": "{path} findes og er ikke en wheelhouse fra dette værktøj (den rummer {file}); "
        "vælg en anden mappe med --out eller tøm den.",
        "en": "{path} exists and is not a wheelhouse written by this tool (it holds {file}); "
        "choose another folder with --out or empty it.",
    },
    "step_build": {
        "da": "Bygger udsats eget hjul …",
        "en": "Building udsat's own wheel …",
    },
    "step_download": {
        "da": "Henter hjulene til {target} …",
        "en": "Fetching the wheels for {target} …",
    },
    "step_fetch_missing": {
        "da": "Henter krav, som pip sprang over for målet: {requirements}",
        "en": "Fetching requirements pip skipped for the target: {requirements}",
    },
    "removed": {
        "da": "Fjernet (bruges ikke på målet): {files}",
        "en": "Removed (not used on the target): {files}",
    },
    "done": {
        "da": "Wheelhouse skrevet til {path}: {wheels} hjul, {size} MB, til {target}.\n"
        "Installér uden internet med: {command}",
        "en": "Wheelhouse written to {path}: {wheels} wheels, {size} MB, for {target}.\n"
        "Install without internet with: {command}",
    },
    "check_ok": {
        "da": "Alle {count} pakker (udsat og dens afhængigheder) har hjul til {target}.",
        "en": "All {count} packages (udsat and its dependencies) have wheels for {target}.",
    },
    "check_added": {
        "da": "Heraf {count} som pip ikke selv tog med for målet: {names}.",
        "en": "Of these, {count} pip did not include for the target itself: {names}.",
    },
}

README_TEXT: dict[str, str] = {
    "da": """\
udsat {version}: wheelhouse til installation uden internet
{rule}

Mål: {target}
Bygget med pip {pip} på Python {builder} ({builder_platform})
Indhold: {count} hjul, {size} MB

1. Tjek filerne, før de bruges (sha256 står nedenfor og i {sums}):
     Linux (i denne mappe):
       sha256sum -c {sums}
     Windows (PowerShell, i denne mappe; hver linje skal sige OK):
       {powershell}

2. Installér uden internet (fra mappen, der rummer mappen {folder}; gerne i et virtuelt miljø,
   python -m venv udsat-env):
     {command}

3. Tjek installationen:
     udsat --version
     udsat demo --persons 3000 --out udsat-demo

sha256                                                            hjul
""",
    "en": """\
udsat {version}: wheelhouse for an install without internet
{rule}

Target: {target}
Built with pip {pip} on Python {builder} ({builder_platform})
Contents: {count} wheels, {size} MB

1. Check the files before using them (sha256 below and in {sums}):
     Linux (in this folder):
       sha256sum -c {sums}
     Windows (PowerShell, in this folder; every line must say OK):
       {powershell}

2. Install without internet (from the folder that holds the folder {folder}; preferably in a
   virtual environment, python -m venv udsat-env):
     {command}

3. Check the install:
     udsat --version
     udsat demo --persons 3000 --out udsat-demo

sha256                                                            wheel
""",
}


# Compares every wheel with SHA256SUMS (Get-FileHash: SHA256 by default; -eq ignores case).
POWERSHELL_CHECK = (
    "Get-Content {sums} | ForEach-Object {{ $h, $f = $_ -split '  '; "
    'if ((Get-FileHash $f).Hash -eq $h) {{ "OK    $f" }} else {{ "FEJL  $f" }} }}'
)


class WheelhouseError(Exception):
    """A wheelhouse cannot be made for the target; the message says why and names the package."""


def language() -> str:
    return "en" if os.environ.get("UDSAT_LANG", "da").lower().startswith("en") else "da"


def message(key: str, **values: object) -> str:
    return MESSAGES[key][language()].format(**values)


# --- the target -------------------------------------------------------------------------------

# Environment markers per platform family (PEP 508); pip evaluates them for the machine it runs on.
_WINDOWS = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows"}
_LINUX = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux"}
_MACOS = {"os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin"}
_WINDOWS_MACHINES = {"win_amd64": "AMD64", "win32": "x86", "win_arm64": "ARM64"}
_MANYLINUX = re.compile(r"manylinux_(\d+)_(\d+)_(\w+)")
_MUSLLINUX = re.compile(r"musllinux_(\d+)_(\d+)_(\w+)")
_LEGACY_MANYLINUX = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}
_LEGACY = re.compile(r"(manylinux2014|manylinux2010|manylinux1)_(\w+)")


def _manylinux(glibc: int, arch: str) -> list[str]:
    """Every manylinux tag for glibc 2.`glibc` and older (PEP 600 and its legacy aliases)."""
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, 4, -1)]
    return tags + [f"{name}_{arch}" for name, minor in _LEGACY_MANYLINUX.items() if minor <= glibc]


def running_python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


@dataclass(frozen=True)
class Target:
    """Where the wheels will be installed: a pip platform tag (None: this machine) and a Python."""

    platform: str | None
    python_version: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"3\.\d+", self.python_version):
            raise WheelhouseError(message("bad_python_version", value=self.python_version))
        if self.platform is not None:
            self.marker_environment()  # an unknown platform fails here, before pip runs

    @property
    def abi(self) -> str:
        return "cp" + self.python_version.replace(".", "")

    @property
    def native(self) -> bool:
        return self.platform is None

    def platforms(self) -> list[str]:
        """The platform tags to accept. pip does not widen manylinux_2_X to the older glibc tags
        (nor musllinux_1_X to older musl), and many wheels carry only the manylinux2014 tag: a
        manylinux target lists every tag down to the oldest."""
        if self.platform is None:
            return []
        many = _MANYLINUX.fullmatch(self.platform)
        if many and many.group(1) == "2":
            return _manylinux(int(many.group(2)), many.group(3))
        legacy = _LEGACY.fullmatch(self.platform)
        if legacy:
            return _manylinux(_LEGACY_MANYLINUX[legacy.group(1)], legacy.group(2))
        musl = _MUSLLINUX.fullmatch(self.platform)
        if musl and musl.group(1) == "1":
            arch = musl.group(3)
            return [f"musllinux_1_{minor}_{arch}" for minor in range(int(musl.group(2)), 0, -1)]
        return [self.platform]

    def pip_args(self) -> list[str]:
        """pip's options that select wheels for the target (for `download` and `install`)."""
        args = ["--only-binary=:all:"]
        if self.native and self.python_version == running_python():
            return args
        args += ["--python-version", self.python_version, "--implementation", "cp"]
        args += ["--abi", self.abi]
        for platform in self.platforms():
            args += ["--platform", platform]
        return args

    def marker_environment(self) -> dict[str, str]:
        """PEP 508 marker values on the target (python_full_version: X.Y.0 when not this one)."""
        full = f"{self.python_version}.0"
        if self.python_version == running_python():
            full = ".".join(str(part) for part in sys.version_info[:3])
        python = {
            "python_version": self.python_version,
            "python_full_version": full,
            "implementation_name": "cpython",
            "implementation_version": full,
            "platform_python_implementation": "CPython",
        }
        if self.platform is None:
            return {**{k: str(v) for k, v in markers.default_environment().items()}, **python}
        family, machine = self._family()
        return {
            **family,
            "platform_machine": machine,
            "platform_release": "",
            "platform_version": "",
            **python,
        }

    def _family(self) -> tuple[dict[str, str], str]:
        platform = self.platform or ""
        if platform in _WINDOWS_MACHINES:
            return _WINDOWS, _WINDOWS_MACHINES[platform]
        for pattern in (_MANYLINUX, _MUSLLINUX):
            found = pattern.fullmatch(platform)
            if found:
                return _LINUX, found.group(3)
        legacy = re.fullmatch(r"(manylinux2014|manylinux2010|manylinux1|linux)_(\w+)", platform)
        if legacy:
            return _LINUX, legacy.group(2)
        mac = re.fullmatch(r"macosx_\d+_\d+_(\w+)", platform)
        if mac:
            arch = mac.group(1)
            return _MACOS, "arm64" if arch in {"arm64", "universal2"} else arch
        raise WheelhouseError(message("unknown_platform", platform=platform))

    def describe(self) -> str:
        if self.platform is None:
            # The most specific tag (manylinux_2_36_x86_64 says which glibc, linux_x86_64 not).
            names = [tag.platform for tag in tags.sys_tags()]
            prefixes = ("manylinux", "musllinux", "macosx", "win")
            tag = next((name for name in names if name.startswith(prefixes)), names[0])
            where = f"{tag} ({'denne maskine' if language() == 'da' else 'this machine'})"
        else:
            where = self.platform
        return f"{where}, CPython {self.python_version} ({self.abi})"


# --- distributions and their requirements -----------------------------------------------------


@dataclass(frozen=True)
class Dist:
    """One release in the wheelhouse (or in pip's resolution): its requirements as declared."""

    name: str
    version: str
    requires: tuple[str, ...]
    filename: str = ""

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)


@dataclass
class Closure:
    """What the target needs: reached distributions, requirements nobody satisfies, conflicts."""

    needed: set[str] = field(default_factory=set)
    missing: dict[str, Requirement] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def wheel_dist(path: Path) -> Dist:
    """Name, version and Requires-Dist from a wheel's METADATA."""
    with zipfile.ZipFile(path) as wheel:
        names = [n for n in wheel.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        text = wheel.read(names[0]).decode("utf-8")
    headers = HeaderParser().parsestr(text)
    return Dist(
        name=str(headers["Name"]),
        version=str(headers["Version"]),
        requires=tuple(str(value) for value in headers.get_all("Requires-Dist") or ()),
        filename=path.name,
    )


def index_dists(dists: Iterable[Dist]) -> dict[str, Dist]:
    index: dict[str, Dist] = {}
    for dist in dists:
        if dist.key in index and index[dist.key].version != dist.version:
            files = ", ".join(sorted({index[dist.key].filename, dist.filename}))
            raise WheelhouseError(message("duplicate", name=dist.name, files=files))
        index[dist.key] = dist
    return index


def closure(
    root: Requirement, dists: Mapping[str, Dist], environment: Mapping[str, str]
) -> Closure:
    """Walk the requirements from `root` with the target's markers (extras followed)."""
    result = Closure()
    seen: set[tuple[str, frozenset[str]]] = set()
    pending: list[tuple[Requirement, str]] = [(root, "")]
    while pending:
        requirement, parent = pending.pop()
        key = canonicalize_name(requirement.name)
        dist = dists.get(key)
        if dist is None:
            result.missing.setdefault(key, requirement)
            continue
        if not requirement.specifier.contains(version.Version(dist.version), prereleases=True):
            result.conflicts.append(
                message(
                    "conflict",
                    requirement=str(requirement),
                    parent=parent or "udsat",
                    name=dist.name,
                    version=dist.version,
                )
            )
        result.needed.add(key)
        extras = frozenset(canonicalize_name(extra) for extra in requirement.extras)
        if (key, extras) in seen:
            continue
        seen.add((key, extras))
        for line in dist.requires:
            child = Requirement(line)
            if child.marker is not None and not any(
                child.marker.evaluate({**environment, "extra": extra}) for extra in (extras or {""})
            ):
                continue
            pending.append((child, f"{dist.name} {dist.version}"))
    return result


def bare(requirement: Requirement) -> str:
    """The requirement without its marker (already evaluated for the target), for pip."""
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    return f"{requirement.name}{extras}{requirement.specifier}"


# --- pip ----------------------------------------------------------------------------------------


def pip(args: Sequence[str], target: Target) -> None:
    """Run `python -m pip` quietly. A failure is a WheelhouseError with pip's output, which names
    the package when pip found no wheel of it for `target`."""
    command = [sys.executable, "-m", "pip", *args]
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        output = process.stdout + process.stderr
        raise WheelhouseError(
            missing_wheel_message(output, target)
            or message("pip_failed", command=" ".join(command[1:4]), output=output.strip())
        )


_NO_MATCH = re.compile(r"No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)")


def missing_wheel_message(pip_output: str, target: Target) -> str | None:
    """pip's "No matching distribution found for NAME" as a message naming NAME, or None."""
    found = _NO_MATCH.search(pip_output)
    if found is None:
        return None
    return message("no_wheel", name=found.group(1), target=target.describe())


def check_pip() -> None:
    if importlib.util.find_spec("pip") is None:
        raise WheelhouseError(message("no_pip", python=sys.executable))


def pip_version() -> str:
    from pip import __version__

    return str(__version__)


# --- udsat's own requirements -----------------------------------------------------------------


def project_metadata(project: Path) -> tuple[str, str, str, list[str]]:
    """(name, version, requires-python, dependencies) from pyproject.toml."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return data["name"], data["version"], data["requires-python"], list(data["dependencies"])


def check_python(requires_python: str, target: Target) -> None:
    if not specifiers.SpecifierSet(requires_python).contains(f"{target.python_version}.0"):
        raise WheelhouseError(
            message("python_too_old", required=requires_python, version=target.python_version)
        )


# --- building ----------------------------------------------------------------------------------


def resolve(
    dists: dict[str, Dist],
    target: Target,
    fetch: Callable[[list[str]], list[Dist]],
    *,
    echo: bool,
) -> tuple[Closure, set[str]]:
    """Complete `dists` with what the target's markers need; returns the closure and the keys
    that were fetched because pip had skipped them."""
    environment = target.marker_environment()
    added: set[str] = set()
    for _ in range(MAX_ROUNDS):
        result = closure(Requirement(ROOT), dists, environment)
        if result.conflicts:
            raise WheelhouseError("\n".join(result.conflicts))
        if not result.missing:
            return result, added
        wanted = [bare(requirement) for requirement in result.missing.values()]
        if echo:
            print(message("step_fetch_missing", requirements=", ".join(sorted(wanted))))
        fetched = index_dists(fetch(wanted))
        added |= set(fetched) - set(dists)
        dists.update(index_dists([*dists.values(), *fetched.values()]))
    missing = ", ".join(sorted(closure(Requirement(ROOT), dists, environment).missing))
    raise WheelhouseError(message("no_progress", rounds=MAX_ROUNDS, missing=missing))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_command(folder: str) -> str:
    return f"python -m pip install --no-index --find-links {folder} {ROOT}"


def write_manifest(folder: Path, target: Target, own_version: str, name: str) -> tuple[int, int]:
    """README.txt and SHA256SUMS; returns (number of wheels, total bytes)."""
    wheels = sorted(folder.glob("*.whl"), key=lambda path: path.name.lower())
    sums = [(sha256(path), path.name) for path in wheels]
    size = sum(path.stat().st_size for path in wheels)
    lines = "".join(f"{digest}  {filename}\n" for digest, filename in sums)
    (folder / SUMS).write_text(lines, encoding="utf-8", newline="\n")
    title = README_TEXT[language()].split("\n", 1)[0].format(version=own_version)
    readme = README_TEXT[language()].format(
        version=own_version,
        rule="=" * len(title),
        target=target.describe(),
        pip=pip_version(),
        builder=".".join(str(part) for part in sys.version_info[:3]),
        builder_platform=sysconfig.get_platform(),
        count=len(wheels),
        size=f"{size / 1e6:.1f}",
        sums=SUMS,
        powershell=POWERSHELL_CHECK.format(
            sums=SUMS, fail="FEJL" if language() == "da" else "FAIL"
        ),
        folder=name,
        command=install_command(name),
    )
    # CRLF: the file is read in Notepad on the research machine as often as with less.
    (folder / README).write_text(readme + lines, encoding="utf-8", newline="\r\n")
    return len(wheels), size


def ensure_replaceable(out: Path) -> None:
    """`out` may be replaced: missing, empty, or a wheelhouse this tool wrote (wheels, manifest)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise WheelhouseError(message("not_a_wheelhouse", path=out, file=out.name))
    entries = list(out.iterdir())
    if entries and not (out / README).exists():
        raise WheelhouseError(message("not_a_wheelhouse", path=out, file=entries[0].name))
    for entry in entries:
        if entry.name not in {README, SUMS} and entry.suffix != ".whl":
            raise WheelhouseError(message("not_a_wheelhouse", path=out, file=entry.name))


def build(out: Path, target: Target, *, project: Path = PROJECT, echo: bool = True) -> Path:
    """Write the wheelhouse for `target` into `out` (replaced only when complete)."""
    check_pip()
    _, own_version, requires_python, _ = project_metadata(project)
    check_python(requires_python, target)
    out = out.resolve()
    ensure_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        if echo:
            print(message("step_build"), flush=True)
        pip(
            ["wheel", "--no-deps", "--quiet", "--wheel-dir", str(staging), str(project)],
            target,
        )
        own = next(staging.glob(f"{ROOT}-*.whl"))
        if echo:
            print(message("step_download", target=target.describe()), flush=True)
        download = ["download", "--quiet", "--dest", str(staging), *target.pip_args()]
        pip([*download, str(own)], target)

        def fetch(requirements: list[str]) -> list[Dist]:
            before = {path.name for path in staging.glob("*.whl")}
            pip([*download, *requirements], target)
            return [wheel_dist(path) for path in staging.glob("*.whl") if path.name not in before]

        dists = index_dists(wheel_dist(path) for path in staging.glob("*.whl"))
        result, _ = resolve(dists, target, fetch, echo=echo)
        unused = sorted(dist.filename for key, dist in dists.items() if key not in result.needed)
        for filename in unused:
            (staging / filename).unlink()
        if unused and echo:
            print(message("removed", files=", ".join(unused)))
        count, size = write_manifest(staging, target, own_version, out.name)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if echo:
        print(
            message(
                "done",
                path=out,
                wheels=count,
                size=f"{size / 1e6:.1f}",
                target=target.describe(),
                command=install_command(out.name),
            )
        )
    return out


def check(target: Target, *, project: Path = PROJECT, echo: bool = True) -> list[Dist]:
    """Resolve udsat's runtime closure for `target` from metadata only (`pip install --dry-run
    --report`): every package needs a wheel for the target. Returns the closure's releases."""
    check_pip()
    name, own_version, requires_python, dependencies = project_metadata(project)
    check_python(requires_python, target)
    with tempfile.TemporaryDirectory(prefix="udsat-wheelhouse-check-") as scratch:
        report = Path(scratch) / "report.json"

        def fetch(requirements: list[str]) -> list[Dist]:
            pip(
                [
                    "install",
                    "--dry-run",
                    "--ignore-installed",
                    "--quiet",
                    "--report",
                    str(report),
                    "--target",
                    str(Path(scratch) / "target"),
                    *target.pip_args(),
                    *requirements,
                ],
                target,
            )
            installs = json.loads(report.read_text(encoding="utf-8"))["install"]
            return [
                Dist(
                    name=item["metadata"]["name"],
                    version=item["metadata"]["version"],
                    requires=tuple(item["metadata"].get("requires_dist", ())),
                    filename=item["download_info"]["url"].rsplit("/", 1)[-1],
                )
                for item in installs
            ]

        own = Dist(name=name, version=own_version, requires=tuple(dependencies))
        dists = index_dists([own, *fetch(dependencies)])
        result, added = resolve(dists, target, fetch, echo=False)
    needed = sorted((dists[key] for key in result.needed), key=lambda dist: dist.key)
    if echo:
        print(message("check_ok", count=len(needed), target=target.describe()))
        if added:
            print(message("check_added", count=len(added), names=", ".join(sorted(added))))
    return needed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Every wheel udsat and its runtime dependencies need, for a machine "
        "without internet (README.md: Install without internet)."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("wheelhouse"),
        help="the folder to write (default: wheelhouse)",
    )
    parser.add_argument(
        "--platform",
        default=None,
        help="pip platform tag of the target, e.g. win_amd64 or "
        "manylinux_2_28_x86_64 (default: this machine)",
    )
    parser.add_argument(
        "--python-version",
        default=None,
        help="the target's Python, e.g. 3.11 (default: the Python running this)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that every dependency has a wheel for the target "
        "(metadata only, nothing is written)",
    )
    args = parser.parse_args(argv)
    try:
        target = Target(args.platform or None, args.python_version or running_python())
        if args.check:
            check(target)
        else:
            build(args.out, target)
    except WheelhouseError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
