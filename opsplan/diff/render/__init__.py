"""The formats of `opsplan diff`, each a row naming the function that writes it (imported only
when chosen). Every one is ``render_diff(diff: PlanDiff) -> str``; adding a format is one row
here and one module with that function.

No format claims an extension: `opsplan diff` writes text unless `--format` says otherwise,
whatever the `-o` file is called.
"""

from __future__ import annotations

from opsplan.output import Format, Formats

DIFF_FORMATS = Formats(
    Format("text", "opsplan.diff.render.text:render_diff"),
    Format("markdown", "opsplan.diff.render.markdown:render_diff"),
    Format("json", "opsplan.diff.render.json:render_diff"),
)
