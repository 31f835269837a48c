"""`opsplan history` output formats, chosen by name; each renderer reads a History."""

from __future__ import annotations

from opsplan.output import Format, Formats

FORMATS = Formats(
    Format("text", "opsplan.history.render.text:render_history", (".txt",)),
    Format("markdown", "opsplan.history.render.markdown:render_history", (".md",)),
    Format("json", "opsplan.history.render.json:render_history", (".json",)),
)
