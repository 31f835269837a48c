"""Progress of long work (big actuals, a long history, a large picture), drawn on standard error.

A line is drawn only for a person watching a terminal: never when standard error is a pipe or a
file (what CI posts back must not fill with carriage returns), never under ``CI=true``, never with
``opsplan --quiet``. The work itself is only handed a plain callable, so no feature depends on
whether anyone is watching.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# Called with the work done so far and the whole of it; a whole of 0 means it is not known.
Advance = Callable[[int, int], None]

# Work that ends sooner than this draws nothing: a flash of a bar is noise, not news.
SHOW_AFTER_SECONDS = 0.5
# Between two redraws: a terminal redrawn on every row would cost more than the rows.
REDRAW_SECONDS = 0.1
BAR_WIDTH = 24
SPINNER = "|/-\\"

_quiet = False
_drawn: _Line | None = None  # the line on the terminal now, wiped before a note is written


def set_quiet(quiet: bool) -> None:
    """``opsplan --quiet``: no progress and no other note that is not needed."""
    global _quiet
    _quiet = quiet


def is_shown() -> bool:
    """Whether progress may be drawn: standard error is a terminal, CI is not set and quiet is off."""
    if _quiet or os.environ.get("CI", "").strip().lower() == "true":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, OSError, ValueError):  # a closed or replaced stream is no terminal
        return False


def before_note() -> None:
    """Wipe the line drawn, if any, so that a note written to standard error starts a line of its
    own; a bar is drawn again on its next advance."""
    if _drawn is not None:
        _drawn.clear()


def _ignore(done: int, total: int) -> None:
    """Progress nobody watches."""


class _Line:
    """One line on the terminal, redrawn in place with a carriage return and wiped at the end."""

    def __init__(self, label: str, unit: str, stream: TextIO) -> None:
        self.label, self.unit, self.stream = label, unit, stream
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.width = 0  # of the longest line drawn, so that clearing wipes all of it
        self.turns = 0
        self.broken = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.broken or now - self.started < SHOW_AFTER_SECONDS or now - self.last_drawn < REDRAW_SECONDS:
            return
        self.last_drawn = now
        self._write("\r" + self._text(done, total))

    def _text(self, done: int, total: int) -> str:
        if total <= 0 or done > total:
            self.turns += 1
            counted = f" {self._amount(done)}" if done > 0 else ""
            return f"opsplan: {self.label} {SPINNER[self.turns % len(SPINNER)]}{counted}"
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return (f"opsplan: {self.label} [{bar}] {100 * done // total:3d}% "
                f"{self._amount(done, unit=False)} of {self._amount(total)}")

    def _amount(self, count: int, *, unit: bool = True) -> str:
        if self.unit == "bytes":
            return f"{count / 1_000_000:,.1f}{' MB' if unit else ''}"
        if not unit or not self.unit:
            return f"{count:,}"
        # Units are given in the plural; one of them is singular (a leaf has no plural helper).
        return f"{count:,} {self.unit[:-1] if count == 1 and self.unit.endswith('s') else self.unit}"

    def clear(self) -> None:
        global _drawn
        if self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0
        _drawn = None

    def _write(self, text: str) -> None:
        global _drawn
        self.width = max(self.width, len(text) - 1)
        _drawn = self
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: the work goes on without a bar
            self.broken = True


@contextmanager
def step(label: str) -> Iterator[None]:
    """One step of unknown length that reports nothing as it goes (a picture being drawn by an
    outside program): its label is shown at once and wiped when it is done."""
    if not is_shown():
        yield
        return
    line = _Line(label, "", sys.stderr)
    line._write(f"\ropsplan: {label} ...")
    try:
        yield
    finally:
        line.clear()


@contextmanager
def progress(label: str, unit: str = "") -> Iterator[Advance]:
    """A callable that draws ``label``'s progress (``unit``: "bytes", or a word such as "commits")
    while the block runs, and nothing when nobody is watching; the line is wiped at the end."""
    if not is_shown():
        yield _ignore
        return
    line = _Line(label, unit, sys.stderr)
    try:
        yield line
    finally:
        line.clear()
