"""The formats `opsplan check` writes: a table of name -> renderer, each renderer one function
``render(findings: Findings) -> str`` imported only when its format is chosen.

Adding a format is one row in :data:`FORMATS` and one module here with a ``render`` function.
This module stays light: it imports no renderer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.output import Format, Formats
from opsplan.rules.codes import Rule

FORMATS = Formats(
    Format("text", "opsplan.check.render.text:render", (".txt", ".text")),
    Format("json", "opsplan.check.render.json:render", (".json",)),
    Format("github", "opsplan.check.render.github:render"),
    Format("sarif", "opsplan.check.render.sarif:render", (".sarif",)),
    Format("junit", "opsplan.check.render.junit:render", (".xml",)),
)
DEFAULT_FORMAT = "text"


@dataclass(frozen=True, slots=True)
class Findings:
    """What every check format is written from: the findings as shown (paths as the user reads
    them), the files read, the rules they were judged by, and the error and warning counts,
    counted once here so that every format reports the same summary."""

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    strict: bool = False
    colour: bool = False
    errors: int = 0
    warnings: int = 0
    show_waived: bool = False  # text lists the findings the plan's waivers accept only when asked
    # Waiver id -> why the finding is accepted (reason, owner, expiry): SARIF and JUnit carry it.
    justifications: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], files: Iterable[str], rules: Iterable[Rule] = (),
           *, strict: bool = False, colour: bool = False, show_waived: bool = False,
           justifications: Mapping[str, str] | None = None) -> Findings:
        shown = tuple(diagnostics)
        errors, warnings = count_by_severity(shown)
        return cls(shown, tuple(files), tuple(rules), strict, colour, errors, warnings, show_waived,
                   dict(justifications or {}))

    def justification(self, waiver: str) -> str:
        return self.justifications.get(waiver, f"waived by `{waiver}`")

    @property
    def waived(self) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.waived is not None)

    @property
    def counted(self) -> tuple[Diagnostic, ...]:
        """The findings that count: every one a waiver does not accept."""
        return tuple(diagnostic for diagnostic in self.diagnostics if diagnostic.waived is None)

    @property
    def failed(self) -> bool:
        """Whether the check fails: errors, or warnings under ``--strict``."""
        return self.errors > 0 or (self.strict and self.warnings > 0)


def message_with_hint(diagnostic: Diagnostic) -> str:
    """The message with its hint on a second line, for formats that carry one text per finding
    (GitHub annotations, SARIF results); each format escapes it its own way."""
    return diagnostic.message if not diagnostic.hint else f"{diagnostic.message}\nhint: {diagnostic.hint}"


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings) among ``diagnostics``: the one place a summary's figures are counted."""
    errors = warnings = 0
    for diagnostic in diagnostics:
        if diagnostic.waived is not None:  # accepted by a waiver of the plan: shown, never counted
            continue
        if diagnostic.severity is Severity.ERROR:
            errors += 1
        elif diagnostic.severity is Severity.WARNING:
            warnings += 1
    return errors, warnings
