"""Every change to a law or method file comes with a version bump and a CHANGELOG.md entry.

CHANGELOG.md names, for every version of each file, the fingerprint of its content (the parsed
YAML, so comments and layout do not count). A file whose content changed while its version
stayed the same no longer matches its entry, and this test fails, saying what to write.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "udsat"
VERSIONED = {
    "almenboligloven.yaml": SRC / "statelists" / "law" / "almenboligloven.yaml",
    "screening/config.yaml": SRC / "screening" / "config.yaml",
    "indicators/catalogue.yaml": SRC / "indicators" / "catalogue.yaml",
    "monitoring/goals.yaml": SRC / "monitoring" / "goals.yaml",
}
ENTRY = re.compile(
    r"^### `(?P<file>[\w./]+)` version (?P<version>\S+) · content `(?P<hash>[0-9a-f]{16})`", re.M
)


def fingerprint(path: Path) -> tuple[str, str]:
    """(version, the first 16 hex digits of the sha256 of the parsed content)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    canonical = json.dumps(_keys_as_text(content), sort_keys=True, ensure_ascii=False, default=str)
    return str(content["version"]), hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _keys_as_text(node: object) -> object:
    """Date keys (the law's dated values) as text, so the content can be serialised."""
    if isinstance(node, dict):
        return {str(k): _keys_as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_keys_as_text(v) for v in node]
    return node


def entries() -> dict[tuple[str, str], str]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return {(m["file"], m["version"]): m["hash"] for m in ENTRY.finditer(text)}


@pytest.mark.parametrize("name", list(VERSIONED))
def test_each_file_version_has_its_changelog_entry(name: str) -> None:
    version, digest = fingerprint(VERSIONED[name])
    line = f"### `{name}` version {version} · content `{digest}`"
    recorded = entries().get((name, version))
    assert recorded is not None, (
        f"CHANGELOG.md has no entry for {name} version {version}: add\n{line}"
    )
    assert recorded == digest, (
        f"{name} changed but its version is still {version}: bump `version` in the file and add "
        f"an entry to CHANGELOG.md naming the list years and areas the change can affect, "
        f"headed with the new version's line, e.g.\n{line.replace(version, '<new version>')}"
        f"\n(the content fingerprint changes with the version: rerun this test for it)."
    )


def test_a_changed_law_without_a_bump_is_caught(tmp_path: Path) -> None:
    """The check itself: lowering one threshold in a copy changes the fingerprint."""
    law = VERSIONED["almenboligloven.yaml"]
    text = law.read_text(encoding="utf-8")
    changed = tmp_path / "law.yaml"
    changed.write_text(text.replace("value: 60.0", "value: 50.0", 1), encoding="utf-8")
    assert fingerprint(changed)[0] == fingerprint(law)[0]
    assert fingerprint(changed)[1] != fingerprint(law)[1]
    commented = tmp_path / "commented.yaml"
    commented.write_text("# a comment only\n" + text, encoding="utf-8")
    assert fingerprint(commented) == fingerprint(law)
