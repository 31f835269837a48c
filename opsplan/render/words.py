"""Words every output writes the same way, whichever feature writes it."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 file``, ``3 files``; ``plural_noun`` where adding an s is not the plural."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"
