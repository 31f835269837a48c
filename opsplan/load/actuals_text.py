"""Whether an actuals file is text opsplan can read, found in chunks so that a file of any size
is checked in constant memory: valid UTF-8 (a leading byte-order mark allowed), no NUL bytes."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class TextProblem:
    message: str
    line: int | None = None
    hint: str | None = None


def text_problem(path: Path) -> TextProblem | None:
    """The first reason the file is not UTF-8 text, or None; an invalid byte is reported at its
    line and wins over NUL bytes, which are reported for the whole file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0  # newlines in the chunks already decoded
    has_nul = False
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            final = not chunk
            try:
                decoder.decode(chunk, final)
            except UnicodeDecodeError as error:
                # The decoder may hold back the last bytes of the previous chunk: count the lines
                # up to the failing byte, whichever chunk it started in.
                pending = error.object[:error.start] if isinstance(error.object, bytes) else b""
                return TextProblem("file is not valid UTF-8", lines_before + pending.count(b"\n") + 1,
                                   "save it as UTF-8 (CSV UTF-8 in spreadsheet programs)")
            if final:
                break
            lines_before += chunk.count(b"\n")
            has_nul = has_nul or b"\x00" in chunk
    if has_nul:
        return TextProblem("file holds NUL bytes: not a CSV text file")
    return None
