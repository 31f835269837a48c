"""The check cache (`opsplan check --cache`): each plan file's parsed document and shape
findings, kept under `.opsplan-cache/` at the plan root, so that a re-check after editing one
file parses and validates that file alone; and what the actuals gave, kept whole
(:mod:`opsplan.load.actuals_cache`).

An entry is found by a digest of what decides its content: the opsplan version, the schemas,
the file's path and its bytes (and, for shape findings, the rule codes `rules:` may name), so
an edited, renamed or moved file is simply a new entry. The cache can only make a run faster:
an entry that is missing, truncated, corrupt, of another version or not signed by this user is
read as a miss, and a folder that cannot be written is left alone; either way the output is
what a run without the cache prints.

Entries are pickles, and a plan's folder arrives in pull requests: each entry is signed with a
key kept in the user's own cache folder (never in the plan), and one whose signature does not
match is never unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_FOLDER = ".opsplan-cache"
_SIGNATURE_BYTES = 32


def _user_key() -> bytes | None:
    """This user's signing key, created on first use; None when it cannot be kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "opsplan" / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
        return key
    except OSError:
        return None


def _fingerprint() -> bytes:
    """The opsplan version, the schemas it validates with and the loader's own code (which
    changes between releases while opsplan is worked on): a change of any is a new cache."""
    from opsplan import __version__
    from opsplan.load.schema import schema_dir

    digest = hashlib.sha256(__version__.encode())
    loader = Path(__file__).parent
    for path in [*sorted(schema_dir().glob("*.json")), *sorted(loader.glob("*.py")), loader.parent / "model.py",
                 loader.parent / "marks.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _signature(key: bytes, digest: str, payload: bytes | memoryview) -> bytes:
    signed = hmac.new(key, digest.encode(), hashlib.sha256)
    signed.update(payload)
    return signed.digest()


class DocumentCache:
    """Signed entries in one folder; every failure is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = _user_key()
        self.writable = self.key is not None
        self.prefix = _fingerprint()
        self.read_digests: dict[str, str] = {}  # plan file -> digest of its read entry this run

    def digest(self, *parts: bytes | str) -> str:
        hashed = hashlib.sha256(self.prefix)
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            hashed.update(len(data).to_bytes(8, "big") + data)
        return hashed.hexdigest()

    def get(self, digest: str) -> Any | None:
        if self.key is None:
            return None
        try:
            data = (self.folder / digest).read_bytes()
        except OSError:
            return None
        signature, payload = data[:_SIGNATURE_BYTES], memoryview(data)[_SIGNATURE_BYTES:]  # not copied
        expected = _signature(self.key, digest, payload)
        if len(signature) != _SIGNATURE_BYTES or not hmac.compare_digest(signature, expected):
            return None
        try:
            return pickle.loads(payload)  # signed above with this user's own key
        except Exception:  # a signed but unreadable entry (another Python): a miss
            return None

    def remember(self, digest: str, make: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
        """The pair kept under ``digest``, or ``make()``'s, kept for the next run."""
        kept = self.get(digest)
        if isinstance(kept, tuple) and len(kept) == 2:
            return kept
        made = make()
        self.put(digest, made)
        return made

    def put(self, digest: str, value: Any) -> None:
        if self.key is None or not self.writable:
            return
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = _signature(self.key, digest, payload)
            self.folder.mkdir(exist_ok=True)
            # Written beside and renamed, so a reader never sees half an entry.
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(signature)
                    stream.write(payload)  # not joined first: an entry of actuals is tens of MB
                os.replace(temporary, self.folder / digest)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, pickle.PicklingError, RecursionError, TypeError):
            self.writable = False  # one failure is enough: the run goes on without writing

    def keep_newest(self, prefix: str, count: int, written: str) -> None:
        """Of the entries whose names start with ``prefix``, keep the one just ``written`` and
        the ``count - 1`` newest others; remove the rest."""
        try:
            others = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(self.folder)
                      if entry.name.startswith(prefix) and entry.name != written]
            for _, path in sorted(others, reverse=True)[count - 1:]:
                os.unlink(path)
        except OSError:
            pass  # another run removed it first, or the folder cannot be changed: no matter
