"""Time `opsplan graph` on a generated plan: 1,000 processes in 20 departments by default.

    python benchmarks/graph_render.py [PROCESSES]

Prints seconds per step and format; with the `dot` program installed, also `dot` alone on the
same DOT file. Numbers to read, never asserts.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from opsplan.analysis.graphs import analyse_processes, build_graph
from opsplan.pipeline import check_path
from opsplan.render.dot import render_dot
from opsplan.render.graph_json import render_graph_json
from opsplan.render.image import NoImageRenderer, render_image
from opsplan.render.mermaid import render_mermaid

T = TypeVar("T")
ROOT = "opsplan: 1\norganization: {name: Bench Co, currency: USD}\nhorizon: {start: 2027-01-01, end: 2029-12-31}\n"


def generate(folder: Path, processes: int, departments: int = 20, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["departments:"]
    lines += [f"  d{i}: {{name: Department {i}, head: Head {i}, headcount: {rng.randint(3, 90)}}}"
              for i in range(departments)]
    lines.append("processes:")
    for i in range(processes):
        depends = sorted({f"p{rng.randrange(i)}" for _ in range(rng.randint(0, 3))}) if i else []
        lines += [f"  p{i}:", f"    name: Process {i}", f"    owner: d{rng.randrange(departments)}",
                  f"    depends_on: [{', '.join(depends)}]", f"    cycle_time: {rng.randint(1, 48)}h",
                  "    kpis: {k: {name: K, unit: count, better: higher, baseline: 1, target: 2}}"]
    (folder / "opsplan.yaml").write_text(ROOT, encoding="utf-8")
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(label: str, step: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = step()
    print(f"{label:<38} {time.perf_counter() - start:8.3f} s")
    return value


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), count)
        _, result = timed(f"check ({count} processes)", lambda: check_path(Path(folder)))
        plan = result.plan
        assert plan is not None, result.diagnostics[:3]
        graph = timed("build processes view", lambda: build_graph(plan, "processes"))
        timed("analyze", lambda: analyse_processes(plan))
        dot_source = timed("format dot", lambda: render_dot(graph))
        timed("format mermaid", lambda: render_mermaid(graph))
        timed("format json", lambda: render_graph_json(graph))
        for engine in ("sfdp", "dot"):
            for image_format in ("svg", "png", "pdf"):
                try:
                    _, renderer = timed(f"{image_format} via {engine}", lambda f=image_format, e=engine: render_image(dot_source, f, e))
                    print(f"    ({renderer})")
                except NoImageRenderer as error:
                    print(f"{image_format} via {engine}: skipped ({error})")
        program = shutil.which("dot")
        if program:
            dot_file = Path(folder) / "graph.dot"
            dot_file.write_text(dot_source, encoding="utf-8")
            for engine in ("sfdp", "dot"):
                timed(f"dot alone -K{engine} -Tsvg", lambda e=engine: subprocess.run(
                    [program, f"-K{e}", "-Tsvg", str(dot_file)], capture_output=True, check=True))


if __name__ == "__main__":
    main()
