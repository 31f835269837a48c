"""The report's output formats: one renderer per format, each ``render(report, options)`` giving
the text (JSON gives it in pieces, written as they are made), with one function per section,
imported only when its format is chosen."""

from opsplan.output import Format, Formats

FORMATS = Formats(
    Format("text", "opsplan.report.render.text:render", (".txt", ".text")),
    Format("markdown", "opsplan.report.render.markdown:render", (".md", ".markdown")),
    Format("html", "opsplan.report.render.html:render", (".html", ".htm")),
    Format("json", "opsplan.report.render.json:render", (".json",)),
    # A workbook is binary and holds the plan's "About" table too, so `opsplan report` writes it
    # through the export feature's tables rather than with a (report, options) renderer.
    Format("xlsx", "opsplan.export.render.xlsx:render_xlsx", (".xlsx",)),
)
