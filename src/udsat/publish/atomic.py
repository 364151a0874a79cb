"""Atomic publication of a run's outputs, its manifest, the personal-data scan and `verify`.

Two kinds of target: a directory (`publish`), replaced whole, and a file (`publish_file`: a
table or layer named by the user, with any companion files beside it and `<name>.manifest.json`).

A run writes everything into a hidden staging directory beside `out`, then the manifest (with
the sha256 and size of every output), scans the staging directory for personal data and only
then puts it in place: on Linux by atomically exchanging the two directories (renameat2
RENAME_EXCHANGE), so `out` is at every instant either the whole previous publication or the
whole new one. Where the exchange is not available the old publication is first renamed aside
and restored by `recover` if the run dies between the two renames. A lock file keeps two runs
from publishing into the same `out` at once; each publish first cleans up what killed runs left.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import platform
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from udsat import __version__
from udsat.errors import UdsatError
from udsat.publish.messages import msg
from udsat.publish.policy import DisclosurePolicy
from udsat.publish.privacy import Identifiers, findings_message, output_files, scan_outputs
from udsat.publish.stage import Stage
from udsat.publish.writers import json_text, write_text

MANIFEST = "run_manifest.json"
LIBRARIES = (
    "duckdb", "pyarrow", "pandas", "numpy", "geopandas", "shapely", "pyogrio", "pyproj",
    "openpyxl", "scipy", "pyreadstat", "pyyaml",
)  # fmt: skip


# --- manifest ------------------------------------------------------------------------------


def file_digest(path: Path) -> dict[str, object]:
    """sha256 and size of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def tree_digests(root: Path, *, hidden: bool = True) -> dict[str, dict[str, object]]:
    """sha256 and size of every file under `root`, by POSIX path relative to it.

    `hidden=False` skips paths with a part starting with '.', such as the dataset's derived
    `.udsat_cache`, which is not an input.
    """
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if hidden or not any(part.startswith(".") for part in relative.parts):
            out[relative.as_posix()] = file_digest(path)
    return out


def input_digests(inputs: Path | Mapping[str, Path]) -> dict[str, dict[str, object]]:
    """sha256 and size of every input file: a dataset directory or named files/directories."""
    named = {"": inputs} if isinstance(inputs, Path) else dict(inputs)
    out: dict[str, dict[str, object]] = {}
    for label, path in sorted(named.items()):
        prefix = f"{label}/" if label else ""
        if path.is_dir():
            out.update({prefix + k: v for k, v in tree_digests(path, hidden=False).items()})
        else:
            out[label or path.name] = file_digest(path)
    return out


def library_versions() -> dict[str, str]:
    """Python, GDAL and the installed versions of the libraries that shape the outputs."""
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    try:
        import pyogrio

        versions["gdal"] = pyogrio.__gdal_version_string__
    except ImportError:
        pass
    return versions


def run_manifest(
    *,
    config: Mapping[str, Any],
    inputs: Path | Mapping[str, Path],
    engine: str,
    seed: int | None,
    extra: Mapping[str, Any] | None = None,
    versions: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """What a run needs to be reproduced: versions, configuration, input hashes, engine, seed.

    `versions`: the versions of the rule sets, catalogues and configurations the run used
    (udsat.pipeline.module_versions); this layer knows no domain package.

    `publish` adds the outputs' hashes. No wall-clock times: the manifest is byte-identical for
    the same inputs and configuration (timings go to the console only).
    """
    manifest: dict[str, Any] = {
        "udsat_version": __version__,
        "libraries": library_versions(),
        "versions": dict(versions or {}),
        "configuration": dict(config),
        "inputs": input_digests(inputs),
        "engine": engine,
        "seed": seed,
    }
    manifest.update(extra or {})
    return manifest


# --- locking, recovery ---------------------------------------------------------------------


def _new_sibling(out: Path, kind: str) -> Path:
    # Time-ordered names, so recover() restores the newest publication renamed aside.
    return out.parent / f".{out.name}.{kind}-{time.time_ns():020d}-{secrets.token_hex(4)}"


def _siblings(out: Path, kind: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.{kind}-*"))


@contextmanager
def publication_lock(out: Path) -> Iterator[None]:
    """Only one run publishes into `out` at a time (an advisory lock file beside it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UdsatError(msg("locked", path=out)) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(out: Path) -> None:
    """Clean up after a killed run: restore a publication renamed aside, drop staging copies.

    Call with the publication lock held.
    """
    old = _siblings(out, "old")
    if not out.exists() and old:
        # Killed between "out -> old" and "staging -> out": the old one is complete.
        os.rename(old[-1], out)
        old = old[:-1]
    legacy_previous = out.with_name(out.name + ".previous")  # the swap before this module
    if not out.exists() and legacy_previous.is_dir():
        os.rename(legacy_previous, out)
    for path in [*old, *_siblings(out, "staging"), legacy_previous]:
        shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(out.with_name(out.name + ".partial"), ignore_errors=True)


# --- the swap ------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_tree(root: Path) -> None:
    """Flush the staged files and directories to disk before they become the publication."""
    for path in [*output_files(root), root, *[p for p in root.rglob("*") if p.is_dir()]]:
        flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
        fd = os.open(path, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
    elif _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous publication
    else:
        old = _new_sibling(out, "old")
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old, ignore_errors=True)


def _os_error(exc: OSError, out: Path) -> UdsatError:
    key = {
        errno.ENOSPC: "disk_full",
        errno.EDQUOT: "disk_full",
        errno.EROFS: "read_only",
        errno.EACCES: "read_only",
        errno.EPERM: "read_only",
    }.get(exc.errno or 0, "os_error")
    where = exc.filename or out.parent
    return UdsatError(msg(key, path=out, where=where, reason=exc.strerror or str(exc)))


@dataclass
class Publication:
    """What `publish` put in place."""

    out: Path
    manifest: dict[str, Any]
    files: list[str] = field(default_factory=list)


def publish(
    out: Path,
    write: Callable[[Stage], object],
    manifest: Mapping[str, Any],
    *,
    identifiers: Identifiers | None = None,
    policy: DisclosurePolicy | None = None,
) -> Publication:
    """Write a publication with `write(stage)` and put it at `out` only when complete.

    Adds the outputs' sha256 and size to `manifest` (written as run_manifest.json), scans every
    output for personal data (CPR-like numbers, the ids of `identifiers`) and fails with a
    Danish message, publishing nothing, if anything is found. A full disk or a read-only target
    gives a clear error; the previous publication stays whole in every case.
    """
    out = Path(os.path.abspath(out))
    try:
        with _staged(out) as staging:
            final = _build(staging, write, manifest, identifiers, policy, MANIFEST)
            _swap_into_place(staging, out)
    except OSError as exc:
        raise _os_error(exc, out) from exc
    return Publication(out, final, sorted(final["outputs"]))


@contextmanager
def _staged(out: Path) -> Iterator[Path]:
    """A fresh staging directory beside `out`, under the publication lock, after cleaning up
    what killed runs left; removed at the end whatever happened (once swapped into place it
    holds the previous publication, or is gone)."""
    with publication_lock(out):
        recover(out)
        staging = _new_sibling(out, "staging")
        staging.mkdir()  # the default mode under the umask, unlike mkdtemp's 0700
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def publish_file(
    out: Path,
    write: Callable[[Stage], object],
    manifest: Mapping[str, Any],
    *,
    identifiers: Identifiers | None = None,
    policy: DisclosurePolicy | None = None,
) -> Publication:
    """A publication of one named file (`write` stages it under `out.name`, with any companion
    files beside it) and its manifest `<out.name>.manifest.json`, moved into `out`'s folder only
    when complete and scanned; each file is replaced in one rename, the manifest last."""
    out = Path(os.path.abspath(out))
    name = file_manifest_name(out)
    try:
        with _staged(out) as staging:
            final = _build(staging, write, manifest, identifiers, policy, name)
            for relative in sorted(final["outputs"]):
                os.replace(staging / relative, out.parent / relative)
            os.replace(staging / name, out.parent / name)
    except OSError as exc:
        raise _os_error(exc, out) from exc
    return Publication(out, final, sorted(final["outputs"]))


def file_manifest_name(out: Path) -> str:
    return f"{out.name}.manifest.json"


def _build(
    staging: Path,
    write: Callable[[Stage], object],
    manifest: Mapping[str, Any],
    identifiers: Identifiers | None,
    policy: DisclosurePolicy | None,
    manifest_name: str,
) -> dict[str, Any]:
    write(Stage(staging, policy or DisclosurePolicy()))
    (staging / manifest_name).unlink(missing_ok=True)
    final = dict(manifest)
    final["outputs"] = tree_digests(staging)
    write_text(json_text(final), staging / manifest_name)
    findings = scan_outputs(staging, identifiers)
    if findings:
        raise UdsatError(findings_message(findings))
    _fsync_tree(staging)
    return final


# --- verify --------------------------------------------------------------------------------


@dataclass
class Verification:
    """The differences between a publication and its manifest."""

    out: Path
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.changed)

    def lines(self, lang: str | None = None) -> list[str]:
        """The verdict as users read it: one line, or a header and a line per difference."""
        if self.ok:
            return [msg("verify_ok", lang, path=self.out, count=self.checked)]
        lines = [msg("verify_failed", lang, path=self.out)]
        for key, names in (("missing", self.missing), ("extra", self.extra),
                           ("changed", self.changed)):  # fmt: skip
            lines += [f"  {msg('verify_' + key, lang)}: {name}" for name in names]
        return lines


def verify(out: Path) -> Verification:
    """Re-check a publication against its manifest: missing, extra, changed files.

    `out`: a published directory (run_manifest.json; files not listed are extra), or a published
    file or its `<name>.manifest.json` (the files it lists beside it; other files are not its).
    """
    if out.is_dir():
        manifest_path = out / MANIFEST
    elif out.name.endswith(".manifest.json"):
        manifest_path = out
    else:
        manifest_path = out.parent / file_manifest_name(out)
    if not manifest_path.is_file():
        raise UdsatError(msg("no_manifest", path=out))
    import json

    try:
        listed = json.loads(manifest_path.read_text(encoding="utf-8"))["outputs"]
        expected = {str(k): (str(v["sha256"]), int(v["size"])) for k, v in listed.items()}
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        raise UdsatError(msg("bad_manifest", path=manifest_path, reason=str(exc))) from exc
    if out.is_dir():
        present = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
        present.pop(MANIFEST, None)
    else:
        folder = manifest_path.parent
        present = {k: folder / k for k in expected if (folder / k).is_file()}
    result = Verification(out, checked=len(expected))
    result.missing = sorted(set(expected) - set(present))
    result.extra = sorted(set(present) - set(expected))
    for name in sorted(set(expected) & set(present)):
        sha, size = expected[name]
        path = present[name]
        if path.stat().st_size != size or file_digest(path)["sha256"] != sha:
            result.changed.append(name)
    return result
