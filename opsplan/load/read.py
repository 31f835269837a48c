"""Reading a plan's files: list them, read and parse each, and check each one's shape.

The first stages of every run (`check`, `report`, `graph`, `diff`): from a plan source (a folder or
a git revision) to parsed documents, with the findings of each step. Building the model from
them is :mod:`opsplan.load.build`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from opsplan.diagnostics import Diagnostic, Location
from opsplan.load.schema import validate_document
from opsplan.load.source import MAX_FILE_BYTES, ROOT_FILE, Document, PlanSource
from opsplan.load.strict_yaml import decode, parse_document
from opsplan.marks import MarkedMap
from opsplan.rules.codes import MISSING_FIELD, ROOT_FILE_VERSION, SAFETY_LIMIT, YAML_SYNTAX

if TYPE_CHECKING:
    from opsplan.load.cache import DocumentCache


@dataclass(frozen=True, slots=True)
class PlanFiles:
    """What was read of a plan: the root file's document, every parsed document (the root's
    among them), the files read, and the findings of reading them."""

    root: Document | None  # None: opsplan.yaml is missing or could not be read
    documents: tuple[Document, ...]
    files: tuple[str, ...]  # empty when the plan has no opsplan.yaml
    diagnostics: tuple[Diagnostic, ...]
    root_unreadable: bool = False  # reading or parsing opsplan.yaml already said what is wrong

    @property
    def has_root_file(self) -> bool:
        return bool(self.files)


def read_plan(source: PlanSource, cache: DocumentCache | None = None) -> PlanFiles:
    """Every plan file of a source that `exclude:` leaves in, read and parsed (each file's
    document taken from ``cache`` when its bytes are unchanged)."""
    candidates = source.candidate_files()
    refused = source.refusals()
    if ROOT_FILE not in candidates:
        # A root file that is a link out of the plan: that finding alone says why nothing was read.
        linked = [diagnostic for diagnostic in refused if diagnostic.location.file == ROOT_FILE]
        missing = ROOT_FILE_VERSION.finding("the plan has no opsplan.yaml at its root", Location(ROOT_FILE),
                                            hint="create it with `opsplan init`")
        return PlanFiles(None, (), (), tuple(linked or [missing, *refused]))
    root, found = read_document(source, ROOT_FILE, cache)
    diagnostics = list(found)
    root_unreadable = bool(found)
    exclude = _excluded_patterns(root.root if root else None)
    diagnostics += [diagnostic for diagnostic in refused if not is_excluded(diagnostic.location.file, exclude)]
    files = [file for file in candidates if file == ROOT_FILE or not is_excluded(file, exclude)]
    documents: list[Document] = []
    for file in files:
        if file == ROOT_FILE:
            document = root
        else:
            document, found = read_document(source, file, cache)
            diagnostics += found
        if document is not None:
            documents.append(document)
    return PlanFiles(root, tuple(documents), tuple(files), tuple(diagnostics), root_unreadable)


def read_document(source: PlanSource, file: str,
                  cache: DocumentCache | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """One file, from bytes to a parsed document, with the findings of each step."""
    try:
        size = source.size(file)
        if size > MAX_FILE_BYTES:
            return None, [SAFETY_LIMIT.finding(
                f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}", Location(file),
                hint="split the plan over several files")]
        raw = source.read_bytes(file)
    except OSError as error:
        return None, [YAML_SYNTAX.finding(f"cannot read the file: {error.strerror or error}", Location(file))]
    if cache is None:
        return _parse(file, raw)
    digest = cache.read_digests[file] = cache.digest("read", file, raw)
    parsed: tuple[Document | None, list[Diagnostic]] = cache.remember(digest, lambda: _parse(file, raw))
    return parsed


def _parse(file: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    text, diagnostics = decode(file, raw)
    if text is None:
        return None, diagnostics
    root, parse_diagnostics = parse_document(file, text)
    return Document(file, root), [*diagnostics, *parse_diagnostics]


def validate_plan(files: PlanFiles, rule_codes: Sequence[str],
                  cache: DocumentCache | None = None) -> tuple[list[Diagnostic], set[tuple[str | int, ...]]]:
    """The shape of every document; returns the findings and the paths inside entities they
    concern (see :func:`opsplan.load.schema.validate_document`)."""
    diagnostics: list[Diagnostic] = []
    invalid: set[tuple[str | int, ...]] = set()
    for document in files.documents:
        if document.root is None and document.file != ROOT_FILE:
            continue
        if document.root is None:
            if files.root_unreadable:  # a syntax error already says why nothing was read
                continue
            diagnostics.append(MISSING_FIELD.finding("opsplan.yaml is empty", Location(ROOT_FILE),
                                                     hint="it needs `opsplan: 1`, `organization:` and `horizon:`"))
            continue
        found, invalid_here = _validated(document, rule_codes, cache)
        diagnostics += found
        invalid |= invalid_here
    return diagnostics, invalid


def _validated(document: Document, rule_codes: Sequence[str],
               cache: DocumentCache | None) -> tuple[list[Diagnostic], set[tuple[str | int, ...]]]:
    read_digest = cache.read_digests.get(document.file) if cache is not None else None
    if cache is None or read_digest is None:
        return validate_document(document, rule_codes)
    digest = cache.digest("valid", read_digest, "\n".join(rule_codes))
    validated: tuple[list[Diagnostic], set[tuple[str | int, ...]]] = cache.remember(
        digest, lambda: validate_document(document, rule_codes))
    return validated


def is_excluded(path: str, patterns: list[str]) -> bool:
    """Whether a root-relative file path lies in (or is) an excluded folder or file pattern."""
    parts = PurePosixPath(path).parts
    for raw in patterns:
        pattern = raw.strip("/")
        if not pattern:
            continue
        for depth in range(1, len(parts) + 1):
            if fnmatch("/".join(parts[:depth]), pattern):
                return True
    return False



def _excluded_patterns(root: MarkedMap | None) -> list[str]:
    """`exclude:` as written, before its shape is checked: it decides which files are read at all."""
    value: Any = root.get("exclude") if root is not None else None
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
