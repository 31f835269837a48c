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


@dataclass(frozen=True, slots=True)
class TextScan:
    """What the pass over a file found: a problem, or None; and whether a carriage return ends a
    line on its own (old Mac line ends), which only the csv module counts as Python does."""

    problem: TextProblem | None
    lone_carriage_return: bool = False


def scan_text(path: Path) -> TextScan:
    """The first reason the file is not UTF-8 text, or None, and the line ends seen on the way; an
    invalid byte is reported at its line and wins over NUL bytes, reported for the whole file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    before = 0  # bytes in the chunks already decoded
    has_nul = False
    returns = 0  # carriage returns not followed by a newline, so far
    ended_with_return = False
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            final = not chunk
            try:
                # A chunk of ASCII alone, with no character cut short before it, is UTF-8 as it
                # stands: decoding it would make a text of a megabyte only to drop it (most of
                # this pass over a ledger, which is mostly ASCII).
                if final or decoder.getstate()[0] or not chunk.isascii():
                    decoder.decode(chunk, final)
            except UnicodeDecodeError as error:
                # The decoder may hold back the last bytes of the previous chunk: count the lines
                # up to the failing byte, whichever chunk it started in.
                pending = error.object[:error.start] if isinstance(error.object, bytes) else b""
                return TextScan(TextProblem("file is not valid UTF-8", _lines(path, before) + pending.count(b"\n") + 1,
                                            "save it as UTF-8 (CSV UTF-8 in spreadsheet programs)"))
            if final:
                break
            before += len(chunk)
            has_nul = has_nul or b"\x00" in chunk
            if ended_with_return and chunk.startswith(b"\n"):
                returns -= 1  # the \r\n was split between two chunks
            if b"\r" in chunk:  # most files have none: not counted at all then
                returns += chunk.count(b"\r") - chunk.count(b"\r\n")
            ended_with_return = chunk.endswith(b"\r")
    if has_nul:
        return TextScan(TextProblem("file holds NUL bytes: not a CSV text file"))
    return TextScan(None, returns > 0)


def _lines(path: Path, size: int) -> int:
    """The newlines in the first ``size`` bytes of a file: counted only to place a bad byte."""
    count = 0
    with open(path, "rb") as stream:
        while size > 0:
            chunk = stream.read(min(CHUNK_BYTES, size))
            if not chunk:
                break
            count += chunk.count(b"\n")
            size -= len(chunk)
    return count
