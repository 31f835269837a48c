"""The shape of the code, read from its source with `ast` (nothing is imported): no import loops,
imports only downward through the floors, no module grown into two jobs.

    commands (cli, commands/)
      -> features (check, report, graph, diff, history, review, listing, export; with render/)
        -> selection -> rules -> formulas -> load -> rule declarations (rules/codes)
          -> model -> values -> marks -> diagnostics
            -> leaves (output, render/, figures, templates, progress, the package's version)

Every import counts: at module level, inside functions and under TYPE_CHECKING alike, because
each of them is a dependency a reader has to follow. docs/make_architecture.py draws the same
graph for docs/architecture.md.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "opsplan"
ARCHITECTURE_DOC = REPO / "docs" / "architecture.md"

Graph = Mapping[str, set[str]]
Import = tuple[str, str]  # (importing module, imported module)

# --- the rules ---------------------------------------------------------------------------------

# The floors from the top down, each named by the packages and modules it holds. A module imports
# modules of its own floor or of a floor below it, never above.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("commands", ("opsplan.__main__", "opsplan.cli", "opsplan.commands")),
    ("features", ("opsplan.check", "opsplan.report", "opsplan.graph", "opsplan.diff", "opsplan.history",
                  "opsplan.review", "opsplan.export", "opsplan.listing")),
    # The selector language every command shares (ls, report, export, graph).
    ("selection", ("opsplan.select",)),
    ("rules", ("opsplan.rules",)),
    # Figures the rules check and the report shows (a role's cost, a process's utilisation).
    ("formulas", ("opsplan.formulas",)),
    ("load", ("opsplan.load",)),
    # The codes the loader raises are declared with every other rule, in a module of plain
    # declarations that imports only diagnostics, so the loader may raise them.
    ("rule declarations", ("opsplan.rules.codes",)),
    ("model", ("opsplan.model",)),
    ("values", ("opsplan.values",)),
    ("marks", ("opsplan.marks",)),
    ("diagnostics", ("opsplan.diagnostics",)),
    # Helpers every floor may use; they import nothing of opsplan themselves.
    ("leaves", ("opsplan", "opsplan.output", "opsplan.render", "opsplan.figures", "opsplan.templates",
                "opsplan.progress", "opsplan.lifetime")),
]

COMMANDS_FLOOR, FEATURES_FLOOR = 0, 1

# On the features floor, each feature stands alone except for these.
FEATURE_MAY_IMPORT: dict[str, set[str]] = {
    "diff": {"check"},   # a revision is checked by the check pipeline before it is compared
    "report": {"graph"},  # the goals section walks (and the HTML page draws) the goal graph
    "history": {"report"},  # whether a goal was off-track when it was eased is the report's pace
    "review": set(),
    "export": {"report"},  # `export --report` writes the report's figures as tables
    "listing": set(),
    "check": set(),
    "graph": set(),
}

# Imports that break a rule on purpose, each with its reason. Keep this short.
ALLOWED: dict[Import, str] = {
    ("opsplan", "opsplan.check.pipeline"):
        "the library API: `opsplan.check_path` is looked up on first use (PEP 562), so that "
        "`import opsplan` for its version stays light",
}

# What the tree does today and must stop doing. Each entry is checked to still happen, so an
# entry that is fixed fails this test until it is removed from here.
KNOWN_UPWARD: dict[Import, str] = {}
KNOWN_CYCLES: dict[Import, str] = {}

MAX_LINES = 450
# Modules allowed over MAX_LINES because they are one cohesive table, with the reason.
LONG_TABLES: dict[str, str] = {}
# Modules over MAX_LINES today that are to be split; checked like the KNOWN_* imports.
KNOWN_LONG: set[str] = set()


# --- reading the source ------------------------------------------------------------------------

def module_files(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path, known: Iterable[str]) -> set[str]:
    """The opsplan modules ``module`` imports anywhere in its file. ``from a import b`` counts as
    an import of ``a.b`` when that is a module, else of ``a``."""
    modules = set(known)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join([*package[:len(package) - node.level + 1], *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {name for name in found if name in modules and name != module}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_files(package)
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


# --- judging a graph ---------------------------------------------------------------------------

def cycles(graph: Graph) -> list[list[str]]:
    """The import loops of ``graph``: its strongly connected parts of more than one module (or a
    module importing itself), each sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowest[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                lowest[node] = min(lowest[node], lowest[target])
            elif target in on_stack:
                lowest[node] = min(lowest[node], index[target])
        if lowest[node] == index[node]:
            part = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1 or node in graph.get(node, ()):
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def owner(module: str, prefixes: Iterable[str]) -> str | None:
    """The longest of ``prefixes`` that is ``module`` or a package holding it."""
    holding = [prefix for prefix in prefixes if module == prefix or module.startswith(prefix + ".")]
    return max(holding, key=len, default=None)


def floor_of(module: str) -> int:
    everything = {prefix: number for number, (_, prefixes) in enumerate(FLOORS) for prefix in prefixes}
    prefix = owner(module, everything)
    if prefix is None:
        raise AssertionError(f"{module} is on no floor: add its package to FLOORS in {Path(__file__).name}")
    return everything[prefix]


def feature_of(module: str) -> str:
    return module.split(".")[1]


def is_render(module: str) -> bool:
    """Whether ``module`` is in a feature's render/ package (opsplan.report.render.text)."""
    return module.split(".")[2:3] == ["render"] and floor_of(module) == FEATURES_FLOOR


def breaches(graph: Graph) -> list[str]:
    """Every import that goes against the floors, one sentence each."""
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if (module, target) in ALLOWED:
                continue
            floor, target_floor = floor_of(module), floor_of(target)
            if target_floor < floor:
                found.append(f"{module} imports {target}, a floor above it "
                             f"({FLOORS[target_floor][0]} over {FLOORS[floor][0]})")
            elif floor == FEATURES_FLOOR == target_floor:
                feature, other = feature_of(module), feature_of(target)
                if other != feature and other not in FEATURE_MAY_IMPORT[feature]:
                    found.append(f"{module} imports {target}: the {feature} feature may not use the {other} feature")
                elif is_render(target) and not is_render(module):
                    found.append(f"{module} imports {target}: analysis never imports a renderer")
            elif target == "opsplan.cli" and module != "opsplan.__main__":
                found.append(f"{module} imports opsplan.cli: only `python -m opsplan` runs the command line")
            elif module == "opsplan.cli" and target.startswith("opsplan.commands"):
                found.append(f"opsplan.cli imports {target}: commands are loaded from the table when they run")
    return found


def without(graph: Graph, imports: Iterable[Import]) -> dict[str, set[str]]:
    dropped = set(imports)
    return {module: {target for target in targets if (module, target) not in dropped}
            for module, targets in graph.items()}


def by_package(graph: Graph) -> dict[str, set[str]]:
    """The graph between top-level packages (a feature's render/ apart from its analysis)."""

    floors = {prefix for _, prefixes in FLOORS for prefix in prefixes}

    def package(module: str) -> str:
        parts = module.split(".")
        # A module that is a floor of its own (rules.codes) is apart from its package.
        own = next((prefix for prefix in floors if prefix.count(".") > 1 and owner(module, [prefix])), None)
        return own or ".".join(parts[:3] if is_render(module) else parts[:2])

    collapsed: dict[str, set[str]] = {}
    for module, targets in graph.items():
        collapsed.setdefault(package(module), set()).update(
            package(target) for target in targets if package(target) != package(module))
    return collapsed


# --- the tree as it is -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def _list(items: Iterable[object]) -> str:
    return "\n  ".join(str(item) for item in items)


def test_no_import_loops(graph: Graph) -> None:
    loops = cycles(without(graph, [*ALLOWED, *KNOWN_UPWARD, *KNOWN_CYCLES]))
    assert not loops, f"import loops:\n  {_list(loops)}"


def test_no_loops_between_packages(graph: Graph) -> None:
    loops = cycles(by_package(without(graph, [*ALLOWED, *KNOWN_UPWARD, *KNOWN_CYCLES])))
    assert not loops, f"import loops between packages:\n  {_list(loops)}"


def test_imports_go_down_the_floors(graph: Graph) -> None:
    found = breaches(without(graph, KNOWN_UPWARD))
    assert not found, f"imports against the floors:\n  {_list(found)}"


def test_known_exceptions_still_happen(graph: Graph) -> None:
    gone = [edge for edge in [*ALLOWED, *KNOWN_UPWARD, *KNOWN_CYCLES] if edge[1] not in graph.get(edge[0], ())]
    assert not gone, f"fixed, remove from ALLOWED / KNOWN_UPWARD / KNOWN_CYCLES:\n  {_list(gone)}"


def test_no_module_is_two_jobs() -> None:
    lengths = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in module_files().items()}
    long = {module for module, lines in lengths.items() if lines > MAX_LINES} - set(LONG_TABLES)
    assert not long - KNOWN_LONG, f"modules over {MAX_LINES} lines: {sorted(long - KNOWN_LONG)}"
    shortened = KNOWN_LONG - long
    assert not shortened, f"now at most {MAX_LINES} lines, remove from KNOWN_LONG: {sorted(shortened)}"


def test_help_imports_no_command() -> None:
    script = ("import sys; from opsplan.cli import main\n"
              "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith('opsplan.') and m != 'opsplan.cli'))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = eval(shown.stdout.strip().splitlines()[-1])  # a list of strings printed by the child
    assert loaded == ["opsplan.commands"], loaded


def test_the_picture_in_the_docs_is_the_tree(graph: Graph) -> None:
    sys.path.insert(0, str(REPO / "docs"))
    try:
        from make_architecture import BEGIN, END, mermaid
    finally:
        sys.path.remove(str(REPO / "docs"))
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    drawn = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert drawn.strip() == mermaid(graph).strip(), "run `python docs/make_architecture.py` to redraw it"


# --- the rules themselves, on small made-up trees ----------------------------------------------

def _tree(*imports: Import) -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {}
    for module, target in imports:
        tree.setdefault(module, set()).add(target)
        tree.setdefault(target, set())
    return tree


def test_a_loop_is_found() -> None:
    tree = _tree(("opsplan.report.build", "opsplan.report.gaps"), ("opsplan.report.gaps", "opsplan.report.build"),
                 ("opsplan.report.gaps", "opsplan.model"))
    assert cycles(tree) == [["opsplan.report.build", "opsplan.report.gaps"]]
    assert cycles(_tree(("opsplan.model", "opsplan.model"))) == [["opsplan.model"]]
    assert cycles(_tree(("opsplan.check.pipeline", "opsplan.load.build"), ("opsplan.load.build", "opsplan.model"))) == []


def test_a_loop_between_packages_is_found() -> None:
    tree = _tree(("opsplan.load.build", "opsplan.model"), ("opsplan.model", "opsplan.load.source"))
    assert cycles(tree) == []
    assert cycles(by_package(tree)) == [["opsplan.load", "opsplan.model"]]


@pytest.mark.parametrize(("imported", "why"), [
    (("opsplan.model", "opsplan.load.source"), "a floor above it"),
    (("opsplan.load.actuals", "opsplan.check.pipeline"), "a floor above it"),
    (("opsplan.rules.budgets", "opsplan.commands.common"), "a floor above it"),
    (("opsplan.commands.check", "opsplan.cli"), "only `python -m opsplan` runs the command line"),
    (("opsplan.check.pipeline", "opsplan.report.build"), "the check feature may not use the report feature"),
    (("opsplan.graph.build", "opsplan.diff.compare"), "the graph feature may not use the diff feature"),
    (("opsplan.report.build", "opsplan.report.render.text"), "analysis never imports a renderer"),
    (("opsplan.cli", "opsplan.commands.check"), "loaded from the table"),
])
def test_an_import_against_the_floors_is_found(imported: Import, why: str) -> None:
    found = breaches(_tree(imported))
    assert len(found) == 1 and why in found[0], found


@pytest.mark.parametrize("imported", [
    ("opsplan.commands.check", "opsplan.check.render"),
    ("opsplan.commands.check", "opsplan.commands.common"),
    ("opsplan.__main__", "opsplan.cli"),
    ("opsplan.diff.compare", "opsplan.check.pipeline"),
    ("opsplan.report.gaps", "opsplan.graph.build"),
    ("opsplan.report.render.text", "opsplan.report.build"),
    ("opsplan.check.pipeline", "opsplan.load.source"),
    ("opsplan.load.build", "opsplan.diagnostics"),
    ("opsplan.check.render.sarif", "opsplan"),
])
def test_an_import_down_the_floors_is_allowed(imported: Import) -> None:
    assert breaches(_tree(imported)) == []


def test_imports_are_read_everywhere_in_a_file(tmp_path: Path) -> None:
    package = tmp_path / "opsplan"
    (package / "load").mkdir(parents=True)
    for name in ("__init__.py", "model.py", "diagnostics.py", "load/__init__.py", "load/source.py"):
        (package / name).write_text("", encoding="utf-8")
    (package / "model.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from opsplan.diagnostics import Location\n"
        "def at() -> None:\n    from .load import source\n", encoding="utf-8")
    assert import_graph(package)["opsplan.model"] == {"opsplan.diagnostics", "opsplan.load.source"}

