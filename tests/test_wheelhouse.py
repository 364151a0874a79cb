"""The wheelhouse (`make wheelhouse`, scripts/wheelhouse.py) and the install without internet.

The offline install is proven end to end: a wheelhouse for this machine, a fresh virtual
environment, `pip install --no-index --find-links WHEELHOUSE udsat` with no other source (no pip
configuration, no find-links, every proxy pointing at a closed port), then the installed `udsat demo
--persons 3000` run from a folder outside the checkout. It runs in its own xdist group
("wheelhouse_install", about 40 s) beside this module's other tests (about 15 s, the registry's).

Building a wheelhouse needs the package registry (the CI has it). The Windows target is checked
twice: from metadata only (`pip install --dry-run`, a few seconds) and by building the whole Windows
wheelhouse (about 175 MB) and resolving udsat from it alone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "wheelhouse.py"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# The markers of a CPython 3.11 on 64-bit Windows (PEP 508), written here, not read from the script.
WINDOWS_ENVIRONMENT = {
    "os_name": "nt",
    "sys_platform": "win32",
    "platform_system": "Windows",
    "platform_machine": "AMD64",
    "platform_release": "",
    "platform_version": "",
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "implementation_name": "cpython",
    "implementation_version": "3.11.0",
    "platform_python_implementation": "CPython",
}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("udsat_wheelhouse_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


wheelhouse = load_script()


def dist(name: str, version: str, *requires: str) -> wheelhouse.Dist:
    return wheelhouse.Dist(name=name, version=version, requires=requires, filename=f"{name}.whl")


def runtime_names() -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in PYPROJECT["dependencies"]}


# --- the target ---------------------------------------------------------------------------------


def test_windows_target_passes_pips_foreign_platform_options() -> None:
    target = wheelhouse.Target("win_amd64", "3.11")
    assert target.pip_args() == [
        "--only-binary=:all:",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
        "--platform",
        "win_amd64",
    ]


def test_this_machine_needs_no_platform_options() -> None:
    this = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert wheelhouse.Target(None, this).pip_args() == ["--only-binary=:all:"]


def test_manylinux_target_accepts_every_older_glibc_tag() -> None:
    # pip alone would refuse a manylinux2014-only wheel (matplotlib's) for manylinux_2_28.
    platforms = wheelhouse.Target("manylinux_2_28_x86_64", "3.11").platforms()
    assert platforms[0] == "manylinux_2_28_x86_64"
    for tag in ("manylinux_2_27_x86_64", "manylinux_2_17_x86_64", "manylinux_2_5_x86_64"):
        assert tag in platforms
    for tag in ("manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"):
        assert tag in platforms
    assert "manylinux_2_29_x86_64" not in platforms
    assert "manylinux_2_4_x86_64" not in platforms
    legacy = wheelhouse.Target("manylinux2014_aarch64", "3.11").platforms()
    assert "manylinux_2_17_aarch64" in legacy and "manylinux1_aarch64" in legacy
    assert "manylinux_2_18_aarch64" not in legacy


def test_unknown_platform_and_too_old_python_are_clear_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "da")
    with pytest.raises(wheelhouse.WheelhouseError, match="Ukendt platform 'amiga_68k'"):
        wheelhouse.Target("amiga_68k", "3.11")
    with pytest.raises(wheelhouse.WheelhouseError, match=r"fx 3\.11"):
        wheelhouse.Target("win_amd64", "3")
    with pytest.raises(
        wheelhouse.WheelhouseError, match=r"kræver Python >=3\.11; målet er Python 3\.10"
    ):
        wheelhouse.check_python(">=3.11", wheelhouse.Target("win_amd64", "3.10"))
    wheelhouse.check_python(">=3.11", wheelhouse.Target("win_amd64", "3.11"))  # the boundary


# --- the closure with the target's markers --------------------------------------------------------


def city_dists() -> dict[str, wheelhouse.Dist]:
    return wheelhouse.index_dists(
        [
            dist("udsat", "0.1.0", "typer>=0.12,<1", "pandas>=2.2", "pydantic>=2.7"),
            dist("typer", "0.29.2", 'colorama; platform_system == "Windows"', "shellingham"),
            dist("shellingham", "1.5.4"),
            dist("pandas", "3.1.1", 'tzdata; sys_platform == "win32"', "numpy>=2.0"),
            dist("numpy", "2.4.6"),
            dist("pydantic", "2.14.4", "tzdata; platform_system == 'Windows' and extra == 'tz'"),
        ]
    )


def test_windows_only_requirements_are_needed_for_windows_only() -> None:
    # pip evaluates markers for the machine it runs on: built on Linux, colorama and tzdata are
    # skipped. The closure with Windows's markers finds them missing.
    dists = city_dists()
    root = Requirement("udsat")
    windows = wheelhouse.closure(root, dists, WINDOWS_ENVIRONMENT)
    assert sorted(windows.missing) == ["colorama", "tzdata"]
    assert windows.conflicts == []
    linux_env = wheelhouse.Target("manylinux_2_28_x86_64", "3.11").marker_environment()
    linux = wheelhouse.closure(root, dists, linux_env)
    assert linux.missing == {}
    assert linux.needed == {"udsat", "typer", "shellingham", "pandas", "numpy", "pydantic"}


def test_an_extra_brings_its_own_requirements() -> None:
    dists = city_dists()
    dists["udsat"] = dist("udsat", "0.1.0", "pydantic[tz]>=2.7")
    linux_env = wheelhouse.Target("manylinux_2_28_x86_64", "3.11").marker_environment()
    assert wheelhouse.closure(Requirement("udsat"), dists, linux_env).missing == {}
    windows = wheelhouse.closure(Requirement("udsat"), dists, WINDOWS_ENVIRONMENT)
    assert list(windows.missing) == ["tzdata"]


def test_a_version_outside_a_requirement_is_a_conflict_naming_both() -> None:
    dists = city_dists()
    dists["numpy"] = dist("numpy", "1.26.4")
    result = wheelhouse.closure(Requirement("udsat"), dists, WINDOWS_ENVIRONMENT)
    assert len(result.conflicts) == 1
    assert "numpy>=2.0" in result.conflicts[0] and "1.26.4" in result.conflicts[0]
    assert "pandas 3.1.1" in result.conflicts[0]
    dists["numpy"] = dist("numpy", "2.0")  # exactly the lower bound: accepted
    assert wheelhouse.closure(Requirement("udsat"), dists, WINDOWS_ENVIRONMENT).conflicts == []


def test_resolve_fetches_what_pip_skipped_and_nothing_else() -> None:
    dists = city_dists()
    asked: list[list[str]] = []

    def fetch(requirements: list[str]) -> list[wheelhouse.Dist]:
        asked.append(sorted(requirements))
        return [dist(canonicalize_name(Requirement(r).name), "1.0") for r in requirements]

    target = wheelhouse.Target("win_amd64", "3.11")
    result, added = wheelhouse.resolve(dists, target, fetch, echo=False)
    assert asked == [["colorama", "tzdata"]]
    assert added == {"colorama", "tzdata"}
    assert {"colorama", "tzdata"} <= result.needed


def test_no_wheel_message_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    output = (
        "ERROR: Could not find a version that satisfies the requirement pyarrow<27,>=17 "
        "(from udsat) (from versions: none)\nERROR: No matching distribution found for "
        "pyarrow<27,>=17\n"
    )
    target = wheelhouse.Target("win32", "3.11")
    monkeypatch.setenv("UDSAT_LANG", "da")
    assert wheelhouse.missing_wheel_message(output, target).startswith(
        "pyarrow har intet hjul (wheel) til win32, CPython 3.11 (cp311)"
    )
    monkeypatch.setenv("UDSAT_LANG", "en")
    assert wheelhouse.missing_wheel_message(output, target).startswith(
        "pyarrow has no wheel for win32, CPython 3.11 (cp311)"
    )
    assert wheelhouse.missing_wheel_message("ERROR: something else", target) is None


# --- the folder the analyst carries -------------------------------------------------------------


def test_manifest_lists_every_wheel_with_its_sha256(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UDSAT_LANG", "en")
    (tmp_path / "abc-1.0-py3-none-any.whl").write_bytes(b"abc")
    (tmp_path / "Empty-2.0-py3-none-any.whl").write_bytes(b"")
    count, size = wheelhouse.write_manifest(
        tmp_path, wheelhouse.Target("win_amd64", "3.11"), "0.1.0", "wheelhouse"
    )
    assert (count, size) == (2, 3)
    # FIPS 180-2's test vector for "abc" and the digest of nothing.
    abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    sums = (tmp_path / "SHA256SUMS").read_bytes().decode()
    assert sums == f"{abc}  abc-1.0-py3-none-any.whl\n{empty}  Empty-2.0-py3-none-any.whl\n"
    readme = (tmp_path / "README.txt").read_bytes().decode()
    assert "\r\n" in readme  # read in Notepad on the research machine
    assert "Target: win_amd64, CPython 3.11 (cp311)" in readme
    assert "python -m pip install --no-index --find-links wheelhouse udsat" in readme
    assert "udsat --version" in readme and "udsat demo --persons 3000" in readme
    assert f"{abc}  abc-1.0-py3-none-any.whl\r\n" in readme
    assert "Contents: 2 wheels" in readme


def test_an_unrelated_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"mine")
    with pytest.raises(wheelhouse.WheelhouseError, match=r"notes\.docx"):
        wheelhouse.ensure_replaceable(tmp_path)
    wheelhouse.ensure_replaceable(tmp_path / "missing")
    previous = tmp_path / "previous"
    previous.mkdir()
    for name in ("README.txt", "SHA256SUMS", "numpy-2.4.6-cp311-cp311-win_amd64.whl"):
        (previous / name).write_bytes(b"")
    wheelhouse.ensure_replaceable(previous)


# --- against the package registry ----------------------------------------------------------------


def test_every_runtime_dependency_has_a_windows_wheel() -> None:
    """udsat's runtime closure for CPython 3.11 on win_amd64, from metadata only (seconds)."""
    needed = wheelhouse.check(wheelhouse.Target("win_amd64", "3.11"), echo=False)
    names = {canonicalize_name(d.name) for d in needed}
    assert runtime_names() | {"udsat"} <= names
    for release in needed:
        if release.key == "udsat":
            continue
        _, _, _, tags = parse_wheel_filename(release.filename)
        assert {tag.platform for tag in tags} & {"win_amd64", "any"}, release.filename
        assert {tag.interpreter for tag in tags} & {"cp311", "py3", "py2.py3", "cp3"} or any(
            tag.abi == "abi3" for tag in tags
        ), release.filename
    # Every requirement that holds on Windows (markers evaluated here, independently) is met.
    by_name = {d.key: d for d in needed}
    for release in needed:
        for line in release.requires:
            requirement = Requirement(line)
            marker = requirement.marker or Marker('python_version >= "3"')
            if marker.evaluate({**WINDOWS_ENVIRONMENT, "extra": ""}):
                assert canonicalize_name(requirement.name) in by_name, (release.name, line)


def test_a_platform_without_wheels_fails_naming_a_dependency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 32-bit Windows: pyarrow (and duckdb) publish no win32 wheels.
    monkeypatch.setenv("UDSAT_LANG", "en")
    with pytest.raises(wheelhouse.WheelhouseError) as error:
        wheelhouse.check(wheelhouse.Target("win32", "3.11"), echo=False)
    found = re.match(r"(\S+) has no wheel for win32, CPython 3.11", str(error.value))
    assert found, str(error.value)
    assert canonicalize_name(found.group(1)) in runtime_names()


# --- the install without internet ---------------------------------------------------------------


def offline_environment() -> dict[str, str]:
    """No pip configuration, no find-links or index but the command line's, no network."""
    drop = ("PIP_", "PYTHON", "VIRTUAL_ENV", "CONDA")
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env = {key: value for key, value in env.items() if "proxy" not in key.lower()}
    closed = "http://127.0.0.1:9"  # the discard port: any attempt to reach the network fails
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # pip then reads no configuration file at all
        PIP_NO_INDEX="1",
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        HTTP_PROXY=closed,
        HTTPS_PROXY=closed,
        http_proxy=closed,
        https_proxy=closed,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def run(
    command: Sequence[object], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    process = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, f"{command}\n{process.stdout}\n{process.stderr}"
    return process


def venv_executable(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.mark.slow
@pytest.mark.xdist_group("wheelhouse_install")
def test_offline_install_from_the_wheelhouse_runs_the_demo(tmp_path: Path) -> None:
    started = time.perf_counter()
    folder = tmp_path / "wheelhouse"
    run([sys.executable, SCRIPT, "--out", folder], cwd=tmp_path)  # this machine, this Python
    built = time.perf_counter()

    parsed = [parse_wheel_filename(path.name) for path in folder.glob("*.whl")]
    wheels = {canonicalize_name(name): str(version) for name, version, _, _ in parsed}
    assert runtime_names() | {"udsat"} <= set(wheels)
    recorded = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(recorded) == len(wheels)
    for line in recorded:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest

    # The research machine: a fresh environment, no index, nothing but the wheelhouse.
    work = tmp_path / "research"
    work.mkdir()
    venv = tmp_path / "venv"
    env = offline_environment()
    run([sys.executable, "-m", "venv", venv], cwd=work, env=env)
    python = venv_executable(venv, "python")
    run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--no-compile",
            "--no-index",
            "--find-links",
            folder,
            "udsat",
        ],
        work,
        env,
    )
    installed_at = time.perf_counter()

    listed = run([python, "-m", "pip", "list", "--format", "json"], work, env).stdout
    installed = {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed)}
    installed = {name: v for name, v in installed.items() if name not in {"pip", "setuptools"}}
    assert installed == wheels  # every wheel used, nothing from anywhere else

    where = run([python, "-c", "import udsat; print(udsat.__file__)"], work, env).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where  # not the checkout

    udsat = venv_executable(venv, "udsat")
    version = run([udsat, "--version"], work, env).stdout.strip()
    assert version == f"udsat {PYPROJECT['version']}"

    run([udsat, "demo", "--persons", "3000", "--out", "out"], work, env)
    manifest = json.loads((work / "out" / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["udsat_version"] == PYPROJECT["version"]
    for library in ("duckdb", "pandas", "pyarrow", "geopandas", "scipy"):
        assert manifest["libraries"][library] == wheels[library]
    finished = time.perf_counter()
    print(
        f"wheelhouse {built - started:.1f} s, {len(wheels)} wheels; venv and install "
        f"{installed_at - built:.1f} s; demo and checks {finished - installed_at:.1f} s"
    )


@pytest.mark.slow
def test_windows_wheelhouse_resolves_from_itself(tmp_path: Path) -> None:
    """The whole Windows wheelhouse (about 175 MB; 7 s from the registry without pip's cache)."""
    folder = tmp_path / "wheelhouse"
    run(
        [
            sys.executable,
            SCRIPT,
            "--out",
            folder,
            "--platform",
            "win_amd64",
            "--python-version",
            "3.11",
        ],
        cwd=tmp_path,
    )
    names = {canonicalize_name(parse_wheel_filename(p.name)[0]) for p in folder.glob("*.whl")}
    assert "colorama" in names  # typer's Windows-only requirement, which pip skips on Linux
    for path in folder.glob("*.whl"):
        platforms = {tag.platform for tag in parse_wheel_filename(path.name)[3]}
        assert platforms & {"win_amd64", "any"}, path.name
    # pip resolves udsat for Windows from the folder alone (its markers are this machine's; the
    # Windows-only requirements are covered by the closure above).
    target = tmp_path / "target"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-index",
            "--find-links",
            folder,
            "--only-binary=:all:",
            "--platform",
            "win_amd64",
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            "--abi",
            "cp311",
            "--target",
            target,
            "udsat",
            "colorama",
        ],
        cwd=tmp_path,
        env=offline_environment(),
    )
