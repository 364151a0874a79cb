"""Atomic publication: `out` is always a whole publication, faults leave the old one intact."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo_run import SMALL_PERSONS, DemoRun
from udsat.cli import app
from udsat.errors import UdsatError
from udsat.publish import Stage
from udsat.publish import atomic as publication
from udsat.publish.atomic import publish, recover, verify


def writer(text: str) -> Callable[[Stage], None]:
    def write(stage: Stage) -> None:
        staging = stage.root
        (staging / "tables").mkdir()
        (staging / "tables" / "a.csv").write_text(f"x\n{text}\n", encoding="utf-8")
        (staging / "LAESMIG.txt").write_text(text, encoding="utf-8")

    return write


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


def test_publish_replaces_the_old_publication_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = publish(out, writer("1"), {"seed": 1})
    assert first.files == ["LAESMIG.txt", "tables/a.csv"]
    publish(out, writer("2"), {"seed": 2})
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "2"
    manifest = json.loads((out / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 2
    assert manifest["outputs"]["LAESMIG.txt"] == publication.file_digest(out / "LAESMIG.txt")
    assert verify(out).ok and siblings(out) == [".out.lock", "out"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_fallback_two_renames_when_exchange_is_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    publish(out, writer("1"), {})
    monkeypatch.setattr(publication, "_exchange", lambda a, b: False)
    publish(out, writer("2"), {})
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "2"
    assert verify(out).ok and siblings(out) == [".out.lock", "out"]


def test_killed_between_the_two_renames_is_recovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fallback path: death after 'out -> old' and before 'staging -> out' loses nothing."""
    out = tmp_path / "out"
    publish(out, writer("1"), {})
    monkeypatch.setattr(publication, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def die_on_second(src: object, dst: object) -> None:
        if Path(str(dst)) == out:
            raise KeyboardInterrupt  # stands for SIGKILL: nothing after this line runs
        real_rename(src, dst)

    monkeypatch.setattr(publication.os, "rename", die_on_second)
    with pytest.raises(KeyboardInterrupt):
        publish(out, writer("2"), {})
    monkeypatch.setattr(publication.os, "rename", real_rename)
    assert not out.exists()  # the moment a kill would leave behind
    recover(out)
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "1" and verify(out).ok
    assert siblings(out) == [".out.lock", "out"]


def test_leftovers_of_killed_runs_are_cleaned_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, writer("1"), {})
    for name in (".out.staging-1-a", ".out.old-1-b", "out.partial", "out.previous"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "half.csv").write_text("x", encoding="utf-8")
    publish(out, writer("2"), {})
    assert siblings(out) == [".out.lock", "out"]


def test_legacy_previous_is_restored_when_out_is_missing(tmp_path: Path) -> None:
    """The swap before this module ('out -> out.previous') could also die half-way."""
    previous = tmp_path / "out.previous"
    publish(previous, writer("old"), {})
    recover(tmp_path / "out")
    assert (tmp_path / "out" / "LAESMIG.txt").read_text(encoding="utf-8") == "old"


def test_a_failing_writer_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, writer("1"), {})

    def broken(stage: Stage) -> None:
        staging = stage.root
        (staging / "half.csv").write_text("x", encoding="utf-8")
        raise UdsatError("trin fejlede")

    with pytest.raises(UdsatError, match="trin fejlede"):
        publish(out, broken, {})
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "1" and verify(out).ok
    assert siblings(out) == [".out.lock", "out"]


@pytest.mark.parametrize(
    ("code", "where", "says"),
    [
        (errno.ENOSPC, "write", "Disken er fuld"),
        (errno.EROFS, "write", "Der kan ikke skrives"),
        (errno.EROFS, "mkdir", "Der kan ikke skrives"),
        (errno.EACCES, "swap", "Der kan ikke skrives"),
        (errno.EIO, "swap", "Udgivelsen til"),
    ],
)
def test_disk_faults_give_a_danish_error_and_keep_the_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str, says: str
) -> None:
    """Simulated with OSError from the writer, mkdir or the swap (root ignores permissions)."""
    out = tmp_path / "out"
    publish(out, writer("1"), {})
    error = OSError(code, os.strerror(code), str(tmp_path / "x"))

    def failing(stage: Stage) -> None:
        raise error

    write = failing if where == "write" else writer("2")
    if where == "mkdir":
        monkeypatch.setattr(publication, "_new_sibling", lambda o, k: _raise(error))
    if where == "swap":
        monkeypatch.setattr(publication, "_exchange", lambda a, b: _raise(error))
    with pytest.raises(UdsatError) as info:
        publish(out, write, {})
    assert says in str(info.value) and "den tidligere udgivelse" in str(info.value)
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "1" and verify(out).ok
    assert siblings(out) == [".out.lock", "out"]


def _raise(error: BaseException) -> Path:
    raise error


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Path:
    """A real 1 MiB tmpfs (needs root and mount rights; skipped where unavailable)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_real_full_disk_and_read_only_mount(tiny_tmpfs: Path) -> None:
    out = tiny_tmpfs / "out"
    publish(out, writer("1"), {})

    def huge(stage: Stage) -> None:
        staging = stage.root
        (staging / "big.bin").write_bytes(b"\0" * (2 << 20))

    with pytest.raises(UdsatError, match="Disken er fuld"):
        publish(out, huge, {})
    assert verify(out).ok and siblings(out) == [".out.lock", "out"]
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    with pytest.raises(UdsatError, match="Der kan ikke skrives"):
        publish(out, writer("2"), {})
    assert (out / "LAESMIG.txt").read_text(encoding="utf-8") == "1" and verify(out).ok


def test_a_second_run_cannot_publish_at_the_same_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        publication.publication_lock(out),
        pytest.raises(UdsatError, match="En anden kørsel er ved at udgive"),
    ):
        publish(out, writer("1"), {})


def test_verify_lists_missing_extra_and_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, writer("1"), {})
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(out)])
    assert ok.exit_code == 0 and "alle 2 filer er uændrede" in ok.output
    (out / "LAESMIG.txt").write_text("2", encoding="utf-8")  # same size, other bytes
    (out / "tables" / "a.csv").unlink()
    (out / "new.csv").write_text("x", encoding="utf-8")
    result = verify(out)
    assert (result.missing, result.extra, result.changed) == (
        ["tables/a.csv"],
        ["new.csv"],
        ["LAESMIG.txt"],
    )
    bad = runner.invoke(app, ["verify", str(out)])
    assert bad.exit_code == 1
    assert "mangler: tables/a.csv" in bad.output
    assert "ekstra (ikke i manifestet): new.csv" in bad.output
    assert "ændret: LAESMIG.txt" in bad.output


@pytest.mark.parametrize(
    ("manifest", "says"),
    [
        (None, "har ingen run_manifest.json"),
        (b"{", "kan ikke læses som et kørselsmanifest"),
        (b'{"outputs": {"a": {"sha256": "x", "size": -1e999}}}', "kørselsmanifest"),
        (b'{"outputs": []}', "kørselsmanifest"),
    ],
)
def test_verify_of_a_broken_manifest_is_a_clear_error(
    tmp_path: Path, manifest: bytes | None, says: str
) -> None:
    """Regression: the fuzzer found -1e999 (infinity) as size raising OverflowError."""
    tmp_path.joinpath("a").write_text("x", encoding="utf-8")
    if manifest is not None:
        tmp_path.joinpath("run_manifest.json").write_bytes(manifest)
    with pytest.raises(UdsatError, match=says):
        verify(tmp_path)
    assert CliRunner().invoke(app, ["verify", str(tmp_path)]).exit_code == 2


def test_killing_the_demo_at_random_moments_never_breaks_the_publication(
    small_demo: DemoRun, tmp_path: Path
) -> None:
    """SIGKILL a real `udsat demo` at seeded random moments: `out` stays a whole publication.

    `out` starts as a copy of the session's small demo; every run publishes the same bytes
    (same inputs), so after each kill `out` must still be exactly that publication."""
    out = tmp_path / "out"
    shutil.copytree(small_demo.out, out)
    udsat = Path(sys.executable).with_name("udsat")
    command = [str(udsat), "demo", "--persons", str(SMALL_PERSONS)]
    command += ["--cache", str(small_demo.cache), "--out", str(out)]
    env = {**os.environ, "UDSAT_LANG": "da"}
    reference = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert verify(out).ok
    rng = random.Random(20250101)
    # The fixture's run also built the city: kill within the time a cached run takes.
    moments = sorted(rng.uniform(0.2, max(small_demo.seconds * 0.6, 2.0)) for _ in range(3))
    for moment in moments:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert verify(out).ok, moment
        now = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert now == reference, moment
    # A whole run after the kills cleans up after them and, in another process and a later
    # second than the session's run, publishes the same bytes (the demo is reproducible).
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert verify(out).ok
    now = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {"neighbourhoods_k1000.gpkg", "tables/state_lists.xlsx"} <= {p.as_posix() for p in now}
    assert sorted(now) == sorted(reference)
    assert [name for name in now if now[name] != reference[name]] == []
    assert [n for n in siblings(out) if n not in ("out", ".out.lock")] == []
