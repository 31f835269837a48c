"""How opsplan reaches DuckDB: the module it imports, and a file's path and a Parquet file's
columns written as SQL (for the ledger engine and the Parquet reader alike)."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any

# DuckDB reads `*`, `?` and `[` in a path as a pattern (a file named `[ab].csv` would be read as
# `a.csv` and `b.csv`); each is written as a class of itself, which matches only that character.
_PATTERN_CHARACTERS = re.compile(r"[*?\[]")

# A Parquet file alone: DuckDB would otherwise add a column for each `name=value` folder above it.
PARQUET_SCAN = "read_parquet($path, hive_partitioning = false)"
PARQUET_NUMBERED = "read_parquet($path, hive_partitioning = false, file_row_number = true)"


def parquet_text(position: int, type_id: str) -> str:
    """The SQL for the text of a Parquet file's column at ``position`` (counted from 1, so that no
    name from the file is written into SQL), of DuckDB type ``type_id``: see ``actuals_parquet``."""
    value = f"#{position}"
    if type_id == "timestamp with time zone":
        value, type_id = f"timezone('UTC', {value})", "timestamp"
    if type_id.startswith("timestamp"):
        text = (f"CASE WHEN date_trunc('day', {value}) = {value} THEN CAST(CAST({value} AS DATE) AS VARCHAR) "
                f"ELSE CAST({value} AS VARCHAR) END")
    elif type_id == "blob":
        text = f"coalesce(try(decode({value})), CAST({value} AS VARCHAR))"  # text, unless it is not UTF-8
    else:
        text = f"CAST({value} AS VARCHAR)"
    return f"coalesce({text}, '')"


def parquet_types(cursor: Any, path: str) -> list[str]:
    """The DuckDB type of each column of the Parquet file at ``path`` (a literal path)."""
    return [column[1].id for column in cursor.execute(f"SELECT * FROM {PARQUET_SCAN} LIMIT 0", {"path": path}).description]


def literal_path(path: Path) -> str:
    """The path DuckDB must be given to read this file and no other: absolute (a leading `~`
    would be the home folder), its pattern characters made literal."""
    return _PATTERN_CHARACTERS.sub(lambda found: f"[{found.group()}]", os.path.abspath(path))


def engine_available() -> bool:
    try:
        duckdb_module()
    except ImportError:
        return False
    return True


def duckdb_module() -> Any:
    """DuckDB's compiled module, where the package keeps it apart (``_duckdb``, as DuckDB 2 does):
    the engine only opens connections and runs SQL, and importing the package itself also loads
    its relational API and reads its version from the installed distribution's metadata, 55 ms
    of a run. Where there is no such module, the package."""
    try:
        return importlib.import_module("_duckdb")
    except ImportError:
        return importlib.import_module("duckdb")
