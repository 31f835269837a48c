"""Output formats and writing outputs.

Every command picks its renderer from a table of `Format`s (name -> ``module:function``,
imported only when chosen), so adding a format is one row and one function; outputs are written
atomically, so a reader never sees half a file and a failure loses nothing.
"""

from __future__ import annotations

import importlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Format:
    """One output format of a command: its renderer (``"package.module:function"``, imported on
    first use so that start-up stays light) and the file extensions that imply it with ``-o``."""

    name: str
    renderer: str
    extensions: tuple[str, ...] = ()

    def load(self) -> Callable[..., Any]:
        module, function = self.renderer.split(":")
        renderer: Callable[..., Any] = getattr(importlib.import_module(module), function)
        return renderer


class FormatMismatch(ValueError):
    """`--format` names one format and the `-o` file's extension another."""


class Formats(Mapping[str, Format]):
    """A command's formats by name, in the order `--help` lists them."""

    def __init__(self, *formats: Format) -> None:
        self._formats = {format_.name: format_ for format_ in formats}

    def __getitem__(self, name: str) -> Format:
        return self._formats[name]

    def __iter__(self) -> Any:
        return iter(self._formats)

    def __len__(self) -> int:
        return len(self._formats)

    def by_extension(self) -> dict[str, str]:
        return {extension: format_.name for format_ in self._formats.values() for extension in format_.extensions}

    def implied(self, output: Path | None) -> str | None:
        """The format an output file's extension stands for (case-insensitive); None for standard
        output or an extension no format claims (``.out``, ``.log``)."""
        if output is None or str(output) == "-":
            return None
        return self.by_extension().get(output.suffix.lower())

    def choose(self, named: str | None, output: Path | None, default: str) -> str:
        """The format to write: the one `--format` names, else the one the `-o` file's extension
        says, else ``default``. A contradiction (`graph.png` holding DOT text) is refused."""
        implied = self.implied(output)
        if named is not None and implied is not None and named != implied:
            assert output is not None
            raise FormatMismatch(
                f"-o {output} ends in {output.suffix}, which is written as {implied}, but --format {named} "
                f"was given: drop --format, or give the file an extension of {named}")
        return named or implied or default


# What a renderer returns: its text, or the pieces of a long text in order (a ledger's JSON
# report is written while it is made, never held whole), or the bytes of a binary format.
Content = str | bytes | Iterable[str]


def blocks(content: Content) -> Iterator[bytes]:
    """``content`` as UTF-8 bytes, in blocks of about a megabyte: few writes, little held."""
    if isinstance(content, bytes):
        yield content
    elif isinstance(content, str):
        yield content.encode("utf-8")
    else:
        for block in text_blocks(content):
            yield block.encode("utf-8")


def text_blocks(pieces: Iterable[str]) -> Iterator[str]:
    """Pieces of text joined into blocks of about a megabyte."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)


BLOCK = 1 << 20


def write_atomic(path: Path, content: Content) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` in one step; a
    device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`) is written in place."""
    try:
        existing = path.stat().st_mode
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing):
        # Renaming over a device would replace it with a regular file (as root, common in CI
        # containers) or fail; what is written to it is a stream, so atomicity means nothing there.
        with open(path, "wb") as stream:
            stream.writelines(blocks(content))
        return
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.writelines(blocks(content))
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would have:
        # an existing file's mode, else what the umask allows.
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_one_of(path: Path, files: Iterable[Path]) -> bool:
    """Whether ``path`` names one of ``files`` (through any link or hard link)."""
    try:
        target = path.stat()
    except OSError:
        return False
    for file in files:
        try:
            found = file.stat()
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
