"""The structure the code promises (docs/architecture.md), checked from the source itself:
no import cycles (imports inside functions count), the report imports nothing of the pipeline,
and only the publication layer writes outputs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "udsat"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the udsat modules it imports anywhere in its text (functions included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names]
                targets = [t if t in modules else base for t in targets]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target.startswith("udsat") and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_counting_imports_inside_functions() -> None:
    graph = import_graph()
    assert "udsat.pipeline" in graph["udsat.commands.lists"]  # the graph sees real imports
    assert cycles(graph) == []


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph folded into top-level packages and modules (udsat.x)."""

    def top(module: str) -> str:
        return ".".join(module.split(".")[:2])

    folded: dict[str, set[str]] = {}
    for module, targets in graph.items():
        folded.setdefault(top(module), set()).update(top(t) for t in targets)
    return {k: v - {k} for k, v in folded.items()}


def test_no_cycles_between_packages_and_publish_knows_no_domain() -> None:
    packages = package_graph(import_graph())
    assert cycles(packages) == []
    below = {"udsat", "udsat.errors", "udsat.i18n", "udsat.runlog"}
    assert packages["udsat.publish"] <= below


def test_the_report_reads_results_only() -> None:
    graph = import_graph()
    report = [m for m in graph if m.startswith("udsat.report")]
    for module in report:
        above = [t for t in graph[module] if t.startswith(("udsat.pipeline", "udsat.commands"))]
        assert above == [] and "udsat.cli" not in graph[module], module
    for module in [m for m in report if m != "udsat.report.site"]:
        text = _modules()[module].read_text(encoding="utf-8")
        assert ".sql(" not in text and "duckdb" not in text, module


WRITES = re.compile(
    r"\.(to_csv|to_parquet|to_file|to_excel|write_text|write_bytes|savefig)\(|"
    r"\b(os\.rename|os\.replace|shutil\.move|shutil\.rmtree)\("
)
# Writers of inputs and caches, not of outputs: the synthetic dataset; the dataset's derived
# cache, whose files go through contract/cachefile.py (the remembered validation writes its
# text into the temporary file that helper gives it); the developers' tools that regenerate the
# docs' generated blocks.
NOT_OUTPUTS = (
    "udsat/publish/",
    "udsat/synth/",
    "udsat/contract/cachefile.py",
    "udsat/contract/validation_cache.py",
    "udsat/contract/doc.py",
    "udsat/indicators/doc.py",
    "udsat/warning/doc.py",
)


def test_only_the_publication_layer_writes_outputs() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith(NOT_OUTPUTS):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
