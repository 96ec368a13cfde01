"""The layout of generator/ is the pipeline: stage packages that import only the stages before them,
over foundation modules that import no stage; no import circle anywhere; docs/DESIGN.md lists
every module and no module that is not there.

The graph is read with the standard library's `ast` from every `import` statement, those inside
functions included: an import deferred into a function is still an edge.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "generator"
# The order of the pipeline: a stage may import itself, the foundations and the stages before it.
STAGES = ("load", "compute", "charts", "render", "build", "release")
ENTRY = ("cli", "__main__")  # the command line: may import anything
FOUNDATION = "foundation"  # the other top-level modules and the cache package


def modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The generator modules `name` imports (a `from package import module` counts as the module)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def layer(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1:
        return "package"
    if parts[1] in STAGES:
        return parts[1]
    if parts[1] in ENTRY:
        return "entry"
    return FOUNDATION


RANK = {"package": -1, FOUNDATION: 0, **{stage: i + 1 for i, stage in enumerate(STAGES)}, "entry": len(STAGES) + 1}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_is_in_a_known_place(graph):
    for name in graph:
        parts = name.split(".")
        assert len(parts) <= 3, f"{name}: one level of packages (generator/<stage>/<module>.py)"
        if len(parts) == 3:
            assert parts[1] in (*STAGES, "cache"), f"{name}: not in a stage package nor in cache/"


def upward_edges(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if layer(b) != "package" and RANK[layer(b)] > RANK[layer(a)])


def foundation_edges(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in graph.items() if layer(a) == FOUNDATION
                  for b in targets if layer(b) not in (FOUNDATION, "package"))


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Each circle found by a depth-first search, as the path that closes it."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []
    found: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_stages_import_only_downward(graph):
    assert upward_edges(graph) == []


def test_foundations_import_no_stage(graph):
    assert foundation_edges(graph) == []


def test_no_import_circle(graph):
    assert cycles(graph) == []


def test_the_checks_catch_what_they_are_for(graph):
    """Known edges are in the graph (it is not empty by accident), and each rule fails on a bad graph."""
    assert "generator.load.validation" in graph["generator.build.site"]
    assert "generator.build.site" in graph["generator.release.snapshot"]
    assert "generator.model" in graph["generator.compute.indicators"]
    assert "generator.load.validation" in graph["generator.cli"]  # an import inside a function counts
    bad = {"generator.render.pages": {"generator.build.site"}, "generator.build.site": {"generator.render.pages"},
           "generator.model": {"generator.load.tables"}, "generator.load.tables": set()}
    assert upward_edges(bad) == ["generator.model -> generator.load.tables", "generator.render.pages -> generator.build.site"]
    assert foundation_edges(bad) == ["generator.model -> generator.load.tables"]
    assert cycles(bad) == ["generator.build.site -> generator.render.pages -> generator.build.site"]


def test_design_lists_every_module(graph):
    """docs/DESIGN.md's module table: a module missing from it, or a row without a module, fails."""
    text = (REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(generator/[\w/]+\.py)` \|", text, re.M))
    files = {p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    assert sorted(files - rows) == [], "modules missing from the table in docs/DESIGN.md"
    assert sorted(rows - files) == [], "rows of docs/DESIGN.md naming no module"


def test_modules_stay_small_or_say_why():
    """Modules of one concern: past 300 lines the docstring says why it is one concern."""
    long = []
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > 300 and "one concern" not in doc.lower():
            long.append(f"{path.relative_to(REPO)}: {lines} lines")
    assert long == []
