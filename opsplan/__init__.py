"""opsplan: plan-as-code for operations management.

The library API mirrors the command line::

    from opsplan import check_path
    root, result = check_path(Path("plans/acme"))
    for diagnostic in result.diagnostics: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_path", "check_source"]


def __getattr__(name: str) -> object:
    # Keep `import opsplan` (and so the CLI's start-up) free of the pipeline's imports.
    if name in ("check_path", "check_source"):
        from opsplan.check import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
