"""Draw the package graph of opsplan into docs/architecture.md, as a Mermaid block GitHub renders.

Run from the repository root:  python docs/make_architecture.py
The graph is read from the source with `ast` by tests/test_architecture.py, which also checks
that the picture in the docs is the tree's.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from test_architecture import (  # noqa: E402
    ALLOWED,
    ARCHITECTURE_DOC,
    FLOORS,
    KNOWN_CYCLES,
    KNOWN_UPWARD,
    by_package,
    floor_of,
    import_graph,
)

BEGIN = "<!-- module graph: python docs/make_architecture.py -->\n"
END = "<!-- end of module graph -->"
# Data with no imports of its own (the scaffolding templates) would only crowd the picture.
LEFT_OUT = {"opsplan.templates", "opsplan.__main__"}


def _node(package: str) -> str:
    return package.replace(".", "_") or "opsplan"


def _label(package: str) -> str:
    if package == "opsplan":
        return "opsplan (version, library API)"
    return package.removeprefix("opsplan.").replace(".", "/") + ("/" if _is_folder(package) else "")


def _is_folder(package: str) -> bool:
    return (REPO / Path(*package.split("."))).is_dir()


def mermaid(graph: Mapping[str, set[str]]) -> str:
    """The graph between packages, one box per floor. Imports that are exceptions (see ALLOWED and
    KNOWN_* in tests/test_architecture.py) are dashed; imports of the leaves, which every floor
    may use, are left out."""
    packages = by_package(graph)
    exceptions: dict[str, set[str]] = {}
    for module, target in [*ALLOWED, *KNOWN_UPWARD, *KNOWN_CYCLES]:
        exceptions.setdefault(module, set()).add(target)
    to_go = by_package(exceptions)
    leaves = len(FLOORS) - 1
    shown = sorted(package for package in packages if package not in LEFT_OUT)
    lines = ["```mermaid", "flowchart TD"]
    for number, (floor, _) in enumerate(FLOORS):
        members = [package for package in shown if floor_of(package) == number]
        if not members:
            continue
        lines.append(f"  subgraph {floor}")
        lines.extend(f'    {_node(package)}["{_label(package)}"]' for package in members)
        lines.append("  end")
    for package in shown:
        for target in sorted(packages[package]):
            if target in LEFT_OUT or floor_of(target) == leaves:
                continue
            dashed = target in to_go.get(package, set()) and not _also_plain(graph, package, target)
            lines.append(f"  {_node(package)} {'-.->' if dashed else '-->'} {_node(target)}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _also_plain(graph: Mapping[str, set[str]], package: str, target: str) -> bool:
    """Whether some import from ``package`` to ``target`` is not one of the exceptions."""
    exceptions = {*ALLOWED, *KNOWN_UPWARD, *KNOWN_CYCLES}
    plain = {module: {t for t in targets if (module, t) not in exceptions} for module, targets in graph.items()}
    return target in by_package(plain).get(package, set())


def main() -> int:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    ARCHITECTURE_DOC.write_text(text[:start] + mermaid(import_graph()) + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
