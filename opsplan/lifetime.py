"""What a run builds, kept to the end of the process when the command line ends it without
freeing anything (``opsplan.cli.run``): a plan with its actuals and report is millions of
objects, and freeing them one by one as a command returns took a tenth of a ledger report's
time. When opsplan runs as a library, nothing is kept."""

from __future__ import annotations

_kept: list[object] | None = None


def keep_until_exit(*built: object) -> None:
    if _kept is not None:
        _kept.extend(built)


def end_without_freeing() -> None:
    """From now on, what commands build is kept until the process ends."""
    global _kept
    _kept = []
