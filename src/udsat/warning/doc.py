"""The backtest tables of docs/early-warning.md, generated from `udsat warn --backtest` output.

    udsat warn --backtest --data CITY --out OUT            # one output directory per city
    python -m udsat.warning.doc docs/early-warning.md default=OUT shocked=OUT2

Each NAME=DIR replaces the block between `<!-- backtest:NAME -->` and `<!-- /backtest:NAME -->`
with the English report the command published (DIR/backtest_en.md) and a line naming the run
(its manifest: dataset, seed, draws). A developer tool: it rewrites the repository's own
documentation, not an output of a run, so it writes the file itself.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def run_line(manifest: dict) -> str:
    """What was run, from a backtest's run_manifest.json."""
    config, dataset = manifest["configuration"], manifest.get("dataset", {})
    years = config["years"]
    return (
        f"`udsat warn --backtest --draws {config['draws']} --seed {manifest['seed']}` "
        f"on {dataset.get('name', 'the dataset')} ({dataset.get('source', '')}, seed "
        f"{dataset.get('seed', '-')}, rows {'-'.join(map(str, dataset.get('years', [])))}), "
        f"list years {years[0]}-{years[-1]}, {config['resamples']} area resamples; "
        f"udsat {manifest['udsat_version']}."
    )


def block(directory: Path) -> str:
    """The generated Markdown of one backtest output directory."""
    manifest = json.loads((directory / "run_manifest.json").read_text(encoding="utf-8"))
    report = (directory / "backtest_en.md").read_text(encoding="utf-8").strip()
    return f"{run_line(manifest)}\n\n{report}\n"


def replace_block(text: str, name: str, content: str) -> str:
    """`text` with the block `name` replaced by `content`; an error if the markers are missing."""
    pattern = re.compile(rf"(<!-- backtest:{name} -->\n)(.*?)(<!-- /backtest:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"no block <!-- backtest:{name} --> ... <!-- /backtest:{name} -->")
    return pattern.sub(lambda m: m.group(1) + content + m.group(3), text)


def main(argv: list[str]) -> None:
    if len(argv) < 2 or not all("=" in a for a in argv[1:]):
        raise SystemExit(__doc__)
    doc = Path(argv[0])
    text = doc.read_text(encoding="utf-8")
    for pair in argv[1:]:
        name, directory = pair.split("=", 1)
        text = replace_block(text, name, block(Path(directory)))
    doc.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
